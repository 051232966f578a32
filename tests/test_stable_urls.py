"""Printed and linked addresses keep working: titles never move a page, slug changes redirect."""

import pytest

from directory.models import SlugRedirect
from tests.conftest import make_category, make_offer

pytestmark = pytest.mark.django_db


def test_changing_a_title_keeps_the_address(client):
    offer = make_offer(title="Elterncafé", slug="elterncafe")
    offer.title = "Elterncafé am Markt"
    offer.save()
    offer.refresh_from_db()
    assert offer.slug == "elterncafe"
    assert client.get("/angebot/elterncafe/").status_code == 200


def test_old_offer_address_redirects_permanently(client):
    offer = make_offer(slug="elterncafe")
    offer.slug = "elterncafe-goslar"
    offer.save()
    response = client.get("/angebot/elterncafe/")
    assert response.status_code == 301
    assert response["Location"] == "/angebot/elterncafe-goslar/"


def test_old_category_address_redirects_with_language_and_filters(client):
    category = make_category(slug="schule")
    category.slug = "kita-schule"
    category.save()
    response = client.get("/ar/kategorie/schule/?sprache=ar&ort=seesen")
    assert response.status_code == 301
    assert response["Location"] == "/ar/kategorie/kita-schule/?sprache=ar&ort=seesen"


def test_sub_pages_of_an_old_address_redirect_too(client):
    category = make_category(slug="schule")
    category.slug = "kita-schule"
    category.save()
    response = client.get("/kategorie/schule/qr.png")
    assert response.status_code == 301
    assert response["Location"] == "/kategorie/kita-schule/qr.png"
    assert client.get(response["Location"]).status_code == 200


def test_several_renames_lead_to_the_current_address(client):
    offer = make_offer(slug="a")
    for slug in ("b", "c"):
        offer.slug = slug
        offer.save()
    assert client.get("/angebot/a/")["Location"] == "/angebot/c/"
    assert client.get("/angebot/b/")["Location"] == "/angebot/c/"


def test_renaming_back_removes_the_loop(client):
    offer = make_offer(slug="a")
    offer.slug = "b"
    offer.save()
    offer.slug = "a"
    offer.save()
    assert client.get("/angebot/a/").status_code == 200
    assert client.get("/angebot/b/")["Location"] == "/angebot/a/"
    assert not SlugRedirect.objects.filter(old_slug="a").exists()


def test_a_live_slug_wins_over_a_former_one(client):
    first = make_offer(slug="a")
    first.slug = "a-alt"
    first.save()
    make_offer(slug="a", title="Neues Angebot")
    response = client.get("/angebot/a/")
    assert response.status_code == 200
    assert "Neues Angebot" in response.content.decode()


def test_unknown_slug_is_still_not_found(client):
    assert client.get("/angebot/gibt-es-nicht/").status_code == 404
