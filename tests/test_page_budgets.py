"""Budgets from the performance work: few SQL queries whatever the number of offers,
and a first visit that fits in a few kilobytes."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from directory.filters import Vocabulary
from directory.search_index import current_index

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8  # two of them: weekly slots and closures for the opening status


def fill(district, count):
    location = make_location(town=district.seesen)
    for n in range(count):
        make_offer(
            title=f"Beratung {n:03}", slug=f"beratung-{n:03}",
            summary="Wir beraten Eltern zu Kita, Schule und Ausbildung – in mehreren Sprachen, kostenlos und vertraulich.",
            categories=[district.kita, district.career], languages=[district.arabic, district.turkish],
            locations=[location], target_groups=[district.parents],
            contacts=[{"name": "Beratungstelefon", "phone": "05381 12345"}], last_reviewed="2026-01-15",
        )


# Listings and the offer page: two of the queries fetch the weekly slots and closures of the
# offers shown, for their opening status.
PAGES = {
    "start": ("/", 1),
    # The search index knows which offers are visible: no query for their ids. The filters' categories,
    # languages and towns are kept per content version too (Vocabulary.current).
    "all offers": ("/angebote/", 5),
    "category": ("/kategorie/kita-schule/", 6),
    "category by language and town": ("/kategorie/kita-schule/?sprache=ar&ort=seesen", 6),
    "search": ("/angebote/?q=Beratung+Schule&kostenlos=1", 6),
    "offer": ("/angebot/beratung-001/", 8),
    # One more on a 404: the lookup of a former slug (directory.middleware.SlugRedirectMiddleware).
    "unknown offer (404)": ("/angebot/gibt-es-nicht/", 3),
}


@pytest.mark.parametrize("offers", [5, 100])
def test_queries_per_page_are_few_and_constant(client, district, offers, settings):
    """Every public page, counted at two data sizes (one test per size keeps the suite fast)."""
    fill(district, offers)
    # The search index is built once per content change, not per request (directory/search_index.py).
    # The content version is asked of the database at most once per PAGE_CACHE_CHECK_SECONDS: on a
    # slow machine that query would land on one page and not another.
    settings.PAGE_CACHE_CHECK_SECONDS = 3600
    current_index()
    with translation.override("de"):
        Vocabulary.current()
    counted = {}
    for page, (url, _expected) in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == (404 if "404" in page else 200), page
        counted[page] = len(queries)
    print(f"\nqueries at {offers} offers: {counted}")
    assert counted == {page: expected for page, (_url, expected) in PAGES.items()}
    assert max(counted.values()) <= MAX_QUERIES


def first_visit_bytes(html):
    """Gzipped size of the page plus every same-site asset it references."""
    total = len(gzip.compress(html.encode(), 9))
    sizes = {"html": total}
    for path in set(re.findall(r'(?:href|src)="/static/([^"]+)"', html)):
        with open(finders.find(path), "rb") as handle:
            sizes[path] = len(gzip.compress(handle.read(), 9))
    return sum(sizes.values()), sizes


@pytest.mark.parametrize("url", ["/", "/kategorie/kita-schule/"])
def test_first_visit_is_small(client, district, url):
    fill(district, 21)
    response = client.get(url)
    if "kategorie" in url:
        assert len(response.context["offers"]) == 20
    total, sizes = first_visit_bytes(response.content.decode())
    print(f"\n{url}: {total} bytes gzipped in total {sizes}")
    assert total < 14 * 1024  # the budget of one round trip; the hard limit is 30 KB
