"""A partner edits the summary, the coordinator rewrites it meanwhile: approving shows the conflict and keeps her text."""

import pytest

from directory.models import ChangeRequest, Offer
from tests.browser.admin_helpers import LAPTOP, TABLET, admin_page, log_in, scrolls_sideways, shoot
from tests.conftest import make_category, make_location, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_conflicting_edit_is_decided_by_the_coordinator(browser, live_server, partner, partner_organization, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    offer = make_offer(
        title="Elterncafé", slug="elterncafe", summary="Treffen für Eltern.", organization=partner_organization,
        categories=[make_category()], locations=[make_location(organization=partner_organization)],
        contacts=[{"name": "Frau Kaya", "phone": "05381 100"}],
    )  # fmt: skip
    change_url = f"/admin/directory/offer/{offer.pk}/change/"

    bob = admin_page(browser, live_server, TABLET)
    log_in(bob, "bob", "bob-password-123")
    bob.goto(bob.site_url + change_url)
    bob.locator("#id_summary_de").fill("Treffen für Mütter und Väter.")
    bob.locator("#id_contacts-0-phone").fill("05381 200")
    bob.get_by_role("button", name="Sichern", exact=True).last.click()
    bob.wait_for_selector(".messagelist .success")
    change_request = ChangeRequest.objects.get()

    alice = admin_page(browser, live_server, LAPTOP)
    log_in(alice, "alice", "alice-password-123")
    alice.goto(alice.site_url + change_url)
    alice.locator("#id_summary_de").fill("Ein Treffen für alle Eltern, jeden Dienstag.")
    alice.get_by_role("button", name="Sichern", exact=True).last.click()
    alice.wait_for_selector(".messagelist .success")

    alice.goto(f"{alice.site_url}/admin/directory/changerequest/{change_request.pk}/change/")
    conflict = alice.locator("tr.merge-conflict")
    assert conflict.count() == 1
    assert "Treffen für Mütter und Väter." in conflict.inner_text()
    assert "Ein Treffen für alle Eltern, jeden Dienstag." in conflict.inner_text()
    assert not scrolls_sideways(alice)
    shoot(alice, "change-request-1366")
    alice.set_viewport_size(TABLET)
    assert not scrolls_sideways(alice)
    shoot(alice, "change-request-820")
    alice.set_viewport_size(LAPTOP)

    # Without a decision the browser itself refuses to go on.
    alice.get_by_role("button", name="Ausgewählte Änderungen übernehmen …").click()
    assert "/uebernehmen/" not in alice.url
    conflict.get_by_label("jetzigen Stand behalten").check()
    alice.get_by_role("button", name="Ausgewählte Änderungen übernehmen …").click()
    assert "05381 200" in alice.locator("table.differences").inner_text()
    assert "Mütter und Väter" not in alice.locator("table.differences").inner_text()
    alice.get_by_role("button", name="Ja, übernehmen").click()
    alice.wait_for_selector(".messagelist .success")

    offer.refresh_from_db()
    assert offer.summary == "Ein Treffen für alle Eltern, jeden Dienstag."
    assert [contact.phone for contact in offer.contacts.all()] == ["05381 200"]
    assert offer.status == Offer.Status.PUBLISHED
    alice.goto(f"{alice.site_url}/angebot/elterncafe/")
    assert "jeden Dienstag" in alice.content() and "05381 200" in alice.content()
