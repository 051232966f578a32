"""The "Koordination" group carries the coordinator's rights; create_coordinator puts her in it."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from directory.models import Offer

from .conftest import make_offer

pytestmark = pytest.mark.django_db


def test_koordination_group_has_every_directory_permission():
    group = Group.objects.get(name="Koordination")
    directory = set(Permission.objects.filter(content_type__app_label="directory").values_list("codename", flat=True))
    assert {"change_offer", "delete_offer", "change_report", "change_changerequest", "view_historicaloffer"} <= directory
    assert set(group.permissions.values_list("codename", flat=True)) == directory


def test_a_staff_member_of_the_koordination_group_can_publish(client, django_user_model):
    user = django_user_model.objects.create_user("erika", "erika@example.org", "erika-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Koordination"))
    client.force_login(user)
    draft = make_offer(status=Offer.Status.DRAFT)
    client.post(reverse("admin:directory_offer_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Offer.Status.PUBLISHED


def test_create_coordinator_joins_the_koordination_group(django_user_model):
    call_command("create_coordinator", username="koordination", stdout=StringIO())
    user = django_user_model.objects.get(username="koordination")
    assert user.groups.filter(name="Koordination").exists()


def test_coordinator_links_a_partner_login_to_an_organization_on_the_user_page(coordinator_client, django_user_model):
    from directory.models import PartnerProfile

    from .conftest import make_organization

    organization = make_organization(name="Grundschule Oker")
    user = django_user_model.objects.create_user("paula", "paula@example.org", "paula-password-123", is_staff=True)
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Partner-Redaktion" in page
    data = {
        "username": "paula",
        "email": "paula@example.org",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="Partner-Redaktion").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "partner_profile-TOTAL_FORMS": "1",
        "partner_profile-INITIAL_FORMS": "0",
        "partner_profile-MIN_NUM_FORMS": "0",
        "partner_profile-MAX_NUM_FORMS": "1",
        "partner_profile-0-organization": organization.pk,
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert PartnerProfile.objects.get(user=user).organization == organization
