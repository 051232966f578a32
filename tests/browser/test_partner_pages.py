"""What partners do in a browser: print the flyer to PDF, show the listing inside their own site."""

import io
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from tests.conftest import make_category, make_offer


@pytest.fixture
def career(transactional_db, settings, live_server):
    settings.SITE_URL = live_server.url
    category = make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf", name_ar="التدريب والعمل")
    make_offer(title="Berufsberatung", title_ar="استشارة مهنية", summary="Wir beraten zu Ausbildung und Beruf.",
               summary_ar="نقدم المشورة حول التدريب والعمل.", categories=[category],
               contacts=[{"name": "Beratung", "phone": "05321 76543"}])
    make_offer(title="Bewerbungstraining", summary="Wir üben Bewerbungen.", categories=[category],
               contacts=[{"name": "Büro", "phone": "05381 2222"}])
    return category


def pdf_of(page, url):
    page.goto(url)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    # NFKC turns Arabic presentation forms, as fonts store them, back into plain letters.
    return reader, unicodedata.normalize("NFKC", "\n".join(pdf_page.extract_text() for pdf_page in reader.pages))


def test_flyer_prints_on_one_a4_page_with_titles_and_phone_numbers(page, live_server, career):
    reader, text = pdf_of(page, f"{live_server.url}/kategorie/ausbildung-beruf/flyer/")
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    for expected in ("Ausbildung & Beruf", "Berufsberatung", "Bewerbungstraining", "05321 76543", "05381 2222"):
        assert expected in text
    assert "Zweite Sprache" not in text  # the settings form stays on screen, off paper


def test_bilingual_flyer_prints_both_languages(page, live_server, career):
    reader, text = pdf_of(page, f"{live_server.url}/kategorie/ausbildung-beruf/flyer/?sprache2=ar")
    assert len(reader.pages) == 1
    assert "Berufsberatung" in text
    assert "05321 76543" in text
    # Arabic comes out of the PDF in any of the two directions; a word of it must be there.
    assert "مهنية" in text or "ةينهم" in text


def test_long_flyer_continues_on_a_second_page(page, live_server, career):
    for n in range(14):
        make_offer(title=f"Angebot Nummer {n}", summary="Ein Satz, der das Angebot erklärt. " * 3, categories=[career],
                   contacts=[{"name": "Telefon", "phone": f"05321 {1000 + n}"}])
    reader, text = pdf_of(page, f"{live_server.url}/kategorie/ausbildung-beruf/flyer/")
    assert len(reader.pages) >= 2
    assert "05321 1013" in text


@pytest.fixture
def partner_site(live_server):
    """A partner's page on another origin (its own port on 127.0.0.1) with an iframe set by each test."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get("html", "").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def with_iframe(src):
        pages["html"] = ('<!doctype html><html lang="de"><title>Kita Sonnenschein</title><h1>Unsere Tipps</h1>'
                         f'<iframe src="{src}" title="Wegweiser" width="380" height="600"></iframe></html>')
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield with_iframe
    server.shutdown()
    server.server_close()


def test_embed_shows_inside_a_partner_site_from_another_origin(page, live_server, career, partner_site):
    page.goto(partner_site(f"{live_server.url}/einbetten/kategorie/ausbildung-beruf/"))
    frame = page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Berufsberatung")
    link.wait_for()
    assert link.is_visible()
    assert link.get_attribute("target") == "_blank"
    assert frame.get_by_text("Bewerbungstraining").is_visible()


def test_normal_pages_refuse_to_show_inside_another_site(page, live_server, career, partner_site):
    page.goto(partner_site(f"{live_server.url}/kategorie/ausbildung-beruf/"))
    frame = page.frames[1]
    # Chromium replaces a refused frame with an empty error document.
    assert "Berufsberatung" not in frame.content()


@pytest.mark.parametrize("path", ["/fuer-partner/", "/kategorie/ausbildung-beruf/flyer/?sprache2=ar",
                                  "/einbetten/kategorie/ausbildung-beruf/"])
def test_partner_pages_pass_axe_and_stay_on_our_host(page, live_server, career, path):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()
    assert hosts == {urlsplit(live_server.url).netloc}
    assert page.context.cookies() == []
