"""The coordinator invites a partner on her tablet; the partner sets a password from the e-mail and logs in."""

import re

import pytest
from django.core import mail

from tests.browser.admin_helpers import LAPTOP, TABLET, admin_page, log_in, scrolls_sideways, shoot
from tests.conftest import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_invites_a_partner_who_then_logs_in(browser, live_server, django_user_model, settings):
    settings.SITE_URL = live_server.url
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    make_organization(name="Familienzentrum Seesen")

    alice = admin_page(browser, live_server, TABLET)
    log_in(alice, "alice", "alice-password-123")
    alice.get_by_role("link", name="Partner einladen").click()
    alice.get_by_label("Name").fill("Ayşe Kaya")
    alice.get_by_label("E-Mail-Adresse").fill("kaya@familienzentrum.example")
    alice.get_by_label("Träger").select_option(label="Familienzentrum Seesen")
    assert not scrolls_sideways(alice)
    shoot(alice, "invite-820")
    alice.get_by_role("button", name="Einladung senden").click()
    alice.wait_for_selector(".messagelist .success")
    assert "kaya@familienzentrum.example" in alice.locator(".messagelist").inner_text()

    [message] = mail.outbox
    assert message.to == ["kaya@familienzentrum.example"]
    link = re.search(r"http\S+/admin/passwort/\S+/", message.body).group(0)

    ayse = admin_page(browser, live_server, LAPTOP)
    ayse.goto(link)
    ayse.get_by_label("Neues Passwort:").fill("Seesen-Eltern-2026!")
    ayse.get_by_label("Passwort wiederholen:").fill("Seesen-Eltern-2026!")
    ayse.get_by_role("button", name="Mein Passwort ändern").click()
    ayse.get_by_role("link", name="Anmelden").click()
    log_in(ayse, "kaya@familienzentrum.example", "Seesen-Eltern-2026!")
    assert "Angebote" in ayse.locator("#content").inner_text()
    assert "Benutzer" not in ayse.locator("#content").inner_text()  # sees the directory, not the accounts
