"""The partner and open data pages make the same number of queries for 3 or 12 offers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_category, make_language, make_location, make_offer

pytestmark = pytest.mark.django_db

PATHS = [
    "/fuer-partner/",
    "/kategorie/beruf/flyer/?sprache2=ar",
    "/einbetten/kategorie/beruf/",
    "/feed/",
    "/kategorie/beruf/feed/",
    "/export/angebote.csv",
    "/sitemap.xml",
    "/api/hsds/services?full=true",
    "/api/hsds/service_at_locations?full=true",
    "/api/hsds/organizations",
]


def add_offers(category, language, count):
    for _ in range(count):
        make_offer(categories=[category], languages=[language], locations=[make_location()],
                   contacts=[{"name": "Telefon", "phone": "05321 1"}, {"name": "Mail", "email": "a@example.org"}])


def query_count(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PATHS)
def test_query_count_does_not_grow_with_the_offers(client, path):
    category, language = make_category(slug="beruf"), make_language("ar", "Arabisch")
    add_offers(category, language, 3)
    few = query_count(client, path)
    add_offers(category, language, 9)
    assert query_count(client, path) == few
