"""Offers travel as CSV and Excel: export, edit, import with a preview and clear row errors."""

import datetime
import io
import re

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.history import snapshot_of_offer
from directory.models import Offer
from directory.resources import OfferResource

from .conftest import make_category, make_language, make_location, make_offer, make_organization, make_target_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers():
    organization = make_organization(name="Caritas Goslar", slug="caritas-goslar")
    school, family = make_category(name="Kita & Schule", slug="kita-schule"), make_category(name="Familie", slug="familie")
    arabic, turkish = make_language("ar", "Arabisch", "العربية"), make_language("tr", "Türkisch", "Türkçe")
    parents = make_target_group("Eltern")
    return [
        make_offer(
            title="Schulberatung",
            slug="schulberatung",
            organization=organization,
            categories=[school, family],
            languages=[arabic, turkish],
            target_groups=[parents],
            locations=[make_location(organization=organization)],
            description="Zeile eins\nZeile zwei",
            format_phone=True,
            is_free=False,
            cost_note_de="5 € pro Termin",
            contacts=[
                {"name": "Frau Haddad", "phone": "05321 412", "email": "haddad@caritas.example", "hours": "Mo 9–12 Uhr"},
                {"name": "Sekretariat", "email": "info@caritas.example", "position": 1},
            ],
        ),
        make_offer(title="Elterncafé", slug="elterncafe", organization=organization, categories=[family], status="draft"),
    ]


def state():
    return {offer.slug: snapshot_of_offer(offer) for offer in Offer.objects.all()}


def export(format_name):
    dataset = OfferResource().export()
    return dataset, getattr(dataset, format_name)


@pytest.mark.parametrize("format_name", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(offers, format_name):
    before, history_before = state(), sum(offer.history.count() for offer in Offer.objects.all())
    _dataset, data = export(format_name)
    result = OfferResource().import_data(tablib.Dataset().load(data, format=format_name), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert state() == before
    assert sum(offer.history.count() for offer in Offer.objects.all()) == history_before


def test_export_lists_slugs_codes_and_contacts(offers):
    dataset, _csv = export("csv")
    row = dict(zip(dataset.headers, dataset[dataset["slug"].index("schulberatung")], strict=True))
    assert row["categories"] == "familie,kita-schule"
    assert row["languages"] == "ar,tr"
    assert row["organization"] == "caritas-goslar"
    assert row["contacts"].splitlines() == [
        "Frau Haddad | 05321 412 | haddad@caritas.example | Mo 9–12 Uhr",
        "Sekretariat |  | info@caritas.example",
    ]


def test_import_updates_lists_and_contacts(offers, search_vocabulary):
    dataset, _csv = export("csv")
    index = dataset["slug"].index("schulberatung")
    row = list(dataset[index])
    row[dataset.headers.index("languages")] = "ar"
    row[dataset.headers.index("contacts")] = "Frau Haddad | 05321 999"
    dataset[index] = row
    result = OfferResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    offer = Offer.objects.get(slug="schulberatung")
    assert list(offer.languages.values_list("code", flat=True)) == ["ar"]
    assert [(c.name, c.phone) for c in offer.contacts.all()] == [("Frau Haddad", "05321 999")]
    assert Offer.objects.search("schulberatung arabisch").get() == offer


def test_bad_rows_are_reported_and_nothing_is_saved(offers):
    dataset, _csv = export("csv")
    index = dataset["slug"].index("schulberatung")
    row = list(dataset[index])
    row[dataset.headers.index("categories")] = "kita-schule,gibts-nicht"
    row[dataset.headers.index("contacts")] = "Frau Haddad | bitte anrufen"
    row[dataset.headers.index("title")] = "Geändert"
    dataset[index] = row
    result = OfferResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    messages = " ".join(str(error.error) for invalid in result.invalid_rows for error in [invalid])
    assert "gibts-nicht" in messages and "Telefonnummer" in messages
    assert Offer.objects.get(slug="schulberatung").title == "Schulberatung"


def test_admin_import_shows_a_preview_before_anything_changes(coordinator_client, offers):
    dataset, csv_data = export("csv")
    csv_data = csv_data.replace("Elterncafé", "Elterncafé am Markt")
    upload = SimpleUploadedFile("angebote.csv", csv_data.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:directory_offer_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "am Markt" in page and "0 neu, 1 geändert, 1 unverändert" in page
    assert Offer.objects.get(slug="elterncafe").title == "Elterncafé"  # only a preview so far
    confirm = response.context["confirm_form"].initial
    coordinator_client.post(reverse("admin:directory_offer_process_import"), confirm)
    assert Offer.objects.get(slug="elterncafe").title == "Elterncafé am Markt"


def test_admin_import_names_the_row_and_the_problem(coordinator_client, offers):
    _dataset, csv_data = export("csv")
    csv_data = csv_data.replace("caritas-goslar", "unbekannter-traeger", 1).replace("familie", "gibts-nicht", 1)
    upload = SimpleUploadedFile("angebote.csv", csv_data.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:directory_offer_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "„unbekannter-traeger“ gibt es nicht" in page and "„gibts-nicht“ gibt es nicht" in page
    assert not response.context.get("confirm_form")  # nothing to confirm while rows are wrong


def test_admin_export_downloads_excel(coordinator_client, offers):
    response = coordinator_client.post(reverse("admin:directory_offer_export"), {"format": "1", "offerresource_slug": "on"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.search(r'filename="wegweiser-angebote-\d{4}-\d{2}-\d{2}\.xlsx"', response["Content-Disposition"])
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["Angebote"]


def test_history_titles_are_german_also_for_a_partner(partner_client, partner_organization):
    place = make_location(organization=partner_organization)
    make_offer(organization=partner_organization, categories=[make_category()], locations=[place])  # published: view only
    page = partner_client.get(reverse("admin:directory_location_history", args=[place.pk])).content.decode()
    assert f"<h1>Änderungsgeschichte: {place}</h1>" in page and "View history" not in page


def test_export_then_import_of_the_demo_data_changes_nothing(demo_data):
    before = state()
    versions = Offer.history.count()
    for format_name in ("csv", "xlsx"):  # one demo load for both formats keeps the suite fast
        _dataset, data = export(format_name)
        result = OfferResource().import_data(tablib.Dataset().load(data, format=format_name), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), format_name
        assert result.totals["skip"] == len(before) > 50, format_name
        assert state() == before, format_name
        assert Offer.history.count() == versions, format_name


def edited_row(dataset, slug, **cells):
    index = dataset["slug"].index(slug)
    row = list(dataset[index])
    for column, value in cells.items():
        row[dataset.headers.index(column)] = value
    dataset[index] = row
    return dataset


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"locations": ""}, "format_in_person", "„vor Ort“ braucht einen Ort"),
        ({"categories": ""}, "categories", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_import_applies_the_admin_forms_rules(offers, cells, column, message):
    dataset, _csv = export("csv")
    edited_row(dataset, "schulberatung", status="veröffentlicht", format_in_person="ja", **cells)
    result = OfferResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    errors = {key: list(messages) for invalid in result.invalid_rows for key, messages in invalid.error_dict.items()}
    assert any(message in text for text in errors[column])
    offer = Offer.objects.get(slug="schulberatung")
    assert offer.locations.exists() and offer.categories.exists()  # nothing saved


def test_admin_import_preview_lists_the_form_rule_per_row_and_column(coordinator_client, offers):
    dataset, _csv = export("csv")
    edited_row(dataset, "schulberatung", locations="", format_in_person="ja")
    upload = SimpleUploadedFile("angebote.csv", dataset.csv.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:directory_offer_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    problems = response.context["row_problems"]
    row = dataset["slug"].index("schulberatung") + 2
    assert [(p["row"], p["name"]) for p in problems] == [(row, "format_in_person")]
    assert "„vor Ort“ braucht einen Ort" in response.content.decode()
    assert not response.context.get("confirm_form")


def upload_csv(client, csv_data):
    upload = SimpleUploadedFile("angebote.csv", csv_data.encode(), content_type="text/csv")
    return client.post(reverse("admin:directory_offer_import"), {"import_file": upload, "format": "0", "resource": "0"})


def test_export_carries_when_each_offer_was_changed(offers):
    dataset, _csv = export("csv")
    offer = Offer.objects.get(slug="schulberatung")
    row = dict(zip(dataset.headers, dataset[dataset["slug"].index("schulberatung")], strict=True))
    assert row["changed"] == timezone.localtime(offer.updated).strftime("%d.%m.%Y %H:%M:%S")


def test_rows_changed_since_the_export_are_left_out_unless_confirmed(coordinator_client, offers):
    _dataset, csv_data = export("csv")
    # Meanwhile a change request was approved: the file's summary is now older than the offer's.
    Offer.objects.filter(slug="schulberatung").update(
        summary_de="Vom Träger neu beschrieben", updated=timezone.now() + datetime.timedelta(minutes=5)
    )
    csv_data = csv_data.replace("Elterncafé", "Elterncafé am Markt").replace("5 € pro Termin", "6 € pro Termin")
    response = upload_csv(coordinator_client, csv_data)
    page = response.content.decode()
    assert "0 neu, 1 geändert, 0 unverändert." in page
    assert "1 Zeile seit dem Export geändert – wird nicht übernommen." in page
    assert response.context["conflict_rows"][0]["title"] == "Schulberatung"
    confirm = response.context["confirm_form"].initial
    coordinator_client.post(reverse("admin:directory_offer_process_import"), confirm)
    kept = Offer.objects.get(slug="schulberatung")
    assert kept.summary == "Vom Träger neu beschrieben" and kept.cost_note == "5 € pro Termin"
    assert Offer.objects.get(slug="elterncafe").title == "Elterncafé am Markt"

    # Confirmed on purpose, the file wins.
    response = upload_csv(coordinator_client, csv_data)
    assert "Auch diese Zeilen übernehmen" in response.content.decode()
    coordinator_client.post(
        reverse("admin:directory_offer_process_import"), {**response.context["confirm_form"].initial, "overwrite_newer": "on"}
    )
    assert Offer.objects.get(slug="schulberatung").cost_note == "6 € pro Termin"


def test_an_old_file_without_the_changed_column_imports_with_a_note(coordinator_client, offers):
    dataset, _csv = export("csv")
    del dataset["changed"]
    response = upload_csv(coordinator_client, dataset.csv.replace("Elterncafé", "Elterncafé am Markt"))
    page = response.content.decode()
    assert "0 neu, 1 geändert, 1 unverändert." in page
    assert "Diese Datei hat keine Spalte „changed“" in page
    coordinator_client.post(reverse("admin:directory_offer_process_import"), response.context["confirm_form"].initial)
    assert Offer.objects.get(slug="elterncafe").title == "Elterncafé am Markt"


def test_a_huge_cell_is_refused_with_its_limit_row_and_column(coordinator_client, offers):
    dataset, _csv = export("csv")
    index = dataset["slug"].index("schulberatung")
    row = list(dataset[index])
    row[dataset.headers.index("description")] = "A" * 40000
    dataset[index] = row
    response = upload_csv(coordinator_client, dataset.csv)
    page = response.content.decode()
    assert "Höchstens 5000 Zeichen – in dieser Zelle stehen 40000." in page
    problem = response.context["row_problems"][0]
    assert (problem["row"], problem["name"]) == (index + 2, "description")
    assert problem["column"] == openpyxl.utils.get_column_letter(dataset.headers.index("description") + 1)
    assert "A" * 100 not in page  # the text itself is not rendered
    assert not response.context.get("confirm_form")
    assert Offer.objects.get(slug="schulberatung").description == "Zeile eins\nZeile zwei"


@pytest.mark.parametrize("format_name", ["csv", "xlsx"])
def test_contact_with_a_bar_or_backslash_survives_export_and_import(offers, format_name):
    offer = Offer.objects.get(slug="schulberatung")
    offer.contacts.filter(name="Frau Haddad").update(name="Max | Moritz", hours=r"Mo 9–12 \ Di|Mi")
    _dataset, data = export(format_name)
    result = OfferResource().import_data(tablib.Dataset().load(data, format=format_name), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert offer.contacts.filter(name="Max | Moritz", hours=r"Mo 9–12 \ Di|Mi", phone="05321 412").exists()


def test_an_edited_contact_with_an_escaped_bar_is_read_back(offers):
    dataset, _csv = export("csv")
    index = dataset["slug"].index("schulberatung")
    row = list(dataset[index])
    row[dataset.headers.index("contacts")] = r"Team A\|B | 05321 1234"
    dataset[index] = row
    result = OfferResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors()
    assert [(c.name, c.phone) for c in Offer.objects.get(slug="schulberatung").contacts.all()] == [("Team A|B", "05321 1234")]
