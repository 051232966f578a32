"""The offer cards of a listing: languages and towns in the filters' order, archived ones included."""

import pytest

from .conftest import make_language, make_location, make_offer, make_town

pytestmark = pytest.mark.django_db


def card(client, url, title):
    offers = client.get(url).context["offers"]
    return next(offer for offer in offers if offer.title == title)


def test_a_card_names_languages_and_towns_in_the_order_of_the_filters(client, district):
    make_offer(title="Sprachcafé", languages=[district.ukrainian, district.arabic],
               locations=[make_location(town=district.seesen), make_location(town=district.goslar),
                          make_location(town=district.seesen)])
    offer = card(client, "/angebote/", "Sprachcafé")
    assert [language.code for language in offer.card_languages] == ["ar", "uk"]
    assert [town.name for town in offer.towns] == ["Goslar", "Seesen"]


def test_a_card_still_names_an_archived_town_and_language(client, district):
    old_town = make_town("Altdorf", archived=True, position=9)
    old_language = make_language("so", "Somali", "Soomaali", archived=True, position=9)
    make_offer(title="Treffpunkt", languages=[district.arabic, old_language],
               locations=[make_location(town=old_town)])
    html = client.get("/angebote/").content.decode()
    assert "Altdorf" in html and "Soomaali" in html
