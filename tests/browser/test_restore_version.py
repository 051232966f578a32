"""The coordinator changes a phone number, sees it in public, restores the earlier version and sees the old number."""

import pytest

from tests.conftest import make_category, make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_restores_an_earlier_phone_number(site, django_user_model):
    page = site  # fails the test if the admin or the site fetch anything from another host
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    offer = make_offer(
        title="Elternberatung",
        slug="elternberatung",
        categories=[make_category()],
        contacts=[{"name": "Frau Haddad", "phone": "05321 111"}],
    )

    page.goto(f"{page.site_url}/admin/login/")
    page.get_by_label("Benutzername").fill("alice")
    page.get_by_label("Passwort").fill("alice-password-123")
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"{page.site_url}/admin/directory/offer/{offer.pk}/change/")
    page.locator("#id_contacts-0-phone").fill("05321 222")
    page.locator("input[name=_continue]").last.click()
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{page.site_url}/angebot/elternberatung/")
    assert "05321 222" in page.content()

    page.goto(f"{page.site_url}/admin/directory/offer/{offer.pk}/history/")
    # Newest first: the second row is the version before the change.
    page.get_by_role("link", name="ansehen und wiederherstellen").first.click()
    assert "05321 111" in page.content()
    page.get_by_role("button", name="Diese Fassung wiederherstellen").click()
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{page.site_url}/angebot/elternberatung/")
    assert "05321 111" in page.content()
    assert "05321 222" not in page.content()
