"""Fixed-window rate limits per client, shared by every worker through the database.

Only a keyed hash of the client's address is stored (see directory.client_address
for how the address is found behind a proxy), and only while its window lasts: every
new count deletes the expired ones, and so does `purge_reports`.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .client_address import client_address
from .models import RateLimit


def _key(scope, request):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{client_address(request)}".encode()).hexdigest()
    return digest[:64]


def _window_start(window_seconds):
    return timezone.now() - timedelta(seconds=window_seconds)


def exhausted(scope, request, limit, window_seconds):
    """True when this client used up `limit` in the current window (read only)."""
    return RateLimit.objects.filter(
        key=_key(scope, request), window_start__gt=_window_start(window_seconds), count__gte=limit
    ).exists()


def take(scope, request, limit, window_seconds):
    """Count one use if the client has one left; False when the limit is reached. Atomic across workers."""
    key = _key(scope, request)
    now = timezone.now()
    # Counters of windows that are over go at once: the privacy notice promises no longer.
    purge_expired(window_seconds)
    with transaction.atomic():
        entry, _created = RateLimit.objects.select_for_update().get_or_create(
            key=key, defaults={"window_start": now, "count": 0}
        )
        if entry.window_start <= now - timedelta(seconds=window_seconds):
            entry.window_start, entry.count = now, 0
        if entry.count >= limit:
            return False
        entry.count += 1
        entry.save(update_fields=["window_start", "count"])
        return True


def purge_expired(window_seconds):
    """Delete the counts of windows that are over; returns how many."""
    deleted, _by_model = RateLimit.objects.filter(window_start__lte=_window_start(window_seconds)).delete()
    return deleted
