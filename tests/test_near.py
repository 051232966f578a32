"""`nahe=<place>`: results carry their distance and are ordered by it."""

import pytest

from directory import places

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(district):
    """Offers in Hahnenklee, Oker and Seesen, one by phone only, one without any place."""
    hahnenklee = make_location(town=district.goslar, latitude=51.8600, longitude=10.3450, name="Kurhaus Hahnenklee")
    oker = make_location(town=district.goslar, latitude=51.9050, longitude=10.4900, name="Treff Oker")
    # No coordinates: counted at the centre of its municipality.
    seesen = make_location(town=district.seesen, name="Rathaus Seesen")
    return {
        "seesen": make_offer(title="Aa Elterncafé Seesen", slug="seesen", locations=[seesen], categories=[district.kita]),
        "oker": make_offer(title="Bb Elterncafé Oker", slug="oker", locations=[oker], categories=[district.kita]),
        "hahnenklee": make_offer(title="Cc Elterncafé Hahnenklee", slug="hahnenklee", locations=[hahnenklee],
                                 categories=[district.kita]),
        "phone": make_offer(title="Dd Elterntelefon", slug="telefon", format_phone=True, categories=[district.kita]),
        "nowhere": make_offer(title="Ee Ohne Ort", slug="ohne-ort", categories=[district.kita]),
    }


def titles(response):
    return [offer.title for offer in response.context["offers"]]


def test_without_a_place_the_list_is_alphabetical(client, spread):
    response = client.get("/angebote/")
    assert titles(response)[:3] == ["Aa Elterncafé Seesen", "Bb Elterncafé Oker", "Cc Elterncafé Hahnenklee"]


def test_near_a_village_orders_by_distance_and_shows_kilometres(client, spread):
    response = client.get("/angebote/?nahe=Hahnenklee")
    assert titles(response) == [
        "Dd Elterntelefon",  # reachable from anywhere
        "Cc Elterncafé Hahnenklee",
        "Bb Elterncafé Oker",
        "Aa Elterncafé Seesen",
        "Ee Ohne Ort",
    ]
    html = response.content.decode()
    assert "unter 1 km" in html
    oker_km = round(places.distance_km(51.857, 10.340, 51.905, 10.490))
    assert oker_km == 12
    assert f"{oker_km} km" in html
    assert "per Telefon/Video – von überall erreichbar" in html
    assert "Sortiert nach Entfernung von Hahnenklee" in html
    assert "© OpenStreetMap-Mitwirkende" in html and "https://www.openstreetmap.org/copyright" in html


def test_place_names_are_found_as_people_write_them(client, spread):
    for spelling in ("hahnenklee", "HAHNENKLEE", "Hahnenklee-Bockswiese", " Hahnenklee "):
        assert titles(client.get("/angebote/", {"nahe": spelling}))[1] == "Cc Elterncafé Hahnenklee", spelling
    assert places.gazetteer().find("Sankt Andreasberg").name == "St. Andreasberg"
    assert places.gazetteer().find("St.Andreasberg").name == "St. Andreasberg"
    assert places.gazetteer().find("Lutter").name == "Lutter am Barenberge"
    assert places.gazetteer().find("schulenberg").name == "Schulenberg im Oberharz"


def test_every_municipality_and_named_village_is_a_place():
    gazetteer = places.gazetteer()
    for name in ("Goslar", "Bad Harzburg", "Braunlage", "Clausthal-Zellerfeld", "Langelsheim", "Liebenburg", "Seesen",
                 "Hahnenklee", "Oker", "Vienenburg", "Lutter", "Altenau", "St. Andreasberg", "Schulenberg", "Wildemann"):
        place = gazetteer.find(name)
        assert place is not None, name
        # Inside the district's box: a typo in the data file would put a village elsewhere.
        assert 51.6 < place.latitude < 52.1 and 10.1 < place.longitude < 10.7, name
    assert gazetteer.source == "OpenStreetMap"


def test_distance_breaks_ties_of_relevance_only(client, spread):
    spread["seesen"].title = "Elterncafé Aa"
    spread["seesen"].save()
    # "Elterncafé" in the title of four offers; the phone line matches in the summary only.
    response = client.get("/angebote/?q=Elterncafé&nahe=Seesen")
    assert titles(response)[0] == "Elterncafé Aa"
    assert titles(response)[1:3] == ["Cc Elterncafé Hahnenklee", "Bb Elterncafé Oker"]


def test_unknown_place_gives_a_note_with_close_names_and_the_unsorted_list(client, spread):
    response = client.get("/kategorie/kita-schule/?nahe=Hahneklee")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Den Ort „Hahneklee“ kennen wir nicht" in html
    assert "Meinten Sie:" in html and "nahe=hahnenklee" in html
    assert titles(response)[0] == "Aa Elterncafé Seesen"
    assert "Sortiert nach Entfernung" not in html


def test_the_place_suggestion_ends_with_the_readers_question_mark(client, spread):
    def note(language):
        page = client.get(f"/{language}/kategorie/kita-schule/?nahe=Hahneklee").content.decode()
        return page.split("nahe=hahnenklee", 1)[1].split("</p>", 1)[0]

    assert note("ar").endswith("؟") and "?" not in note("ar")
    assert note("uk").endswith("?")


def test_odd_place_values_never_break_the_page(client, spread):
    for value in ("", " ", "x" * 5000, "<script>", "%00", "Goslar\x00"):
        response = client.get("/angebote/", {"nahe": value})
        assert response.status_code == 200, value
        assert "<script>" not in response.content.decode().split("<main", 1)[1].replace("&lt;script&gt;", "")


def test_place_is_kept_in_pagination_and_removable_as_a_chip(client, district):
    location = make_location(town=district.seesen, latitude=51.891, longitude=10.179)
    for n in range(25):
        make_offer(title=f"Angebot {n:02}", slug=f"a-{n}", locations=[location])
    response = client.get("/angebote/?nahe=Seesen&sprache=xx")
    html = response.content.decode()
    assert "?nahe=seesen&amp;page=2" in html
    assert "in der Nähe von Seesen" in html


def test_near_works_together_with_the_town_filter(client, spread, district):
    response = client.get("/angebote/?ort=goslar&nahe=oker")
    assert titles(response)[:3] == ["Dd Elterntelefon", "Bb Elterncafé Oker", "Cc Elterncafé Hahnenklee"]


def test_near_in_arabic_shows_translated_distance_note(client, spread):
    response = client.get("/ar/angebote/?nahe=Oker")
    assert response.status_code == 200
    assert titles(response)[1] == "Bb Elterncafé Oker"


def in_places(names):
    """The offers that have a place, in the order of the list."""
    return [name for name in names if name not in ("Dd Elterntelefon", "Ee Ohne Ort")]


def test_postcode_of_the_district_orders_from_its_town(client, spread):
    response = client.get("/angebote/", {"nahe": "38723"})
    assert in_places(titles(response)) == ["Aa Elterncafé Seesen", "Cc Elterncafé Hahnenklee", "Bb Elterncafé Oker"]
    assert "Sortiert nach Entfernung von Seesen" in response.content.decode()
    assert places.gazetteer().find("38644").name == "Goslar"


def test_postcode_outside_the_district_is_told_not_sorted(client, spread):
    response = client.get("/ar/angebote/", {"nahe": "38100"})
    html = response.content.decode()
    assert "الرمز البريدي 38100 ليس في Landkreis Goslar" in html
    assert "distance-note" not in html  # not sorted from a place she is not at
    assert titles(response)[:3] == ["Aa Elterncafé Seesen", "Bb Elterncafé Oker", "Cc Elterncafé Hahnenklee"]


@pytest.mark.parametrize("spelling", ["زيزن", "زیزن", "Зезен", "зеезен"])
def test_town_names_in_arabic_persian_and_cyrillic_script_are_understood(client, spread, search_vocabulary, spelling):
    # The search vocabulary holds the words people use for each town (data the coordinator extends).
    response = client.get("/ar/angebote/", {"nahe": spelling})
    assert in_places(titles(response)) == ["Aa Elterncafé Seesen", "Cc Elterncafé Hahnenklee", "Bb Elterncafé Oker"]
    assert "nahe=seesen" in response.content.decode()  # links and chips carry the place, not the spelling


def test_the_distance_note_names_the_town_as_the_cards_do(client, spread, district):
    """On an Arabic page the town is زيزن in the note and the chip, as on every card, not "Seesen"."""
    district.seesen.name_ar = "زيزن"
    district.seesen.save()
    page = client.get("/ar/angebote/?nahe=Seesen").content.decode()
    note = page.split('class="distance-note"', 1)[1].split("</p>", 1)[0]
    assert "زيزن" in note and "Seesen" not in note
    chips = page.split('class="chips"', 1)[1].split("</ul>", 1)[0]
    assert "زيزن" in chips
    # A village keeps its own name.
    assert "Hahnenklee" in client.get("/ar/angebote/?nahe=Hahnenklee").content.decode().split('class="distance-note"', 1)[1]


def test_an_address_as_the_page_prints_it_finds_its_place(client, spread):
    """ "38723 زيزن" is copied from an offer page: its postcode says where."""
    for value in ("38723 زيزن", "38723 Seesen"):
        response = client.get("/ar/angebote/", {"nahe": value})
        assert response.context["filter"].place.name == "Seesen", value
