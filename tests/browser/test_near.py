"""A parent says where she is: the list orders by distance; her position stays on the phone."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import make_location, make_offer, make_town

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spread():
    goslar, seesen = make_town("Goslar", aliases="Oker, Hahnenklee"), make_town("Seesen")
    places = {
        "Seesen": make_location(town=seesen, latitude=51.891, longitude=10.179),
        "Oker": make_location(town=goslar, latitude=51.905, longitude=10.490),
        "Hahnenklee": make_location(town=goslar, latitude=51.860, longitude=10.345),
    }
    for name in ("Seesen", "Oker", "Hahnenklee"):
        make_offer(title=f"Elterncafé {name}", slug=f"cafe-{name.lower()}", locations=[places[name]])
    make_offer(title="Elterntelefon", slug="telefon", format_phone=True)


def card_titles(page):
    return page.locator(".card h3").all_inner_texts()


def test_near_orders_the_list_by_distance(page, live_server, spread):
    page.goto(f"{live_server.url}/angebote/")
    assert card_titles(page) == ["Elterncafé Hahnenklee", "Elterncafé Oker", "Elterncafé Seesen", "Elterntelefon"]
    page.get_by_label("In der Nähe von (Ort oder Ortsteil)").fill("Oker")
    page.get_by_role("button", name="Angebote zeigen").click()
    assert card_titles(page) == ["Elterntelefon", "Elterncafé Oker", "Elterncafé Hahnenklee", "Elterncafé Seesen"]
    cards = page.locator(".card")
    expect(cards.nth(0)).to_contain_text("von überall erreichbar")
    expect(cards.nth(1)).to_contain_text("unter 1 km")
    expect(cards.nth(2)).to_contain_text("11 km")
    expect(page.get_by_role("link", name="© OpenStreetMap-Mitwirkende")).to_be_visible()
    screenshot(page, "near-oker")


def test_my_location_picks_the_nearest_place_without_sending_the_position(page, live_server, spread):
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    # A farm track between Hahnenklee and Bockswiese.
    page.context.set_geolocation({"latitude": 51.8612, "longitude": 10.3311})
    page.goto(f"{live_server.url}/ar/angebote/")
    page.get_by_role("button", name="استخدام موقعي").click()
    page.wait_for_url("**nahe=**")
    assert parse_qs(urlsplit(page.url).query)["nahe"] == ["Hahnenklee"]
    assert card_titles(page)[1] == "Elterncafé Hahnenklee"
    assert not any("51.86" in url or "10.33" in url for url in sent)


def test_my_location_outside_the_district_is_told_and_not_sorted_silently(page, live_server, spread):
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 52.3759, "longitude": 9.7320})  # Hannover, 70 km away
    page.goto(f"{live_server.url}/ar/angebote/")
    address = page.url
    page.get_by_role("button", name="استخدام موقعي").click()
    status = page.locator(".near .locate [role=status]")
    expect(status).to_contain_text("موقعكم ليس في Landkreis Goslar")
    expect(status).to_contain_text("Rhüden")  # the nearest place of the district, with its distance
    expect(status).to_contain_text("56")
    assert page.url == address  # the list was not re-sorted behind her back
    # The place is filled in: one tap on "عرض الخدمات" sorts from there if she wants it.
    assert page.locator("#f-nahe").input_value() == "Rhüden"
    screenshot(page, "near-outside-ar")
