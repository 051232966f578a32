"""A partner editor keeps only their own organization's entries and cannot publish or reach anything else."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from directory.models import ChangeRequest, Location, Offer

from .browserform import browser_form_data
from .conftest import inline_management, make_category, make_location, make_offer, make_organization, offer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(partner_organization):
    location = make_location(organization=partner_organization, name="Familienzentrum Eingang")
    return make_offer(
        title="Eigenes Elterncafé",
        organization=partner_organization,
        categories=[make_category()],
        locations=[location],
        contacts=[{"name": "Frau Kaya", "phone": "05381 100"}],
    )


@pytest.fixture
def foreign():
    organization = make_organization(name="Jobcenter Goslar")
    location = make_location(organization=organization, name="Jobcenter Geheimflur")
    return make_offer(
        title="Fremde Berufsberatung",
        organization=organization,
        categories=[make_category()],
        locations=[location],
        contacts=[{"name": "Herr Geheim", "phone": "05321 999"}],
    )


def test_changelist_shows_only_own_offers(partner_client, own, foreign):
    assert partner_client.get(reverse("admin:directory_offer_change", args=[own.pk])).status_code == 200
    page = partner_client.get(reverse("admin:directory_offer_changelist")).content.decode()
    assert "Eigenes Elterncafé" in page
    assert "Fremde Berufsberatung" not in page


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_other_organizations_offer_pages_are_unreachable(partner_client, own, foreign, view):
    response = partner_client.get(reverse(f"admin:directory_offer_{view}", args=[foreign.pk]), follow=True)
    page = response.content.decode()
    assert "Fremde Berufsberatung" not in page and "Herr Geheim" not in page


def test_history_version_of_another_organizations_offer_is_unreachable(partner_client, foreign):
    version = foreign.history.first()
    url = reverse("admin:directory_offer_simple_history", args=[foreign.pk, version.history_id])
    assert partner_client.get(url).status_code in (403, 404)
    assert partner_client.post(url).status_code in (403, 404)


def test_posting_to_another_organizations_offer_changes_nothing(partner_client, foreign):
    data = offer_form_data(foreign, title_de="Gekapert")
    partner_client.post(reverse("admin:directory_offer_change", args=[foreign.pk]), data)
    foreign.refresh_from_db()
    assert foreign.title == "Fremde Berufsberatung"
    assert not ChangeRequest.objects.exists()


def test_partner_cannot_delete_or_archive(partner_client, own, foreign):
    for offer in (own, foreign):
        partner_client.post(reverse("admin:directory_offer_delete", args=[offer.pk]), {"post": "yes"})
    partner_client.post(
        reverse("admin:directory_offer_changelist"), {"action": "archive_selected", "_selected_action": [own.pk, foreign.pk]}
    )
    assert set(Offer.objects.values_list("status", flat=True)) == {Offer.Status.PUBLISHED}


def test_export_contains_only_own_offers_and_refuses_other_ids(partner_client, own, foreign):
    fields = {f"offerresource_{f}": "on" for f in ("slug", "title", "contacts")}
    everything = partner_client.post(reverse("admin:directory_offer_export"), {"format": "0", **fields})
    content = everything.content.decode()
    assert everything["Content-Type"].startswith("text/csv")
    assert "Eigenes Elterncafé" in content and "Frau Kaya" in content
    assert "Fremde Berufsberatung" not in content and "Herr Geheim" not in content

    tampered = partner_client.post(
        reverse("admin:directory_offer_export"), {"format": "0", "export_items": [own.pk, foreign.pk], **fields}
    )
    assert "Fremde Berufsberatung" not in tampered.content.decode() and "Herr Geheim" not in tampered.content.decode()


def test_import_is_for_the_coordination_only(partner_client):
    assert partner_client.get(reverse("admin:directory_offer_import")).status_code == 403


def test_autocomplete_offers_only_own_organization_and_locations(partner_client, own, foreign):
    def autocomplete(model, field):
        url = reverse("admin:autocomplete")
        response = partner_client.get(url, {"app_label": "directory", "model_name": "offer", "field_name": field, "term": ""})
        assert response.status_code == 200, model
        return {item["text"] for item in response.json()["results"]}

    assert autocomplete("organization", "organization") == {"Familienzentrum Seesen"}
    locations = autocomplete("location", "locations")
    assert any("Familienzentrum Eingang" in text for text in locations)
    assert not any("Jobcenter" in text for text in locations)


def test_ids_of_other_organizations_are_refused_in_the_form(partner_client, own, foreign):
    foreign_location = foreign.locations.get()
    data = offer_form_data(own, organization=foreign.organization_id, locations=[foreign_location.pk])
    own.status = Offer.Status.DRAFT
    Offer.objects.filter(pk=own.pk).update(status=Offer.Status.DRAFT)
    response = partner_client.post(reverse("admin:directory_offer_change", args=[own.pk]), data)
    assert response.status_code == 200  # the form comes back with errors
    own.refresh_from_db()
    assert own.organization_id != foreign.organization_id
    assert not own.locations.filter(pk=foreign_location.pk).exists()


def test_location_pages_of_other_organizations_are_unreachable(partner_client, own, foreign):
    foreign_location = foreign.locations.get()
    page = partner_client.get(reverse("admin:directory_location_changelist")).content.decode()
    assert "Familienzentrum Eingang" in page and "Jobcenter Geheimflur" not in page
    for view in ("change", "history"):
        response = partner_client.get(reverse(f"admin:directory_location_{view}", args=[foreign_location.pk]), follow=True)
        assert "Jobcenter Geheimflur" not in response.content.decode()


def test_partner_cannot_change_a_place_of_a_published_offer(partner_client, own):
    location = own.locations.get()
    data = {
        "organization": location.organization_id,
        "name": "Umgezogen",
        "street": "Neu 1",
        "postal_code": "38723",
        "town": location.town_id,
        "wheelchair_access": "yes",
        "opening_hours": "",
    }
    partner_client.post(reverse("admin:directory_location_change", args=[location.pk]), data)
    assert Location.objects.get(pk=location.pk).name == "Familienzentrum Eingang"


def test_new_offer_by_a_partner_is_a_draft_of_their_organization(partner_client, partner_organization):
    category = make_category()
    data = {
        "title_de": "Neues Angebot",
        "slug": "neues-angebot",
        "summary_de": "Kurz.",
        "organization": partner_organization.pk,
        "categories": [category.pk],
        "status": "published",
        "format_phone": "on",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        **inline_management("slots"),
        **inline_management("closures"),
    }
    response = partner_client.post(reverse("admin:directory_offer_add"), data)
    assert response.status_code == 302
    offer = Offer.objects.get(slug="neues-angebot")
    assert offer.status == Offer.Status.DRAFT and offer.organization == partner_organization
    assert not Offer.objects.visible().filter(pk=offer.pk).exists()


def test_partner_cannot_publish_by_action_or_button(partner_client, partner_organization):
    draft = make_offer(organization=partner_organization, status=Offer.Status.DRAFT)
    partner_client.post(reverse("admin:directory_offer_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    assert partner_client.post(reverse("admin:directory_offer_mark_reviewed", args=[draft.pk])).status_code == 403
    change_page = reverse("admin:directory_offer_change", args=[draft.pk])
    data = browser_form_data(partner_client.get(change_page).content.decode(), "offer_form")
    partner_client.post(change_page, {**data, "_mark_reviewed": "1", "_send_review_request": "1"})
    draft.refresh_from_db()
    assert draft.status == Offer.Status.DRAFT and draft.last_reviewed is None and not mail.outbox


def test_partner_edit_of_published_offer_waits_for_the_coordinator(partner_client, partner, coordinator, own):
    data = offer_form_data(own, title_de="Elterncafé am Markt", **{"contacts-0-phone": "05381 200"})
    response = partner_client.post(reverse("admin:directory_offer_change", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Eigenes Elterncafé"  # still as published
    assert [c.phone for c in own.contacts.all()] == ["05381 100"]
    change_request = ChangeRequest.objects.get()
    assert change_request.submitted_by == partner and change_request.status == ChangeRequest.Status.OPEN
    own_page = partner_client.get(reverse("admin:directory_offer_change", args=[own.pk])).content.decode()
    assert "wartet ein Änderungswunsch auf die Koordination" in own_page

    coordination = Client()
    coordination.force_login(coordinator)
    page = coordination.get(reverse("admin:directory_changerequest_change", args=[change_request.pk])).content.decode()
    assert "Elterncafé am Markt" in page and "05381 200" in page
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])
    confirmation = coordination.post(url)
    assert "Ja, übernehmen" in confirmation.content.decode()
    own.refresh_from_db()
    assert own.title == "Eigenes Elterncafé"  # nothing happens before the confirmation
    coordination.post(url, {"confirmed": "1", "state": confirmation.context["state"]})
    own.refresh_from_db()
    assert own.title == "Elterncafé am Markt"
    assert [c.phone for c in own.contacts.all()] == ["05381 200"]
    assert own.status == Offer.Status.PUBLISHED
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPROVED and change_request.resolved_by == coordinator


def test_partner_has_no_access_to_reports_or_change_requests(partner_client):
    for name in ("report", "changerequest", "reviewrequest", "partnerprofile"):
        assert partner_client.get(reverse(f"admin:directory_{name}_changelist")).status_code == 403


def test_staff_without_partner_profile_or_group_sees_no_offers(client, django_user_model, own):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("dora", "dora@example.org", "dora-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Partner-Redaktion"))
    client.force_login(user)
    assert "Eigenes Elterncafé" not in client.get(reverse("admin:directory_offer_changelist")).content.decode()


def test_partner_sees_own_versions_but_cannot_restore_them(partner_client, own):
    version = own.history.last()
    Offer.objects.filter(pk=own.pk).update(status=Offer.Status.DRAFT)
    own.refresh_from_db()
    partner_client.post(reverse("admin:directory_offer_change", args=[own.pk]), offer_form_data(own, title_de="Neu"))
    url = reverse("admin:directory_offer_simple_history", args=[own.pk, version.history_id])
    page = partner_client.get(url).content.decode()
    assert "Eigenes Elterncafé" in page and "Neu" in page  # the differences to today
    assert "wiederherstellen" not in page
    assert partner_client.post(url).status_code == 403
    own.refresh_from_db()
    assert own.title == "Neu"
