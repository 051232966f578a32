from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from directory import ratelimit
from directory.models import Report


def purge_old_reports(days=None):
    """Delete reports from the public older than REPORT_RETENTION_DAYS; returns how many."""
    days = settings.REPORT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = Report.objects.filter(created__lt=cutoff).delete()
    # The report limit's counters (hashed addresses) are kept no longer than their window.
    ratelimit.purge_expired(settings.REPORT_RATE_WINDOW_SECONDS)
    return deleted


class Command(BaseCommand):
    help = "Delete reports from the public older than REPORT_RETENTION_DAYS (default 180). Run daily, e.g. from cron."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead of REPORT_RETENTION_DAYS.")

    def handle(self, *args, days=None, **options):
        deleted = purge_old_reports(days)
        self.stdout.write(
            f"{deleted} Meldung(en) gelöscht, die älter als "
            f"{settings.REPORT_RETENTION_DAYS if days is None else days} Tage waren."
        )
