"""The legal pages: shipped German texts, editable by the coordinator, always present."""

import pytest

from directory.legal import render_legal_text
from directory.models import LegalPage


@pytest.mark.parametrize(
    "url, required",
    [
        (
            "/impressum/",
            ["Impressum", "§ 5 Digitale-Dienste-Gesetz", "Verantwortlich für den Inhalt nach § 18 Absatz 2 Medienstaatsvertrag",
             "Vertreten durch", "Aufsichtsbehörde"],
        ),
        (
            "/datenschutz/",
            ["Datenschutzerklärung", "Verantwortliche Stelle", "Datenschutzbeauftragte", "Rechtsgrundlage",
             "Speicherdauer", "Art. 15 DSGVO", "Art. 77 DSGVO", "Die Landesbeauftragte für den Datenschutz Niedersachsen",
             "Prinzenstraße 5", "30159 Hannover", "keine Cookies"],
        ),
        (
            "/barrierefreiheit/",
            ["Erklärung zur Barrierefreiheit", "§ 9b NBGG", "Stand der Vereinbarkeit", "Nicht barrierefreie Inhalte",
             "Barrieren melden",
             "Schlichtungsstelle nach § 9d NBGG bei der Landesbeauftragten für Menschen mit Behinderungen Niedersachsen"],
        ),
    ],
)
def test_legal_pages_ship_complete_german_texts(client, db, url, required):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for text in required:
        assert text in content, text


def test_legal_texts_name_the_networks_own_contact(client, db):
    content = client.get("/barrierefreiheit/").content.decode()
    assert 'href="mailto:koordination@example.org"' in content
    assert "030 23125 100" in content


def test_coordinator_edits_a_legal_page_in_the_admin(coordinator_client):
    page = LegalPage.objects.get(kind="impressum")
    response = coordinator_client.post(
        f"/admin/directory/legalpage/{page.pk}/change/",
        {"title": "Impressum", "body": "## Anbieter\n\nLandkreis Goslar\nKlubgartenstraße 6\n\n<script>alert(1)</script>"},
    )
    assert response.status_code == 302
    content = coordinator_client.get("/impressum/").content.decode()
    assert "<h2>Anbieter</h2>" in content
    assert "Landkreis Goslar<br>\nKlubgartenstraße 6" in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_legal_pages_cannot_be_deleted_in_the_admin(coordinator_client):
    page = LegalPage.objects.get(kind="datenschutz")
    response = coordinator_client.get(f"/admin/directory/legalpage/{page.pk}/delete/")
    assert response.status_code == 403
    assert coordinator_client.get("/admin/directory/legalpage/add/").status_code == 403


def test_admin_lists_the_placeholders_still_to_fill_in(coordinator_client):
    content = coordinator_client.get("/admin/directory/legalpage/").content.decode()
    assert "[Name der oder des Datenschutzbeauftragten]" in content
    page = LegalPage.objects.get(kind="datenschutz")
    assert "[Name der oder des Datenschutzbeauftragten]" in page.placeholders()


def test_a_missing_page_still_shows_the_shipped_text(client, db):
    LegalPage.objects.filter(kind="datenschutz").delete()
    response = client.get("/datenschutz/")
    assert response.status_code == 200
    assert "Art. 77 DSGVO" in response.content.decode()


def test_in_another_language_the_german_text_is_marked_as_german(client, db):
    content = client.get("/ar/impressum/").content.decode()
    assert '<article class="legal" lang="de" dir="ltr">' in content
    assert "nur auf Deutsch verfügbar" in content


def test_text_conventions_become_headings_lists_paragraphs_and_links():
    html = render_legal_text(
        "## Kontakt\n\nTelefon 05321 12345\nE-Mail: info@example.org\n\n- eins\n- zwei <b>\n\nSiehe https://www.example.org"
    )
    assert "<h2>Kontakt</h2>" in html
    assert '<p>Telefon 05321 12345<br>\nE-Mail: <a href="mailto:info@example.org">info@example.org</a></p>' in html
    assert "<ul><li>eins</li><li>zwei &lt;b&gt;</li></ul>" in html
    assert '<a href="https://www.example.org">https://www.example.org</a>' in html


@pytest.mark.parametrize(
    "url, prefix", [("/", "/"), ("/angebote/", "/"), ("/impressum/", "/"), ("/gibt-es-nicht/", "/"), ("/ar/", "/ar/")]
)
def test_every_page_links_to_the_legal_pages_in_its_footer(client, db, url, prefix):
    content = client.get(url).content.decode()
    footer = content[content.index("<footer"):]
    for page in ("impressum", "datenschutz", "barrierefreiheit"):
        assert f'href="{prefix}{page}/"' in footer, (url, page)
