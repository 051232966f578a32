"""QR codes that partners print: they must scan to the canonical address of the page."""

import pytest
import zxingcpp
from django.test import override_settings

from tests.conftest import make_category, make_language, make_offer, make_town
from tests.pngread import read_grey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


def decode_png(content):
    width, height, pixels = read_grey(content)
    results = zxingcpp.read_barcodes(memoryview(pixels).cast("B", (height, width)))
    assert len(results) == 1, "exactly one readable QR code"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text


def test_category_png_scans_to_the_category_page(client):
    category = make_category(slug="kita-schule")
    response = client.get("/kategorie/kita-schule/qr.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == "https://wegweiser.example.org/kategorie/kita-schule/"
    assert category.slug in response["Content-Disposition"]


def test_language_prefix_is_kept_in_the_code(client):
    make_category(slug="kita-schule")
    response = client.get("/ar/kategorie/kita-schule/qr.png")
    assert decode_png(response.content) == "https://wegweiser.example.org/ar/kategorie/kita-schule/"


def test_filters_are_kept_and_unknown_parameters_dropped(client):
    make_category(slug="ausbildung-beruf")
    make_language("uk", "Ukrainisch", "Українська")
    response = client.get("/uk/kategorie/ausbildung-beruf/qr.png?sprache=uk&sprache=xx&utm_source=x&format=telefon&kategorie=y")
    assert decode_png(response.content) == (
        "https://wegweiser.example.org/uk/kategorie/ausbildung-beruf/?sprache=uk&format=telefon"
    )


def test_svg_holds_the_same_address(client):
    make_category(slug="kita-schule")
    make_town("Seesen")
    response = client.get("/kategorie/kita-schule/qr.svg?ort=seesen")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "<title>https://wegweiser.example.org/kategorie/kita-schule/?ort=seesen</title>" in svg


def test_offer_png_scans_to_the_offer_page(client):
    make_offer(slug="elterncafe-seesen")
    response = client.get("/angebot/elterncafe-seesen/qr.png")
    assert decode_png(response.content) == "https://wegweiser.example.org/angebot/elterncafe-seesen/"


def test_unpublished_offer_has_no_qr_code(client):
    make_offer(slug="entwurf", status="draft")
    assert client.get("/angebot/entwurf/qr.png").status_code == 404
    assert client.get("/angebot/entwurf/qr.svg").status_code == 404


def test_unknown_category_is_not_found(client):
    assert client.get("/kategorie/gibt-es-nicht/qr.svg").status_code == 404


def test_absurdly_long_search_is_shortened_like_on_the_page(client):
    make_category(slug="kita-schule")
    response = client.get("/kategorie/kita-schule/qr.png?q=" + "wort " * 600)
    assert response.status_code == 200
    assert len(decode_png(response.content)) < 300


@override_settings(SITE_URL="http://127.0.0.1:8000")
def test_site_url_setting_decides_the_host(client):
    make_category(slug="kita-schule")
    response = client.get("/kategorie/kita-schule/qr.png")
    assert decode_png(response.content) == "http://127.0.0.1:8000/kategorie/kita-schule/"
