"""A counsellor prints a filtered list in Arabic and German: the PDF Chromium makes of it."""

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
import zxingcpp
from pypdf import PdfReader

from tests.conftest import make_category, make_language, make_location, make_offer, make_town, missing

pytestmark = [pytest.mark.browser]


@pytest.fixture
def arabic_list(transactional_db, settings, live_server):
    settings.SITE_URL = live_server.url
    school = make_category(name="Kita & Schule", slug="kita-schule", name_ar="الروضة والمدرسة")
    arabic, turkish = make_language("ar", "Arabisch", "العربية", direction="rtl"), make_language("tr", "Türkisch", "Türkçe")
    seesen = make_town("Seesen")
    for n in range(16):
        location = make_location(town=seesen, street=f"Marktstraße {n + 1}", postal_code="38723",
                                 opening_hours="Mo–Do 9–12 Uhr, Di 14–17 Uhr")
        make_offer(title=f"Elterncafé Nummer {n + 1}", title_ar=f"مقهى الأهل رقم {n + 1}",
                   summary="Eltern treffen sich, reden über Kita und Schule und bekommen Rat – mit Dolmetscherin.",
                   summary_ar="يلتقي الأهل ويتحدثون عن الروضة والمدرسة ويحصلون على المشورة – مع مترجمة.",
                   categories=[school], languages=[arabic], locations=[location],
                   contacts=[{"name": "Telefon", "phone": f"05381 {4400 + n}", "hours": "Mo–Fr 9–12 Uhr"}])
    make_offer(title="Türkischer Elternabend", categories=[school], languages=[turkish])
    return school


def print_to_pdf(page, url):
    page.goto(url)
    page.emulate_media(media="print")
    return page.pdf(format="A4", print_background=True)


def text_of(reader):
    # NFKC turns Arabic presentation forms, as fonts store them, back into plain letters.
    return unicodedata.normalize("NFKC", "\n".join(pdf_page.extract_text() for pdf_page in reader.pages))


def qr_codes_on_first_page(pdf, tmp_path):
    if not shutil.which("pdftoppm"):
        missing("no pdftoppm: apt-get install poppler-utils")
    (tmp_path / "printout.pdf").write_bytes(pdf)
    # Greyscale PGM: a three-line header, then one byte per pixel.
    subprocess.run(["pdftoppm", "-gray", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "printout.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    magic, size, depth, pixels = (tmp_path / "page.pgm").read_bytes().split(b"\n", 3)
    assert magic == b"P5" and depth == b"255"
    width, height = map(int, size.split())
    return [result.text for result in zxingcpp.read_barcodes(memoryview(pixels).cast("B", (height, width)))]


def test_filtered_arabic_list_prints_on_the_pages_it_announces_with_a_working_code(page, live_server, arabic_list,
                                                                                    tmp_path):
    path = "/ar/kategorie/kita-schule/flyer/?sprache=ar&ort=seesen"
    pdf = print_to_pdf(page, live_server.url + path)
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(reader)
    pages = len(reader.pages)
    # Sixteen bilingual offers fill two A4 sheets, and every sheet carries offers (no empty one).
    assert pages == 2
    for pdf_page in reader.pages:
        assert "Elterncafé Nummer" in pdf_page.extract_text()
    for pdf_page in reader.pages:
        assert abs(float(pdf_page.mediabox.width) - 595.3) < 2 and abs(float(pdf_page.mediabox.height) - 841.9) < 2
    # Every sheet states the true count, in German and in Arabic.
    for number in range(1, pages + 1):
        assert f"Seite {number} von {pages}" in text
    assert len(re.findall(r"من\s*" + str(pages), text)) + len(re.findall(str(pages) + r"\s*من", text)) >= pages
    # Both languages, every offer, its phone and hours; the Turkish evening is filtered out.
    for n in range(1, 17):
        assert f"Elterncafé Nummer {n}" in text
        assert f"05381 {4400 + n - 1}" in text
    assert "رقم" in text or "مقر" in text
    assert "Mo–Do 9–12 Uhr" in text.replace("-", "–")
    assert "Türkischer Elternabend" not in text
    # The code reopens exactly this list, in Arabic.
    assert qr_codes_on_first_page(pdf, tmp_path) == [f"{live_server.url}/ar/kategorie/kita-schule/?sprache=ar&ort=seesen"]


def test_a6_card_of_one_offer_is_one_small_page(page, live_server, arabic_list, tmp_path):
    page.goto(f"{live_server.url}/angebot/{slug()}/karte/?sprache2=ar")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    height_mm = float(reader.pages[0].mediabox.height) / 72 * 25.4
    assert abs(width_mm - 105) < 1 and abs(height_mm - 148) < 1
    text = text_of(reader)
    assert "Elterncafé Nummer 1" in text and "05381 4400" in text


def slug():
    from directory.models import Offer

    return Offer.objects.get(title="Elterncafé Nummer 1").slug
