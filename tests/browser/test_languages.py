"""Other languages in a real browser: the switcher without JavaScript, right-to-left
pages that mirror, and axe on the Arabic pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import PHONE, screenshot
from .test_mother_journey import WCAG_21_AA

ARABIC_PAGES = {
    "start": "/",
    "category": "/kategorie/kita-schule/?sprache=ar&ort=seesen",
    "offer": "/angebot/schulsozialarbeit-seesen/",
    "offer-german-only": "/angebot/briefe-verstehen-bad-harzburg/",
    "listing-page-2": "/angebote/?page=2",
    "404": "/angebot/gibt-es-nicht/",
}


def test_arabic_pages_mirror_keep_numbers_readable_and_pass_axe(site, demo_data):
    page, axe, problems = site, Axe(), {}
    for name, path in ARABIC_PAGES.items():
        for prefix, direction in (("/ar", "rtl"), ("", "ltr")):
            page.goto(page.site_url + prefix + path)
            assert page.evaluate("getComputedStyle(document.body).direction") == direction, path
            screenshot(page, f"{direction}-{name}")
            if direction == "rtl":
                results = axe.run(page, options=WCAG_21_AA)
                if results.violations_count:
                    problems[name] = results.generate_report()
                page.set_viewport_size({"width": 320, "height": 700})
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                page.set_viewport_size(PHONE)
                assert overflow <= 0, f"{name} scrolls sideways at 320 px"
    assert not problems, "\n".join(f"{name}:\n{report}" for name, report in problems.items())


def test_layout_mirrors_but_phone_numbers_read_left_to_right(site, demo_data):
    page = site
    page.goto(page.site_url + "/ar/angebot/schulsozialarbeit-seesen/")
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > PHONE["width"] / 2  # the site name starts on the right
    call = page.locator('.contacts a[href^="tel:"]').first
    number = call.locator('bdi.tel[dir="ltr"]')
    assert number.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert re.fullmatch(r"[0-9 +/()-]+", number.inner_text())
    icon = call.locator("svg").bounding_box()
    text = number.bounding_box()
    assert icon["x"] > text["x"]  # the phone icon sits at the start, which is the right
    page.goto(page.site_url + "/ar/angebote/")
    arrow = page.locator('.pages a[rel="next"] svg.flip')
    assert arrow.evaluate("el => getComputedStyle(el).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    page.goto(page.site_url + "/angebote/")
    assert page.locator('.pages a[rel="next"] svg.flip').evaluate("el => getComputedStyle(el).transform") == "none"


def test_persian_reader_switches_language_without_javascript(browser, live_server, demo_data):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fa-IR")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/kategorie/kita-schule/?sprache=fa")
        page.locator(".switch summary").click()
        screenshot(page, "switcher-open")
        page.get_by_role("link", name="فارسی", exact=True).click()
        assert page.url.endswith("/fa/kategorie/kita-schule/?sprache=fa")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_label("به چه زبانی؟")).to_have_value("fa")
        screenshot(page, "rtl-fa-category")
        assert context.cookies() == []
    finally:
        context.close()


@pytest.mark.parametrize("accept", ["uk-UA,uk;q=0.9"])
def test_start_page_offers_the_browsers_language_and_does_not_redirect(browser, live_server, db, accept):
    context = browser.new_context(viewport=PHONE, extra_http_headers={"Accept-Language": accept})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert page.url == live_server.url + "/"
        page.get_by_role("link", name="Переглянути цю сторінку українською").click()
        assert page.url == live_server.url + "/uk/"
        expect(page.get_by_role("heading", level=1)).to_contain_text("Допомога для батьків")
    finally:
        context.close()


FAKE_SPEECH = """
window.__spoken = [];
// Real utterances accept only real voices, so both sides are stand-ins here.
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
const voices = %s;
Object.defineProperty(window, "speechSynthesis", {value: {
  speaking: false, pending: false,
  getVoices: () => voices,
  speak(u) { window.__spoken.push([u.lang, u.text]); },
  cancel() { window.__spoken.push(["cancel", ""]); },
  addEventListener() {},
}});
"""


def fake_speech(context, voices):
    import json

    context.add_init_script(FAKE_SPEECH % json.dumps(voices))


def test_read_aloud_speaks_each_block_in_its_language_on_the_device(browser, live_server, demo_data):
    context = browser.new_context(viewport=PHONE)
    fake_speech(context, [{"lang": "ar-SA", "localService": True, "name": "Arabic"},
                          {"lang": "de-DE", "localService": True, "name": "Deutsch"}])
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(live_server.url + "/ar/angebot/briefe-verstehen-bad-harzburg/")
        button = page.get_by_role("button", name="استمعوا إلى النص")
        expect(button).to_be_visible()
        button.click()
        spoken = page.evaluate("window.__spoken")
        assert ("de-DE", "Briefe verstehen: Hilfe beim Übersetzen von Post") in [tuple(item) for item in spoken]
        assert ("ar-SA", "هذا النص متوفر باللغة الألمانية فقط.") in [tuple(item) for item in spoken]
        expect(page.get_by_role("button", name="إيقاف القراءة")).to_be_visible()
        assert all(url.startswith(live_server.url) for url in requests)
    finally:
        context.close()


@pytest.mark.parametrize("voices", [[], [{"lang": "ar-SA", "localService": False, "name": "Cloud"}]], ids=["none", "remote"])
def test_no_read_aloud_button_without_a_voice_on_the_device(browser, live_server, demo_data, voices):
    context = browser.new_context(viewport=PHONE)
    fake_speech(context, voices)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ar/angebot/briefe-verstehen-bad-harzburg/")
        page.wait_for_load_state("load")
        expect(page.locator("button.read-aloud")).to_have_count(0)
    finally:
        context.close()
