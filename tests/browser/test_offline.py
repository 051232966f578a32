"""Offline reading: pages a parent opened stay readable without a connection."""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ..conftest import make_category, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer():
    category = make_category(name="Kita und Schule", slug="kita-schule")
    return make_offer(title="Hausaufgabenhilfe im Familienzentrum", slug="hausaufgabenhilfe", categories=[category])


def controlled(page):
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_visited_pages_stay_readable_offline_with_a_notice(page, live_server, offer):
    category_url = live_server.url + "/kategorie/kita-schule/"
    offer_url = live_server.url + offer.get_absolute_url()
    page.goto(live_server.url + "/")
    controlled(page)
    for url in (live_server.url + "/", category_url, offer_url):
        page.goto(url)
    notice = page.locator("#offline-notice")
    expect(notice).to_be_hidden()

    page.context.set_offline(True)
    page.goto(category_url)
    expect(page.get_by_role("link", name="Hausaufgabenhilfe im Familienzentrum")).to_be_visible()
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("offline")
    page.reload()
    expect(page.locator("#offline-notice")).to_be_visible()
    page.goto(offer_url)
    expect(page.get_by_role("heading", name="Hausaufgabenhilfe im Familienzentrum")).to_be_visible()

    page.goto(live_server.url + "/angebot/nie-geoeffnet/")
    expect(page.get_by_role("heading", name="Sie sind offline")).to_be_visible()

    page.context.set_offline(False)
    page.goto(category_url)
    expect(page.locator("#offline-notice")).to_be_hidden()


def test_online_visit_shows_the_current_entry_not_the_kept_copy(page, live_server, offer):
    url = live_server.url + offer.get_absolute_url()
    page.goto(url)
    controlled(page)
    page.goto(url)
    offer.title = "Hausaufgabenhilfe am Samstag"
    offer.save()
    page.goto(url)
    expect(page.get_by_role("heading", name="Hausaufgabenhilfe am Samstag")).to_be_visible()


def test_admin_is_never_kept_for_offline_use(page, live_server, offer):
    page.goto(live_server.url + "/")
    controlled(page)
    page.goto(live_server.url + "/admin/login/")
    page.context.set_offline(True)
    with pytest.raises(PlaywrightError):
        page.goto(live_server.url + "/admin/login/")
    page.context.set_offline(False)
    page.goto(live_server.url + "/")
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => r.url))"
    )
    assert kept and not any("/admin/" in url for url in kept)
