"""The order of every listing: the same on SQLite and PostgreSQL, and stable across pages."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Offer

from .conftest import make_offer

pytestmark = pytest.mark.django_db


def listed(client, url):
    # German titles: the order is what is compared, the page shows each in its language.
    return [offer.title_de for offer in client.get(url).context["offers"]]


def test_without_a_query_offers_in_the_readers_language_come_first_then_by_title(client, district):
    make_offer(title="Zeta", title_uk="Альфа", languages=[district.ukrainian])
    make_offer(title="Beta", languages=[district.arabic])
    make_offer(title="Alpha", languages=[district.turkish])
    make_offer(title="Ärzte-Sprechstunde", languages=[district.ukrainian])
    assert listed(client, "/angebote/") == ["Alpha", "Ärzte-Sprechstunde", "Beta", "Zeta"]
    # Ukrainian: offers in Ukrainian first, each by its Ukrainian title (German where there is none).
    assert listed(client, "/uk/angebote/") == ["Ärzte-Sprechstunde", "Zeta", "Alpha", "Beta"]
    assert listed(client, "/angebote/?sprache=ar") == ["Beta"]
    assert listed(client, "/ar/angebote/")[0] == "Beta"


def test_equal_titles_keep_a_stable_order_across_pages(client):
    offers = [make_offer(title="Elterncafé", slug=f"elterncafe-{n}") for n in range(25)]
    first = [o.pk for o in client.get("/angebote/").context["offers"]]
    second = [o.pk for o in client.get("/angebote/?page=2").context["offers"]]
    assert first + second == sorted(o.pk for o in offers)
    searched = [o.pk for o in client.get("/angebote/?q=elterncafe").context["offers"]]
    searched += [o.pk for o in client.get("/angebote/?q=elterncafe&page=2").context["offers"]]
    assert searched == sorted(o.pk for o in offers)


def test_saving_a_category_used_by_many_offers_costs_a_few_queries(district, client):
    location_free = [
        Offer(title=f"Beratung {n}", slug=f"beratung-{n}", summary="Wir helfen.", status="published",
              organization=make_offer().organization)
        for n in range(300)
    ]
    created = Offer.objects.bulk_create(location_free)
    Offer.categories.through.objects.bulk_create(
        [Offer.categories.through(offer_id=offer.pk, category_id=district.kita.pk) for offer in created])
    with CaptureQueriesContext(connection) as queries:
        district.kita.name = "Kindertagesstätte"
        district.kita.save()
    assert len(queries) <= 10
    assert len(client.get("/angebote/?q=kindertagesstatte").context["paginator"].object_list) == 300


def test_rebuild_search_refills_the_stored_fields_in_bulk(capsys):
    offers = [make_offer(title=f"Sprachcafé {n}") for n in range(3)]
    Offer.objects.update(search_title="", search_summary="", search_text="")
    call_command("rebuild_search")
    output = capsys.readouterr().out
    assert "Search fields of 3 offers rebuilt" in output
    assert Offer.objects.get(pk=offers[0].pk).search_title == "sprachcafe 0"
    assert Offer.objects.visible().search("sprachcafe").count() == 3
