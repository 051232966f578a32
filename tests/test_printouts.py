"""Printouts for the counter: any list or offer, German beside a second language, a QR code."""

import re
from datetime import time

import pytest

from directory import printouts
from directory.models import Offer, OpeningSlot

from .conftest import make_category, make_location, make_offer, make_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def career(site_url):
    category = make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf", name_ar="التدريب والعمل")
    goslar = make_town("Goslar")
    location = make_location(town=goslar, street="Klubgartenstraße 11", postal_code="38640",
                             opening_hours="Mo–Do 9–15 Uhr")
    make_offer(title="Berufsberatung", title_ar="استشارة مهنية", summary="Wir beraten zu Ausbildung und Beruf.",
               summary_ar="نقدم المشورة حول التدريب والعمل.", categories=[category], locations=[location],
               slug="berufsberatung", contacts=[{"name": "Beratung", "phone": "05321 76543", "hours": "Mo–Fr 9–12 Uhr"}])
    make_offer(title="Bewerbungstraining", summary="Wir üben Bewerbungen.", categories=[category],
               contacts=[{"name": "Büro", "phone": "05381 2222"}], format_phone=True)
    make_offer(title="Entwurf fürs Jobcenter", status="draft", categories=[category])
    return category


def qr_title(html):
    return re.search(r'<svg[^>]*class="qr".*?<title>(.*?)</title>', html, re.S).group(1).replace("&amp;", "&")


def test_category_flyer_is_the_printout_of_its_list(client, career):
    html = client.get("/kategorie/ausbildung-beruf/flyer/").content.decode()
    assert "<h1>Ausbildung &amp; Beruf</h1>" in html
    assert "Berufsberatung" in html and "Bewerbungstraining" in html
    assert "Entwurf fürs Jobcenter" not in html
    # Town, address, phone and hours for each offer.
    assert "<strong>Goslar</strong>, Klubgartenstraße 11, 38640 Goslar" in html
    assert "05321 76543" in html and "Mo–Fr 9–12 Uhr" in html and "Mo–Do 9–15 Uhr" in html
    assert "per Telefon/Video – von überall erreichbar" in html
    assert qr_title(html) == "https://wegweiser.example.org/kategorie/ausbildung-beruf/"
    assert "counter(pages)" in html  # every sheet says "Seite x von y"


def test_bilingual_printout_puts_the_translation_beside_the_german(client, career):
    html = client.get("/kategorie/ausbildung-beruf/flyer/?sprache2=ar").content.decode()
    assert "printout--bilingual" in html
    assert '<div class="col col--second" lang="ar" dir="rtl">' in html
    assert "استشارة مهنية" in html and "Berufsberatung" in html
    assert "التدريب والعمل" in html
    # The code on an Arabic printout opens the Arabic page.
    assert qr_title(html) == "https://wegweiser.example.org/ar/kategorie/ausbildung-beruf/"
    # No German repeated as if it were a translation.
    assert html.count("Bewerbungstraining") == 1
    assert '"صفحة " counter(page) " من " counter(pages)' in html


def test_filtered_list_printout_keeps_exactly_the_filters_in_its_code(client, career):
    html = client.get("/ar/angebote/flyer/?q=Beratung&ort=goslar&unbekannt=1&sprache=zz").content.decode()
    assert "Berufsberatung" in html and "Bewerbungstraining" not in html
    assert qr_title(html) == "https://wegweiser.example.org/ar/angebote/?q=Beratung&ort=goslar"
    assert "„Beratung“ · Goslar" in html  # the German heading names the filters
    assert 'lang="ar" dir="rtl"' in html  # under /ar/ the second language is Arabic without asking


def test_printout_is_linked_from_the_listing_with_its_filters(client, career):
    html = client.get("/ar/kategorie/ausbildung-beruf/?ort=goslar").content.decode()
    assert 'href="/ar/kategorie/ausbildung-beruf/flyer/?ort=goslar"' in html


def test_german_pages_offer_a_german_printout_not_two_languages(client, career):
    listing = client.get("/kategorie/ausbildung-beruf/?ort=goslar").content.decode()
    offer = client.get("/angebot/berufsberatung/").content.decode()
    assert ">Diese Liste ausdrucken</a>" in listing and ">Ausdrucken (A4)</a>" in offer
    assert "Deutsch und diese Sprache" not in listing + offer
    arabic = client.get("/ar/kategorie/ausbildung-beruf/").content.decode()
    assert "طباعة هذه القائمة (بالألمانية وبهذه اللغة)" in arabic


def test_german_only_printout_has_one_column(client, career):
    html = client.get("/angebote/flyer/?sprache2=de").content.decode()
    assert "printout--bilingual" not in html
    assert "col--second" not in html


def test_unknown_second_language_is_explained_not_an_error(client, career):
    response = client.get("/kategorie/ausbildung-beruf/flyer/?sprache2=<script>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "printout--bilingual" not in html
    assert "gibt es nicht" in html
    assert "<script>" not in html


def test_too_long_a_list_is_refused_with_a_note_to_narrow_it(client, career, monkeypatch):
    monkeypatch.setattr(printouts, "MAX_PRINTOUT_OFFERS", 1)
    response = client.get("/angebote/flyer/?sprache2=uk")
    assert response.status_code == 200
    html = response.content.decode()
    assert "zu lang zum Ausdrucken" in html
    assert "Sie enthält 2 Angebote; ausgedruckt werden höchstens 1." in html
    assert "Berufsberatung" not in html
    assert 'href="/kategorie/ausbildung-beruf/flyer/?sprache2=uk"' in html


def test_the_documented_limit_is_five_hundred_times_smaller_than_a_district(client):
    assert printouts.MAX_PRINTOUT_OFFERS == 100


def test_offer_printout_and_card(client, career):
    html = client.get("/angebot/berufsberatung/flyer/?sprache2=ar").content.decode()
    assert "Berufsberatung" in html and "استشارة مهنية" in html
    assert qr_title(html) == "https://wegweiser.example.org/ar/angebot/berufsberatung/"
    card = client.get("/angebot/berufsberatung/karte/?sprache2=ar").content.decode()
    assert "css/card.css" in card and "05321 76543" in card
    assert qr_title(card) == "https://wegweiser.example.org/ar/angebot/berufsberatung/"
    assert client.get("/angebot/gibt-es-nicht/flyer/").status_code == 404
    assert client.get("/angebot/gibt-es-nicht/karte/").status_code == 404


def test_unknown_category_printout_is_a_404(client, career):
    assert client.get("/kategorie/gibt-es-nicht/flyer/").status_code == 404


def test_share_text_has_title_phone_address_and_a_clean_link(client, career):
    html = client.get("/ar/angebot/berufsberatung/?utm_source=x").content.decode()
    text = re.search(r'<textarea id="share-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert text.splitlines() == [
        "استشارة مهنية", "☎ \u206605321 76543\u2069", "Klubgartenstraße 11, 38640 Goslar",
        "https://wegweiser.example.org/ar/angebot/berufsberatung/",
    ]
    box = html.split('<section class="share"', 1)[1].split("</section>", 1)[0]
    assert "utm_" not in box
    assert 'href="/ar/angebot/berufsberatung/flyer/"' in html and 'href="/ar/angebot/berufsberatung/karte/"' in html
    # No third-party share buttons: every link of the share box stays on the site.
    assert all(href.startswith(("/", "https://wegweiser.example.org/")) for href in re.findall(r'href="([^"]+)"', box))


def test_page_counter_css_escapes_quotes():
    assert printouts.page_counter_css("de") == '"Seite " counter(page) " von " counter(pages)'


def test_printout_near_a_place_keeps_the_order_and_says_how_far(client, career):
    html = client.get("/angebote/flyer/?nahe=Oker").content.decode()
    assert "in der Nähe von Oker" in html
    # Bewerbungstraining is by phone (0 km, first); the Goslar office is some 4 km from Oker.
    assert html.index("Bewerbungstraining") < html.index("Berufsberatung")
    assert re.search(r'class="distance">.*?<span>\d+ km</span>', html, re.S)


def test_printout_gives_the_weekly_opening_hours_from_the_slots(client, career):
    offer = Offer.objects.get(slug="berufsberatung")
    for weekday in range(5):
        OpeningSlot.objects.create(offer=offer, weekday=weekday, opens=time(8), closes=time(14))
    html = client.get("/angebot/berufsberatung/flyer/?sprache2=ar").content.decode()
    assert "Mo–Fr 8:00–14:00" in html


def test_printed_from_an_arabic_page_the_german_column_keeps_the_german_address(client, career):
    from directory.models import Town

    Town.objects.filter(slug="goslar").update(name_ar="غوسلار")
    html = client.get("/ar/angebot/berufsberatung/flyer/").content.decode()
    german = html.split('lang="de"', 2)[2]
    assert "38640 Goslar" in german and "38640 غوسلار" not in html


def test_a_filter_the_printout_cannot_apply_is_said_on_paper_in_both_languages(client, career):
    html = client.get("/angebote/flyer/?kategorie=gibt-es-nicht&sprache2=ar").content.decode()
    assert "Nicht erkannt und daher nicht berücksichtigt:" in html and "Kategorie" in html
    assert html.count('class="labels printout-ignored"') == 2  # German and Arabic column


def test_two_numbers_on_paper_say_whose_they_are(client, career):
    offer = Offer.objects.get(slug="berufsberatung")
    offer.contacts.create(name="Frau Haddad", phone="05321 11111")
    html = client.get("/angebot/berufsberatung/flyer/").content.decode()
    assert "Beratung: <bdi" in html and "Frau Haddad: <bdi" in html
