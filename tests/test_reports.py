"""The public tells the coordinator when an entry is wrong: simple, private, protected against bots."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import Offer, Report

from .conftest import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


@pytest.fixture
def offer():
    return make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe")


def report_url(offer):
    return reverse("directory:offer-report", kwargs={"slug": offer.slug})


def test_form_asks_what_is_wrong_and_sets_only_the_csrf_cookie(client, offer):
    response = client.get(report_url(offer))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Angabe falsch oder veraltet?" in page and "Hausaufgabenhilfe" in page
    assert set(response.cookies) <= {"csrftoken"}


def test_report_is_stored_with_only_what_is_needed(client, offer):
    response = client.post(
        report_url(offer), {"message": "Die Telefonnummer stimmt nicht.", "contact": ""}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    assert "Danke" in client.get(response["Location"]).content.decode()
    report = Report.objects.get()
    assert report.offer == offer and report.status == Report.Status.NEW
    stored = " ".join(str(value) for value in Report.objects.values().get().values())
    assert "203.0.113.9" not in stored
    assert set(client.cookies) <= {"csrftoken"}


def test_missing_message_gets_a_clear_german_error(client, offer):
    response = client.post(report_url(offer), {"message": "   ", "contact": "x" * 500})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte schreiben Sie kurz, was nicht stimmt." in page
    assert "höchstens 200 Zeichen" in page
    assert not Report.objects.exists()


def test_honeypot_filled_in_is_thanked_but_not_stored(client, offer):
    response = client.post(report_url(offer), {"message": "Billige Uhren", "homepage": "http://spam.example"})
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_rate_limit_per_client_without_storing_the_address(client, offer, settings):
    settings.REPORT_RATE_LIMIT = 2
    for _ in range(3):  # forms sent back for a missing message do not count
        assert client.post(report_url(offer), {"message": ""}, REMOTE_ADDR="198.51.100.7").status_code == 400
    for _ in range(2):
        assert client.post(report_url(offer), {"message": "Falsch"}, REMOTE_ADDR="198.51.100.7").status_code == 302
    blocked = client.post(report_url(offer), {"message": "Falsch"}, REMOTE_ADDR="198.51.100.7")
    assert blocked.status_code == 429
    assert "später noch einmal" in blocked.content.decode()
    assert client.post(report_url(offer), {"message": "Falsch"}, REMOTE_ADDR="198.51.100.8").status_code == 302
    assert Report.objects.count() == 3
    from directory.models import RateLimit

    assert RateLimit.objects.exists()
    assert not any("198.51.100.7" in str(value) for row in RateLimit.objects.values_list() for value in row)


@pytest.mark.parametrize("slug", ["gibt-es-nicht", "entwurf"])
def test_unknown_or_unpublished_offer_is_a_not_found_page(client, slug):
    make_offer(slug="entwurf", status=Offer.Status.DRAFT)
    assert client.get(f"/angebot/{slug}/melden/").status_code == 404
    assert client.post(f"/angebot/{slug}/melden/", {"message": "x"}).status_code == 404


def test_odd_form_data_never_breaks_the_page(client, offer):
    for data in ({"message": "\x00\x01 null"}, {"message": ["a", "b"]}, {"unrelated": "1"}, {"message": "ü" * 5000}):
        assert client.post(report_url(offer), data).status_code < 500


def test_coordinator_works_through_reports_by_status(coordinator_client, offer):
    report = Report.objects.create(offer=offer, message="Neue Adresse", contact="mail@example.org")
    page = coordinator_client.get(reverse("admin:directory_report_change", args=[report.pk])).content.decode()
    assert "Neue Adresse" in page and "in Bearbeitung" in page
    coordinator_client.post(
        reverse("admin:directory_report_changelist"), {"action": "mark_done", "_selected_action": [report.pk]}
    )
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_old_reports_are_purged_after_the_retention_period(offer, settings):
    settings.REPORT_RETENTION_DAYS = 30
    old = Report.objects.create(offer=offer, message="alt")
    Report.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=31))
    recent = Report.objects.create(offer=offer, message="neu")
    out = StringIO()
    call_command("purge_reports", stdout=out)
    assert list(Report.objects.all()) == [recent]
    assert out.getvalue().startswith("1 Meldung")


def test_digest_also_purges_old_reports(offer, settings):
    settings.REPORT_RETENTION_DAYS = 30
    old = Report.objects.create(offer=offer, message="alt")
    Report.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=40))
    call_command("review_digest", stdout=StringIO())
    assert not Report.objects.exists()


def test_offer_page_links_to_the_report_form(client, offer):
    page = client.get(offer.get_absolute_url()).content.decode()
    assert f'href="/angebot/{offer.slug}/melden/"' in page
    assert "Angabe falsch oder veraltet?" in page


def test_report_form_is_never_kept_by_a_cache(client, offer):
    client.get(report_url(offer))  # now the visitor has a CSRF cookie, so no Set-Cookie below
    response = client.get(report_url(offer))
    assert "no-store" in response["Cache-Control"]
    assert client.post(report_url(offer), {"message": "Adresse falsch"}).status_code == 302


def test_a_report_does_not_empty_the_page_cache(client, offer):
    from directory.cache import current_version

    before = current_version()
    client.post(report_url(offer), {"message": "Adresse falsch"})
    assert current_version() == before


def test_report_page_shows_the_opening_hours_in_the_readers_language(client, offer):
    from datetime import time

    from directory.models import OpeningSlot

    OpeningSlot.objects.create(offer=offer, weekday=1, opens=time(14), closes=time(16))
    html = client.get(report_url(offer)).content.decode()
    assert "Öffnungszeiten laut Eintrag" in html and "14:00" in html and "Di" in html
    arabic = client.get("/ar" + report_url(offer)).content.decode()
    assert "مواعيد العمل كما هي مسجّلة" in arabic and "الثلاثاء" in arabic


def test_report_page_says_when_no_hours_are_entered(client, offer):
    html = client.get(report_url(offer)).content.decode()
    assert "Keine Öffnungszeiten eingetragen." in html
