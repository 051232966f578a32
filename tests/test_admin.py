import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import Category, Contact, Language, Location, Offer, Organization, TargetGroup, Town

from .conftest import (
    inline_management,
    make_category,
    make_language,
    make_location,
    make_offer,
    make_organization,
    make_target_group,
    make_town,
)

pytestmark = pytest.mark.django_db

MODELS = [Category, Language, TargetGroup, Town, Organization, Location, Offer]


@pytest.fixture
def one_of_each():
    town = make_town("Seesen")
    organization = make_organization()
    location = make_location(town=town, organization=organization)
    offer = make_offer(
        organization=organization,
        categories=[make_category()],
        languages=[make_language("ar", "Arabisch", "العربية", direction="rtl")],
        target_groups=[make_target_group()],
        locations=[location],
        contacts=[{"name": "Frau Haddad", "phone": "030 23125 412"}],
    )
    return {Category: offer.categories.get(), Language: offer.languages.get(), TargetGroup: offer.target_groups.get(),
            Town: town, Organization: organization, Location: location, Offer: offer}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_render(coordinator_client, one_of_each, model):
    opts = model._meta
    for url in (
        reverse(f"admin:directory_{opts.model_name}_changelist"),
        reverse(f"admin:directory_{opts.model_name}_add"),
        reverse(f"admin:directory_{opts.model_name}_change", args=[one_of_each[model].pk]),
    ):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url


def test_admin_speaks_german(coordinator_client):
    response = coordinator_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Angebote pflegen" in response.content.decode()


def test_outsider_cannot_open_the_admin(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("admin:directory_offer_changelist"))
    assert response.status_code == 302


def offer_changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:directory_offer_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_offer_changelist_query_count_does_not_grow_with_offers(coordinator_client):
    category = make_category()
    for _ in range(3):
        make_offer(categories=[category])
    few = offer_changelist_queries(coordinator_client)
    for _ in range(40):
        make_offer(categories=[category, make_category()])
    assert offer_changelist_queries(coordinator_client) == few


def test_bulk_actions_publish_unpublish_and_mark_reviewed(coordinator_client):
    offers = [make_offer(status=Offer.Status.DRAFT) for _ in range(2)]
    url = reverse("admin:directory_offer_changelist")
    ids = [o.pk for o in offers]
    coordinator_client.post(url, {"action": "publish", "_selected_action": ids})
    assert Offer.objects.visible().count() == 2
    coordinator_client.post(url, {"action": "mark_reviewed_today", "_selected_action": ids})
    assert set(Offer.objects.values_list("last_reviewed", flat=True)) == {timezone.localdate()}
    coordinator_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert not Offer.objects.visible().exists()


def test_coordinator_adds_offer_with_contact_and_it_becomes_searchable(coordinator_client, search_vocabulary):
    organization = make_organization(name="Familienzentrum Seesen")
    category = make_category(name="Kita & Schule")
    arabic = make_language("ar", "Arabisch", "العربية")
    data = {
        "title_de": "Schulberatung auf Arabisch", "slug": "schulberatung-arabisch",
        "summary_de": "Hilfe bei Fragen zur Schule.", "organization": organization.pk,
        "categories": [category.pk], "languages": [arabic.pk], "status": "published",
        "format_phone": "on", "is_free": "on", "appointment_needed": "on",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        **inline_management("slots"), **inline_management("closures"),
        "contacts-0-name": "Frau Haddad", "contacts-0-phone": "030 23125 412", "contacts-0-position": "0",
    }
    response = coordinator_client.post(reverse("admin:directory_offer_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    offer = Offer.objects.get(slug="schulberatung-arabisch")
    assert Contact.objects.get(offer=offer).phone == "030 23125 412"
    assert Offer.objects.search("arabisch schule").get() == offer


def test_coordinator_sees_a_clear_error_for_a_bad_phone_number(coordinator_client):
    offer = make_offer()
    location = make_location()
    data = {
        "title_de": offer.title, "slug": offer.slug, "summary_de": offer.summary,
        "organization": offer.organization.pk, "categories": [make_category().pk], "status": "published",
        "locations": [location.pk],
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        **inline_management("slots"), **inline_management("closures"),
        "contacts-0-name": "Sekretariat", "contacts-0-phone": "bitte anrufen", "contacts-0-position": "0",
    }
    response = coordinator_client.post(reverse("admin:directory_offer_change", args=[offer.pk]), data)
    assert response.status_code == 200
    assert "Telefonnummer" in response.content.decode()
    assert not Contact.objects.exists()


def test_partner_on_a_forbidden_admin_page_gets_a_german_page_with_a_way_back(partner_client):
    response = partner_client.get("/admin/directory/report/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Dafür haben Sie keine Berechtigung.</h1>" in page
    assert 'href="/admin/"' in page and "Zur Startseite der Verwaltung" in page
    assert 'id="header"' in page  # the admin's own layout, not a bare "403 Forbidden"


def test_a_public_403_uses_the_site_layout_in_the_readers_language(rf):
    from directory.views import permission_denied

    with translation.override("en"):
        response = permission_denied(rf.get("/en/irgendwo/"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Dafür haben Sie keine Berechtigung" not in page and 'lang="en"' in page


def test_archiving_a_draft_is_labelled_archive_and_does_not_speak_of_publishing(coordinator_client):
    offer = make_offer(title="Partner-Entwurf", status=Offer.Status.DRAFT)
    change = coordinator_client.get(reverse("admin:directory_offer_change", args=[offer.pk])).content.decode()
    assert 'class="deletelink">Archivieren</a>' in change
    confirm = coordinator_client.get(reverse("admin:directory_offer_delete", args=[offer.pk])).content.decode()
    assert "<title>Archivieren" in confirm and "&rsaquo; Archivieren" in confirm
    response = coordinator_client.post(reverse("admin:directory_offer_delete", args=[offer.pk]), {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "„Partner-Entwurf“ ist jetzt archiviert. Über den Status „Entwurf“ kommt es zurück." in page
    assert "nicht mehr öffentlich" not in page and "„veröffentlicht“ kommt es zurück" not in page


def test_change_request_status_filter_names_offen_once(coordinator_client):
    page = coordinator_client.get(reverse("admin:directory_changerequest_changelist")).content.decode()
    assert page.count(">offen</a>") == 1


def test_saving_a_report_says_so_without_nested_quotes(coordinator_client):
    from directory.models import Report

    report = Report.objects.create(offer=make_offer(title="Babytreff international"), message="Telefon falsch")
    response = coordinator_client.post(
        reverse("admin:directory_report_change", args=[report.pk]), {"status": "done", "note": "erledigt"}, follow=True
    )
    page = response.content.decode()
    assert "Die Meldung zu „Babytreff international“ ist gespeichert." in page
    assert "„Meldung „" not in page


def test_report_page_labels_do_not_end_in_question_mark_and_colon(coordinator_client):
    from directory.models import Report

    report = Report.objects.create(offer=make_offer(title="Babytreff"), message="Telefon falsch")
    page = coordinator_client.get(reverse("admin:directory_report_change", args=[report.pk])).content.decode()
    assert "Was stimmt nicht:</label>" in page and "?:" not in page
    assert "Telefon falsch" in page
