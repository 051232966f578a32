"""The coordinator edits translations beside the German text and sees what is missing."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from .conftest import inline_management, make_category, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers():
    kita = make_category(name="Kita & Schule", slug="kita-schule")
    complete = make_offer(title="Elterncafé", slug="elterncafe", summary="Eltern treffen sich.", categories=[kita])
    for code in ("en", "ar", "fa", "tr", "uk", "ru", "pl", "ro", "bg"):
        setattr(complete, f"title_{code}", f"Café {code}")
        setattr(complete, f"summary_{code}", f"Parents {code}")
    complete.save()
    lacking = make_offer(title="Hausaufgabenhilfe", slug="hausaufgaben", summary="Hilfe bei Hausaufgaben.",
                         title_ar="مساعدة في الواجبات", summary_ar="مساعدة في الواجبات المدرسية.",
                         title_uk="Допомога з домашніми завданнями", categories=[kita])
    return complete, lacking


def test_change_page_groups_each_language_beside_the_german_text(coordinator_client, offers):
    _complete, lacking = offers
    html = coordinator_client.get(reverse("admin:directory_offer_change", args=[lacking.pk])).content.decode()
    headings = re.findall(r'class="fieldset-heading">([^<]+)', html)
    assert "Arabisch – العربية" in headings  # title and summary are there: complete
    assert "Ukrainisch – Українська (unvollständig)" in headings
    assert "Bulgarisch – Български (unvollständig)" in headings
    # Each translation field shows the German source text, and Arabic is typed right to left.
    assert 'lang="de">Deutsch: „Hausaufgabenhilfe“</span>' in html
    assert re.search(r'<input [^>]*name="title_ar"[^>]*lang="ar"[^>]*dir="rtl"|<input [^>]*dir="rtl"[^>]*name="title_ar"', html)
    # The German fields stay in the first fieldset, before any language group.
    assert html.index('name="title_de"') < html.index("Englisch – English")


def test_change_page_loads_nothing_from_another_host(coordinator_client, offers):
    html = coordinator_client.get(reverse("admin:directory_offer_change", args=[offers[0].pk])).content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert assets
    assert [url for url in assets if urlsplit(url).netloc or url.startswith("//")] == []


def test_changelist_column_shows_missing_languages(coordinator_client, offers):
    html = coordinator_client.get(reverse("admin:directory_offer_changelist")).content.decode()
    assert "Übersetzungen" in html
    assert "vollständig" in html
    assert '<abbr title="Persisch">fa</abbr>' in html
    assert '<abbr title="Arabisch">ar</abbr>' not in html  # the lacking offer has its Arabic texts


@pytest.mark.parametrize("code,expected", [("ar", []), ("uk", ["Hausaufgabenhilfe"]), ("fa", ["Hausaufgabenhilfe"])])
def test_filter_lists_offers_lacking_a_language(coordinator_client, offers, code, expected):
    response = coordinator_client.get(reverse("admin:directory_offer_changelist") + f"?uebersetzung_fehlt={code}")
    assert [offer.title for offer in response.context["cl"].result_list] == expected
    assert "Übersetzung fehlt: Ukrainisch" in response.content.decode()


def test_saving_a_translation_beside_the_german_text(coordinator_client, offers):
    _complete, lacking = offers
    url = reverse("admin:directory_offer_change", args=[lacking.pk])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update({
        "categories": [c.pk for c in lacking.categories.all()], "organization": lacking.organization_id,
        "summary_uk": "Допомагаємо з домашніми завданнями.", "status": "published",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
        **inline_management("slots"), **inline_management("closures"),
    })
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    lacking.refresh_from_db()
    assert lacking.summary_uk == "Допомагаємо з домашніми завданнями."
    assert lacking.title_de == "Hausaufgabenhilfe"
