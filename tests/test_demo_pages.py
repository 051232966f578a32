"""The public pages on the demo data: what a new network sees after `make run`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Category, Offer

from .test_performance import PAGE_WEIGHT_BUDGET, page_and_static_bytes

pytestmark = pytest.mark.django_db


def test_every_category_page_lists_its_visible_offers(client, demo_data):
    """Loading the demo data takes a while, so each test checks a whole page type."""
    start = client.get("/").content.decode()
    for category in Category.objects.all():
        expected = Offer.objects.visible().filter(categories=category).count()
        response = client.get(category.get_absolute_url())
        assert response.status_code == 200
        assert response.context["paginator"].count == expected > 0, category
        assert len(response.context["offers"]) == min(expected, 20)
        assert f'href="{category.get_absolute_url()}"' in start
        assert page_and_static_bytes(response.content.decode())[0] < PAGE_WEIGHT_BUDGET, category


def test_every_demo_offer_page_is_public_only_when_visible_and_within_budget(client, demo_data):
    for offer in Offer.objects.visible():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(offer.get_absolute_url())
        assert response.status_code == 200, offer.slug
        assert len(queries) <= 8, offer.slug
        for contact in offer.contacts.exclude(phone=""):
            assert f'href="{contact.tel_uri}"' in response.content.decode(), offer.slug
    hidden = Offer.objects.exclude(pk__in=Offer.objects.visible())
    assert hidden.exists()
    for offer in hidden:
        assert client.get(offer.get_absolute_url()).status_code == 404, offer.slug


def test_arabic_school_help_in_seesen(client, demo_data):
    response = client.get("/kategorie/kita-schule/?sprache=ar&ort=seesen")
    slugs = [offer.slug for offer in response.context["offers"]]
    assert "schulsozialarbeit-seesen" in slugs
    assert "kita-platz-beratung-goslar" in slugs  # by phone, so it serves Seesen too
    assert "rucksack-kita-goslar" not in slugs
