from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


@register.filter
def review_is_stale(offer):
    """True when parents should call ahead: not reviewed for REVIEW_STALE_NOTICE_DAYS (or never)."""
    if offer.last_reviewed is None:
        return True
    return offer.last_reviewed < timezone.localdate() - timedelta(days=settings.REVIEW_STALE_NOTICE_DAYS)
