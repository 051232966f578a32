"""The coordinator edits opening hours inline: clear messages naming the slot, nothing saved half,
and Monday copied to the other weekdays."""

from datetime import time

import pytest
from django.urls import reverse

from directory.models import Closure, OpeningSlot

from .conftest import inline_management, make_category, make_language, make_location, make_offer, offer_form_data

pytestmark = pytest.mark.django_db


def make_offer_with_category(**fields):
    return make_offer(categories=[make_category()], **fields)


def with_slots(offer, *slots, closures=(), **extra):
    data = offer_form_data(offer, **extra)
    data.update(inline_management("slots", total=len(slots)))
    for i, slot in enumerate(slots):
        data.update({f"slots-{i}-{name}": value for name, value in slot.items()})
    data.update(inline_management("closures", total=len(closures)))
    for i, closure in enumerate(closures):
        data.update({f"closures-{i}-{name}": value for name, value in closure.items()})
    return data


def post(client, offer, data):
    return client.post(reverse("admin:directory_offer_change", args=[offer.pk]), data)


def test_change_form_shows_the_slot_inline_and_copy_monday(coordinator_client):
    offer = make_offer_with_category()
    OpeningSlot.objects.create(offer=offer, weekday=0, opens=time(8), closes=time(14))
    html = coordinator_client.get(reverse("admin:directory_offer_change", args=[offer.pk])).content.decode()
    assert "Öffnungszeiten (Zeitfenster pro Woche)" in html
    assert 'name="slots-copy-monday" value="4"' in html
    assert "Schließzeiten (z. B. Ferien)" in html


def test_slots_are_saved_with_language_and_appointment(coordinator_client):
    offer = make_offer_with_category()
    arabic = make_language("ar", "Arabisch", "العربية")
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "1", "opens": "10", "closes": "12.30", "language": arabic.pk, "appointment_only": "on"},
    ))
    assert response.status_code == 302
    slot = offer.slots.get()
    assert (slot.weekday, slot.opens, slot.closes) == (1, time(10), time(12, 30))
    assert slot.language == arabic and slot.appointment_only


def test_reversed_slot_is_refused_naming_it_and_nothing_is_saved(coordinator_client):
    offer = make_offer_with_category()
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "0", "opens": "08:00", "closes": "14:00"},
        {"weekday": "1", "opens": "14:00", "closes": "12:00"},
    ))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zeitfenster 2 (Dienstag 14:00–12:00)" in html
    assert "Das Ende (12:00) liegt vor dem Beginn (14:00)" in html
    assert not OpeningSlot.objects.exists()


def test_24_00_is_explained(coordinator_client):
    offer = make_offer_with_category()
    response = post(coordinator_client, offer, with_slots(offer, {"weekday": "4", "opens": "20:00", "closes": "24:00"}))
    assert response.status_code == 200
    assert "„24:00“ gibt es als Uhrzeit nicht. Für „bis Mitternacht“ bitte 23:59 eintragen." in response.content.decode()
    assert not OpeningSlot.objects.exists()


def test_overlapping_slots_are_named_both(coordinator_client):
    offer = make_offer_with_category()
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "2", "opens": "09:00", "closes": "12:00"},
        {"weekday": "2", "opens": "11:00", "closes": "13:00"},
    ))
    assert response.status_code == 200
    assert ("Zeitfenster 1 (Mittwoch 09:00–12:00) überschneidet sich mit Zeitfenster 2 (Mittwoch 11:00–13:00)."
            in response.content.decode())
    assert not OpeningSlot.objects.exists()


def test_a_language_slot_may_lie_within_the_general_hours(coordinator_client):
    offer = make_offer_with_category()
    arabic = make_language("ar", "Arabisch", "العربية")
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "1", "opens": "08:00", "closes": "14:00"},
        {"weekday": "1", "opens": "10:00", "closes": "12:00", "language": arabic.pk},
    ))
    assert response.status_code == 302
    assert offer.slots.count() == 2


def test_unknown_language_is_refused(coordinator_client):
    offer = make_offer_with_category()
    slot = {"weekday": "1", "opens": "8", "closes": "9", "language": "99999"}
    response = post(coordinator_client, offer, with_slots(offer, slot))
    assert response.status_code == 200
    assert "Diese Sprache gibt es im Wegweiser nicht." in response.content.decode()
    assert not OpeningSlot.objects.exists()


def test_closure_ending_before_it_starts_is_refused_and_nothing_else_saved(coordinator_client):
    offer = make_offer_with_category()
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "0", "opens": "08:00", "closes": "14:00"},
        closures=[{"starts": "20.07.2027", "ends": "01.07.2027", "reason": "Sommerferien"}],
        title_de="Neuer Titel",
    ))
    assert response.status_code == 200
    assert "Schließzeit 20.07.2027–01.07.2027: Das Ende liegt vor dem Beginn." in response.content.decode()
    offer.refresh_from_db()
    assert offer.title != "Neuer Titel"
    assert not OpeningSlot.objects.exists() and not Closure.objects.exists()


def test_copy_monday_to_the_other_weekdays(coordinator_client):
    offer = make_offer_with_category()
    data = with_slots(offer, {"weekday": "0", "opens": "08:00", "closes": "14:00"})
    data["slots-copy-monday"] = ["1", "2", "3", "4"]
    assert post(coordinator_client, offer, data).status_code == 302
    assert sorted(offer.slots.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    # Copying again adds nothing twice.
    data = with_slots(offer)
    data["slots-copy-monday"] = ["1", "2", "3", "4"]
    assert post(coordinator_client, offer, data).status_code == 302
    assert offer.slots.count() == 5


def test_copy_monday_that_would_overlap_is_refused(coordinator_client):
    offer = make_offer_with_category()
    data = with_slots(
        offer,
        {"weekday": "0", "opens": "08:00", "closes": "14:00"},
        {"weekday": "2", "opens": "13:00", "closes": "16:00"},
    )
    data["slots-copy-monday"] = ["2"]
    response = post(coordinator_client, offer, data)
    assert response.status_code == 200
    assert "wenn Montag auf Mittwoch kopiert wird" in response.content.decode()
    assert not OpeningSlot.objects.exists()


def test_place_of_a_slot_must_belong_to_the_offer(coordinator_client):
    offer = make_offer_with_category(locations=[make_location()])
    elsewhere = make_location()
    slot = {"weekday": "0", "opens": "8", "closes": "9", "location": elsewhere.pk}
    response = post(coordinator_client, offer, with_slots(offer, slot))
    assert response.status_code == 200
    assert not OpeningSlot.objects.exists()


def test_copy_monday_ticks_stay_ticked_after_an_error(coordinator_client):
    offer = make_offer_with_category()
    data = with_slots(
        offer,
        {"weekday": "0", "opens": "08:00", "closes": "14:00"},
        {"weekday": "5", "opens": "14:00", "closes": "12:00"},
    )
    data["slots-copy-monday"] = ["1", "3"]
    response = post(coordinator_client, offer, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Das Ende (12:00) liegt vor dem Beginn (14:00)" in html
    assert 'name="slots-copy-monday" value="1" checked' in html
    assert 'name="slots-copy-monday" value="3" checked' in html
    assert 'name="slots-copy-monday" value="2">' in html  # Mittwoch was not ticked and stays so
    assert not OpeningSlot.objects.exists()


def test_identical_slots_are_called_duplicates_not_overlaps(coordinator_client):
    offer = make_offer_with_category()
    response = post(coordinator_client, offer, with_slots(
        offer,
        {"weekday": "0", "opens": "08:00", "closes": "14:00"},
        {"weekday": "0", "opens": "8", "closes": "14"},
    ))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Zeitfenster 2 (Montag 08:00–14:00) ist doppelt: Zeitfenster 1 (Montag 08:00–14:00) hat schon "
            "denselben Tag und dieselbe Zeit.") in html
    assert "überschneidet" not in html
    assert not OpeningSlot.objects.exists()


def test_copy_monday_onto_a_day_that_already_has_the_same_slot_saves(coordinator_client):
    """Tuesday already has Monday's hours: ticking Tuesday again is no overlap, nothing is doubled."""
    offer = make_offer_with_category()
    monday = OpeningSlot.objects.create(offer=offer, weekday=0, opens=time(8), closes=time(14))
    tuesday = OpeningSlot.objects.create(offer=offer, weekday=1, opens=time(8), closes=time(14))
    data = with_slots(
        offer,
        {"id": monday.pk, "offer": offer.pk, "weekday": "0", "opens": "08:00", "closes": "14:00"},
        {"id": tuesday.pk, "offer": offer.pk, "weekday": "1", "opens": "08:00", "closes": "14:00"},
    )
    data["slots-INITIAL_FORMS"] = "2"
    data["slots-copy-monday"] = ["1", "2"]
    response = post(coordinator_client, offer, data)
    assert response.status_code == 302, response.content.decode()
    assert sorted(offer.slots.values_list("weekday", flat=True)) == [0, 1, 2]
