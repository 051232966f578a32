"""What a parent does on a phone, in a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ..conftest import make_location, make_offer
from .conftest import screenshot

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def offers(district):
    seesen = make_location(town=district.seesen, name="Familienzentrum Seesen", street="Jacobsonstraße 5",
                           latitude="51.890100", longitude="10.178900", wheelchair_access="yes",
                           opening_hours="Mo–Do 9–12 Uhr")
    goslar = make_location(town=district.goslar, name="Stadtteiltreff Jürgenohl")
    school = make_offer(
        title="Schulberatung auf Arabisch", slug="schulberatung-arabisch",
        summary="Wir helfen bei Fragen zur Schule Ihres Kindes – auf Arabisch und Deutsch.",
        how_to_get_help="Rufen Sie an.\nWir vereinbaren einen Termin.\nSie kommen zu uns oder wir telefonieren.",
        description="Die Beratung ist vertraulich. Eine Dolmetscherin kann dazukommen.",
        categories=[district.kita], languages=[district.arabic, district.turkish], locations=[seesen],
        target_groups=[district.school_age, district.parents], last_reviewed="2026-09-01",
        contacts=[{"name": "Frau Haddad", "phone": "05381 12345", "email": "haddad@example.org", "hours": "Mo–Fr 9–12 Uhr"}],
    )
    make_offer(title="Hausaufgabenhilfe Goslar", slug="hausaufgaben-goslar", categories=[district.kita],
               languages=[district.turkish], locations=[goslar], is_free=False, cost_note="2 € im Monat")
    make_offer(title="Elterntelefon auf Arabisch", slug="elterntelefon", categories=[district.kita],
               languages=[district.arabic, district.ukrainian], locations=[goslar], format_in_person=False,
               format_phone=True, appointment_needed=False, anonymous_possible=True,
               contacts=[{"name": "Elterntelefon", "phone": "05321 76543"}])
    make_offer(title="Bewerbungstraining", categories=[district.career], languages=[district.ukrainian])
    return school


def test_mother_finds_arabic_school_help_in_seesen_and_can_call(site, offers):
    page = site
    page.goto(page.site_url + "/")
    screenshot(page, "01-start")
    page.get_by_role("link", name=re.compile("Kita & Schule")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita & Schule")
    screenshot(page, "02-category")

    page.get_by_label("In welcher Sprache?").select_option("ar")
    page.get_by_role("button", name="Angebote zeigen").click()
    expect(page.get_by_role("heading", name="2 Angebote")).to_be_visible()
    # Results first: the count and the first offer are on the first screen, the form waits.
    assert page.get_by_role("heading", name="2 Angebote").bounding_box()["y"] < 844
    assert page.locator(".card").first.bounding_box()["y"] < 844
    screenshot(page, "03-category-arabic")

    page.get_by_text("Filter ändern").click()
    page.get_by_label("Wo?").select_option("seesen")
    page.get_by_role("button", name="Angebote zeigen").click()
    assert "sprache=ar" in page.url and "ort=seesen" in page.url
    expect(page.get_by_text("per Telefon/Video – für den ganzen Landkreis")).to_be_visible()
    screenshot(page, "04-category-arabic-seesen")

    page.get_by_role("link", name="Schulberatung auf Arabisch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schulberatung auf Arabisch")
    call = page.locator('a.primary[href="tel:+49538112345"]')
    expect(call).to_be_visible()
    assert call.bounding_box()["y"] + call.bounding_box()["height"] <= 844  # on the first screen
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb can hit it
    screenshot(page, "05-offer")


def test_removing_an_active_filter_is_one_tap(site, offers):
    page = site
    page.goto(page.site_url + "/kategorie/kita-schule/?sprache=ar&ort=goslar")
    expect(page.get_by_role("heading", name="1 Angebot")).to_be_visible()
    page.get_by_role("link", name=re.compile("Filter entfernen: Goslar")).click()
    expect(page.get_by_role("heading", name="2 Angebote")).to_be_visible()
    assert "ort=" not in page.url


def test_mother_journey_on_the_demo_data(site, demo_data):
    page = site
    page.goto(page.site_url + "/")
    page.get_by_role("link", name=re.compile("Kita & Schule")).click()
    page.get_by_label("In welcher Sprache?").select_option("ar")
    page.get_by_role("button", name="Angebote zeigen").click()
    page.get_by_text("Filter ändern").click()
    page.get_by_label("Wo?").select_option("seesen")
    page.get_by_role("button", name="Angebote zeigen").click()
    assert page.locator(".card").first.bounding_box()["y"] < 844  # results on the first screen
    screenshot(page, "demo-04-category-arabic-seesen")
    page.get_by_role("link", name=re.compile("Schulsozialarbeit in Seesen")).click()
    expect(page.locator('a[href^="tel:"]').first).to_be_visible()
    screenshot(page, "demo-05-offer")


PAGES = {
    "start": "/",
    "listing": "/angebote/?q=Beratung&sprache=xx",
    "category": "/kategorie/kita-schule/?sprache=ar&ort=seesen",
    "offer": "/angebot/schulsozialarbeit-seesen/",
    "empty": "/angebote/?sprache=uk&ort=braunlage&anonym=1&format=hausbesuch",
    "404": "/angebot/gibt-es-nicht/",
}


def test_pages_have_no_wcag_violations_and_fit_a_small_phone(site, demo_data):
    """One test for all pages keeps the browser work short; axe runs on each."""
    page, axe, problems = site, Axe(), {}
    for name, path in PAGES.items():
        page.goto(page.site_url + path)
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            problems[name] = results.generate_report()
        screenshot(page, f"axe-{name}-390")
        screenshot(page, f"axe-{name}-320", width=320)
        page.set_viewport_size({"width": 320, "height": 700})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        page.set_viewport_size({"width": 390, "height": 844})
        assert overflow <= 0, f"{name} scrolls sideways at 320 px"
    assert not problems, "\n".join(f"{name}:\n{report}" for name, report in problems.items())


def test_keyboard_user_can_skip_to_content(site, offers):
    page = site
    page.goto(page.site_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
