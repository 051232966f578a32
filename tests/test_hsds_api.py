"""The open data API: HSDS 3.0 responses, validated against the official schemas."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from directory.hsds import CATEGORIES, FORMATS
from directory.models import Offer
from tests.conftest import make_category, make_language, make_location, make_offer, make_organization, make_target_group

pytestmark = pytest.mark.django_db

HSDS = Path(__file__).parent / "hsds"
SCHEMAS = {path.name: json.loads(path.read_text()) for path in HSDS.glob("*.json")}
COMPILED = {path.name: json.loads(path.read_text()) for path in (HSDS / "compiled").glob("*.json")}
REGISTRY = Registry().with_resources((name, DRAFT202012.create_resource(schema)) for name, schema in SCHEMAS.items())
OPENAPI = json.loads((HSDS / "openapi.json").read_text())
PAGE = OPENAPI["components"]["schemas"]["Page"]
ROOT = OPENAPI["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def validate(instance, schema):
    Draft202012Validator(schema, registry=REGISTRY, format_checker=FormatChecker()).validate(instance)


def validate_page(data, item_schema):
    page_schema = {**PAGE, "required": list(PAGE["properties"]), "properties": {
        **PAGE["properties"], "contents": {"type": "array", "items": item_schema},
    }}
    validate(data, page_schema)


@pytest.fixture
def directory():
    category = make_category(name="Kita & Schule", slug="kita-schule", description="Rund um Kita und Schule")
    other_category = make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf")
    group = make_target_group("Grundschule")
    arabic = make_language("ar", "Arabisch", "العربية", direction="rtl")
    organization = make_organization(name="Familienzentrum Seesen", phone="05381 1234", email="info@fz.example.org",
                                     website="https://fz.example.org/")
    location = make_location(organization=organization, latitude=Decimal("51.89"), longitude=Decimal("10.18"),
                             opening_hours="Mo–Do 9–12 Uhr")
    offer = make_offer(
        title="Elterncafé", slug="elterncafe", organization=organization, categories=[category],
        languages=[arabic], target_groups=[group], locations=[location], format_phone=True,
        last_reviewed=timezone.localdate(),
        contacts=[{"name": "Frau Yılmaz", "phone": "05381 98765", "email": "yilmaz@fz.example.org", "hours": "Mo 9–12"}],
    )
    career = make_offer(title="Berufsberatung", slug="berufsberatung", categories=[other_category], is_free=False,
                        cost_note="5 € pro Treffen")
    draft = make_offer(title="Entwurf", slug="entwurf", status=Offer.Status.DRAFT, organization=make_organization(),
                       categories=[category])
    expired = make_offer(title="Vorbei", slug="vorbei", valid_until=timezone.localdate() - timedelta(days=1),
                         categories=[category])
    return {"category": category, "group": group, "organization": organization, "location": location,
            "offer": offer, "career": career, "draft": draft, "expired": expired}


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_root_names_the_version_and_the_licence(client):
    data = get_json(client, "/api/hsds/")
    validate(data, ROOT)
    assert data["version"] == "3.0"
    assert data["license"]["name"] == settings.DATA_LICENSE
    assert data["openapi_url"].endswith("openapi.json")
    assert data["endpoints"]["services"].endswith("/api/hsds/services")


def test_services_list_only_published_offers_and_validates(client, directory):
    data = get_json(client, "/api/hsds/services")
    validate_page(data, COMPILED["service_list.json"])
    assert {item["name"] for item in data["contents"]} == {"Elterncafé", "Berufsberatung"}
    assert data["total_items"] == 2 and data["first_page"] and data["last_page"] and not data["empty"]


def test_service_detail_is_complete_and_validates(client, directory):
    offer = directory["offer"]
    data = get_json(client, f"/api/hsds/services/{offer.uuid}")
    validate(data, SCHEMAS["service.json"])
    assert data["id"] == str(offer.uuid)
    assert data["organization"]["id"] == str(directory["organization"].uuid)
    assert data["contacts"][0]["phones"][0]["number"] == "05381 98765"
    assert data["languages"][0]["code"] == "ar"
    address = data["service_at_locations"][0]["location"]["addresses"][0]
    assert address["state_province"] == settings.SITE_STATE
    term_ids = {attribute["taxonomy_term_id"] for attribute in data["attributes"]}
    assert str(directory["category"].uuid) in term_ids
    assert str(directory["group"].uuid) in term_ids
    assert data["url"].endswith("/angebot/elterncafe/")


def test_ids_are_stable_between_requests(client, directory):
    first = get_json(client, f"/api/hsds/services/{directory['offer'].uuid}")
    second = get_json(client, f"/api/hsds/services/{directory['offer'].uuid}")
    assert first == second


def test_unpublished_and_expired_offers_are_not_found(client, directory):
    for offer in (directory["draft"], directory["expired"]):
        assert get_json(client, f"/api/hsds/services/{offer.uuid}", status=404) == {"error": "Not found."}


def test_services_full_listing_validates(client, directory):
    data = get_json(client, "/api/hsds/services?full=true")
    validate_page(data, SCHEMAS["service.json"])
    assert any(item.get("contacts") for item in data["contents"])


def test_search_finds_by_word(client, directory):
    data = get_json(client, "/api/hsds/services?search=elterncafe")
    assert [item["name"] for item in data["contents"]] == ["Elterncafé"]


def test_filter_by_taxonomy_term(client, directory):
    data = get_json(client, f"/api/hsds/services?taxonomy_term_id={directory['category'].uuid}")
    assert [item["name"] for item in data["contents"]] == ["Elterncafé"]
    phone_term = next(term for term in get_json(client, f"/api/hsds/taxonomy_terms?taxonomy_id={FORMATS.id}")["contents"]
                      if term["code"] == "telefon")
    data = get_json(client, f"/api/hsds/services?taxonomy_term_id={phone_term['id']}")
    assert [item["name"] for item in data["contents"]] == ["Elterncafé"]


def test_filter_by_organization(client, directory):
    data = get_json(client, f"/api/hsds/services?organization_id={directory['organization'].uuid}")
    assert [item["name"] for item in data["contents"]] == ["Elterncafé"]


def test_filter_by_modified_after(client, directory):
    Offer.objects.filter(pk=directory["career"].pk).update(updated=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    data = get_json(client, f"/api/hsds/services?modified_after={since}")
    assert [item["name"] for item in data["contents"]] == ["Elterncafé"]
    data = get_json(client, "/api/hsds/services?modified_after=2000-01-01T00:00:00+00:00")
    assert data["total_items"] == 2


def test_paging(client, directory):
    first = get_json(client, "/api/hsds/services?per_page=1")
    second = get_json(client, "/api/hsds/services?per_page=1&page=2")
    assert (first["total_pages"], first["size"], first["first_page"], first["last_page"]) == (2, 1, True, False)
    assert (second["page_number"], second["last_page"]) == (2, True)
    assert first["contents"][0]["id"] != second["contents"][0]["id"]


@pytest.mark.parametrize("query, parameter", [
    ("page=0", "page"),
    ("page=abc", "page"),
    ("page=%C2%B2", "page"),
    ("page=" + "9" * 5000, "page"),
    ("page=99", "page"),
    ("per_page=-1", "per_page"),
    ("per_page=100000", "per_page"),
    ("taxonomy_term_id=nonsense", "taxonomy_term_id"),
    ("organization_id=1%27%20OR%201=1", "organization_id"),
    ("modified_after=yesterday", "modified_after"),
    ("modified_after=2026-13-45", "modified_after"),
    ("full=maybe", "full"),
    ("format=ndjson", "format"),
])
def test_bad_parameters_get_a_json_400(client, directory, query, parameter):
    data = get_json(client, f"/api/hsds/services?{query}", status=400)
    assert data["parameter"] == parameter
    assert data["error"]


def test_unknown_ids_get_a_json_404(client, directory):
    for path in ("services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations"):
        assert get_json(client, f"/api/hsds/{path}/not-a-uuid", status=404)["error"]
        assert get_json(client, f"/api/hsds/{path}/00000000-0000-0000-0000-000000000000", status=404)["error"]


def test_organizations_only_with_published_offers(client, directory):
    data = get_json(client, "/api/hsds/organizations")
    validate_page(data, COMPILED["organization_list.json"])
    names = {item["name"] for item in data["contents"]}
    assert "Familienzentrum Seesen" in names
    assert directory["draft"].organization.name not in names
    get_json(client, f"/api/hsds/organizations/{directory['draft'].organization.uuid}", status=404)


def test_organization_detail_validates(client, directory):
    data = get_json(client, f"/api/hsds/organizations/{directory['organization'].uuid}")
    validate(data, SCHEMAS["organization.json"])
    assert [service["name"] for service in data["services"]] == ["Elterncafé"]
    assert data["phones"][0]["number"] == "05381 1234"
    assert data["locations"][0]["id"] == str(directory["location"].uuid)


def test_taxonomies_validate(client, directory):
    data = get_json(client, "/api/hsds/taxonomies")
    validate_page(data, SCHEMAS["taxonomy.json"])
    assert CATEGORIES.id in {item["id"] for item in data["contents"]}
    validate(get_json(client, f"/api/hsds/taxonomies/{CATEGORIES.id}"), SCHEMAS["taxonomy.json"])


def test_taxonomy_terms_validate_and_filter(client, directory):
    data = get_json(client, "/api/hsds/taxonomy_terms?per_page=200")
    validate_page(data, SCHEMAS["taxonomy_term.json"])
    categories = get_json(client, f"/api/hsds/taxonomy_terms?taxonomy_id={CATEGORIES.id}")["contents"]
    assert {term["code"] for term in categories} == {"kita-schule", "ausbildung-beruf"}
    term = get_json(client, f"/api/hsds/taxonomy_terms/{directory['category'].uuid}")
    validate(term, SCHEMAS["taxonomy_term.json"])
    assert term["name"] == "Kita & Schule"
    assert get_json(client, f"/api/hsds/taxonomy_terms?parent_id={CATEGORIES.id}")["empty"]


def test_service_at_locations_validate(client, directory):
    data = get_json(client, "/api/hsds/service_at_locations")
    validate_page(data, COMPILED["service_at_location_list.json"])
    assert data["total_items"] == 1
    item = data["contents"][0]
    assert item["service_id"] == str(directory["offer"].uuid)
    detail = get_json(client, f"/api/hsds/service_at_locations/{item['id']}")
    validate(detail, SCHEMAS["service_at_location.json"])
    assert detail["location"]["addresses"][0]["postal_code"] == "38723"
    assert get_json(client, "/api/hsds/service_at_locations?postcode=99999")["empty"]
    assert get_json(client, "/api/hsds/service_at_locations?proximity=500", status=400)["parameter"] == "proximity"


def test_english_interface_gives_english_texts(client, directory):
    offer = directory["offer"]
    offer.title_en = "Parents' café"
    offer.save()
    assert get_json(client, f"/en/api/hsds/services/{offer.uuid}")["name"] == "Parents' café"
    assert get_json(client, f"/api/hsds/services/{offer.uuid}")["name"] == "Elterncafé"


def test_api_is_readable_from_other_origins_and_read_only(client, directory):
    response = client.get("/api/hsds/services")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/hsds/services").status_code == 405


def test_services_query_count_does_not_grow_with_the_data(client, directory, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/api/hsds/services?full=true")
    for n in range(5):
        make_offer(categories=[directory["category"]], locations=[directory["location"]],
                   contacts=[{"name": f"K {n}", "phone": "05381 1"}])
    with django_assert_max_num_queries(12):
        client.get("/api/hsds/services?full=true")


def test_every_response_for_the_demo_data_validates(client, demo_data):
    services = get_json(client, "/api/hsds/services?full=true&per_page=200")
    assert services["total_items"] == Offer.objects.visible().count() > 0
    validate_page(services, SCHEMAS["service.json"])
    for service in services["contents"][:10]:
        validate(get_json(client, f"/api/hsds/services/{service['id']}"), SCHEMAS["service.json"])
    organizations = get_json(client, "/api/hsds/organizations?per_page=200")
    validate_page(organizations, COMPILED["organization_list.json"])
    for organization in organizations["contents"][:5]:
        validate(get_json(client, f"/api/hsds/organizations/{organization['id']}"), SCHEMAS["organization.json"])
    locations = get_json(client, "/api/hsds/service_at_locations?full=true&per_page=200")
    validate_page(locations, SCHEMAS["service_at_location.json"])
    validate_page(get_json(client, "/api/hsds/taxonomy_terms?per_page=200"), SCHEMAS["taxonomy_term.json"])


def test_schedules_are_hsds_schedules_and_validate(client, directory):
    from datetime import date, time

    from directory.models import Closure, OpeningSlot

    offer, location = directory["offer"], directory["location"]
    OpeningSlot.objects.create(offer=offer, weekday=0, opens=time(9), closes=time(12), location=location)
    OpeningSlot.objects.create(offer=offer, weekday=1, opens=time(10), closes=time(12), appointment_only=True,
                               language=offer.languages.get())
    Closure.objects.create(offer=offer, starts=date(2099, 7, 1), ends=date(2099, 8, 10), reason="Sommerferien")
    data = get_json(client, f"/api/hsds/services/{offer.uuid}")
    validate(data, SCHEMAS["service.json"])
    for schedule in data["schedules"]:
        validate(schedule, SCHEMAS["schedule.json"])
    by_day = {schedule["byday"]: schedule for schedule in data["schedules"] if "byday" in schedule}
    assert by_day["MO"]["freq"] == "WEEKLY" and by_day["MO"]["opens_at"] == "09:00" and by_day["MO"]["closes_at"] == "12:00"
    assert by_day["MO"]["location_id"] == str(location.uuid)
    assert by_day["TU"]["attending_type"] == "Sprache: Arabisch (ar); nur mit Termin"
    assert "Geschlossen 2099-07-01 bis 2099-08-10 (Sommerferien)" in by_day["TU"]["notes"]
    validate_page(get_json(client, "/api/hsds/services?full=true"), SCHEMAS["service.json"])
