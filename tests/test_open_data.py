"""CSV export, Atom feeds, sitemap, robots.txt, vCards and schema.org data."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from directory.models import Contact, Offer
from directory.structured_data import offer_json_ld
from tests.conftest import make_category, make_language, make_location, make_offer, make_organization, make_town

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def offers():
    school = make_category(name="Kita & Schule", slug="kita-schule")
    career = make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf")
    ukrainian = make_language("uk", "Ukrainisch", "Українська")
    location = make_location(town=make_town("Seesen"), street="Jacobsonstraße 5")
    elterncafe = make_offer(
        title="Elterncafé", slug="elterncafe", categories=[school], languages=[ukrainian], locations=[location],
        organization=make_organization(name="Familienzentrum"),
        contacts=[{"name": "Frau Yılmaz; Beratung", "phone": "05381 98765", "email": "y@example.org", "hours": "Mo, Di 9–12"}],
    )
    jobs = make_offer(title="Berufsberatung", slug="berufsberatung", categories=[career], is_free=False, cost_note="=2+3")
    draft = make_offer(title="Geheimer Entwurf", slug="entwurf", status=Offer.Status.DRAFT, categories=[school])
    return {"school": school, "career": career, "elterncafe": elterncafe, "jobs": jobs, "draft": draft}


# --- CSV ------------------------------------------------------------------------------------


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response):
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def test_csv_has_every_published_offer_and_nothing_else(client, offers):
    response = client.get("/export/angebote.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="angebote.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert sorted(row["titel"] for row in rows) == ["Berufsberatung", "Elterncafé"]
    cafe = next(row for row in rows if row["titel"] == "Elterncafé")
    assert cafe["id"] == str(offers["elterncafe"].uuid)
    assert cafe["sprachen"] == "uk"
    assert cafe["orte"] == "Seesen"
    assert cafe["telefon"] == "05381 98765"
    assert cafe["adresse_im_wegweiser"] == "https://wegweiser.example.org/angebot/elterncafe/"


def test_csv_names_its_licence(client, offers):
    response = client.get("/export/angebote.csv")
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/deed.de>; rel="license"'


def test_csv_cells_cannot_become_spreadsheet_formulas(client, offers):
    rows = read_csv(client.get("/export/angebote.csv"))
    assert next(row for row in rows if row["titel"] == "Berufsberatung")["kosten"] == "'=2+3"


# --- Feeds ----------------------------------------------------------------------------------


def feed_entries(response):
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_site_feed_lists_published_offers_newest_first(client, offers):
    Offer.objects.filter(pk=offers["elterncafe"].pk).update(updated=timezone.now() - timedelta(days=3))
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root, entries = feed_entries(response)
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Berufsberatung", "Elterncafé"]
    link = entries[1].find(f"{ATOM}link").get("href")
    assert link == "https://wegweiser.example.org/angebot/elterncafe/"
    assert entries[1].find(f"{ATOM}id").text == f"urn:uuid:{offers['elterncafe'].uuid}"
    assert "CC BY 4.0" in root.find(f"{ATOM}rights").text


def test_category_feed_lists_only_its_offers(client, offers):
    response = client.get("/kategorie/ausbildung-beruf/feed/")
    root, entries = feed_entries(response)
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Berufsberatung"]
    assert "Ausbildung & Beruf" in root.find(f"{ATOM}title").text


def test_feed_of_unknown_category_is_not_found(client):
    assert client.get("/kategorie/gibt-es-nicht/feed/").status_code == 404


def test_feed_of_renamed_category_redirects(client, offers):
    offers["career"].slug = "beruf"
    offers["career"].save()
    response = client.get("/kategorie/ausbildung-beruf/feed/")
    assert (response.status_code, response["Location"]) == (301, "/kategorie/beruf/feed/")


# --- Sitemap and robots.txt -----------------------------------------------------------------


def sitemap_entries(client):
    """Every <url> of every part the sitemap index (/sitemap.xml) names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert ET.fromstring(index.content).tag == f"{SITEMAP}sitemapindex"
    entries = []
    for part in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        assert part.text.startswith("https://wegweiser.example.org/sitemap-")
        response = client.get(part.text.removeprefix("https://wegweiser.example.org"))
        assert response.status_code == 200
        entries += ET.fromstring(response.content).findall(f"{SITEMAP}url")
    return entries


def test_sitemap_lists_every_public_page_in_every_language(client, offers, settings):
    locations = {url.find(f"{SITEMAP}loc").text for url in sitemap_entries(client)}
    base = "https://wegweiser.example.org"
    assert f"{base}/" in locations
    assert f"{base}/angebote/" in locations
    assert f"{base}/impressum/" in locations and f"{base}/ar/datenschutz/" in locations
    assert f"{base}/fuer-partner/" in locations and f"{base}/uk/fuer-partner/" in locations
    assert f"{base}/kategorie/kita-schule/" in locations
    assert f"{base}/angebot/elterncafe/" in locations
    for code, _name in settings.LANGUAGES[1:]:
        assert f"{base}/{code}/kategorie/kita-schule/" in locations
        assert f"{base}/{code}/angebot/elterncafe/" in locations
    assert not any("entwurf" in location for location in locations)


def test_sitemap_marks_language_versions_and_german_as_default(client, offers, settings):
    entry = next(url for url in sitemap_entries(client)
                 if url.find(f"{SITEMAP}loc").text == "https://wegweiser.example.org/ar/angebot/elterncafe/")
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
    assert set(alternates) == {code for code, _name in settings.LANGUAGES} | {"x-default"}
    assert alternates["de"] == alternates["x-default"] == "https://wegweiser.example.org/angebot/elterncafe/"
    assert alternates["uk"] == "https://wegweiser.example.org/uk/angebot/elterncafe/"


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://wegweiser.example.org/sitemap.xml" in lines


# --- vCard ----------------------------------------------------------------------------------


def test_contact_vcard_downloads_with_escaped_values(client, offers):
    contact = offers["elterncafe"].contacts.get()
    response = client.get(f"/angebot/elterncafe/kontakt/{contact.uuid}.vcf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert "FN:Frau Yılmaz\\; Beratung\r\n" in text
    assert "TEL;TYPE=WORK,VOICE:05381 98765\r\n" in text
    assert "NOTE:Mo\\, Di 9–12\r\n" in text
    assert "ORG:Familienzentrum\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_long_vcard_lines_are_folded(client, offers):
    contact = Contact.objects.create(offer=offers["elterncafe"], name="Beratungstelefon " * 8, phone="05381 1")
    text = client.get(f"/angebot/elterncafe/kontakt/{contact.uuid}.vcf").content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert "FN:" + ("Beratungstelefon " * 8).rstrip() in unfolded  # stored without the trailing space


def test_vcard_of_a_contact_of_another_offer_or_a_draft_is_not_found(client, offers):
    contact = offers["elterncafe"].contacts.get()
    assert client.get(f"/angebot/berufsberatung/kontakt/{contact.uuid}.vcf").status_code == 404
    hidden = Contact.objects.create(offer=offers["draft"], name="Intern", phone="05381 2")
    assert client.get(f"/angebot/entwurf/kontakt/{hidden.uuid}.vcf").status_code == 404


# --- schema.org -----------------------------------------------------------------------------


def test_offer_json_ld_describes_the_service(offers):
    data = offer_json_ld(offers["elterncafe"])
    assert data["@type"] == "Service"
    assert data["url"] == "https://wegweiser.example.org/angebot/elterncafe/"
    assert data["provider"]["name"] == "Familienzentrum"
    assert data["availableLanguage"] == [{"@type": "Language", "name": "Ukrainisch", "alternateName": "uk"}]
    assert data["availableChannel"][0]["servicePhone"]["telephone"] == "05381 98765"
    address = data["availableChannel"][0]["serviceLocation"][0]["address"]
    assert (address["streetAddress"], address["addressLocality"]) == ("Jacobsonstraße 5", "Seesen")
    assert data["offers"]["price"] == "0"


def test_json_ld_tag_is_a_data_block_that_cannot_break_out(offers):
    offer = offers["elterncafe"]
    offer.title = "</script><script>alert(1)</script>"
    html = Template("{% load structured_data %}{% offer_json_ld offer %}").render(Context({"offer": offer}))
    assert html.startswith('<script type="application/ld+json">')
    assert html.count("</script>") == 1
    body = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body)["name"] == "</script><script>alert(1)</script>"


def test_offer_page_carries_its_json_ld_and_contact_vcards(client, offers):
    html = client.get("/angebot/elterncafe/").content.decode()
    assert html.count('<script type="application/ld+json">') == 1
    contact = offers["elterncafe"].contacts.get()
    assert f'href="/angebot/elterncafe/kontakt/{contact.uuid}.vcf" download' in html


def test_pages_announce_their_feeds(client, offers):
    html = client.get("/kategorie/kita-schule/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/kategorie/kita-schule/feed/"' in html
    assert '<link rel="alternate" type="application/atom+xml" href="/feed/"' in html
