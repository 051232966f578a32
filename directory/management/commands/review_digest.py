from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from directory.attention import attention_items
from directory.management.commands.purge_reports import purge_old_reports
from directory.models import ChangeRequest, NotificationSetting, Report
from directory.notifications import admin_url, describe, recipients

LIST_LIMIT = 20  # per section; the admin link shows the rest


class Command(BaseCommand):
    help = (
        "Print what needs the coordinator's attention (reviews due, validity ending, drafts, change requests, "
        "reports, what came in since yesterday); with --send, e-mail it to COORDINATOR_EMAIL and to everyone of the "
        "coordination who chose the daily summary. Also deletes reports past REPORT_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="E-mail the list to settings.COORDINATOR_EMAIL.")

    def handle(self, *args, send=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            purged = purge_old_reports()
            text, total = self.digest()
            if purged:
                text += f"\n{purged} alte Meldung(en) gelöscht (älter als {settings.REPORT_RETENTION_DAYS} Tage).\n"
            self.stdout.write(text)
            if send:
                subject = f"{settings.SITE_NAME}: {total} Punkt(e) brauchen Aufmerksamkeit"
                # The network's address, and everyone of the coordination who chose the daily summary.
                to = sorted({settings.COORDINATOR_EMAIL, *recipients(NotificationSetting.Frequency.DAILY)} - {""})
                send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, to)
                self.stdout.write(self.style.SUCCESS(f"An {', '.join(to)} gesendet."))

    def digest(self):
        lines = [f"{settings.SITE_NAME} – was Aufmerksamkeit braucht", ""]
        total = 0
        since = timezone.now() - timedelta(days=1)
        new_items = [
            *Report.objects.filter(created__gte=since).select_related("offer"),
            *ChangeRequest.objects.filter(created__gte=since).select_related("offer"),
        ]
        if new_items:
            lines.append(f"Neu seit gestern: {len(new_items)}")
            for item in sorted(new_items, key=lambda item: item.created):
                subject, _text = describe(item)
                lines.append(f"  - {subject}")
                lines.append(f"    {admin_url(item)}")
            lines.append("")
        for item in attention_items():
            count = item.count
            total += count
            lines.append(f"{item.label}: {count}")
            if count:
                for obj in item.queryset[:LIST_LIMIT]:
                    lines.append(f"  - {obj}")
                if count > LIST_LIMIT:
                    lines.append(f"  … und {count - LIST_LIMIT} weitere")
                lines.append(f"  {settings.SITE_URL}{item.url}")
            lines.append("")
        if not total:
            lines.append("Alles ist aktuell.")
        return "\n".join(lines) + "\n", total
