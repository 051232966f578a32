"""Text is stored in one normal form, and an unchanged form or row changes nothing."""

import gzip
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from directory.models import Contact, LegalPage, Location, Offer, Organization
from directory.text import normalize_text

from .browserform import browser_form_data
from .conftest import make_category, make_location, make_offer, make_organization

pytestmark = pytest.mark.django_db

DECOMPOSED_UE = "Bu\u0308ro"  # "Büro" typed as u + combining diaeresis (macOS, some PDFs)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("Zeile eins   \r\nZeile zwei\t\r\n\r\n", "Zeile eins\nZeile zwei"),
        ("\n\nText", "Text"),
        ("  eingerückt", "  eingerückt"),
        (DECOMPOSED_UE, "Büro"),
        ("", ""),
        (None, None),
    ],
)
def test_normal_form(raw, stored):
    assert normalize_text(raw) == stored


def test_every_text_of_an_offer_is_stored_normalised_in_every_language():
    offer = make_offer(
        title="Beratung im " + DECOMPOSED_UE + "  ",
        summary="a\r\nb",
        description_ar="سطر\r\nسطر  ",
        how_to_get_help_de="Rufen Sie an.\r\nKommen Sie vorbei. \r\n",
        contacts=[{"name": "Frau Yılmaz ", "phone": "05321 1234", "hours": "Mo\r\nDi"}],
    )
    offer.refresh_from_db()
    assert offer.title_de == "Beratung im Büro"
    assert offer.summary == "a\nb"
    assert offer.description_ar == "سطر\nسطر"
    assert offer.how_to_get_help == "Rufen Sie an.\nKommen Sie vorbei."
    contact = Contact.objects.get(offer=offer)
    assert (contact.name, contact.hours) == ("Frau Yılmaz", "Mo\nDi")


def test_other_models_store_normalised_text_too():
    location = make_location(opening_hours="Mo 9–12\r\nDi 14–17 ")
    organization = Organization.objects.get(pk=location.organization_id)
    organization.description = "Träger\r\n"
    organization.save()
    legal, _created = LegalPage.objects.update_or_create(
        kind=LegalPage.Kind.IMPRINT, defaults={"title": "Impressum", "body": "## Kontakt\r\n\r\nText  "}
    )
    assert Location.objects.get(pk=location.pk).opening_hours == "Mo 9–12\nDi 14–17"
    assert Organization.objects.get(pk=organization.pk).description == "Träger"
    assert LegalPage.objects.get(pk=legal.pk).body == "## Kontakt\n\nText"


def test_restore_normalises_text_from_an_old_backup(tmp_path):
    """A backup written before this normal form existed comes back in it (loaddata saves raw)."""
    organization = make_organization(slug="alt")
    payload = [
        {
            "model": "directory.organization",
            "pk": organization.pk,
            "fields": {
                "uuid": str(organization.uuid), "name": "Alt", "slug": "alt", "description": "eins\r\nzwei ",
                "website": "", "phone": "", "email": "",
                "created": "2024-01-01T00:00:00Z", "updated": "2024-01-01T00:00:00Z",
            },
        }
    ]
    path = tmp_path / "alt.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump(payload, stream)
    call_command("loaddata", str(path), verbosity=0)
    assert Organization.objects.get(pk=organization.pk).description == "eins\nzwei"


# --- The admin: an unchanged form changes nothing -------------------------------------------


@pytest.fixture
def offer():
    organization = make_organization()
    return make_offer(
        organization=organization,
        categories=[make_category()],
        description="Erste Zeile\nZweite Zeile",
        how_to_get_help="Rufen Sie an.\nKommen Sie vorbei.",
        description_ar="سطر\nسطر",
        locations=[make_location(organization=organization)],
        contacts=[{"name": "Frau Haddad", "phone": "05321 412", "hours": "Mo 9–12 Uhr"}],
    )


def submit_unchanged(client, url, form_id, **changes):
    page = client.get(url)
    assert page.status_code == 200
    data = browser_form_data(page.content, form_id)
    assert "\r\n" in "".join(v for v in data.values() if isinstance(v, str)), "the browser sends CRLF"
    data.update(changes)
    return client.post(url, data)


def test_unchanged_offer_form_creates_no_history_and_keeps_the_date(coordinator_client, offer):
    versions, updated = offer.history.count(), offer.updated
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    response = submit_unchanged(coordinator_client, url, "offer_form", _save="Sichern")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    offer.refresh_from_db()
    assert offer.history.count() == versions
    assert offer.updated == updated
    assert not LogEntry.objects.filter(object_id=str(offer.pk)).exists()


def test_changing_one_field_is_one_history_entry_with_that_change(coordinator_client, offer):
    versions = offer.history.count()
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    response = submit_unchanged(coordinator_client, url, "offer_form", **{"contacts-0-phone": "05321 999", "_save": "Sichern"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.history.count() == versions + 1
    assert offer.contacts.get().phone == "05321 999"
    assert offer.description == "Erste Zeile\nZweite Zeile"


def test_unchanged_location_form_creates_no_history(coordinator_client, offer):
    location = offer.locations.get()
    location.opening_hours = "Mo 9–12\nDi 14–17"
    location.save()
    versions = location.history.count()
    url = reverse("admin:directory_location_change", args=[location.pk])
    response = submit_unchanged(coordinator_client, url, "location_form", _save="Sichern")
    assert response.status_code == 302
    assert location.history.count() == versions


def test_unchanged_organization_form_keeps_its_date(coordinator_client, offer):
    organization = offer.organization
    organization.description = "Wir sind\nfür Sie da."
    organization.save()
    updated = Organization.objects.get(pk=organization.pk).updated
    url = reverse("admin:directory_organization_change", args=[organization.pk])
    assert submit_unchanged(coordinator_client, url, "organization_form", _save="Sichern").status_code == 302
    assert Organization.objects.get(pk=organization.pk).updated == updated


def test_admin_saves_text_typed_with_windows_line_endings_in_normal_form(coordinator_client, offer):
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    response = submit_unchanged(
        coordinator_client, url, "offer_form", how_to_get_help_de="Schreiben Sie uns.  \r\nWir rufen zurück.\r\n", _save="Sichern"
    )
    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).how_to_get_help == "Schreiben Sie uns.\nWir rufen zurück."


def test_imported_row_with_windows_line_endings_and_decomposed_umlauts_is_unchanged(offer):
    import tablib

    from directory.resources import OfferResource

    dataset = OfferResource().export()
    index = dataset["slug"].index(offer.slug)
    row = list(dataset[index])
    column = dataset.headers.index("description")
    row[column] = row[column].replace("\n", "\r\n") + "  "
    dataset[index] = row
    versions, updated = offer.history.count(), offer.updated
    result = OfferResource().import_data(tablib.Dataset().load(dataset.csv, format="csv"), dry_run=False)
    assert not result.has_validation_errors()
    assert result.totals["update"] == 0 and result.totals["new"] == 0
    offer.refresh_from_db()
    assert offer.history.count() == versions and offer.updated == updated
