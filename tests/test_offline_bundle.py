"""The bundle "Alle Angebote speichern" downloads, and what the privacy page says about it."""

import gzip
import json
from datetime import time
from pathlib import Path

import pytest
from django.conf import settings

from directory.models import Contact, LegalPage, Offer, OpeningSlot

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db



@pytest.fixture
def offers(district):
    location = make_location(town=district.seesen, opening_hours="Mo–Do 9–12 Uhr")
    make_offer(title="Elterncafé", title_ar="مقهى الأهل", summary="Eltern treffen sich.", summary_ar="يلتقي الأهل.",
               slug="elterncafe", categories=[district.kita], locations=[location], languages=[district.arabic],
               contacts=[{"name": "Telefon", "phone": "05381 4400", "hours": "Mo–Fr 9–12 Uhr"}],
               how_to_get_help="Rufen Sie an.\nKommen Sie vorbei.")
    OpeningSlot.objects.create(offer=Offer.objects.get(slug="elterncafe"), weekday=0, opens=time(10), closes=time(12))
    make_offer(title="Nur auf Deutsch", summary="Noch nicht übersetzt.", slug="nur-deutsch", categories=[district.kita])
    make_offer(title="Entwurf", slug="entwurf", status="draft", categories=[district.kita])


def bundle(client, path="/ar/offline/paket.json"):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_bundle_holds_every_published_offer_in_the_readers_language(client, offers):
    data = bundle(client)
    assert data["language"] == "ar"
    slugs = [offer["s"] for offer in data["offers"]]
    assert sorted(slugs) == ["elterncafe", "nur-deutsch"]
    cafe = next(offer for offer in data["offers"] if offer["s"] == "elterncafe")
    assert cafe["t"] == "مقهى الأهل" and cafe["u"] == "يلتقي الأهل."
    assert cafe["p"] == [["Telefon", "05381 4400", "", "Mo–Fr 9–12 Uhr"]]
    assert cafe["a"][0][3] == "Seesen" and cafe["a"][0][4] == "Mo–Do 9–12 Uhr"
    assert cafe["c"] == ["kita-schule"]
    assert cafe["z"] == ["الاثنين 10:00–12:00"]
    german = next(offer for offer in data["offers"] if offer["s"] == "nur-deutsch")
    assert german["t"] == "Nur auf Deutsch" and set(german["de"]) >= {"t", "u"}
    # The shell and the labels are in Arabic, with the page's stylesheet.
    assert '<html lang="ar" dir="rtl">' in data["shell"]
    assert "<!--offline-content-->" in data["shell"]
    assert data["labels"]["contact"] != "Kontakt"
    assert data["paths"]["offer"] == "/ar/angebot/SLUG/"
    assert data["assets"] and data["assets"][0].endswith(".css")


def test_bundle_info_tells_the_download_size_before_saving(client, offers):
    info = client.get("/ar/offline/paket-groesse.json").json()
    body = client.get("/ar/offline/paket.json").content
    assert info == {"bytes": len(gzip.compress(body, 6)), "offers": 2}


def test_bundle_answers_an_unchanged_copy_with_304(client, offers):
    first = client.get("/offline/paket.json")
    again = client.get("/offline/paket.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_five_hundred_offers_download_in_well_under_a_megabyte(client, district):
    """500 offers with the demo's real texts in German and Arabic (64 different ones, each coming
    back further apart than gzip can see), so the size is what a district of that size downloads."""
    demo = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo.json").read_text())["offers"]
    location = make_location(town=district.seesen, street="Lange Straße 35", postal_code="38723",
                             opening_hours="Mo–Do 9–12 Uhr, Di 14–17 Uhr")
    organization = location.organization
    offers = []
    for n in range(500):
        texts = demo[n % len(demo)]
        fields = {f"{name}_{code}": value for name in ("title", "summary", "description", "how_to_get_help")
                  for code, value in (texts.get(name) or {}).items() if code in ("de", "ar")}
        # A number first: sorted by title, the same demo text comes back only every 64 offers.
        fields["title_de"] = f"{n:03} {fields['title_de']}"
        offers.append(Offer(slug=f"angebot-{n}", organization=organization, status=Offer.Status.PUBLISHED, **fields))
    # In bulk: 500 single saves would take the suite minutes.
    offers = Offer.objects.bulk_create(offers)
    Offer.categories.through.objects.bulk_create(
        [Offer.categories.through(offer_id=o.pk, category_id=district.kita.pk) for o in offers])
    Offer.locations.through.objects.bulk_create(
        [Offer.locations.through(offer_id=o.pk, location_id=location.pk) for o in offers])
    Offer.languages.through.objects.bulk_create(
        [Offer.languages.through(offer_id=o.pk, language_id=lang.pk)
         for o in offers for lang in (district.arabic, district.turkish)])
    Contact.objects.bulk_create([Contact(offer=o, name="Beratungstelefon", phone=f"05381 {1000 + n}", hours="Mo–Fr 9–12 Uhr")
                                 for n, o in enumerate(offers)])
    info = client.get("/ar/offline/paket-groesse.json").json()
    print(f"\nbundle for 500 offers: {info['bytes']} bytes gzipped")
    assert info["offers"] == 500
    assert 500 * 100 < info["bytes"] < 1024 * 1024 / 2


def test_not_saved_page_is_styled_and_in_the_readers_language(client):
    html = client.get("/ar/offline/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "css/site.css" in html
    assert "أنت غير متصل بالإنترنت" in html


def test_start_page_offers_saving_and_deleting(client, offers):
    html = client.get("/uk/").content.decode()
    assert 'id="offline"' in html and "hidden" in html.split('id="offline"', 1)[1][:20]
    assert "Видалити збережені сторінки" in html
    assert 'data-info="/uk/offline/paket-groesse.json"' in html
    assert "js/offline.js" in html


def test_privacy_page_tells_what_stays_on_the_device(client, demo_data):
    from directory.legal import default_page

    # The migrations' page; a browser test before this one may have emptied the database.
    page = LegalPage.objects.filter(kind="datenschutz").first() or default_page("datenschutz")
    page.save()
    assert "speichern nichts auf Ihrem Gerät" not in page.body
    html = client.get("/datenschutz/").content.decode()
    assert "Service Worker" in html and "höchstens 60" in html
    assert "csrftoken" in html
    assert "Gespeicherte Seiten löschen" in html and 'id="offline"' in html


def test_service_worker_knows_the_interface_languages(client):
    script = client.get("/sw.js").content.decode()
    assert 'const LANGUAGES = ["de", "en", "ar"' in script
