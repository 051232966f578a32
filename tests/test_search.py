"""Search as a parent types it: any case, with or without umlauts and diacritics,
every word must match, synonyms and names of categories, languages and towns count."""

import pytest

from directory import search
from directory.models import Offer

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db


def found(query):
    return sorted(offer.title for offer in Offer.objects.visible().search(query))


@pytest.mark.parametrize("spelling", ["Müller", "Mueller", "muller", "MÜLLER", "mȕller"])
def test_umlauts_and_case_are_folded(spelling):
    make_offer(title="Sprechstunde bei Frau Müller")
    assert found(spelling) == ["Sprechstunde bei Frau Müller"]


@pytest.mark.parametrize("a,b", [("Ärztin", "Aerztin"), ("Straße", "Strasse"), ("Grüße", "GRUESSE"), ("Çocuk", "cocuk")])
def test_folding_treats_spellings_alike(a, b):
    assert search.fold(a) == search.fold(b)


@pytest.mark.parametrize("variant", ["مَدْرَسَة", "مدرسة", "مدرسه", "مـدرسة"])
def test_arabic_diacritics_tatweel_and_letter_variants_are_folded(variant):
    make_offer(title="Schulberatung", summary="استشارة مدرسية", description="مَدرَسة")
    assert found(variant) == ["Schulberatung"]


@pytest.mark.parametrize("a,b", [("علی", "علي"), ("على", "علي"), ("أحمد", "احمد"), ("كتاب", "کتاب")])
def test_arabic_and_persian_letter_forms_match(a, b):
    assert search.fold(a) == search.fold(b)


def test_every_word_must_match():
    make_offer(title="Elterncafé Seesen", summary="Treffen für Eltern")
    make_offer(title="Elterncafé Goslar", summary="Treffen für Eltern")
    assert found("elterncafe seesen") == ["Elterncafé Seesen"]
    assert found("elterncafe") == ["Elterncafé Goslar", "Elterncafé Seesen"]
    assert found("elterncafe braunlage") == []


@pytest.mark.parametrize("group", [
    ["Dolmetscher", "Sprachmittlung", "Übersetzung", "Dolmetschen", "übersetzen"],
    ["Kita", "Kindergarten", "Kindertagesstätte"],
    ["Arbeit", "Job", "Beruf"],
])
def test_synonyms_find_each_other(group):
    for word in group:
        make_offer(title=f"Angebot mit {word}", slug=f"angebot-{search.fold(word)}")
    every = sorted(f"Angebot mit {word}" for word in group)
    for word in group:
        assert found(word) == every, word


def test_unrelated_offers_are_not_found_by_synonyms():
    make_offer(title="Kindergarten Sonnenschein")
    make_offer(title="Schwimmkurs")
    assert found("Kita") == ["Kindergarten Sonnenschein"]


def test_category_language_and_target_group_names_count(district):
    make_offer(title="Beratung A", summary="Offene Sprechstunde.", categories=[district.kita], languages=[district.arabic],
               target_groups=[district.parents])
    make_offer(title="Beratung B", summary="Offene Sprechstunde.", categories=[district.career], languages=[district.turkish])
    assert found("Kita Schule") == ["Beratung A"]
    assert found("arabisch") == ["Beratung A"]
    assert found("العربية") == ["Beratung A"]
    assert found("Türkçe") == ["Beratung B"]
    assert found("Eltern Beratung") == ["Beratung A"]


def test_town_and_village_names_find_the_offer(district):
    make_offer(title="Sprachcafé Goslar", locations=[make_location(town=district.goslar)])
    make_offer(title="Sprachcafé Seesen", locations=[make_location(town=district.seesen)])
    assert found("Vienenburg") == ["Sprachcafé Goslar"]
    assert found("sprachcafe oker") == ["Sprachcafé Goslar"]
    assert found("Seesen") == ["Sprachcafé Seesen"]


def test_search_lists_title_matches_first(client, district):
    make_offer(title="Alpha Elterntreff", summary="Hier gibt es Dolmetscher.")
    make_offer(title="Zeta Dolmetscherdienst")
    make_offer(title="Beta Sprachmittlung")
    response = client.get("/angebote/?q=Dolmetscher")
    assert [o.title for o in response.context["offers"]] == ["Beta Sprachmittlung", "Zeta Dolmetscherdienst", "Alpha Elterntreff"]


def test_search_on_the_listing_combines_with_filters(client, district):
    make_offer(title="Dolmetscher Arabisch", languages=[district.arabic])
    make_offer(title="Dolmetscher Türkisch", languages=[district.turkish])
    response = client.get("/angebote/?q=dolmetschen&sprache=tr")
    assert [o.title for o in response.context["offers"]] == ["Dolmetscher Türkisch"]


def test_search_text_follows_changes_of_the_offer(district):
    offer = make_offer(title="Beratung")
    offer.languages.add(district.ukrainian)
    assert found("Українська") == ["Beratung"]
