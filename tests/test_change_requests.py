"""A partner's edit of a published offer is merged field by field; the coordinator's later edits are never lost."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import ChangeRequest, Offer

from .conftest import make_category, make_location, make_offer, offer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(partner_organization):
    return make_offer(
        title="Elterncafé",
        summary="Treffen für Eltern.",
        how_to_get_help="Kommen Sie vorbei.",
        organization=partner_organization,
        categories=[make_category()],
        locations=[make_location(organization=partner_organization)],
        contacts=[{"name": "Frau Kaya", "phone": "05381 100"}],
    )


@pytest.fixture
def coordination(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def propose(partner_client, offer, **changes):
    data = offer_form_data(offer, **changes)
    response = partner_client.post(reverse("admin:directory_offer_change", args=[offer.pk]), data)
    assert response.status_code == 302
    return ChangeRequest.objects.filter(offer=offer).order_by("-pk").first()


def edit_as_coordinator(coordination, offer, **changes):
    offer.refresh_from_db()
    data = offer_form_data(offer, **changes)
    response = coordination.post(reverse("admin:directory_offer_change", args=[offer.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def approve(coordination, change_request, **choices):
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])
    confirmation = coordination.post(url, choices)
    assert confirmation.status_code == 200, confirmation
    return coordination.post(url, {**choices, "confirmed": "1", "state": confirmation.context["state"]}, follow=True)


def test_windows_line_endings_do_not_count_as_a_change(partner_client, offer):
    offer.how_to_get_help = "Rufen Sie an.\nKommen Sie vorbei."
    offer.save()
    change_request = propose(
        partner_client, offer, summary_de="Treffen für Mütter und Väter.",
        how_to_get_help_de="Rufen Sie an.\r\nKommen Sie vorbei.\r\n",
    )  # fmt: skip
    assert list(change_request.proposal["fields"]) == ["summary_de"]
    assert change_request.base == {"fields": {"summary_de": "Treffen für Eltern."}}


def test_only_the_partners_field_is_applied_and_the_coordinators_later_edit_stays(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Treffen für Mütter und Väter.")
    edit_as_coordinator(coordination, offer, how_to_get_help_de="Rufen Sie vorher an.\r\nDann kommen Sie vorbei.")

    approve(coordination, change_request)

    offer.refresh_from_db()
    assert offer.summary == "Treffen für Mütter und Väter."
    assert offer.how_to_get_help.splitlines() == ["Rufen Sie vorher an.", "Dann kommen Sie vorbei."]
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.APPROVED


def test_page_shows_old_proposed_and_current_value_and_flags_a_conflict(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Vorschlag des Partners.")
    edit_as_coordinator(coordination, offer, summary_de="Von der Koordination umgeschrieben.")

    page = coordination.get(reverse("admin:directory_changerequest_change", args=[change_request.pk])).content.decode()
    for text in ("Treffen für Eltern.", "Vorschlag des Partners.", "Von der Koordination umgeschrieben."):
        assert text in page
    assert "Konflikt: seit dem Einreichen geändert" in page
    assert "jetzigen Stand behalten" in page and "Vorschlag übernehmen" in page


def test_a_conflict_is_never_decided_silently(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Vorschlag des Partners.")
    edit_as_coordinator(coordination, offer, summary_de="Von der Koordination umgeschrieben.")
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])

    response = coordination.post(url, follow=True)

    assert "Bitte entscheiden Sie zuerst" in response.content.decode()
    offer.refresh_from_db()
    assert offer.summary == "Von der Koordination umgeschrieben."
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.OPEN


@pytest.mark.parametrize(
    ("choice", "expected"), [("keep", "Von der Koordination umgeschrieben."), ("take", "Vorschlag des Partners.")]
)
def test_the_coordinator_decides_a_conflict(partner_client, coordination, offer, choice, expected):
    change_request = propose(partner_client, offer, summary_de="Vorschlag des Partners.", **{"contacts-0-phone": "05381 200"})
    edit_as_coordinator(coordination, offer, summary_de="Von der Koordination umgeschrieben.")

    approve(coordination, change_request, **{"choice-fields:summary_de": choice})

    offer.refresh_from_db()
    assert offer.summary == expected
    assert [contact.phone for contact in offer.contacts.all()] == ["05381 200"]  # no conflict there: taken


def test_a_field_the_coordinator_declines_is_not_applied(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Neu.", title_de="Elterncafé am Markt")

    approve(coordination, change_request, **{"choice-fields:title_de": "keep"})

    offer.refresh_from_db()
    assert offer.summary == "Neu." and offer.title == "Elterncafé"


def test_nothing_changes_before_the_confirmation(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Neu.")
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])

    page = coordination.post(url).content.decode()

    assert "Ja, übernehmen" in page and "Treffen für Eltern." in page and "Neu." in page
    offer.refresh_from_db()
    assert offer.summary == "Treffen für Eltern."


def test_an_edit_between_choosing_and_confirming_sends_her_back(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Neu.")
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])
    state = coordination.post(url).context["state"]
    Offer.objects.filter(pk=offer.pk).update(summary_de="Inzwischen anders.")

    response = coordination.post(url, {"confirmed": "1", "state": state}, follow=True)

    assert "inzwischen geändert" in response.content.decode()
    offer.refresh_from_db()
    assert offer.summary == "Inzwischen anders."


def test_approval_writes_one_history_entry_naming_the_partner(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, summary_de="Neu.")
    before = offer.history.count()

    approve(coordination, change_request)

    assert offer.history.count() == before + 1
    assert "bob" in offer.history.first().history_change_reason


def test_partner_cannot_approve(partner_client, offer):
    change_request = propose(partner_client, offer, summary_de="Neu.")
    url = reverse("admin:directory_changerequest_approve", args=[change_request.pk])
    assert partner_client.post(url, {"confirmed": "1"}).status_code == 403
    offer.refresh_from_db()
    assert offer.summary == "Treffen für Eltern."


def test_a_request_cannot_be_set_to_applied_by_hand(partner_client, coordination, offer):
    change_request = propose(partner_client, offer, title_de="Elterncafé am Markt")
    url = reverse("admin:directory_changerequest_change", args=[change_request.pk])
    response = coordination.post(url, {"status": "approved", "resolved": ""})
    assert response.status_code == 200  # the form names the choice as not available
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequest.Status.OPEN
    assert 'value="approved"' not in coordination.get(url).content.decode()
