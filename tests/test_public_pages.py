"""The public pages as a parent sees them: start, listings, offer, 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from directory.models import Offer

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_help(district):
    """An Arabic-speaking school counselling in Seesen, and a few neighbours."""
    seesen_office = make_location(town=district.seesen, name="Familienzentrum Seesen", street="Jacobsonstraße 5",
                                  latitude="51.890100", longitude="10.178900", wheelchair_access="yes",
                                  opening_hours="Mo–Do 9–12 Uhr")
    return make_offer(
        title="Schulberatung auf Arabisch", slug="schulberatung-arabisch",
        summary="Wir helfen bei Fragen zur Schule Ihres Kindes.",
        how_to_get_help="Rufen Sie an.\n\nWir machen einen Termin.\nSie kommen zu uns.",
        categories=[district.kita], languages=[district.arabic, district.turkish], locations=[seesen_office],
        target_groups=[district.school_age],
        contacts=[{"name": "Frau Haddad", "phone": "05381 12345", "email": "haddad@example.org", "hours": "Mo–Fr 9–12 Uhr"}],
        last_reviewed=timezone.localdate() - timedelta(days=30),
    )


def test_start_page_shows_categories_with_counts_and_search(client, school_help, district):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/kategorie/kita-schule/"' in html
    assert "1 Angebot<" in html
    assert 'name="q"' in html
    assert "tel:+4930" in html  # the coordinator, reachable with one tap
