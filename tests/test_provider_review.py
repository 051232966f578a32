"""Providers confirm their entry, or say what changed, through a signed link without an account."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory.models import ChangeRequest, Offer, ReviewRequest

from .browserform import browser_form_data
from .conftest import make_category, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return make_offer(
        title="Sprachcafé",
        categories=[make_category(name="Deutsch lernen")],
        contacts=[{"name": "Frau Nowak", "phone": "05321 70", "email": "nowak@traeger.example"}],
    )


def send_and_get_link(client, offer):
    # The offer page's button sends the form: what the coordinator typed is saved, then the request goes out.
    change_page = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(client.get(change_page).content.decode(), "offer_form")
    response = client.post(change_page, {**data, "_send_review_request": "1"}, follow=True)
    assert "1 Prüfanfrage gesendet." in response.content.decode()
    message = mail.outbox[-1]
    assert message.to == ["nowak@traeger.example"]
    return re.search(r"http://\S+/pruefen/\S+/", message.body).group(0)


def test_provider_confirms_and_the_history_says_so(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    coordinator_client.logout()
    page = client.get(link).content.decode()
    assert "Sprachcafé" in page and "05321 70" in page and "Alles stimmt noch" in page and "Das hat sich geändert" in page

    response = client.post(link, {"confirm": "1"})
    assert "Vielen Dank" in response.content.decode()
    offer.refresh_from_db()
    assert offer.last_reviewed == timezone.localdate()
    latest = offer.history.first()
    assert latest.history_change_reason == "Vom Anbieter bestätigt (nowak@traeger.example)"
    assert latest.history_user is None
    assert ReviewRequest.objects.get().outcome == ReviewRequest.Outcome.CONFIRMED


def test_provider_reports_a_change_which_waits_for_the_coordinator(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    response = client.post(link, {"change": "1", "message": "Neue Nummer: 05321 71"})
    assert "bei der Koordination angekommen" in response.content.decode()
    change_request = ChangeRequest.objects.get()
    assert change_request.source == ChangeRequest.Source.PROVIDER
    assert change_request.message == "Neue Nummer: 05321 71"
    assert change_request.submitted_email == "nowak@traeger.example"
    offer.refresh_from_db()
    assert offer.last_reviewed is None


def test_empty_change_note_asks_again(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    response = client.post(link, {"change": "1", "message": ""})
    assert "Bitte schreiben Sie, was sich geändert hat." in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert ReviewRequest.objects.get().used is None


def test_a_used_link_says_so_politely(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    client.post(link, {"confirm": "1"})
    for response in (client.get(link), client.post(link, {"confirm": "1"})):
        assert response.status_code == 410
        assert "schon benutzt" in response.content.decode()
    assert offer.history.filter(history_change_reason__startswith="Vom Anbieter").count() == 1


def test_an_expired_link_says_so_politely(coordinator_client, client, offer, settings, monkeypatch):
    link = send_and_get_link(coordinator_client, offer)
    later = time.time() + (settings.REVIEW_LINK_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.get(link)
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()


@pytest.mark.parametrize("token", ["kaputt", "MQ:1vXyZa:abcdefghijklmnopqrstuvwxyz0123456789ABCDE"])
def test_a_forged_or_damaged_link_is_refused_politely(client, token):
    response = client.get(reverse("directory:review", kwargs={"token": token}))
    assert response.status_code == 404
    assert "Dieser Link gilt nicht" in response.content.decode()


def test_bulk_request_skips_offers_without_contact_email(coordinator_client, offer):
    no_email = make_offer(title="Ohne E-Mail", contacts=[{"name": "Büro", "phone": "05321 1"}])
    response = coordinator_client.post(
        reverse("admin:directory_offer_changelist"),
        {"action": "send_review_request", "_selected_action": [offer.pk, no_email.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 Prüfanfrage gesendet." in page
    assert "übersprungen: Ohne E-Mail" in page
    assert len(mail.outbox) == 1
    assert ReviewRequest.objects.get().offer == offer


def test_archived_offer_link_no_longer_works(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.ARCHIVED)
    assert client.get(link).status_code == 404


def test_odd_posts_to_a_review_link_never_break_it(coordinator_client, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    for data in ({}, {"change": "1", "message": "\x00" * 10}, {"change": "1", "message": ["a", "b"]}, {"x": "y" * 10000}):
        assert client.post(link, data).status_code < 500
    assert client.get(link + "zusatz/").status_code == 404


def test_coordinator_sees_the_providers_note_and_marks_it_done(coordinator_client, coordinator, client, offer):
    link = send_and_get_link(coordinator_client, offer)
    client.post(link, {"change": "1", "message": "Neue Sprechzeiten: Di 10–12 Uhr"})
    change_request = ChangeRequest.objects.get()
    url = reverse("admin:directory_changerequest_change", args=[change_request.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Neue Sprechzeiten: Di 10–12 Uhr" in page and "nowak@traeger.example" in page
    coordinator_client.post(url, {"status": "done"})
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.DONE and change_request.resolved_by == coordinator


def test_provider_sees_the_opening_hours_of_the_entry(coordinator_client, client, offer):
    from datetime import date, time

    from directory.models import Closure, OpeningSlot

    from .conftest import make_location

    place = make_location(name="Stadtbibliothek")
    offer.locations.add(place)
    OpeningSlot.objects.create(offer=offer, weekday=1, opens=time(10), closes=time(12))
    OpeningSlot.objects.create(offer=offer, weekday=3, opens=time(15), closes=time(17), location=place)
    Closure.objects.create(offer=offer, starts=date(2099, 7, 1), ends=date(2099, 7, 31), reason="Sommerferien")
    offer.hours_note = "In den Ferien nur nach Absprache."
    offer.save()
    link = send_and_get_link(coordinator_client, offer)
    coordinator_client.logout()
    page = client.get(link).content.decode()
    hours = page[page.index("<dt>Öffnungszeiten</dt>"):]
    assert re.search(r"Di[^<]*10:00[^<]*12:00", hours)
    assert "Stadtbibliothek" in hours and re.search(r"Do[^<]*15:00[^<]*17:00", hours)
    assert "Sommerferien" in hours and "In den Ferien nur nach Absprache." in hours
