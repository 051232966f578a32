"""Anonymous counts of searches that found nothing or almost nothing.

Per folded query, interface language and day: a number, nothing else – no address,
no cookie, no time of day. Rows older than RETENTION_DAYS are deleted as new counts
come in (at most once a day per process), so nothing is kept longer without a cron job.
"""

import logging
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from . import search
from .models import SearchMiss

RETENTION_DAYS = 90
# "Almost nothing": a search with at most this many results is counted too.
FEW_RESULTS = 2
MAX_QUERY_LENGTH = SearchMiss._meta.get_field("query").max_length

logger = logging.getLogger(__name__)
_last_purge = {"day": None}


def normalized(query):
    """The folded words of a query, as stored: "Kita  Platz!" -> "kita platz"."""
    return " ".join(search.words(query))[:MAX_QUERY_LENGTH].strip()


def record(query, language, results):
    """Count one search with `results` results, if they are few. Never raises."""
    text = normalized(query)
    if not text or results > FEW_RESULTS:
        return
    today = timezone.localdate()
    try:
        with transaction.atomic():
            updated = SearchMiss.objects.filter(query=text, language=language, day=today).update(
                count=F("count") + 1, results=results
            )
            if not updated:
                try:
                    with transaction.atomic():
                        SearchMiss.objects.create(query=text, language=language, day=today, count=1, results=results)
                except IntegrityError:  # counted by a parallel request in the meantime
                    SearchMiss.objects.filter(query=text, language=language, day=today).update(count=F("count") + 1)
        if _last_purge["day"] != today:
            purge()
            _last_purge["day"] = today
    except DatabaseError:
        # A statistic must never cost a parent the page.
        logger.warning("search statistics not written", exc_info=True)


def purge(today=None):
    """Delete counts older than RETENTION_DAYS; returns how many rows went."""
    today = today or timezone.localdate()
    deleted, _detail = SearchMiss.objects.filter(day__lt=today - timedelta(days=RETENTION_DAYS)).delete()
    return deleted


def most_frequent(language=None, limit=100, today=None):
    """[(query, language, searches, fewest results)] of the last RETENTION_DAYS, most searched first."""
    today = today or timezone.localdate()
    rows = SearchMiss.objects.filter(day__gte=today - timedelta(days=RETENTION_DAYS))
    if language:
        rows = rows.filter(language=language)
    return list(
        rows.values("query", "language")
        .annotate(searches=Sum("count"))
        .order_by("-searches", "query", "language")[:limit]
    )
