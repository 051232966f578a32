"""Passing an offer on: the phone's share sheet, or the text to copy."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_location, make_offer, make_town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer(settings, live_server):
    settings.SITE_URL = live_server.url
    location = make_location(town=make_town("Seesen"), street="Jacobsonstraße 24", postal_code="38723")
    return make_offer(title="Hausaufgabenhilfe", title_ar="مساعدة في الواجبات المدرسية", slug="hausaufgabenhilfe",
                      locations=[location], contacts=[{"name": "Telefon", "phone": "069 90009 318"}])


def test_share_button_hands_title_text_and_clean_link_to_the_share_sheet(page, live_server, offer):
    page.add_init_script("navigator.share = data => { window.shared = data; return Promise.resolve(); };")
    page.goto(f"{live_server.url}/ar/angebot/hausaufgabenhilfe/?utm_source=newsletter")
    page.get_by_role("button", name="مشاركة", exact=True).click()
    shared = page.evaluate("window.shared")
    assert shared["url"] == f"{live_server.url}/ar/angebot/hausaufgabenhilfe/"
    assert shared["title"] == "مساعدة في الواجبات المدرسية"
    # The number is isolated as left-to-right, so its digit groups keep their order in Arabic text.
    assert shared["text"].splitlines()[1:3] == ["☎ \u2066069 90009 318\u2069", "Jacobsonstraße 24, 38723 Seesen"]
    # The link comes once, as the link: messaging apps append it to the text themselves.
    assert shared["url"] not in shared["text"] and "http" not in shared["text"]
    # Copying keeps the link in the text: that is all the message has.
    assert page.get_by_label("نص للنسخ").input_value().endswith(shared["url"])


def test_without_javascript_the_link_and_text_are_there_to_copy(browser, live_server, offer):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/angebot/hausaufgabenhilfe/")
    expect(page.get_by_role("link", name=f"{live_server.url}/angebot/hausaufgabenhilfe/")).to_be_visible()
    expect(page.get_by_label("Text zum Kopieren")).to_have_value(
        f"Hausaufgabenhilfe\n☎ 069 90009 318\nJacobsonstraße 24, 38723 Seesen\n{live_server.url}/angebot/hausaufgabenhilfe/")
    expect(page.get_by_role("button", name="Teilen")).to_be_hidden()
    context.close()
