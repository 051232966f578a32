from django.core.management.base import BaseCommand
from django.db import transaction

from directory import cache, hours_parser, schedules
from directory.admin_translation import other_languages
from directory.models import Contact, Location, Offer, OpeningSlot


class Command(BaseCommand):
    help = (
        "Turn the free-text opening hours of places, contacts and offers (\"Mo–Fr 8–14 Uhr\", \"Di 13–15 Uhr\", "
        "\"nach Vereinbarung\") into weekly slots. What cannot be read stays as the note and is listed for the "
        "coordinator. Idempotent; --dry-run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would change.")

    def handle(self, *args, dry_run=False, **options):
        self.created = 0
        self.converted = 0
        self.left = []  # (what, text) the coordinator has to look at
        with transaction.atomic():
            for location in Location.objects.exclude(opening_hours_de="").exclude(opening_hours_de__isnull=True):
                offers = list(location.offers.all())
                what = f"Ort „{location.name_de}“"
                if not offers:
                    self.left.append((f"{what} (gehört zu keinem Angebot)", location.opening_hours_de))
                    continue
                self.convert(location, "opening_hours", what, [{"offer": offer, "location": location} for offer in offers])
            for contact in Contact.objects.exclude(hours_de="").exclude(hours_de__isnull=True).select_related("offer"):
                what = f"Ansprechperson „{contact.name_de}“ bei „{contact.offer.title_de}“"
                self.convert(contact, "hours", what, [{"offer": contact.offer, "contact": contact}])
            for offer in Offer.objects.exclude(hours_note_de="").exclude(hours_note_de__isnull=True):
                self.convert(offer, "hours_note", f"Angebot „{offer.title_de}“", [{"offer": offer}])
            if dry_run:
                transaction.set_rollback(True)
            elif self.converted:
                cache.invalidate()  # the updates above bypass the signals that do it

        prefix = "Would convert" if dry_run else "Converted"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} {self.converted} texts into {self.created} weekly slots; {len(self.left)} left as notes."
            )
        )
        if self.left:
            self.stdout.write("Bitte von Hand prüfen (steht weiter als Hinweis da):")
            for what, text in self.left:
                self.stdout.write(f"  - {what}: {text}")

    def convert(self, obj, field, what, owners):
        german = getattr(obj, f"{field}_de")
        parsed = hours_parser.parse(german)
        if not parsed.slots and not parsed.by_appointment:
            self.left.append((what, german))
            return
        for owner in owners:
            existing = [(s.weekday, s.opens, s.closes) for s in OpeningSlot.objects.filter(**owner)]
            for slot in parsed.slots:
                clash = [e for e in existing if e[0] == slot.weekday and schedules.overlaps(e[1:], (slot.opens, slot.closes))]
                if clash:
                    continue  # already there (an earlier run) or entered by hand
                OpeningSlot.objects.create(
                    weekday=slot.weekday, opens=slot.opens, closes=slot.closes, appointment_only=slot.appointment_only, **owner
                )
                self.created += 1
            if parsed.by_appointment and not owner["offer"].appointment_needed:
                Offer.objects.filter(pk=owner["offer"].pk).update(appointment_needed=True)
        self.converted += 1
        # Translations described the whole old text; what remains needs translating anew.
        changes = {f"{field}_de": parsed.note}
        if parsed.note != german:
            changes.update({f"{field}_{code}": "" for code, _endonym in other_languages()})
        type(obj).objects.filter(pk=obj.pk).update(**changes)
        if parsed.note:
            self.left.append((what, parsed.note))
