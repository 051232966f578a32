"""No field cuts pasted text silently: the limit is named beforehand, too long a text comes back with a message."""

import re

import pytest
from django.urls import reverse

from directory.models import Closure, Report

from .conftest import make_category, make_offer, make_organization

pytestmark = pytest.mark.django_db


def maxlength_inputs(page):
    return re.findall(r'<(?:input|textarea)[^>]*maxlength="\d+"[^>]*>', page)


def test_report_form_names_its_limit_and_keeps_a_too_long_text(client):
    offer = make_offer(title="Elterncafé", slug="elterncafe", categories=[make_category()])
    url = reverse("directory:offer-report", kwargs={"slug": offer.slug})
    page = client.get(url).content.decode()
    assert not maxlength_inputs(page) and "Höchstens 2000 Zeichen." in page
    text = "Die Nummer stimmt nicht. " * 90  # 2250 characters, as if pasted from an e-mail
    response = client.post(url, {"message": text, "contact": ""})
    assert response.status_code == 400 and not Report.objects.exists()
    body = response.content.decode()
    assert "höchstens 2000 Zeichen" in body
    assert text.strip() in body  # her text is still in the box to shorten


def test_closure_reason_has_no_silent_limit(coordinator_client):
    offer = make_offer(categories=[make_category()])
    Closure.objects.create(offer=offer, starts="2026-12-24", ends="2027-01-01", reason="Weihnachtsferien")
    page = coordinator_client.get(reverse("admin:directory_offer_change", args=[offer.pk])).content.decode()
    assert not maxlength_inputs(page)
    assert re.search(r'name="closures-0-reason"', page) and "Höchstens 200 Zeichen." in page


def test_partner_invitation_refuses_a_too_long_name_with_a_message(coordinator_client):
    organization = make_organization()
    url = reverse("admin:directory_partnerprofile_invite")
    page = coordinator_client.get(url).content.decode()
    assert not maxlength_inputs(page) and "Höchstens 150 Zeichen." in page
    name = "Dr. " + "Müller-Lüdenscheidt " * 9
    response = coordinator_client.post(url, {"name": name, "email": "m@example.org", "organization": organization.pk})
    assert response.status_code == 200
    assert "höchstens 150 Zeichen" in response.content.decode() and name.strip() in response.content.decode()
