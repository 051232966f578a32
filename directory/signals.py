"""Keep each offer's folded search text current when anything it is found by changes."""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .models import Category, Language, Location, Offer, Organization, SlugRedirect, TargetGroup, Town

_state = threading.local()


@contextmanager
def search_refresh_suspended():
    """For bulk loads that refresh every offer's search text once at the end."""
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = False


def _suspended():
    return getattr(_state, "suspended", False)


def _refresh(offers):
    if _suspended():
        return
    for offer in offers.select_related("organization"):
        offer.refresh_search_text()


@receiver(m2m_changed, sender=Offer.categories.through)
@receiver(m2m_changed, sender=Offer.languages.through)
@receiver(m2m_changed, sender=Offer.target_groups.through)
@receiver(m2m_changed, sender=Offer.locations.through)
def offer_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or _suspended():
        return
    if isinstance(instance, Offer):
        instance.refresh_search_text()
    elif pk_set:
        _refresh(Offer.objects.filter(pk__in=pk_set))
    elif action == "post_clear":
        _refresh(Offer.objects.all())


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Language)
@receiver(post_save, sender=TargetGroup)
@receiver(post_save, sender=Location)
@receiver(post_save, sender=Organization)
def related_object_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or _suspended():
        return
    _refresh(instance.offers.all())


@receiver(post_save, sender=Town)
def town_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    _refresh(Offer.objects.filter(locations__town=instance).distinct())


@receiver(pre_save, sender=Category)
@receiver(pre_save, sender=Offer)
def remember_former_slug(sender, instance, raw=False, **kwargs):
    """Keep a changed slug as a redirect: partners have printed the old address."""
    if raw or not instance.pk:
        return
    old_slug = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old_slug and old_slug != instance.slug:
        SlugRedirect.remember(instance, old_slug)
