"""The offer's history lists only what changed, with labels and languages, old and new side by side."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.history import field_label

from .browserform import browser_form_data
from .conftest import make_category, make_offer

pytestmark = pytest.mark.django_db


def history_rows(client, offer):
    page = client.get(reverse("admin:directory_offer_history", args=[offer.pk])).content.decode()
    tables = re.findall(r'<table class="differences history-changes">(.*?)</table>', page, re.S)
    rows = []
    for table in tables:
        entry = []
        for label, old, new in re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', table, re.S):
            entry.append((label, old, new))
        rows.append(entry)
    return page, rows


def test_labels_name_the_language_once():
    assert field_label("description_ar") == "Beschreibung (Arabisch)"
    assert field_label("summary_de") == "Kurzbeschreibung"
    assert field_label("organization_id") == "Träger"


def test_a_phone_fix_is_one_line_with_old_and_new(coordinator_client):
    offer = make_offer(
        categories=[make_category()], description="Text", description_ar="نص",
        contacts=[{"name": "Frau Haddad", "phone": "05321 111"}],
        last_reviewed=timezone.localdate(),  # already checked today: the fix moves no review date
    )
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(url).content, "offer_form")
    data.update({"contacts-0-phone": "05321 222", "_save": "Sichern"})
    assert coordinator_client.post(url, data).status_code == 302

    page, rows = history_rows(coordinator_client, offer)
    assert rows[0] == [("Ansprechpersonen", "Frau Haddad · 05321 111", "Frau Haddad · 05321 222")]
    assert "[ar] [ar]" not in page and "None" not in page


def test_a_translation_change_names_its_language(coordinator_client):
    offer = make_offer(categories=[make_category()], summary="Wir helfen.", summary_ar="نساعد.")
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(url).content, "offer_form")
    data.update({"summary_ar": "نحن نساعد.", "is_free": "on", "_save": "Sichern"})
    data.pop("appointment_needed", None)
    assert coordinator_client.post(url, data).status_code == 302

    _page, rows = history_rows(coordinator_client, offer)
    today = timezone.localdate().strftime("%d.%m.%Y")
    # The coordinator's edit also counts as her review of the offer that day.
    assert sorted(rows[0]) == [
        ("Kurzbeschreibung (Arabisch)", "نساعد.", "نحن نساعد."),
        ("Termin nötig", "ja", "nein"),
        ("zuletzt geprüft", "–", today),
    ]
