"""Cost bounded by the page, not the directory: API paging in SQL, sitemap parts, the streamed CSV.

The figures at 10,000 offers are in bench/RESULTS.md (`make bench`); these tests pin the
behaviour that keeps them: constant queries per page, bounded rows per query, results
kept per content version.
"""

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import exports, sitemaps
from directory.models import Offer
from tests.conftest import make_category, make_location, make_offer, make_organization, make_town

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def many(db):
    """Twelve published offers with two places each (one in Seesen, one in Goslar), one draft."""
    category = make_category(slug="beruf")
    seesen, goslar = make_town("Seesen", position=1), make_town("Goslar", position=2)
    offers = [make_offer(title=f"Angebot {n:02}", categories=[category],
                         locations=[make_location(town=goslar, postal_code="38640"),
                                    make_location(town=seesen, postal_code="38723")])
              for n in range(12)]
    draft = make_offer(title="Entwurf", status=Offer.Status.DRAFT, locations=[make_location(town=seesen)])
    return offers, draft


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    # A list now: the capture reads the connection's log, which the next request empties.
    return response, list(captured)


# --- HSDS API --------------------------------------------------------------------------------


def test_service_at_locations_are_paged_in_sql_in_a_stable_order(client, many):
    offers, draft = many
    pages = [get_json(client, f"/api/hsds/service_at_locations?per_page=5&page={page}") for page in range(1, 6)]
    assert pages[0]["total_items"] == 24 and pages[0]["total_pages"] == 5
    items = [item for page in pages for item in page["contents"]]
    assert len(items) == 24 and len({item["id"] for item in items}) == 24
    # Offers in the order of their ids, each with its places as the offer page lists them (Seesen first).
    expected = [(str(offer.uuid), str(location.uuid)) for offer in sorted(offers, key=lambda o: o.pk)
                for location in sorted(offer.locations.all(), key=lambda loc: (loc.town.position, loc.name, loc.pk))]
    assert [(item["service_id"], item["location"]["id"]) for item in items] == expected
    assert [item["location"]["id"] for item in items[:2]] == [
        str(offers[0].locations.get(postal_code="38723").uuid), str(offers[0].locations.get(postal_code="38640").uuid)]
    assert str(draft.uuid) not in {item["service_id"] for item in items}
    seesen_only = get_json(client, "/api/hsds/service_at_locations?postcode=38723&per_page=200")
    assert seesen_only["total_items"] == 12


def test_service_at_locations_page_reads_only_its_rows(client, many):
    _response, captured = queries(client, "/api/hsds/service_at_locations?full=true&per_page=5&page=2")
    selects = [query["sql"] for query in captured if query["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 12
    # The one query over all links counts them; the page's links come with LIMIT 5 OFFSET 5.
    assert any("LIMIT 5 OFFSET 5" in sql for sql in selects)


def test_service_at_location_detail_is_found_by_its_key(client, many, django_assert_max_num_queries):
    offers, draft = many
    item = get_json(client, "/api/hsds/service_at_locations?per_page=1&page=7")["contents"][0]
    with django_assert_max_num_queries(12):
        detail = get_json(client, f"/api/hsds/service_at_locations/{item['id']}")
    assert detail["id"] == item["id"] and detail["service"]["id"] == item["service_id"]
    # Once the index is built, a detail is a few key lookups.
    other = get_json(client, "/api/hsds/service_at_locations?per_page=1&page=20")["contents"][0]
    with django_assert_max_num_queries(9):
        assert get_json(client, f"/api/hsds/service_at_locations/{other['id']}")["id"] == other["id"]
    # An offer that is no longer public takes its places out of the API at once.
    offer = Offer.objects.get(uuid=item["service_id"])
    offer.status = Offer.Status.DRAFT
    offer.save()
    assert get_json(client, f"/api/hsds/service_at_locations/{item['id']}", status=404) == {"error": "Not found."}
    assert get_json(client, "/api/hsds/service_at_locations/not-a-uuid", status=404)


def test_service_search_pages_without_sending_the_matches_to_the_database(client, many, search_vocabulary):
    """A search matching thousands of offers once cost 0.5 s per request at 10,000 offers:
    every query carried `id IN (<all matches>)`. The matches now stay in Python; the page's
    offers are read by their ids alone."""
    offers, draft = many
    make_offer(title="Schuldnerberatung in Seesen")
    get_json(client, "/api/hsds/services?search=angebot&per_page=1")  # builds the search index once
    first, captured = queries(client, "/api/hsds/services?search=angebot&per_page=5&page=1")
    data = first.json()
    assert data["total_items"] == 12 and data["total_pages"] == 3
    assert [item["name"] for item in data["contents"]] == [f"Angebot {n:02}" for n in range(5)]
    last = get_json(client, "/api/hsds/services?search=angebot&per_page=5&page=3")
    assert [item["name"] for item in last["contents"]] == ["Angebot 10", "Angebot 11"]
    # No query names more ids than the page holds (5 of the 12 matches).
    id_lists = [group for query in captured for group in re.findall(r"IN \(([^()]*)\)", query["sql"])]
    assert id_lists and max(len(group.split(",")) for group in id_lists) <= 5
    assert len(captured) <= 6
    full = get_json(client, "/api/hsds/services?search=angebot&full=true&per_page=200")
    assert full["total_items"] == 12 and all(item["service_at_locations"] for item in full["contents"])
    assert str(draft.uuid) not in {item["id"] for item in full["contents"]}
    places = get_json(client, "/api/hsds/service_at_locations?search=angebot&postcode=38723&per_page=5&page=3")
    assert places["total_items"] == 12 and [item["service"]["name"] for item in places["contents"]] == [
        "Angebot 10", "Angebot 11"]


def test_services_search_with_other_filters_keeps_them(client, many, search_vocabulary):
    offers, _draft = many
    other = make_offer(title="Angebot von woanders", organization=make_organization(name="Andere"))
    found = get_json(client, f"/api/hsds/services?search=angebot&organization_id={other.organization.uuid}")
    assert [item["id"] for item in found["contents"]] == [str(other.uuid)]
    nothing = get_json(client, "/api/hsds/services?search=xylophonunterricht")
    assert nothing["total_items"] == 0 and nothing["contents"] == []


# --- Sitemap --------------------------------------------------------------------------------


def test_sitemap_index_splits_sections_into_parts_of_at_most_the_limit(client, many, monkeypatch):
    monkeypatch.setattr(sitemaps.SiteURLSitemap, "limit", 25)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    # 12 offers x 10 languages = 120 addresses: 5 parts of 25 (the last one 20).
    offer_parts = [part for part in parts if "/sitemap-angebote.xml" in part]
    assert offer_parts == ["https://wegweiser.example.org/sitemap-angebote.xml"] + [
        f"https://wegweiser.example.org/sitemap-angebote.xml?p={page}" for page in range(2, 6)]
    seen = []
    for part in offer_parts:
        urls = ET.fromstring(client.get(part.removeprefix("https://wegweiser.example.org")).content)
        locations = [url.find(f"{SITEMAP}loc").text for url in urls.findall(f"{SITEMAP}url")]
        assert 0 < len(locations) <= 25
        seen += locations
    assert len(seen) == len(set(seen)) == 120
    assert client.get("/sitemap-angebote.xml?p=6").status_code == 404
    assert client.get("/sitemap-nichts.xml").status_code == 404


def test_a_full_sitemap_part_stays_under_10_mb_even_with_the_longest_slugs(client, db):
    make_offer(slug="a" * 200)
    part = client.get("/sitemap-angebote.xml").content
    per_address = len(part) / 10  # one offer, ten languages
    assert sitemaps.LIMIT <= 50_000
    assert per_address * sitemaps.LIMIT < 10 * 1024 * 1024


def test_sitemap_is_computed_once_per_content_version(client, many):
    first, _captured = queries(client, "/sitemap-angebote.xml")
    again, captured = queries(client, "/sitemap-angebote.xml")
    assert again.content == first.content
    assert len(captured) == 0
    make_offer(title="Neu", slug="ganz-neu")
    fresh, captured = queries(client, "/sitemap-angebote.xml")
    assert b"/angebot/ganz-neu/" in fresh.content and len(captured) > 0
    zipped = client.get("/sitemap-angebote.xml", headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == fresh.content


# --- CSV export -------------------------------------------------------------------------------


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_export_streams_all_offers_read_a_chunk_at_a_time(client, many, monkeypatch):
    monkeypatch.setattr(exports, "FIRST_CHUNK", 3)
    monkeypatch.setattr(exports, "CHUNK", 5)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/export/angebote.csv")
        assert response.streaming
        chunks = list(response.streaming_content)
    assert [chunk.count(b"\r\n") for chunk in chunks] == [3, 5, 5]  # the header and 12 offers
    # Offers 1-3, 4-8, then the last 4: never more than a chunk per query.
    offer_queries = [query["sql"] for query in captured if 'FROM "directory_offer" INNER JOIN' in query["sql"]]
    assert len(offer_queries) == 3 and all("LIMIT" in sql for sql in offer_queries)
    rows = csv_rows(b"".join(chunks))
    assert sorted(row["titel"] for row in rows) == [f"Angebot {n:02}" for n in range(12)]


def test_export_is_built_once_per_content_version(client, many):
    first, _captured = queries(client, "/export/angebote.csv")
    response, captured = queries(client, "/export/angebote.csv")
    assert len(captured) == 0
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(csv_rows(data)) == 12
    zipped = client.get("/export/angebote.csv", headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and zipped["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="angebote.csv"' in zipped["Content-Disposition"]
    assert gzip.decompress(zipped.content) == data
    offer = many[0][0]
    offer.title = "Umbenannt"
    offer.save()
    titles = {row["titel"] for row in csv_rows(b"".join(client.get("/export/angebote.csv").streaming_content))}
    assert "Umbenannt" in titles


def test_an_interrupted_download_is_not_kept(client, many):
    response = client.get("/export/angebote.csv")
    next(iter(response.streaming_content))
    del response  # the client went away after the first chunk
    _response, captured = queries(client, "/export/angebote.csv")
    assert len(captured) > 0
