"""Keep each offer's folded search text current when anything it is found by changes."""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .models import Category, Language, Location, Offer, Organization, SlugRedirect, TargetGroup, Town


def _refresh(offers):
    for offer in offers.select_related("organization"):
        offer.refresh_search_text()


@receiver(m2m_changed, sender=Offer.categories.through)
@receiver(m2m_changed, sender=Offer.languages.through)
@receiver(m2m_changed, sender=Offer.target_groups.through)
@receiver(m2m_changed, sender=Offer.locations.through)
def offer_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
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
    if raw or created:
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
