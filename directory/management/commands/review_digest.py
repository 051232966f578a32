from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import translation

from directory.attention import attention_items
from directory.management.commands.purge_reports import purge_old_reports

LIST_LIMIT = 20  # per section; the admin link shows the rest


class Command(BaseCommand):
    help = (
        "Print what needs the coordinator's attention (reviews due, validity ending, drafts, change requests, "
        "reports); with --send, e-mail it to COORDINATOR_EMAIL. Also deletes reports past REPORT_RETENTION_DAYS."
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
                send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [settings.COORDINATOR_EMAIL])
                self.stdout.write(self.style.SUCCESS(f"An {settings.COORDINATOR_EMAIL} gesendet."))

    def digest(self):
        lines = [f"{settings.SITE_NAME} – was Aufmerksamkeit braucht", ""]
        total = 0
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
