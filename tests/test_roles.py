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
