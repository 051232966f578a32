"""Offline reading: pages a parent opened stay readable without a connection."""

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ..conftest import make_category, make_language, make_offer
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer():
    category = make_category(name="Kita und Schule", slug="kita-schule")
    return make_offer(title="Hausaufgabenhilfe im Familienzentrum", slug="hausaufgabenhilfe", categories=[category])


def controlled(page):
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready")
    wait_until(page, "navigator.serviceWorker.controller !== null")


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


# --- "Alle Angebote speichern" ----------------------------------------------------------


@pytest.fixture
def district_offers():
    category = make_category(name="Kita und Schule", slug="kita-schule", name_ar="الروضة والمدرسة")
    visited = make_offer(title="Hausaufgabenhilfe im Familienzentrum", title_ar="مساعدة في الواجبات المدرسية",
                         slug="hausaufgabenhilfe", categories=[category])
    never = make_offer(title="Elterncafé am Markt", title_ar="مقهى الأهل في السوق", slug="elterncafe",
                       summary="Eltern treffen sich.", summary_ar="يلتقي الأهل كل أسبوع.", categories=[category],
                       contacts=[{"name": "Telefon", "phone": "05381 4400"}])
    return visited, never


def wait_until(page, script, seconds=15):
    """Poll a promise-returning expression (wait_for_function's eval is blocked by our CSP)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still false: {script}"
        page.wait_for_timeout(100)


def save_everything(page):
    box = page.locator("#offline")
    expect(box).to_be_visible()
    box.locator(".offline-check").click()
    save = box.locator(".offline-save")
    expect(save).to_be_visible()
    expect(save).to_contain_text("KB")
    save.click()
    # Done when the copy is there: the save button goes and the state counts the offers.
    expect(save).to_be_hidden()
    expect(box.locator(".offline-state")).to_contain_text("2")
    assert page.evaluate("caches.open('wegweiser-saved-v1').then(c => c.keys()).then(k => k.length)") == 2
    return box


def test_saved_district_opens_an_offer_never_visited_offline(page, live_server, district_offers):
    page.goto(live_server.url + "/ar/")
    controlled(page)
    box = page.locator("#offline")
    expect(box.locator(".offline-state")).to_have_text("لم يُحفظ شيء بعد.")
    save_everything(page)
    screenshot(page, "offline-saved-ar")

    page.context.set_offline(True)
    page.goto(live_server.url + "/ar/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="مقهى الأهل في السوق")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("05381 4400")).to_be_visible()
    # Styled: the saved stylesheet is in use (the header has the brand colour).
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(11, 79, 138)"
    screenshot(page, "offline-offer-ar")
    page.goto(live_server.url + "/ar/kategorie/kita-schule/")
    expect(page.get_by_role("link", name="مقهى الأهل في السوق")).to_be_visible()
    # An address that is neither visited nor saved: the styled page in the reader's language.
    page.goto(live_server.url + "/ar/angebot/gibt-es-nicht/")
    expect(page.get_by_role("heading", name="هذه الصفحة غير محفوظة")).to_be_visible()


def test_unvisited_page_offline_without_a_saved_copy_is_styled_and_in_the_readers_language(page, live_server,
                                                                                           district_offers):
    page.goto(live_server.url + "/uk/")
    controlled(page)
    page.reload()  # the worker now controls the page and keeps the Ukrainian "not saved" page
    wait_until(page, "caches.open('wegweiser-fallback-v2').then(c => c.match(location.origin + '/uk/offline/')).then(Boolean)")
    page.context.set_offline(True)
    page.goto(live_server.url + "/uk/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="Ви не в мережі")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(11, 79, 138)"


def test_interrupted_save_keeps_the_previous_copy(page, live_server, district_offers):
    page.goto(live_server.url + "/")
    controlled(page)
    save_everything(page)
    # The next download breaks off halfway: the phone keeps the copy it had.
    page.context.route("**/offline/paket.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body='{"format": 1, "language": "de", "offers": [{"s": "hal'))
    page.locator(".offline-check").click()
    page.locator(".offline-save").click()
    expect(page.locator(".offline-state")).to_contain_text("Eine frühere Kopie bleibt erhalten")
    expect(page.locator(".offline-state")).to_contain_text("2 Angebote")
    page.context.unroute("**/offline/paket.json")
    page.context.set_offline(True)
    page.goto(live_server.url + "/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="Elterncafé am Markt")).to_be_visible()


def test_one_tap_deletes_every_saved_page(page, live_server, district_offers):
    visited, _never = district_offers
    page.goto(live_server.url + "/")
    controlled(page)
    page.goto(live_server.url + visited.get_absolute_url())
    page.goto(live_server.url + "/")
    save_everything(page)
    page.locator(".offline-delete").click()
    expect(page.locator(".offline-state")).to_have_text("Alle gespeicherten Seiten sind gelöscht.")
    kept = page.evaluate("caches.keys().then(names => names.filter(n => n.startsWith('wegweiser-')))")
    assert kept == []
    page.context.set_offline(True)
    page.goto(live_server.url + visited.get_absolute_url())
    expect(page.get_by_role("heading", name="Sie sind offline")).to_be_visible()
    expect(page.get_by_text("Hausaufgabenhilfe im Familienzentrum")).to_have_count(0)


def test_saved_copy_updates_itself_when_the_phone_is_online_again(page, live_server, district_offers):
    _visited, never = district_offers
    page.goto(live_server.url + "/")
    controlled(page)
    save_everything(page)
    never.title = "Elterncafé am Markt – jetzt auch samstags"
    never.save()
    # The phone comes back online: the start page asks for the copy again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "caches.open('wegweiser-saved-v1').then(c => c.match(location.origin + '/offline/paket.json'))"
                     ".then(r => r.text()).then(t => t.includes('jetzt auch samstags'))")
    page.context.set_offline(True)
    page.goto(live_server.url + "/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="Elterncafé am Markt – jetzt auch samstags")).to_be_visible()


def test_first_save_while_offline_does_not_promise_an_earlier_copy(page, live_server, district_offers):
    page.goto(live_server.url + "/")
    controlled(page)
    page.context.set_offline(True)
    page.locator(".offline-check").click()
    state = page.locator(".offline-state")
    expect(state).to_contain_text("es gibt noch keine gespeicherte Kopie")
    expect(state).not_to_contain_text("frühere Kopie")


def test_unvisited_page_after_a_single_visit_is_styled_in_the_readers_language(page, live_server, district_offers):
    """One page seen, before the worker took over its stylesheet: the kept "not saved" page brings its own."""
    page.goto(live_server.url + "/ar/")
    controlled(page)
    wait_until(page, "caches.open('wegweiser-fallback-v2').then(c => c.match(location.origin + '/ar/offline/')).then(Boolean)")
    wait_until(page, "caches.open('wegweiser-assets-v1').then(c => c.keys()).then(k => k.some(r => r.url.includes('.css')))")
    page.context.set_offline(True)
    page.goto(live_server.url + "/ar/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="أنت غير متصل بالإنترنت")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(11, 79, 138)"
    screenshot(page, "offline-not-saved-ar")


def test_with_nothing_kept_the_offline_page_still_speaks_the_readers_language(page, live_server, district_offers):
    page.goto(live_server.url + "/fa/")
    controlled(page)
    page.evaluate("caches.keys().then(names => Promise.all(names.map(name => caches.delete(name))))")
    page.context.set_offline(True)
    page.goto(live_server.url + "/fa/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="شما آفلاین هستید")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text("Sie sind offline")).to_have_count(0)
    screenshot(page, "offline-last-resort-fa")


def test_saved_arabic_page_joins_lists_with_the_arabic_comma_like_online(page, live_server, district_offers):
    _visited, never = district_offers
    never.languages.set([make_language("de", "Deutsch", "Deutsch", position=0),
                         make_language("ar", "Arabisch", "العربية", position=1)])
    # Never visited online: the page offline is built from the saved bundle.
    page.goto(live_server.url + "/ar/")
    controlled(page)
    save_everything(page)
    page.context.set_offline(True)
    page.goto(live_server.url + "/ar/angebot/elterncafe/")
    expect(page.get_by_role("heading", name="مقهى الأهل في السوق")).to_be_visible()
    saved = page.locator("dl.facts dd").first.inner_text()
    assert saved == "Deutsch، العربية" and "," not in saved
    screenshot(page, "offline-languages-ar")
