"""The coordinator sees what needs attention and marks offers reviewed in one click; deleting archives."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import ChangeRequest, Offer, Report

from .browserform import browser_form_data
from .conftest import make_category, make_offer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def mixed_offers():
    return {
        "never": make_offer(title="Nie geprüft", categories=[make_category()]),
        "old": make_offer(title="Lange her", last_reviewed=TODAY - timedelta(days=400)),
        "fresh": make_offer(title="Frisch geprüft", last_reviewed=TODAY - timedelta(days=10)),
        "expiring": make_offer(title="Läuft bald aus", last_reviewed=TODAY, valid_until=TODAY + timedelta(days=20)),
        "draft": make_offer(title="Nur Entwurf", status=Offer.Status.DRAFT, last_reviewed=TODAY),
        "archived": make_offer(title="Archiviert", status=Offer.Status.ARCHIVED),
    }


def dashboard_count(page, key):
    start = page.index(f'data-item="{key}"')
    count_start = page.index('class="dashboard-count">', start) + len('class="dashboard-count">')
    return int(page[count_start : page.index("<", count_start)])


def test_dashboard_counts_and_links_to_the_matching_lists(coordinator_client, mixed_offers):
    offer = mixed_offers["fresh"]
    Report.objects.create(offer=offer, message="Telefonnummer falsch")
    Report.objects.create(offer=offer, message="Erledigt", status=Report.Status.DONE)
    ChangeRequest.objects.create(offer=offer, source=ChangeRequest.Source.PROVIDER, message="Neue Zeiten")

    page = coordinator_client.get(reverse("admin:index")).content.decode()
    assert dashboard_count(page, "stale") == 2  # never and old; archived offers need no review
    assert dashboard_count(page, "expiring") == 1
    assert dashboard_count(page, "drafts") == 1
    assert dashboard_count(page, "change_requests") == 1
    assert dashboard_count(page, "reports") == 1

    stale_list = coordinator_client.get(reverse("admin:directory_offer_changelist") + "?pruefung=faellig").content.decode()
    assert "Nie geprüft" in stale_list and "Lange her" in stale_list and "Frisch geprüft" not in stale_list
    expiring_list = coordinator_client.get(reverse("admin:directory_offer_changelist") + "?pruefung=laeuft-ab").content.decode()
    assert "Läuft bald aus" in expiring_list and "Nie geprüft" not in expiring_list
    reports = coordinator_client.get(reverse("admin:directory_report_changelist") + "?bearbeitung=offen").content.decode()
    assert "Telefonnummer falsch" in reports and "Erledigt" not in reports


def test_one_click_marks_an_offer_reviewed_today_and_records_it(coordinator_client, coordinator, mixed_offers):
    offer = mixed_offers["never"]
    change_page = reverse("admin:directory_offer_change", args=[offer.pk])
    page = coordinator_client.get(change_page).content.decode()
    assert "Sichern und heute geprüft" in page
    response = coordinator_client.post(change_page, {**browser_form_data(page, "offer_form"), "_mark_reviewed": "1"})
    assert response.status_code == 302 and response["Location"] == change_page
    offer.refresh_from_db()
    assert offer.last_reviewed == TODAY
    assert offer.history.first().history_user == coordinator
    assert offer.history.first().history_change_reason == "geprüft"


def test_reviewed_today_on_the_offer_page_saves_what_she_typed(coordinator_client, mixed_offers):
    offer = mixed_offers["never"]
    change_page = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(change_page).content.decode(), "offer_form")
    data["summary_de"] = "Neu geschrieben, noch nicht gesichert."
    coordinator_client.post(change_page, {**data, "_mark_reviewed": "1"})
    offer.refresh_from_db()
    assert (offer.summary, offer.last_reviewed) == ("Neu geschrieben, noch nicht gesichert.", TODAY)


def test_reviewed_today_with_an_error_in_the_form_marks_nothing_and_keeps_the_text(coordinator_client, mixed_offers):
    offer = mixed_offers["never"]
    change_page = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(change_page).content.decode(), "offer_form")
    data.update(summary_de="Mein halb fertiger Text", title_de="")
    response = coordinator_client.post(change_page, {**data, "_mark_reviewed": "1"})
    assert response.status_code == 200 and "Mein halb fertiger Text" in response.content.decode()
    offer.refresh_from_db()
    assert offer.last_reviewed is None and offer.summary != "Mein halb fertiger Text"


def test_changelist_row_has_a_reviewed_today_button(coordinator_client, mixed_offers):
    page = coordinator_client.get(reverse("admin:directory_offer_changelist")).content.decode()
    assert reverse("admin:directory_offer_mark_reviewed", args=[mixed_offers["old"].pk]) in page


def test_one_click_never_redirects_to_another_site(coordinator_client, mixed_offers):
    url = reverse("admin:directory_offer_mark_reviewed", args=[mixed_offers["old"].pk])
    response = coordinator_client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("admin:directory_offer_changelist")


def test_marking_reviewed_needs_a_post(coordinator_client, mixed_offers):
    offer = mixed_offers["never"]
    assert coordinator_client.get(reverse("admin:directory_offer_mark_reviewed", args=[offer.pk])).status_code == 403
    offer.refresh_from_db()
    assert offer.last_reviewed is None


def test_deleting_an_offer_archives_it(coordinator_client, mixed_offers):
    offer = mixed_offers["fresh"]
    url = reverse("admin:directory_offer_delete", args=[offer.pk])
    assert "archiviert" in coordinator_client.get(url).content.decode()
    coordinator_client.post(url, {"post": "yes"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ARCHIVED
    assert not Offer.objects.visible().filter(pk=offer.pk).exists()
    assert offer.history.first().history_change_reason == "archiviert statt gelöscht"


def test_bulk_delete_is_replaced_by_archiving(coordinator_client, mixed_offers):
    url = reverse("admin:directory_offer_changelist")
    ids = [mixed_offers["never"].pk, mixed_offers["old"].pk]
    coordinator_client.post(url, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert Offer.objects.filter(pk__in=ids).count() == 2
    coordinator_client.post(url, {"action": "archive_selected", "_selected_action": ids})
    assert set(Offer.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Offer.Status.ARCHIVED}


def test_only_an_archived_offer_is_deleted_for_good_and_its_history_stays(coordinator_client, mixed_offers):
    offer = mixed_offers["archived"]
    coordinator_client.post(reverse("admin:directory_offer_delete", args=[offer.pk]), {"post": "yes"})
    assert not Offer.objects.filter(pk=offer.pk).exists()
    assert Offer.history.filter(id=offer.pk, history_type="-").exists()


def test_review_digest_prints_and_sends_what_needs_attention(mixed_offers, settings):
    settings.COORDINATOR_EMAIL = "koordination@landkreis.example"
    Report.objects.create(offer=mixed_offers["fresh"], message="Adresse falsch")
    from io import StringIO

    out = StringIO()
    call_command("review_digest", stdout=out)
    text = out.getvalue()
    assert "Nie geprüft" in text and "Lange her" in text and "Läuft bald aus" in text
    assert "Offene Meldungen aus der Öffentlichkeit: 1" in text
    assert "/admin/directory/offer/?pruefung=faellig" in text
    assert not mail.outbox

    call_command("review_digest", "--send", stdout=StringIO())
    assert mail.outbox[0].to == ["koordination@landkreis.example"]
    assert "Nie geprüft" in mail.outbox[0].body


def test_no_admin_page_loads_anything_from_another_host(coordinator_client, mixed_offers):
    offer = mixed_offers["fresh"]
    for url in (
        reverse("admin:index"),
        reverse("admin:directory_offer_changelist"),
        reverse("admin:directory_offer_change", args=[offer.pk]),
        reverse("admin:directory_offer_history", args=[offer.pk]),
        reverse("admin:directory_offer_import"),
        reverse("admin:directory_offer_export"),
    ):
        page = coordinator_client.get(url).content.decode()
        for marker in ('src="http', "src='http", 'src="//', 'href="//', '<link rel="stylesheet" href="http'):
            assert marker not in page, url


def test_the_form_says_that_saving_marks_the_offer_reviewed(coordinator_client, mixed_offers):
    page = coordinator_client.get(reverse("admin:directory_offer_change", args=[mixed_offers["never"].pk])).content.decode()
    assert "Wenn Sie „Sichern“ klicken, wird dieses Datum auf heute gesetzt" in page
    assert "Auch „Sichern“ setzt „zuletzt geprüft“ auf heute." in page
    buttons = page.split('class="submit-row"')[1].split("</div>")[0]
    assert "Sichern und heute geprüft" in buttons and "Speichern" not in buttons
