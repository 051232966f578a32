"""Translations keep up with German: outdated ones are named, marked current in one click, sent out and taken back."""

import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory import translation_status, xliff
from directory.models import Offer

from .browserform import browser_form_data
from .conftest import make_category, make_offer

pytestmark = pytest.mark.django_db

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


@pytest.fixture
def offer():
    return make_offer(
        title="Elterncafé", slug="elterncafe", categories=[make_category()],
        summary="Wir treffen uns montags.", summary_ar="نلتقي يوم الاثنين.", summary_tr="Pazartesi buluşuyoruz.",
        description="Mit Kinderbetreuung.", description_ar="مع رعاية الأطفال.",
    )


def change_german(offer, **texts):
    for name, text in texts.items():
        setattr(offer, f"{name}_de", text)
    offer.save()
    offer.refresh_from_db()
    return offer


def test_changing_german_marks_its_translations_outdated(offer):
    assert translation_status.outdated_languages(offer) == {}
    change_german(offer, summary="Wir treffen uns dienstags.")
    assert translation_status.outdated_languages(offer) == {"ar": ["summary"], "tr": ["summary"]}
    # Correcting the translation makes it current again; the other language stays outdated.
    offer.summary_ar = "نلتقي يوم الثلاثاء."
    offer.save()
    offer.refresh_from_db()
    assert translation_status.outdated_languages(offer) == {"tr": ["summary"]}


def test_a_changed_note_on_the_opening_hours_marks_its_translation_outdated():
    offer = make_offer(categories=[make_category()], hours_note="In den Ferien geschlossen.",
                       hours_note_ar="مغلق في العطل.")
    change_german(offer, hours_note="In den Sommerferien geschlossen.")
    assert translation_status.outdated_languages(offer) == {"ar": ["hours_note"]}


def test_admin_names_outdated_translations_and_marks_them_current_in_one_click(coordinator_client, offer):
    change_german(offer, summary="Wir treffen uns dienstags.", description="Mit Kinderbetreuung und Tee.")
    changelist = coordinator_client.get(reverse("admin:directory_offer_changelist")).content.decode()
    assert 'veraltet: <abbr title="Arabisch">ar</abbr> <abbr title="Türkisch">tr</abbr>' in changelist
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Arabisch – العربية (unvollständig) (veraltet)" in page  # the title was never translated
    assert "Arabisch:</strong> Kurzbeschreibung, Beschreibung" in page
    assert "Veraltet – der deutsche Text hat sich geändert." in page

    data = browser_form_data(page, "offer_form")
    data["_translations_current"] = "ar"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    offer.refresh_from_db()
    assert translation_status.outdated_languages(offer) == {"tr": ["summary"]}
    assert offer.history.first().history_change_reason == "Übersetzungen als aktuell markiert (ar)"


def test_parents_see_a_note_where_the_translation_is_older(client, offer):
    assert "nach dieser Übersetzung geändert" not in client.get("/ar/angebot/elterncafe/").content.decode("utf-8")
    change_german(offer, description="Mit Kinderbetreuung und Tee.")
    arabic = client.get("/ar/angebot/elterncafe/").content.decode()
    assert "تم تغيير النص الألماني بعد هذه الترجمة" in arabic
    assert 'href="/angebot/elterncafe/" hreflang="de"' in arabic
    assert "nach dieser Übersetzung" not in client.get("/tr/angebot/elterncafe/").content.decode()  # Turkish summary is current


def test_xliff_round_trip_changes_nothing(offer):
    change_german(offer, summary="Wir treffen uns dienstags.")
    before = (Offer.objects.get(pk=offer.pk).translation_sources, offer.history.count(), offer.updated)
    document = xliff.export_language("ar")
    result = xliff.import_language(document)
    assert not result.errors and result.changed_texts == 0 and result.unchanged_texts >= 2
    offer.refresh_from_db()
    assert (offer.translation_sources, offer.history.count(), offer.updated) == before


def test_xliff_carries_source_target_and_state_and_takes_translations_back(offer):
    change_german(offer, summary="Wir treffen uns dienstags.")
    root = ET.fromstring(xliff.export_language("ar", only_open=True))
    units = {unit.get("id"): unit for unit in root.iter("{urn:oasis:names:tc:xliff:document:1.2}trans-unit")}
    assert set(units) == {"elterncafe/summary", "elterncafe/title"}  # outdated and missing; the description is current
    summary = units["elterncafe/summary"]
    assert summary.find("x:source", NS).text == "Wir treffen uns dienstags."
    assert summary.find("x:target", NS).get("state") == "needs-review-translation"
    assert units["elterncafe/title"].find("x:target", NS).get("state") == "new"

    summary.find("x:target", NS).text = "نلتقي يوم الثلاثاء.\nأهلاً بكم."
    units["elterncafe/title"].find("x:target", NS).text = "مقهى الآباء"
    result = xliff.import_language(ET.tostring(root, encoding="utf-8"))
    assert not result.errors and result.changed_texts == 2
    offer.refresh_from_db()
    assert offer.summary_ar == "نلتقي يوم الثلاثاء.\nأهلاً بكم." and offer.title_ar == "مقهى الآباء"
    assert translation_status.outdated_fields(offer, "ar") == []
    assert offer.history.first().history_change_reason == "Übersetzung importiert (ar)"


def test_a_translation_of_an_older_german_text_stays_outdated(offer):
    document = xliff.export_language("ar")  # the translator gets Monday's text …
    change_german(offer, summary="Wir treffen uns dienstags.")  # … and meanwhile German says Tuesday
    root = ET.fromstring(document)
    unit = next(u for u in root.iter("{urn:oasis:names:tc:xliff:document:1.2}trans-unit") if u.get("id") == "elterncafe/summary")
    unit.find("x:target", NS).text = "نلتقي كل يوم اثنين."
    xliff.import_language(ET.tostring(root, encoding="utf-8"))
    offer.refresh_from_db()
    assert offer.summary_ar == "نلتقي كل يوم اثنين."
    assert translation_status.outdated_fields(offer, "ar") == ["summary"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"kein xml", "keine gültige XLIFF-Datei"),
        (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file target-language="xx"/></xliff>', "„xx“"),
    ],
)
def test_bad_xliff_files_change_nothing(coordinator_client, offer, document, message):
    response = coordinator_client.post(
        reverse("admin:directory_offer_translations"), {"datei": SimpleUploadedFile("ar.xlf", document)}
    )
    assert message in response.content.decode()
    assert Offer.objects.get(pk=offer.pk).summary_ar == "نلتقي يوم الاثنين."


def test_xliff_for_a_missing_offer_imports_nothing(offer):
    root = ET.fromstring(xliff.export_language("ar"))
    for unit in root.iter("{urn:oasis:names:tc:xliff:document:1.2}trans-unit"):
        unit.find("x:target", NS).text = "جديد"
    unit.set("id", "gibts-nicht/summary")
    result = xliff.import_language(ET.tostring(root, encoding="utf-8"))
    assert any("gibts-nicht" in error for error in result.errors)
    assert Offer.objects.get(pk=offer.pk).summary_ar == "نلتقي يوم الاثنين."


def test_translations_page_lists_languages_and_downloads_a_file(coordinator_client, offer):
    page = coordinator_client.get(reverse("admin:directory_offer_translations")).content.decode()
    assert "Arabisch" in page and "nur fehlende und veraltete Texte" in page
    response = coordinator_client.get(reverse("admin:directory_offer_translations_export", args=["ar"]))
    assert response["Content-Type"] == "application/xliff+xml"
    assert b'target-language="ar"' in response.content
    upload = SimpleUploadedFile("ar.xlf", response.content)
    response = coordinator_client.post(reverse("admin:directory_offer_translations"), {"datei": upload}, follow=True)
    assert "0 Texte übernommen" in response.content.decode()


def test_marking_a_translation_current_keeps_what_was_typed_in_the_form(coordinator_client, offer):
    change_german(offer, summary="Wir treffen uns dienstags.")
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(url).content.decode(), "offer_form")
    data["summary_ar"] = "نلتقي يوم الثلاثاء."  # she corrected the Arabic text, then clicks the button
    data["_translations_current"] = "ar"
    coordinator_client.post(url, data)
    offer.refresh_from_db()
    assert offer.summary_ar == "نلتقي يوم الثلاثاء."
    assert translation_status.outdated_languages(offer) == {"tr": ["summary"]}


def test_marking_current_after_changing_the_german_text_saves_it_but_marks_nothing(coordinator_client, offer):
    change_german(offer, summary="Wir treffen uns dienstags.")
    url = reverse("admin:directory_offer_change", args=[offer.pk])
    data = browser_form_data(coordinator_client.get(url).content.decode(), "offer_form")
    data["description_de"] = "Mit Kinderbetreuung und Tee."
    data["_translations_current"] = "alle"
    page = coordinator_client.post(url, data, follow=True).content.decode()
    offer.refresh_from_db()
    assert offer.description_de == "Mit Kinderbetreuung und Tee."
    assert translation_status.outdated_languages(offer) == {"ar": ["summary", "description"], "tr": ["summary"]}
    assert "nicht als aktuell markiert, weil Sie gerade den deutschen Text geändert haben (Beschreibung)" in page
