"""Free-text opening hours become slots; what cannot be read stays as the note and is listed."""

from datetime import time
from io import StringIO

import pytest
from django.core.management import call_command

from directory import hours_parser
from directory.models import Contact, Location, OpeningSlot

from .conftest import make_location, make_offer


@pytest.mark.parametrize(
    "text, slots",
    [
        ("Mo–Fr 8–14 Uhr", [(d, "08:00", "14:00") for d in range(5)]),
        ("Di 13–15 Uhr", [(1, "13:00", "15:00")]),
        ("Mo, Mi, Do 9–12 Uhr", [(0, "09:00", "12:00"), (2, "09:00", "12:00"), (3, "09:00", "12:00")]),
        ("Di und Do 8:30–12 Uhr", [(1, "08:30", "12:00"), (3, "08:30", "12:00")]),
        ("Mo 9–12, 14–16 Uhr", [(0, "09:00", "12:00"), (0, "14:00", "16:00")]),
        ("Montag bis Mittwoch 9.30 - 11 Uhr", [(0, "09:30", "11:00"), (1, "09:30", "11:00"), (2, "09:30", "11:00")]),
        ("Fr 18–24 Uhr", [(4, "18:00", "23:59")]),
        # Tuesday 8–14 and 13–15 are one opening 8–15.
        ("Mo–Fr 8–14 Uhr, Di 13–15 Uhr", [(0, "08:00", "14:00"), (1, "08:00", "15:00"), (2, "08:00", "14:00"),
                                          (3, "08:00", "14:00"), (4, "08:00", "14:00")]),
    ],
)
def test_common_forms_become_slots(text, slots):
    parsed = hours_parser.parse(text)
    assert parsed.note == ""
    assert [(s.weekday, f"{s.opens:%H:%M}", f"{s.closes:%H:%M}") for s in parsed.slots] == slots


def test_nach_vereinbarung_means_by_appointment():
    parsed = hours_parser.parse("nach Vereinbarung")
    assert parsed.by_appointment and parsed.slots == [] and parsed.note == ""


def test_appointment_after_the_times_marks_the_slots():
    parsed = hours_parser.parse("Mo–Fr 10–16 Uhr nach Termin")
    assert len(parsed.slots) == 5 and all(slot.appointment_only for slot in parsed.slots)


@pytest.mark.parametrize(
    "text, note",
    [
        ("Mo–Fr 8–14 Uhr, Di 13–15 Uhr offene Sprechstunde", "Di 13–15 Uhr offene Sprechstunde"),
        ("1. Dienstag im Monat 14–16 Uhr", "1. Dienstag im Monat 14–16 Uhr"),
        ("Mo–Fr 8–13 Uhr (Schulzeit)", "Mo–Fr 8–13 Uhr (Schulzeit)"),
        ("Mo 25–26 Uhr", "Mo 25–26 Uhr"),
        ("Mi 15–12 Uhr", "Mi 15–12 Uhr"),
        ("nach Ankündigung", "nach Ankündigung"),
    ],
)
def test_what_cannot_be_read_stays_as_written(text, note):
    assert hours_parser.parse(text).note == note


@pytest.mark.django_db
def test_command_converts_places_and_contacts_and_lists_the_rest():
    location = make_location(opening_hours="Mo–Fr 8–14 Uhr, Di 13–15 Uhr offene Sprechstunde")
    location.opening_hours_ar = "ترجمة قديمة"
    location.save()
    contact = {"name": "Frau Haddad", "phone": "05381 1", "hours": "Mo und Mi 9–12 Uhr"}
    offer = make_offer(locations=[location], contacts=[contact])
    out = StringIO()
    call_command("convert_opening_hours", stdout=out)
    location.refresh_from_db()
    assert location.opening_hours_de == "Di 13–15 Uhr offene Sprechstunde"
    assert location.opening_hours_ar == ""  # it translated the old, longer text
    assert sorted(offer.slots.filter(location=location).values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    contact = Contact.objects.get()
    assert contact.hours_de == ""
    assert list(offer.slots.filter(contact=contact).values_list("weekday", "opens")) == [(0, time(9)), (2, time(9))]
    report = out.getvalue()
    assert "Converted 2 texts into 7 weekly slots; 1 left as notes." in report
    assert f"Ort „{location.name}“: Di 13–15 Uhr offene Sprechstunde" in report

    # A second run changes nothing.
    call_command("convert_opening_hours", stdout=StringIO())
    assert OpeningSlot.objects.count() == 7


@pytest.mark.django_db
def test_dry_run_changes_nothing():
    location = make_location(opening_hours="Mo–Fr 8–14 Uhr")
    make_offer(locations=[location])
    out = StringIO()
    call_command("convert_opening_hours", "--dry-run", stdout=out)
    assert "Would convert 1 texts into 5 weekly slots" in out.getvalue()
    assert not OpeningSlot.objects.exists()
    assert Location.objects.get().opening_hours_de == "Mo–Fr 8–14 Uhr"


@pytest.mark.django_db
def test_demo_data_uses_slots(demo_data):
    assert OpeningSlot.objects.count() > 300
    assert OpeningSlot.objects.filter(language__code="ar").exists()
    # Nothing in the demo data is left for the converter except the notes it cannot read.
    out = StringIO()
    call_command("convert_opening_hours", "--dry-run", stdout=out)
    assert "into 0 weekly slots" in out.getvalue()
