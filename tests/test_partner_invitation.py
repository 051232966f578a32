"""Partners in one step, "Passwort vergessen" for admin logins, and the directory's sections first."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from directory.models import PartnerProfile

from .conftest import make_organization

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://\S+/admin/passwort/\S+/", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def logs_in(client, username, password):
    """Through the admin's login form, as a person would (the login protection needs the request)."""
    response = client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})
    return response.status_code == 302 and response.url == "/admin/"


def test_invited_partner_gets_a_login_for_their_organization_and_chooses_a_password(
    coordinator_client, client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://wegweiser.example.org"
    organization = make_organization(name="Familienzentrum Seesen")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:directory_partnerprofile_invite"),
            {"name": "Ayşe Kaya", "email": "A.Kaya@Familienzentrum.example", "organization": organization.pk},
        )
    assert response.status_code == 302

    user = get_user_model().objects.get(email="a.kaya@familienzentrum.example")
    assert (user.first_name, user.last_name, user.is_staff) == ("Ayşe", "Kaya", True)
    assert list(user.groups.values_list("name", flat=True)) == ["Partner-Redaktion"]
    assert PartnerProfile.objects.get(user=user).organization == organization
    assert not user.has_usable_password()

    [message] = mail.outbox
    assert message.to == ["a.kaya@familienzentrum.example"]
    assert "Ayşe Kaya" in message.body and "Familienzentrum Seesen" in message.body
    link = link_in(message)
    assert link.startswith("https://wegweiser.example.org/admin/passwort/")

    form_page = client.get(path_of(link), follow=True)
    assert "Neues Passwort" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path_of(link),
        {"new_password1": "Seesen-Eltern-2026!", "new_password2": "Seesen-Eltern-2026!"},
        follow=True,
    )
    assert done.status_code == 200
    assert logs_in(client, "a.kaya@familienzentrum.example", "Seesen-Eltern-2026!")
    assert client.get(reverse("admin:directory_offer_changelist")).status_code == 200


def test_an_address_that_already_has_a_login_is_refused(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("admin:directory_partnerprofile_invite"),
        {"name": "Alice", "email": coordinator.email.upper(), "organization": make_organization().pk},
    )
    assert response.status_code == 200
    assert "schon einen Zugang" in response.content.decode()
    assert not mail.outbox


def test_a_missing_organization_is_a_message_not_a_login(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:directory_partnerprofile_invite"), {"name": "Ayşe Kaya", "email": "kaya@example.org"}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="kaya@example.org").exists()


def test_partner_cannot_invite(partner_client):
    assert partner_client.get(reverse("admin:directory_partnerprofile_invite")).status_code == 403


def test_adding_a_partner_profile_leads_to_the_invitation(coordinator_client):
    response = coordinator_client.get(reverse("admin:directory_partnerprofile_add"))
    assert response.url == reverse("admin:directory_partnerprofile_invite")


def test_login_page_offers_passwort_vergessen(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Passwort vergessen?" in page and reverse("admin_password_reset") in page


def test_forgotten_password_mail_for_staff_resets_it(client, coordinator):
    response = client.post(reverse("admin_password_reset"), {"email": "ALICE@example.org"}, follow=True)
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["alice@example.org"] and "Wegweiser" in message.subject
    link = link_in(message)
    form_page = client.get(path_of(link), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "Neues-Passwort-77!", "new_password2": "Neues-Passwort-77!"})
    assert logs_in(client, "alice", "Neues-Passwort-77!")


def test_forgotten_password_sends_nothing_to_public_accounts_or_unknown_addresses(client, outsider):
    for address in (outsider.email, "niemand@example.org"):
        assert client.post(reverse("admin_password_reset"), {"email": address}).status_code == 302
    assert not mail.outbox


def test_directory_sections_come_before_users_groups_and_axes(coordinator_client):
    page = coordinator_client.get(reverse("admin:index")).content.decode()
    positions = [page.index(f'class="app-{label} module') for label in ("directory", "auth", "axes")]
    assert positions == sorted(positions)
    assert page.index(">Angebote<") < page.index(">Kategorien<")
