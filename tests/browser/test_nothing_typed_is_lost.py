"""On the offer page, nothing the coordinator typed is lost by a one-click button or by leaving the page."""

import pytest
from django.utils import timezone

from directory import translation_status
from directory.models import Offer
from tests.browser.admin_helpers import LAPTOP, TABLET, admin_page, log_in, shoot
from tests.conftest import make_category, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice_on_offer(browser, live_server, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    offer = make_offer(title="Elterncafé", summary="Wir treffen uns montags.", summary_ar="نلتقي يوم الاثنين.",
                       categories=[make_category()], contacts=[{"name": "Frau Kaya", "email": "kaya@example.org"}])  # fmt: skip

    def open_page(viewport=LAPTOP):
        page = admin_page(browser, live_server, viewport)
        log_in(page, "alice", "alice-password-123")
        page.goto(f"{page.site_url}/admin/directory/offer/{offer.pk}/change/")
        return page

    return open_page, offer


def test_reviewed_today_saves_what_she_typed_first(alice_on_offer):
    open_page, offer = alice_on_offer
    page = open_page(TABLET)
    page.locator("#id_summary_de").fill("Wir treffen uns dienstags im Familienzentrum.")
    shoot(page, "offer-change-tablet")
    page.get_by_role("button", name="Sichern und heute geprüft").first.click()
    page.wait_for_selector(".messagelist .success")
    assert "Ihre Änderungen sind gespeichert." in page.locator(".messagelist").first.inner_text()
    assert page.locator("#id_summary_de").input_value() == "Wir treffen uns dienstags im Familienzentrum."
    offer.refresh_from_db()
    assert offer.summary == "Wir treffen uns dienstags im Familienzentrum."
    assert offer.last_reviewed == timezone.localdate()


def test_enter_in_a_field_only_saves_and_marks_nothing(alice_on_offer):
    open_page, offer = alice_on_offer
    Offer.objects.filter(pk=offer.pk).update(summary_de="Wir treffen uns dienstags.")  # Arabic now outdated
    page = open_page()
    assert page.get_by_role("button", name="Speichern und Arabisch als aktuell markieren").is_visible()
    page.locator("#id_title_de").fill("Elterncafé am Markt")
    page.locator("#id_title_de").press("Enter")
    page.wait_for_selector(".messagelist .success")
    offer.refresh_from_db()
    assert offer.title == "Elterncafé am Markt"
    assert translation_status.outdated_languages(offer) == {"ar": ["summary"]}  # Enter marked nothing


def test_marking_a_translation_current_keeps_the_corrected_translation(alice_on_offer):
    open_page, offer = alice_on_offer
    Offer.objects.filter(pk=offer.pk).update(summary_de="Wir treffen uns dienstags.")
    page = open_page()
    page.locator("summary", has_text="Arabisch").first.click()
    page.locator("#id_summary_ar").fill("نلتقي يوم الثلاثاء.")
    page.get_by_role("button", name="Speichern und Arabisch als aktuell markieren").click()
    page.wait_for_selector(".messagelist .success")
    offer.refresh_from_db()
    assert offer.summary_ar == "نلتقي يوم الثلاثاء." and translation_status.outdated_languages(offer) == {}


def test_leaving_with_unsaved_text_asks_first(alice_on_offer):
    open_page, offer = alice_on_offer
    page = open_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#id_summary_de").click()
    page.keyboard.type(" Neu.")
    page.locator("a.historylink").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/change/" in page.url and page.locator("#id_summary_de").input_value().endswith(" Neu.")

    unchanged = open_page()
    unchanged.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    unchanged.locator("#id_summary_de").click()
    unchanged.locator("a.historylink").click()
    unchanged.wait_for_url("**/history/")
    assert dialogs == ["beforeunload"]  # no question when nothing was typed
