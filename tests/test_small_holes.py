"""Small holes an attacker would try: protocol-relative language links, line breaks in names and
vCards, lost provider answers, invisible characters in reports, placeholder legal pages."""

import threading

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from directory.checks import legal_pages_are_complete
from directory.forms import ReportForm
from directory.models import ChangeRequest, Contact, LegalPage, Location, Offer, Organization, Report, ReviewRequest
from directory.review import review_token
from directory.validators import strip_invisible
from directory.vcards import vcard

from .conftest import make_offer

pytestmark = pytest.mark.django_db


# --- Language links never lead to another host ------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/en//evil.example/", "/en///evil.example/x/", "/ar//evil.example/?q=1", "/en/%2F%2Fevil.example/", "/uk//\\evil.example/"],
)
def test_language_links_never_start_with_two_slashes(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'href="//' not in page and "href='//" not in page
    assert 'href="/evil.example/' in page or 'href="/%5Cevil.example/' in page  # the German link stays on this host


# --- Names are one line; vCards escape whatever is stored ---------------------------------


@pytest.mark.parametrize(
    "name", ["Frau Kaya\rTEL:0900123", "Frau Kaya\nEMAIL:x@evil.example", "Kaya\x1b[31m", "Kaya\u2028X", "\u202eayaK"]
)
def test_control_characters_in_names_are_refused(name):
    offer = make_offer()
    contact = Contact(offer=offer, name=name, phone="05321 12345")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "name" in error.value.message_dict
    for model, field in [(Organization, "name"), (Location, "street"), (Offer, "title")]:
        with pytest.raises(ValidationError):
            model._meta.get_field(field).run_validators(name)


def test_names_in_right_to_left_scripts_and_with_joiners_are_accepted():
    for name in ["مركز الأسرة", "مشاوره‌ی خانواده", "Frau Yılmaz (Beratung, Mo–Fr)"]:
        Contact._meta.get_field("name").run_validators(name)


def test_admin_refuses_a_contact_name_with_a_line_break(coordinator_client):
    from .conftest import offer_form_data

    offer = make_offer(status=Offer.Status.DRAFT, contacts=[{"name": "Frau Kaya", "phone": "05321 12345"}])
    data = offer_form_data(offer, **{"contacts-0-name": "Frau Kaya\rTEL:0900123"})
    response = coordinator_client.post(reverse("admin:directory_offer_change", args=[offer.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert "ohne Zeilenumbrüche" in response.content.decode()
    assert offer.contacts.get().name == "Frau Kaya"


@pytest.mark.parametrize("injected", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028"])
def test_a_stored_line_break_cannot_add_a_vcard_property(injected):
    offer = make_offer(contacts=[{"name": "Frau Kaya", "phone": "05321 12345"}])
    # Written past the validators, as an old row or a raw database edit could be.
    Contact.objects.filter(offer=offer).update(name=f"Frau Kaya{injected}TEL:0900666", hours=f"Mo{injected}URL:https://evil.example")
    contact = Contact.objects.select_related("offer__organization").get(offer=offer)
    card = vcard(contact)
    lines = card.split("\r\n")
    assert not any(line.startswith(("TEL:0900", "URL:https://evil")) for line in lines)
    assert all(not set(line) & {"\r", "\n", "\x0b", "\x0c", "\x85", "\u2028"} for line in lines)
    assert sum(line.startswith("TEL") for line in lines) == 1


# --- Provider answers are atomic and never lost ------------------------------------------------


@pytest.fixture
def review_link(db):
    offer = make_offer(title="Sprachcafé", contacts=[{"name": "Frau Kaya", "email": "kaya@example.org"}])
    review_request = ReviewRequest.objects.create(offer=offer, email="kaya@example.org")
    return reverse("directory:review", kwargs={"token": review_token(review_request)}), review_request


def test_a_change_sent_together_with_a_confirmation_is_kept(client, review_link):
    url, review_request = review_link
    response = client.post(url, {"confirm": "1", "message": "Neue Telefonnummer: 05321 55555"})
    assert response.status_code == 200
    change = ChangeRequest.objects.get()
    assert change.message == "Neue Telefonnummer: 05321 55555"
    review_request.refresh_from_db()
    assert review_request.outcome == ReviewRequest.Outcome.CHANGED
    assert "Änderung" in response.content.decode()


def test_an_answer_from_a_second_tab_is_refused_with_its_text_handed_back(client, review_link):
    url, review_request = review_link
    assert client.get(url).status_code == 200  # both tabs show the form
    assert client.post(url, {"confirm": "1"}).status_code == 200
    response = client.post(url, {"message": "Neue Sprechzeiten: Mo 9–12 Uhr"})
    assert response.status_code == 410
    page = response.content.decode()
    assert "nicht gespeichert" in page and "Neue Sprechzeiten: Mo 9–12 Uhr" in page and "mailto:" in page
    review_request.refresh_from_db()
    assert review_request.outcome == ReviewRequest.Outcome.CONFIRMED
    assert not ChangeRequest.objects.exists()


def test_a_second_answer_racing_the_first_is_refused_with_its_text_handed_back(client, review_link):
    url, _review_request = review_link
    assert client.post(url, {"confirm": "1"}).status_code == 200
    from django.test import Client

    from directory import review

    second = Client()
    original = review._review_request_from_token
    with pytest.MonkeyPatch.context() as patch:
        # the second request checked the link before the first one claimed it
        patch.setattr(review, "_review_request_from_token", lambda token: (original(token)[0], "ok"))
        response = second.post(url, {"message": "Wir sind umgezogen: Marktstraße 9"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "nicht gespeichert" in page and "Wir sind umgezogen: Marktstraße 9" in page
    assert "mailto:" in page
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_answers_one_wins_one_is_told(review_link):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers anyway; the race is real on PostgreSQL")
    from django.test import Client

    url, _review_request = review_link
    barrier = threading.Barrier(2)
    results = []

    def send(data):
        barrier.wait()
        try:
            results.append(Client().post(url, data).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=({"confirm": "1"},)),
        threading.Thread(target=send, args=({"message": "Neue Adresse"},)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) in ([200, 409], [200, 410])
    assert ReviewRequest.objects.get().used is not None


# --- Reports: what the coordinator reads is what was written ----------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Die Nummer \u202estimmt\u202c nicht", "Die Nummer stimmt nicht"),
        ("Adresse\u200b falsch\ufeff", "Adresse falsch"),
        ("\u2066Telefon\u2069 \u200fkaputt", "Telefon kaputt"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # the Persian zero-width non-joiner inside a word stays
    ],
)
def test_invisible_characters_are_removed_from_reports(client, typed, stored):
    offer = make_offer()
    response = client.post(reverse("directory:offer-report", kwargs={"slug": offer.slug}), {"message": typed})
    assert response.status_code == 302
    assert Report.objects.get().message == stored


def test_a_report_of_only_invisible_characters_is_empty():
    form = ReportForm({"message": "\u200b\u202e\ufeff"})
    assert not form.is_valid()
    assert "message" in form.errors


def test_strip_invisible_keeps_joiners_only_between_letters():
    assert strip_invisible("a\u200db") == "a\u200db"
    assert strip_invisible("\u200dab\u200c") == "ab"


# --- Legal pages that still hold placeholders ----------------------------------------------


@pytest.fixture
def legal_pages(db):
    """The three pages as a fresh install has them (the data migration's rows are gone after a flush)."""
    from directory.legal import default_page

    for kind in LegalPage.Kind.values:
        if not LegalPage.objects.filter(kind=kind).exists():
            default_page(kind).save()


def fill_legal_pages():
    for page in LegalPage.objects.all():
        page.body = "## Angaben\n\nMigranten-Eltern-Netzwerk Goslar, Marktstraße 1, 38640 Goslar."
        page.save()


def test_placeholders_in_legal_pages_are_a_deploy_warning(legal_pages):
    assert LegalPage.objects.count() == 3
    warnings = legal_pages_are_complete()
    assert {warning.id for warning in warnings} == {"wegweiser.W001"}
    assert len(warnings) == 3  # the shipped texts still hold the network's placeholders
    fill_legal_pages()
    assert legal_pages_are_complete() == []
    page = LegalPage.objects.get(kind="impressum")
    page.body += "\n\nVertreten durch [Name der vertretungsberechtigten Person]"
    page.save()
    [warning] = [message for message in run_checks(include_deployment_checks=True) if message.id.startswith("wegweiser")]
    assert warning.id == "wegweiser.W001" and "[Name der vertretungsberechtigten Person]" in warning.msg


def test_dashboard_shows_the_legal_pages_still_to_complete(coordinator_client, legal_pages):
    fill_legal_pages()
    page = LegalPage.objects.get(kind="datenschutz")
    page.body += "\n\nAufsichtsbehörde: [Behörde]"
    page.save()
    dashboard = coordinator_client.get(reverse("admin:index")).content.decode()
    start = dashboard.index('data-item="legal_placeholders"')
    row = dashboard[start : dashboard.index("</tr>", start)]
    assert ">1<" in row
    assert reverse("admin:directory_legalpage_change", args=[page.pk]) in row


def test_dashboard_says_nothing_is_open_when_legal_pages_are_complete(coordinator_client, legal_pages):
    fill_legal_pages()
    dashboard = coordinator_client.get(reverse("admin:index")).content.decode()
    start = dashboard.index('data-item="legal_placeholders"')
    assert ">0<" in dashboard[start : dashboard.index("</tr>", start)]


def test_partners_do_not_see_the_legal_pages_line(partner_client, legal_pages):
    dashboard = partner_client.get(reverse("admin:index")).content.decode()
    assert "legal_placeholders" not in dashboard
