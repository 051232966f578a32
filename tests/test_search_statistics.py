"""Searches that found nothing are counted anonymously, shown to the coordinator, and
turned into vocabulary with one click."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory import search_stats
from directory.models import SearchConcept, SearchMiss, SearchWord

from .conftest import make_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_vocabulary")]


def test_a_search_without_results_is_counted_per_folded_query_language_and_day(client):
    for town in ("Goslar", "Seesen", "Langelsheim"):
        make_offer(title=f"Kita-Lotsen {town}")
    client.get("/angebote/?q=Wohngeld+Antrag%21")
    client.get("/angebote/?q=wohngeld%20%20ANTRAG")
    client.get("/uk/angebote/?q=житло")
    client.get("/angebote/?q=kita")  # found something: not counted
    rows = set(SearchMiss.objects.values_list("query", "language", "day", "count", "results"))
    today = timezone.localdate()
    assert rows == {("wohngeld antrag", "de", today, 2, 0), ("житло", "uk", today, 1, 0)}


def test_nothing_about_the_person_is_stored(client):
    client.get("/angebote/?q=wohngeld", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0 Test")
    fields = {field.name for field in SearchMiss._meta.get_fields()}
    assert fields == {"id", "query", "language", "day", "count", "results"}
    assert SearchMiss.objects.get().query == "wohngeld"


def test_a_search_with_other_filters_is_not_counted(client, district):
    client.get("/angebote/?q=wohngeld&sprache=ar")
    client.get("/kategorie/kita-schule/?q=wohngeld")
    assert not SearchMiss.objects.exists()


def test_a_page_that_counts_is_not_kept_in_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    for _ in range(3):
        response = client.get("/angebote/?q=wohngeld")
    assert "private" in response["Cache-Control"]
    assert SearchMiss.objects.get().count == 3


def test_counts_older_than_90_days_are_deleted(client):
    today = timezone.localdate()
    SearchMiss.objects.create(query="alt", language="de", day=today - timedelta(days=91), count=4)
    SearchMiss.objects.create(query="neu", language="de", day=today - timedelta(days=89), count=4)
    search_stats._last_purge["day"] = None
    client.get("/angebote/?q=wohngeld")
    assert set(SearchMiss.objects.values_list("query", flat=True)) == {"neu", "wohngeld"}


def test_a_database_error_while_counting_still_gives_the_page(client, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("gone")

    monkeypatch.setattr(SearchMiss.objects, "filter", broken)
    response = client.get("/angebote/?q=wohngeld")
    assert response.status_code == 200


def test_the_coordinator_sees_the_most_frequent_and_adds_one_to_the_vocabulary(coordinator_client):
    today = timezone.localdate()
    SearchMiss.objects.create(query="wohngeld", language="de", day=today, count=2)
    SearchMiss.objects.create(query="wohngeld", language="de", day=today - timedelta(days=3), count=5)
    SearchMiss.objects.create(query="житло", language="uk", day=today, count=3)
    SearchMiss.objects.create(query="uralt", language="de", day=today - timedelta(days=95), count=50)
    page = coordinator_client.get("/admin/directory/searchmiss/")
    assert page.status_code == 200
    assert [(row["query"], row["searches"]) for row in page.context["rows"]] == [("wohngeld", 7), ("житло", 3)]
    ukrainian = coordinator_client.get("/admin/directory/searchmiss/?sprache=uk")
    assert [row["query"] for row in ukrainian.context["rows"]] == ["житло"]

    concept = SearchConcept.objects.get(name="Briefe & Ämter")
    response = coordinator_client.post(
        "/admin/directory/searchmiss/wort/", {"text": "житло", "language": "uk", "concept": concept.pk}, follow=True
    )
    assert SearchWord.objects.filter(concept=concept, language="uk", text="житло").exists()
    assert "gehört jetzt zum Suchbegriff" in response.content.decode()


def test_adding_a_word_with_bad_form_data_gives_a_message_not_an_error(coordinator_client):
    for data in ({}, {"text": "x", "language": "xx", "concept": "1"}, {"text": "x", "language": "de", "concept": "abc"},
                 {"text": "x", "language": "de", "concept": "999999"}):
        response = coordinator_client.post("/admin/directory/searchmiss/wort/", data, follow=True)
        assert response.status_code == 200
        assert "Bitte einen Suchbegriff auswählen" in response.content.decode()


def test_partners_cannot_see_the_statistics_or_change_the_vocabulary(partner_client):
    assert partner_client.get("/admin/directory/searchmiss/").status_code == 403
    assert partner_client.post("/admin/directory/searchmiss/wort/", {"text": "x", "language": "de"}).status_code == 403
    assert partner_client.get("/admin/directory/searchconcept/").status_code == 403


def test_the_vocabulary_admin_lists_and_edits_concepts(coordinator_client):
    listing = coordinator_client.get("/admin/directory/searchconcept/")
    assert listing.status_code == 200
    assert "Dolmetschen &amp; Übersetzen" in listing.content.decode()
    concept = SearchConcept.objects.get(name="Dolmetschen & Übersetzen")
    assert coordinator_client.get(f"/admin/directory/searchconcept/{concept.pk}/change/").status_code == 200
    assert coordinator_client.get("/admin/directory/searchconcept/?q=перекладач").context["cl"].result_count == 1


def test_the_privacy_page_says_what_is_counted(client):
    text = client.get("/datenschutz/").content.decode()
    assert "Suchen ohne Treffer" in text
    assert "keine IP-Adresse, kein Cookie, keine Uhrzeit" in text
    assert "nach 90 Tagen gelöscht" in text
