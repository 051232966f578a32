"""Parents see when an offer was last checked, and are asked to call ahead when that is long ago."""

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import make_offer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CALL_AHEAD = "Bitte rufen Sie vorher an"


def test_recently_reviewed_offer_shows_month_and_year_without_notice(client):
    offer = make_offer(last_reviewed=TODAY.replace(day=1))
    page = client.get(offer.get_absolute_url()).content.decode()
    months = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ]
    assert f"zuletzt geprüft: {months[TODAY.month - 1]} {TODAY.year}" in page
    assert CALL_AHEAD not in page


def test_offer_not_reviewed_for_18_months_asks_parents_to_call_ahead(client):
    offer = make_offer(last_reviewed=TODAY - timedelta(days=560))
    assert CALL_AHEAD in client.get(offer.get_absolute_url()).content.decode()


def test_offer_page_links_to_the_report_form(client):
    offer = make_offer()
    page = client.get(offer.get_absolute_url()).content.decode()
    assert f'href="/angebot/{offer.slug}/melden/"' in page
    assert "Angabe falsch oder veraltet?" in page
