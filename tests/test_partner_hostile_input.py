"""Odd query strings never break the API or the partner pages: a clear answer, never a 500."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_category, make_offer

pytestmark = pytest.mark.django_db

API_PARAMETERS = ["search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                  "full", "format", "postcode", "proximity", "parent_id", "top_only"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@pytest.fixture
def category(db):
    category = make_category(slug="beruf")
    make_offer(categories=[category], contacts=[{"name": "Telefon", "phone": "05321 1"}])
    return category


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(API_PARAMETERS), text, max_size=4),
       path=st.sampled_from(["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"]))
def test_api_answers_200_or_a_json_400(client, category, params, path):
    response = client.get(f"/api/hsds/{path}?{urlencode(params)}")
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
    if response.status_code == 400:
        assert response.json()["parameter"] in params


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["q", "sprache", "ort", "zielgruppe", "format", "kostenlos", "sprache2",
                                                "page", "x"]), text, max_size=4),
       path=st.sampled_from(["qr.png", "qr.svg", "flyer/", "feed/"]))
def test_category_sub_pages_never_fail(client, category, params, path):
    response = client.get(f"/kategorie/beruf/{path}?{urlencode(params)}")
    assert response.status_code in (200, 400)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["q", "sprache", "ort", "zielgruppe", "format", "kostenlos", "page"]),
                              text, max_size=4))
def test_embed_never_fails(client, category, params):
    assert client.get(f"/einbetten/kategorie/beruf/?{urlencode(params)}").status_code == 200


@pytest.mark.parametrize("path", ["services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"])
def test_nul_characters_in_the_search_are_dropped(client, category, path):
    response = client.get(f"/api/hsds/{path}?search=Tele%00fon&postcode=%00")
    assert response.status_code == 200
