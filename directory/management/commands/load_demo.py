import json
from datetime import time as dt_time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from directory.history import history_paused, record_version
from directory.models import (
    Category,
    Closure,
    Contact,
    Language,
    Location,
    Offer,
    OpeningSlot,
    Organization,
    SearchConcept,
    SearchWord,
    TargetGroup,
    Town,
)
from directory.vocabulary import load_starter_vocabulary

FIXTURES = settings.BASE_DIR / "fixtures"


def translated(values, field):
    """{"de": "Kita", "ar": "…"} -> {"name_de": "Kita", "name_ar": "…"} for known languages."""
    codes = {code for code, _name in settings.LANGUAGES}
    return {f"{field}_{code}": text for code, text in (values or {}).items() if code in codes}


def text(value, field):
    """A fixture text: a plain German string or {"de": …, "ar": …}."""
    return translated(value if isinstance(value, dict) else {"de": value or ""}, field)


def clock(value):
    hour, minute = value.split(":")
    return dt_time(int(hour), int(minute))


def day_offset(days):
    return None if days is None else timezone.localdate() + timedelta(days=days)


class Command(BaseCommand):
    help = "Load the reference data (categories, languages, target groups, towns) and the demo offers. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--reference-only", action="store_true", help="Load reference data, but no demo offers.")

    def handle(self, *args, reference_only=False, **options):
        with transaction.atomic(), history_paused():
            reference = json.loads((FIXTURES / "reference.json").read_text(encoding="utf-8"))
            counts = self.load_reference(reference)
            concepts, words = load_starter_vocabulary(SearchConcept, SearchWord, Language)
            counts["new search words"] = words
            if not reference_only:
                demo = json.loads((FIXTURES / "demo.json").read_text(encoding="utf-8"))
                counts.update(self.load_demo(demo))
                for offer in Offer.objects.all():
                    record_version(offer, reason="Demodaten geladen")  # one version per offer, not one per step
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))

    def load_reference(self, data):
        for item in data["categories"]:
            Category.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "icon": item["icon"],
                    "position": item["position"],
                    **translated(item["name"], "name"),
                    **translated(item.get("description"), "description"),
                },
            )
        for item in data["languages"]:
            Language.objects.update_or_create(
                code=item["code"],
                defaults={
                    "endonym": item["endonym"],
                    "direction": item.get("direction", "ltr"),
                    "position": item.get("position", 100),
                    **translated(item["name"], "name"),
                },
            )
        for item in data["target_groups"]:
            TargetGroup.objects.update_or_create(
                slug=item["slug"], defaults={"position": item["position"], **translated(item["name"], "name")}
            )
        for item in data["towns"]:
            Town.objects.update_or_create(
                slug=item["slug"],
                defaults={"aliases": item.get("aliases", ""), "position": item["position"], **text(item["name"], "name")},
            )
        return {
            "categories": len(data["categories"]),
            "languages": len(data["languages"]),
            "target groups": len(data["target_groups"]),
            "towns": len(data["towns"]),
        }

    def load_demo(self, data):
        organizations = {}
        for item in data["organizations"]:
            fields = {key: item.get(key, "") for key in ("name", "description", "website", "phone", "email")}
            organizations[item["slug"]], _created = Organization.objects.update_or_create(
                slug=item["slug"], defaults=fields
            )

        towns = {town.slug: town for town in Town.objects.all()}
        locations = {}
        for item in data["locations"]:
            # The key is the location's identity in the fixture; name + organization find it again.
            name = text(item["name"], "name")
            locations[item["key"]], _created = Location.objects.update_or_create(
                organization=organizations[item["organization"]],
                name_de=name["name_de"],
                defaults={
                    **name,
                    **text(item.get("room", ""), "room"),
                    **text(item.get("opening_hours", ""), "opening_hours"),
                    "street": item["street"],
                    "postal_code": item["postal_code"],
                    "town": towns[item["town"]],
                    "latitude": item.get("latitude"),
                    "longitude": item.get("longitude"),
                    "wheelchair_access": item.get("wheelchair_access", "unknown"),
                },
            )

        categories = {c.slug: c for c in Category.objects.all()}
        languages = {language.code: language for language in Language.objects.all()}
        groups = {g.slug: g for g in TargetGroup.objects.all()}
        for item in data["offers"]:
            formats = set(item.get("formats", ["vor-ort"]))
            defaults = {
                "organization": organizations[item["organization"]],
                "is_free": item.get("is_free", True),
                "appointment_needed": item.get("appointment_needed", True),
                "anonymous_possible": item.get("anonymous_possible", False),
                "website": item.get("website", ""),
                "status": item.get("status", Offer.Status.PUBLISHED),
                "valid_from": day_offset(item.get("valid_from_days")),
                "valid_until": day_offset(item.get("valid_until_days")),
                "last_reviewed": day_offset(
                    None if item.get("last_reviewed_days_ago") is None else -item["last_reviewed_days_ago"]
                ),
                **{field: value in formats for value, field in Offer.FORMAT_FIELDS.items()},
            }
            for field in ("title", "summary", "description", "how_to_get_help", "cost_note", "hours_note"):
                defaults.update(translated(item.get(field), field))
            defaults["open_on_public_holidays"] = item.get("open_on_public_holidays", False)
            offer, _created = Offer.objects.update_or_create(slug=item["slug"], defaults=defaults)
            offer.categories.set([categories[slug] for slug in item["categories"]])
            offer.languages.set([languages[code] for code in item.get("languages", [])])
            offer.target_groups.set([groups[slug] for slug in item.get("target_groups", [])])
            offer.locations.set([locations[key] for key in item.get("locations", [])])
            # Contacts are replaced as a whole so that a second run leaves the same set.
            offer.contacts.all().delete()
            contacts = [
                Contact.objects.create(
                    offer=offer,
                    position=position,
                    phone=contact.get("phone", ""),
                    email=contact.get("email", ""),
                    **text(contact["name"], "name"),
                    **text(contact.get("role", ""), "role"),
                    **text(contact.get("hours", ""), "hours"),
                )
                for position, contact in enumerate(item.get("contacts", []))
            ]
            self.load_schedule(offer, item, locations, contacts, languages)
        return {
            "opening slots": OpeningSlot.objects.count(),
            "organizations": len(data["organizations"]),
            "locations": len(data["locations"]),
            "offers": len(data["offers"]),
        }

    def load_schedule(self, offer, item, locations, contacts, languages):
        """Weekly slots ({"days": [0, 1], "opens": "8:00", "closes": "14:00", "location": key, "contact": index,
        "language": code, "appointment_only": bool}) and closures relative to today."""
        offer.slots.all().delete()
        offer.closures.all().delete()
        for entry in item.get("slots", []):
            for day in entry["days"]:
                OpeningSlot.objects.create(
                    offer=offer,
                    weekday=day,
                    opens=clock(entry["opens"]),
                    closes=clock(entry["closes"]),
                    location=locations[entry["location"]] if entry.get("location") else None,
                    contact=contacts[entry["contact"]] if entry.get("contact") is not None else None,
                    language=languages[entry["language"]] if entry.get("language") else None,
                    appointment_only=entry.get("appointment_only", False),
                )
        for entry in item.get("closures", []):
            Closure.objects.create(
                offer=offer,
                starts=day_offset(entry["starts_days"]),
                ends=day_offset(entry["ends_days"]),
                **translated(entry.get("reason"), "reason"),
            )
