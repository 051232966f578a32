"""Search as a parent types it: any case, umlauts or not, their own language, typos,
compounds – and the best fit first."""

import pytest

from directory import search
from directory.models import Offer, SearchConcept, SearchWord

from .conftest import make_location, make_offer, make_organization, make_town

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_vocabulary")]


def found(query):
    return sorted(offer.title for offer in Offer.objects.visible().search(query))


def listed(client, url):
    return [offer.title for offer in client.get(url).context["offers"]]


def concept(name, **words):
    # The starter vocabulary (a migration) is there too; these words come on top.
    item = SearchConcept.objects.create(name=f"{name} (Test)")
    for language, texts in words.items():
        for text in texts:
            SearchWord.objects.create(concept=item, language=language, text=text)
    return item


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


@pytest.mark.parametrize("a,b", [
    ("علی", "علي"), ("على", "علي"), ("أحمد", "احمد"), ("كتاب", "کتاب"), ("مهد\u200cکودک", "مهدکودک")])
def test_arabic_and_persian_letter_forms_match(a, b):
    assert search.fold(a) == search.fold(b)


def test_every_word_must_match_when_some_offer_has_them_all():
    make_offer(title="Elterncafé Seesen", summary="Treffen für Eltern")
    make_offer(title="Elterncafé Goslar", summary="Treffen für Eltern")
    assert found("elterncafe seesen") == ["Elterncafé Seesen"]
    assert found("elterncafe") == ["Elterncafé Goslar", "Elterncafé Seesen"]


def test_words_that_match_nothing_are_left_out_and_named(client):
    make_offer(title="Kita-Lotsen", summary="Wir helfen bei der Anmeldung.")
    response = client.get("/angebote/?q=kita+qwxzv")
    assert [o.title for o in response.context["offers"]] == ["Kita-Lotsen"]
    assert "Nicht erkannt und daher nicht berücksichtigt" in response.content.decode()
    assert "„qwxzv“" in response.content.decode()


def test_vocabulary_words_find_each_other_in_every_language():
    concept("Dolmetschen", de=["Dolmetscher", "Sprachmittlung"], uk=["перекладач"], ar=["مترجم"], tr=["çevirmen"])
    make_offer(title="Sprachmittlung für Termine")
    make_offer(title="Schwimmkurs")
    for word in ["Dolmetscher", "перекладач", "مترجم", "Çevirmen", "sprachmittlung"]:
        assert found(word) == ["Sprachmittlung für Termine"], word


def test_no_prefix_matching_school_does_not_find_debt():
    concept("Schule", de=["Schule", "Grundschule"])
    concept("Schulden", de=["Schulden", "Schuldnerberatung"])
    make_offer(title="Schuldnerberatung", summary="Hilfe bei Rechnungen.")
    make_offer(title="Schulsozialarbeit", summary="Beratung an der Schule.")
    assert found("schule") == ["Schulsozialarbeit"]
    assert found("schulden") == ["Schuldnerberatung"]


def test_compounds_are_found_by_their_parts():
    make_offer(title="Kita-Platz finden", summary="Beratung zur Anmeldung.")
    make_offer(title="Deutschkurs am Vormittag", summary="Für Mütter.")
    make_offer(title="Internationales Elterncafé", summary="Jeden Freitag.")
    assert found("Kitaplatz") == ["Kita-Platz finden"]
    assert found("kurs") == ["Deutschkurs am Vormittag"]
    assert found("eltern cafe") == ["Internationales Elterncafé"]


@pytest.mark.parametrize("typo", ["dolmetcher", "Dolmetschr", "dolmestcher", "dolmettscher"])
def test_typos_in_long_words_are_forgiven(typo):
    make_offer(title="Dolmetscher für Termine")
    make_offer(title="Sportgruppe")
    assert found(typo) == ["Dolmetscher für Termine"]


def test_short_words_are_not_guessed():
    make_offer(title="Kita-Lotsen")
    assert found("kiat") == []


def test_a_corrected_word_never_ranks_above_an_exact_one(client):
    make_offer(title="Dolmetscher für Termine", summary="Wir kommen mit.")
    make_offer(title="Offene Sprechstunde", summary="Montags.", description="Auch Fragen zur Nachmittagsbetreuung.")
    # "nachmittagsbetreuung" is exact (in a description only); "dolmetcher" is a corrected title match.
    assert listed(client, "/angebote/?q=dolmetcher+nachmittagsbetreuung") == ["Offene Sprechstunde", "Dolmetscher für Termine"]


def test_title_matches_rank_above_summary_and_description(client):
    make_offer(title="Alpha Elterntreff", summary="Hier gibt es Dolmetscher.")
    make_offer(title="Zeta Dolmetscherteam", summary="Unser Team vermittelt.")
    make_offer(title="Beta Dolmetscher", summary="Termine nach Absprache.")
    make_offer(title="Gamma Treff", summary="Offen.", description="Ein Dolmetscher ist dabei.")
    assert listed(client, "/angebote/?q=Dolmetscher") == [
        "Beta Dolmetscher", "Alpha Elterntreff", "Zeta Dolmetscherteam", "Gamma Treff"]


def test_exact_words_rank_above_synonyms(client):
    concept("Kita", de=["Kita", "Kindergarten"])
    make_offer(title="Kindergarten Sonnenschein", summary="Plätze frei.")
    make_offer(title="Kita Regenbogen", summary="Plätze frei.")
    assert listed(client, "/angebote/?q=kindergarten") == ["Kindergarten Sonnenschein", "Kita Regenbogen"]
    assert listed(client, "/angebote/?q=kita") == ["Kita Regenbogen", "Kindergarten Sonnenschein"]


def test_at_equal_fit_offers_in_the_readers_language_come_first(client, district):
    make_offer(title="A Schulberatung", languages=[district.turkish])
    make_offer(title="B Schulberatung", languages=[district.arabic])
    assert listed(client, "/ar/angebote/?q=schulberatung") == ["B Schulberatung", "A Schulberatung"]
    assert listed(client, "/angebote/?q=schulberatung&sprache=tr&sprache=ar")[0] == "A Schulberatung"
    assert listed(client, "/tr/angebote/?q=schulberatung") == ["A Schulberatung", "B Schulberatung"]


def test_at_equal_fit_fresher_entries_come_first(client):
    make_offer(title="A Schulberatung", last_reviewed="2024-01-10")
    make_offer(title="B Schulberatung", last_reviewed="2026-06-01")
    make_offer(title="C Schulberatung", last_reviewed=None)
    assert listed(client, "/angebote/?q=schulberatung") == ["B Schulberatung", "A Schulberatung", "C Schulberatung"]


def test_a_language_name_filters_by_language_instead_of_matching_text(district):
    make_offer(title="Beratung A", summary="Offene Sprechstunde.", languages=[district.arabic])
    make_offer(title="Beratung B", summary="Wir sprechen kein Arabisch.", languages=[district.turkish])
    assert found("arabisch") == ["Beratung A"]
    assert found("العربية") == ["Beratung A"]
    assert found("Türkçe beratung") == ["Beratung B"]


def test_a_language_word_from_the_vocabulary_filters_too(district):
    language_concept = SearchConcept.objects.create(name="Ukrainisch", kind="language", language=district.ukrainian)
    SearchWord.objects.create(concept=language_concept, language="uk", text="на українській")
    make_offer(title="Kita-Beratung", languages=[district.ukrainian])
    make_offer(title="Kita-Treff", languages=[district.arabic])
    assert found("kita на українській") == ["Kita-Beratung"]


def test_category_target_group_and_organisation_names_count(district):
    make_offer(title="Beratung A", summary="Offene Sprechstunde.", categories=[district.kita],
               target_groups=[district.parents], organization=make_organization(name="Caritas Goslar"))
    make_offer(title="Beratung B", summary="Offene Sprechstunde.", categories=[district.career])
    assert found("Kita Schule") == ["Beratung A"]
    assert found("caritas") == ["Beratung A"]
    assert found("Eltern Beratung") == ["Beratung A"]


def test_town_and_village_names_find_the_offer_also_in_other_scripts(district):
    concept("Seesen", de=["Seesen"], ar=["زيزن"], uk=["Зезен"])
    make_offer(title="Sprachcafé Goslar", locations=[make_location(town=district.goslar)])
    make_offer(title="Sprachcafé Seesen", locations=[make_location(town=district.seesen)])
    assert found("Vienenburg") == ["Sprachcafé Goslar"]
    assert found("sprachcafe oker") == ["Sprachcafé Goslar"]
    assert found("Seesen") == ["Sprachcafé Seesen"]
    assert found("زيزن") == ["Sprachcafé Seesen"]
    assert found("зезен") == ["Sprachcafé Seesen"]


def test_search_on_the_listing_combines_with_filters(client, district):
    make_offer(title="Dolmetscher Arabisch", languages=[district.arabic])
    make_offer(title="Dolmetscher Türkisch", languages=[district.turkish])
    assert listed(client, "/angebote/?q=dolmetscher&sprache=tr") == ["Dolmetscher Türkisch"]


def test_changes_are_found_at_once(client, district):
    offer = make_offer(title="Beratung")
    assert listed(client, "/angebote/?q=wochenende") == []
    offer.summary = "Auch am Wochenende."
    offer.save()
    assert listed(client, "/angebote/?q=wochenende") == ["Beratung"]
    district.kita.name = "Kinderbetreuung"
    district.kita.save()
    offer.categories.add(district.kita)
    assert listed(client, "/angebote/?q=kinderbetreuung") == ["Beratung"]


def test_a_word_the_coordinator_adds_is_used_at_once(client):
    make_offer(title="Elternsprechstunde")
    assert listed(client, "/angebote/?q=roditelski") == []
    concept("Eltern", de=["Elternsprechstunde"], bg=["roditelski"])
    assert listed(client, "/angebote/?q=roditelski") == ["Elternsprechstunde"]


def test_drafts_are_never_found():
    make_offer(title="Geheimer Entwurf", status=Offer.Status.DRAFT)
    assert found("entwurf") == []


def test_a_town_where_the_offer_takes_place_ranks_above_a_mention_in_the_text(client, district):
    liebenburg = make_town("Liebenburg", position=3)
    make_offer(title="Familienberatung vor Ort", summary="Sie müssen nicht nach Goslar fahren.",
               locations=[make_location(town=liebenburg)])
    make_offer(title="Erziehungsberatung", summary="Wir beraten Familien.", locations=[make_location(town=district.goslar)])
    assert listed(client, "/angebote/?q=goslar") == ["Erziehungsberatung", "Familienberatung vor Ort"]


# Further from the dictionary form than the typos a search forgives.
@pytest.mark.parametrize("query", ["врачом", "с врачами", "з лікарями"])
def test_russian_and_ukrainian_case_endings_find_the_word(query):
    concept("Arzt", de=["Arzt"], ru=["врач"], uk=["лікар"])
    make_offer(title="Arztbesuch mit Dolmetscherin")
    make_offer(title="Hausaufgabenhilfe")
    assert found(query) == ["Arztbesuch mit Dolmetscherin"]


def test_meinten_sie_offers_no_word_of_the_texts_two_letters_away_from_a_short_word(client):
    make_offer(title="Schutz vor Gewalt")
    response = client.get("/angebote/?q=zewalp")
    assert response.context["suggestion"] is None


def test_meinten_sie_offers_a_vocabulary_word_two_letters_away(client):
    concept("Hebamme", de=["Hebamme"])
    make_offer(title="Hebamme für Familien")
    response = client.get("/angebote/?q=hebam")
    assert response.context["suggestion"]["query"] == "hebamme"
    assert "Meinten Sie" in response.content.decode()


def test_meinten_sie_reads_as_a_question_in_the_readers_script(client):
    concept("Hebamme", de=["Hebamme"])
    make_offer(title="Hebamme für Familien")
    line = client.get("/ar/angebote/?q=hebam").content.decode().split('class="suggestion">', 1)[1].split("</p>", 1)[0]
    # Arabic quotation marks and question mark, no Latin "?" after the Arabic words.
    assert line.startswith("هل تقصد") and line.endswith("«hebamme»</a>؟") and "?" not in line.replace("?q=", "")
    line = client.get("/fa/angebote/?q=hebam").content.decode().split('class="suggestion">', 1)[1].split("</p>", 1)[0]
    assert line.endswith("</a>؟")
    line = client.get("/angebote/?q=hebam").content.decode().split('class="suggestion">', 1)[1].split("</p>", 1)[0]
    assert line.endswith("„hebamme“</a>?")
