"""Model signals of the catalogue.

The search needs none: an offer's stored search fields hold only its own texts (filled
in `Offer.save`), and names of categories, towns or organisations join them when each
worker rebuilds its search index after any change (directory/search_index.py). So
saving a category used by 10,000 offers costs a few queries, not one per offer.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .models import Category, Offer, SlugRedirect


@receiver(pre_save, sender=Category)
@receiver(pre_save, sender=Offer)
def remember_former_slug(sender, instance, raw=False, **kwargs):
    """Keep a changed slug as a redirect: partners have printed the old address."""
    if raw or not instance.pk:
        return
    old_slug = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old_slug and old_slug != instance.slug:
        SlugRedirect.remember(instance, old_slug)
