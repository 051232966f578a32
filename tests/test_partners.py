"""The partner page, the printable flyer and the embeddable listing."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from directory.models import Offer
from tests.conftest import make_category, make_language, make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


@pytest.fixture
def career():
    category = make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf", name_ar="التدريب والعمل")
    make_language("uk", "Ukrainisch", "Українська")
    make_offer(title="Berufsberatung", title_ar="استشارة مهنية", summary="Wir beraten zu Ausbildung.",
               summary_ar="نقدم المشورة حول التدريب.", categories=[category],
               contacts=[{"name": "Beratung", "phone": "05321 76543", "hours": "Mo–Fr 9–12"}])
    make_offer(title="Bewerbungstraining", summary="Wir üben Bewerbungen.", categories=[category],
               contacts=[{"name": "Büro", "email": "b@example.org"}])
    make_offer(title="Entwurf fürs Jobcenter", categories=[category], status=Offer.Status.DRAFT)
    return category


# --- /fuer-partner/ -------------------------------------------------------------------------


def test_partner_page_gives_each_category_link_qr_codes_flyer_and_snippet(client, career):
    school = make_category(name="Kita & Schule", slug="kita-schule")
    html = client.get("/fuer-partner/").content.decode()
    for category in (career, school):
        assert f"https://wegweiser.example.org/kategorie/{category.slug}/" in html
        assert f'href="/kategorie/{category.slug}/qr.svg" download' in html
        assert f'href="/kategorie/{category.slug}/qr.png" download' in html
        assert f'href="/kategorie/{category.slug}/flyer/"' in html
        assert f'&lt;iframe src="https://wegweiser.example.org/einbetten/kategorie/{category.slug}/"' in html


def test_embed_snippet_is_in_a_labelled_read_only_field(client, career):
    html = client.get("/fuer-partner/").content.decode()
    assert re.search(r'<label for="einbetten-ausbildung-beruf">', html)
    assert re.search(r'<textarea id="einbetten-ausbildung-beruf"[^>]*readonly', html)


def test_partner_page_shows_a_filtered_link_and_a_language_version(client, career):
    html = client.get("/fuer-partner/").content.decode()
    assert "https://wegweiser.example.org/kategorie/ausbildung-beruf/?sprache=uk" in html
    assert "https://wegweiser.example.org/uk/kategorie/ausbildung-beruf/" in html
    assert "https://wegweiser.example.org/uk/kategorie/ausbildung-beruf/qr.png?sprache=uk" in html


def test_partner_page_names_the_data_licence_and_open_data(client, career):
    html = client.get("/fuer-partner/").content.decode()
    assert '<a href="https://creativecommons.org/licenses/by/4.0/deed.de">CC BY 4.0</a>' in html
    assert 'href="/export/angebote.csv"' in html
    assert 'href="/api/hsds/"' in html


def test_partner_page_works_without_any_category(client):
    assert client.get("/fuer-partner/").status_code == 200


# --- Flyer ----------------------------------------------------------------------------------


def test_flyer_css_prints_on_a4(client, career):
    # The flyer itself is the list printout: tests/test_printouts.py.
    assert "size: A4" in Path(finders.find("css/flyer.css")).read_text()


# --- Embed and framing ----------------------------------------------------------------------


def frame_ancestors(response):
    """The frame-ancestors directive of the response's CSP, if it has one."""
    directives = [d.strip() for d in response.get("Content-Security-Policy", "").split(";")]
    return next((d for d in directives if d.startswith("frame-ancestors")), None)


def test_embed_may_be_framed_by_any_site(client, career):
    response = client.get("/einbetten/kategorie/ausbildung-beruf/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert frame_ancestors(response) == "frame-ancestors *"
    # Only framing is relaxed: scripts stay as strict as everywhere else.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/kategorie/ausbildung-beruf/", "/fuer-partner/", "/kategorie/ausbildung-beruf/flyer/",
                                  "/angebote/", "/impressum/"])
def test_every_other_page_forbids_framing(client, career, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_embed_links_open_the_full_site_in_a_new_tab(client, career):
    html = client.get("/einbetten/kategorie/ausbildung-beruf/?kostenlos=1&page=1").content.decode()
    links = re.findall(r"<a [^>]*>", html)
    to_site = [link for link in links if 'href="https://wegweiser.example.org/' in link]
    assert len(to_site) >= 3  # heading, the offer, the footer
    for link in to_site:
        assert 'target="_blank"' in link and 'rel="noopener"' in link
    # Everything else stays in the frame: filters, pages, phone and mail.
    for link in set(links) - set(to_site):
        assert re.search(r'href="(\?|tel:|mailto:|#)', link), link
    assert 'href="https://wegweiser.example.org/angebot/' in html
    assert "Entwurf fürs Jobcenter" not in html


def test_embed_links_the_full_page_with_the_same_filters(client, career):
    html = client.get("/einbetten/kategorie/ausbildung-beruf/?sprache=uk&evil=1").content.decode()
    assert 'href="https://wegweiser.example.org/kategorie/ausbildung-beruf/?sprache=uk" target="_blank"' in html
    assert "evil" not in html


def test_embed_uses_the_listing_filters(client, career):
    html = client.get("/einbetten/kategorie/ausbildung-beruf/?q=Bewerbung").content.decode()
    assert "Bewerbungstraining" in html
    assert "Berufsberatung" not in html
    assert '<form class="filters" method="get"' in html


def test_embed_of_renamed_category_redirects(client, career):
    career.slug = "beruf"
    career.save()
    response = client.get("/einbetten/kategorie/ausbildung-beruf/?sprache=uk")
    assert (response.status_code, response["Location"]) == (301, "/einbetten/kategorie/beruf/?sprache=uk")
