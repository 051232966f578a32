"""A parent reports a wrong entry; a provider confirms theirs: accessible, phone-sized, no cookie beyond CSRF."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from directory.models import Offer, ReviewRequest
from directory.review import send_review_requests
from tests.conftest import make_category, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def check_page(page, axe, name):
    results = axe.run(page, options=WCAG_21_AA)
    assert not results.violations_count, f"{name}:\n{results.generate_report()}"
    page.set_viewport_size({"width": 320, "height": 700})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflow <= 0, f"{name} scrolls sideways at 320 px"


@pytest.fixture
def offer():
    return make_offer(
        title="Hausaufgabenhilfe",
        slug="hausaufgabenhilfe",
        categories=[make_category()],
        contacts=[{"name": "Frau Nowak", "phone": "05321 70", "email": "nowak@traeger.example"}],
    )


def test_parent_reports_a_wrong_entry_and_provider_confirms_theirs(site, offer, settings):
    page, axe = site, Axe()
    page.goto(f"{page.site_url}/angebot/hausaufgabenhilfe/")
    page.get_by_role("link", name="Angabe falsch oder veraltet?").click()
    check_page(page, axe, "report form")

    page.get_by_role("button", name="Meldung senden").click()
    assert "Bitte schreiben Sie kurz, was nicht stimmt." in page.content()
    check_page(page, axe, "report form with an error")

    page.get_by_label("Was ist falsch oder veraltet?").fill("Die Hausaufgabenhilfe ist jetzt dienstags.")
    page.get_by_role("button", name="Meldung senden").click()
    assert page.get_by_role("heading", name="Danke für Ihre Meldung").is_visible()
    assert offer.reports.get().message == "Die Hausaufgabenhilfe ist jetzt dienstags."
    assert {cookie["name"] for cookie in page.context.cookies()} <= {"csrftoken"}

    settings.SITE_URL = page.site_url
    send_review_requests(Offer.objects.filter(pk=offer.pk))
    link = re.search(r"http://\S+/pruefen/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    check_page(page, axe, "review page")
    page.get_by_role("button", name="Alles stimmt noch").click()
    assert page.get_by_role("heading", name="Vielen Dank").is_visible()
    assert ReviewRequest.objects.get().outcome == ReviewRequest.Outcome.CONFIRMED


def test_a_long_pasted_report_is_not_cut_but_comes_back_with_the_limit(site, offer):
    page = site
    page.goto(f"{page.site_url}/angebot/hausaufgabenhilfe/melden/")
    box = page.get_by_label("Was ist falsch oder veraltet?")
    assert "Höchstens 2000 Zeichen." in page.locator("form").inner_text()  # the limit is named before she pastes
    text = "Die Nummer stimmt nicht mehr, bitte ändern. " * 50  # 2200 characters
    box.fill(text)
    assert len(box.input_value()) == len(text)  # the browser cut nothing
    page.get_by_role("button", name="Meldung senden").click()
    assert "höchstens 2000 Zeichen" in page.content()
    assert page.get_by_label("Was ist falsch oder veraltet?").input_value().strip() == text.strip()
    assert not offer.reports.exists()


def test_a_report_refused_for_its_lost_cookie_explains_itself_and_keeps_the_text(site, offer):
    page = site
    page.goto(f"{page.site_url}/angebot/hausaufgabenhilfe/melden/")
    page.get_by_label("Was ist falsch oder veraltet?").fill("Die Hausaufgabenhilfe ist jetzt dienstags.")
    page.context.clear_cookies()  # as when the browser dropped the cookie or the form stayed open too long
    page.get_by_role("button", name="Meldung senden").click()
    assert page.get_by_role("heading", name="Das Formular ist abgelaufen").is_visible()
    assert page.locator("header.top").is_visible()  # the site's own layout, not Django's bare page
    assert page.locator("textarea[readonly]").input_value() == "Die Hausaufgabenhilfe ist jetzt dienstags."
    page.get_by_role("link", name="Formular neu öffnen").click()
    assert page.url.endswith("/angebot/hausaufgabenhilfe/melden/")
    page.get_by_label("Was ist falsch oder veraltet?").fill("Die Hausaufgabenhilfe ist jetzt dienstags.")
    page.get_by_role("button", name="Meldung senden").click()
    assert page.get_by_role("heading", name="Danke für Ihre Meldung").is_visible()
    assert offer.reports.get().message == "Die Hausaufgabenhilfe ist jetzt dienstags."  # sent once, the second time
