"""Honest review dates and offer forms that never publish a "yes" nobody chose."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Offer

from .conftest import inline_management, make_category, make_location, make_offer, make_organization, offer_form_data

pytestmark = pytest.mark.django_db


def new_offer_data(organization, **changes):
    data = {
        "title_de": "Hausaufgabenhilfe", "slug": "hausaufgabenhilfe", "summary_de": "Hilfe bei den Hausaufgaben.",
        "organization": organization.pk, "categories": [make_category().pk], "status": "draft",
        "format_phone": "on",
        **inline_management("contacts"), **inline_management("slots"), **inline_management("closures"),
    }  # fmt: skip
    data.update(changes)
    return data


def test_offer_the_coordinator_creates_counts_as_reviewed_today(coordinator_client):
    response = coordinator_client.post(reverse("admin:directory_offer_add"), new_offer_data(make_organization()))
    assert response.status_code == 302
    assert Offer.objects.get(slug="hausaufgabenhilfe").last_reviewed == timezone.localdate()


def test_offer_the_coordinator_edits_counts_as_reviewed_today(coordinator_client):
    long_ago = timezone.localdate() - timedelta(days=400)
    offer = make_offer(last_reviewed=long_ago, format_in_person=False, categories=[make_category()])
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    coordinator_client.post(url, offer_form_data(offer, summary_de="Neu."))
    offer.refresh_from_db()
    assert offer.last_reviewed == timezone.localdate()


def test_changing_only_a_contact_counts_as_reviewed_today(coordinator_client):
    long_ago = timezone.localdate() - timedelta(days=400)
    offer = make_offer(last_reviewed=long_ago, format_in_person=False, categories=[make_category()],
                       contacts=[{"name": "Frau Kaya", "phone": "05381 100"}])  # fmt: skip
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    response = coordinator_client.post(url, offer_form_data(offer, **{"contacts-0-phone": "05381 200"}))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.contacts.get().phone == "05381 200" and offer.last_reviewed == timezone.localdate()
    assert offer.history.first().last_reviewed == timezone.localdate()  # the version says so too


def test_a_partners_contact_change_is_no_review(partner_client, partner_organization):
    offer = make_offer(organization=partner_organization, status=Offer.Status.DRAFT, last_reviewed=None,
                       format_in_person=False, categories=[make_category()],
                       contacts=[{"name": "Frau Kaya", "phone": "05381 100"}])  # fmt: skip
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    partner_client.post(url, offer_form_data(offer, **{"contacts-0-phone": "05381 200"}))
    offer.refresh_from_db()
    assert offer.contacts.get().phone == "05381 200" and offer.last_reviewed is None


def test_a_review_date_she_types_herself_is_kept(coordinator_client):
    offer = make_offer(last_reviewed=None, format_in_person=False, categories=[make_category()])
    earlier = timezone.localdate() - timedelta(days=10)
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    coordinator_client.post(url, offer_form_data(offer, last_reviewed=earlier))
    offer.refresh_from_db()
    assert offer.last_reviewed == earlier


def test_offer_a_partner_creates_is_new_and_not_yet_reviewed(partner_client, partner_organization, client):
    response = partner_client.post(reverse("admin:directory_offer_add"), new_offer_data(partner_organization))
    assert response.status_code == 302
    offer = Offer.objects.get(slug="hausaufgabenhilfe")
    assert offer.last_reviewed is None and offer.is_new_unreviewed and not offer.review_is_old
    assert offer in Offer.objects.needs_review()  # on the coordinator's list of checks to do


def test_add_form_starts_with_no_format_cost_or_appointment_ticked(coordinator_client):
    page = coordinator_client.get(reverse("admin:directory_offer_add")).content.decode()
    for name in ("format_in_person", "is_free", "appointment_needed"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "checked" not in tag, name


def test_free_offer_with_a_cost_note_is_refused(coordinator_client):
    data = new_offer_data(make_organization(), is_free="on", cost_note_de="5 € pro Treffen")
    response = coordinator_client.post(reverse("admin:directory_offer_add"), data)
    assert response.status_code == 200
    assert "Ein kostenloses Angebot hat keine Kosten" in response.content.decode()
    assert not Offer.objects.filter(slug="hausaufgabenhilfe").exists()


def test_in_person_without_a_place_is_refused_and_with_one_accepted(coordinator_client):
    organization = make_organization()
    data = new_offer_data(organization, format_in_person="on")
    response = coordinator_client.post(reverse("admin:directory_offer_add"), data)
    assert "„vor Ort“ braucht einen Ort" in response.content.decode()
    assert not Offer.objects.filter(slug="hausaufgabenhilfe").exists()

    data["locations"] = [make_location(organization=organization).pk]
    assert coordinator_client.post(reverse("admin:directory_offer_add"), data).status_code == 302
    assert Offer.objects.get(slug="hausaufgabenhilfe").format_in_person





def test_heute_geprueft_returns_to_the_filtered_list(coordinator_client):
    offer = make_offer(last_reviewed=None)
    listing = reverse("admin:directory_offer_changelist") + "?pruefung=faellig"
    response = coordinator_client.post(
        reverse("admin:directory_offer_mark_reviewed", args=[offer.pk]), HTTP_REFERER=f"http://testserver{listing}"
    )
    assert response.url == f"http://testserver{listing}"
    offer.refresh_from_db()
    assert offer.last_reviewed == timezone.localdate()


def test_heute_geprueft_never_follows_a_foreign_referrer(coordinator_client):
    offer = make_offer(last_reviewed=None)
    response = coordinator_client.post(
        reverse("admin:directory_offer_mark_reviewed", args=[offer.pk]), HTTP_REFERER="https://evil.example/"
    )
    assert response.url == reverse("admin:directory_offer_changelist")
