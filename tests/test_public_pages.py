"""The public pages as a parent sees them: start, listings, offer, 404."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import Category, Offer

from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_help(district):
    """An Arabic-speaking school counselling in Seesen."""
    seesen_office = make_location(town=district.seesen, name="Familienzentrum Seesen", street="Jacobsonstraße 5",
                                  latitude="51.890100", longitude="10.178900", wheelchair_access="yes",
                                  opening_hours="Mo–Do 9–12 Uhr")
    return make_offer(
        title="Schulberatung auf Arabisch", slug="schulberatung-arabisch",
        summary="Wir helfen bei Fragen zur Schule Ihres Kindes.",
        how_to_get_help="Rufen Sie an.\n\nWir machen einen Termin.\nSie kommen zu uns.",
        categories=[district.kita], languages=[district.arabic, district.turkish], locations=[seesen_office],
        target_groups=[district.school_age],
        contacts=[{"name": "Frau Haddad", "phone": "05381 12345", "email": "haddad@example.org", "hours": "Mo–Fr 9–12 Uhr"}],
        last_reviewed=timezone.localdate() - timedelta(days=30),
    )


@pytest.fixture
def goslar_offers(district):
    """A Turkish homework club in Goslar and a Ukrainian phone line based in Goslar."""
    goslar_office = make_location(town=district.goslar, name="Stadtteiltreff Jürgenohl")
    club = make_offer(title="Hausaufgabenhilfe Goslar", slug="hausaufgaben-goslar", categories=[district.kita],
                      languages=[district.turkish], locations=[goslar_office], is_free=False, cost_note="2 € im Monat")
    hotline = make_offer(title="Elterntelefon", slug="elterntelefon", categories=[district.kita],
                         languages=[district.ukrainian], locations=[goslar_office], format_in_person=False,
                         format_phone=True, appointment_needed=False, anonymous_possible=True)
    return club, hotline


def titles(response):
    return [offer.title for offer in response.context["offers"]]


class TestStartPage:
    def test_shows_categories_with_number_of_visible_offers(self, client, school_help, district):
        make_offer(categories=[district.kita], status=Offer.Status.DRAFT)
        html = client.get("/").content.decode()
        assert 'href="/kategorie/kita-schule/"' in html
        assert "1 Angebot<" in html
        assert "0 Angebote<" in html  # the empty categories still show, honestly counted

    def test_has_search_box_and_coordinator_contact(self, client, district):
        html = client.get("/").content.decode()
        assert 'action="/angebote/"' in html and 'name="q"' in html
        assert 'href="tel:+493023125100"' in html
        assert "mailto:koordination@example.org" in html


class TestCategoryPage:
    def test_lists_only_visible_offers_of_the_category(self, client, school_help, goslar_offers, district):
        make_offer(title="Entwurf", categories=[district.kita], status=Offer.Status.DRAFT)
        make_offer(title="Abgelaufen", categories=[district.kita], valid_until=timezone.localdate() - timedelta(days=1))
        make_offer(title="Jobcafé", categories=[district.career])
        response = client.get("/kategorie/kita-schule/")
        assert titles(response) == ["Elterntelefon", "Hausaufgabenhilfe Goslar", "Schulberatung auf Arabisch"]
        assert "3 Angebote" in response.content.decode()

    def test_language_filter_comes_first_in_the_form(self, client, district):
        html = client.get("/kategorie/kita-schule/").content.decode()
        assert html.index('name="sprache"') < html.index('name="ort"') < html.index('name="q"', html.index("<main"))

    def test_language_filter_keeps_other_filters(self, client, school_help, goslar_offers, district):
        response = client.get("/kategorie/kita-schule/?sprache=ar&ort=seesen")
        assert titles(response) == ["Schulberatung auf Arabisch"]

    def test_several_languages_match_any_of_them(self, client, school_help, goslar_offers):
        response = client.get("/kategorie/kita-schule/?sprache=ar&sprache=uk")
        assert titles(response) == ["Elterntelefon", "Schulberatung auf Arabisch"]

    def test_town_includes_phone_offers_for_the_whole_district_with_a_hint(self, client, school_help, goslar_offers):
        response = client.get("/kategorie/kita-schule/?ort=seesen")
        assert titles(response) == ["Elterntelefon", "Schulberatung auf Arabisch"]
        html = response.content.decode()
        assert html.count("per Telefon/Video – für den ganzen Landkreis") == 1

    @pytest.mark.parametrize("query,expected", [
        ("kostenlos=1", ["Elterntelefon", "Schulberatung auf Arabisch"]),
        ("ohne_termin=1", ["Elterntelefon"]),
        ("anonym=on", ["Elterntelefon"]),
        ("format=telefon", ["Elterntelefon"]),
        ("format=telefon&format=vor-ort", ["Elterntelefon", "Hausaufgabenhilfe Goslar", "Schulberatung auf Arabisch"]),
        ("zielgruppe=grundschule", ["Schulberatung auf Arabisch"]),
    ])
    def test_yes_no_format_and_target_group_filters(self, client, school_help, goslar_offers, query, expected):
        assert titles(client.get(f"/kategorie/kita-schule/?{query}")) == expected

    def test_active_filters_each_have_a_removal_link(self, client, school_help, goslar_offers):
        response = client.get("/kategorie/kita-schule/?sprache=ar&ort=seesen")
        removals = {item.label: item.remove_url for item in response.context["filter"].active_filters()}
        assert removals == {"\u2068العربية\u2069 – \u2068Arabisch\u2069": "?ort=seesen", "Seesen": "?sprache=ar"}
        assert 'href="?ort=seesen#ergebnis"' in response.content.decode()

    def test_unknown_category_is_a_helpful_404(self, client, district):
        response = client.get("/kategorie/gibt-es-nicht/")
        html = response.content.decode()
        assert response.status_code == 404
        assert 'name="q"' in html and 'href="/kategorie/kita-schule/"' in html


class TestAllOffers:
    def test_category_filter_accepts_several(self, client, school_help, district):
        make_offer(title="Jobcafé", categories=[district.career])
        make_offer(title="Dolmetscherpool", categories=[district.language_help])
        response = client.get("/angebote/?kategorie=kita-schule&kategorie=ausbildung-beruf")
        assert titles(response) == ["Jobcafé", "Schulberatung auf Arabisch"]

    def test_unknown_values_are_ignored_and_named(self, client, school_help, goslar_offers):
        response = client.get("/angebote/?sprache=xx&sprache=ar&ort=atlantis&kostenlos=vielleicht")
        assert titles(response) == ["Schulberatung auf Arabisch"]
        html = response.content.decode()
        assert "nicht berücksichtigt" in html
        # The filters are named, not the values (anything could be sent; the page is cached once for all).
        assert "nicht berücksichtigt: Sprache, Ort, kostenlos" in html
        assert "atlantis" not in html and "„vielleicht“" not in html and "„xx“" not in html

    def test_empty_result_says_which_filter_to_relax_and_whom_to_call(self, client, school_help):
        response = client.get("/angebote/?sprache=ar&ort=goslar")
        html = response.content.decode()
        assert titles(response) == []
        assert "0 Angebote" in html
        assert 'href="?ort=goslar#ergebnis">Filter entfernen: \u2068العربية\u2069 – \u2068Arabisch\u2069' in html
        assert 'href="?sprache=ar#ergebnis">Filter entfernen: Goslar' in html
        assert "tel:+493023125100" in html

    def test_pagination_keeps_filters_and_handles_bad_page_numbers(self, client, district):
        for n in range(45):
            make_offer(title=f"Angebot {n:02}", languages=[district.arabic])
        first = client.get("/angebote/?sprache=ar")
        assert len(titles(first)) == 20
        assert 'href="?sprache=ar&amp;page=2#ergebnis"' in first.content.decode()
        assert titles(client.get("/angebote/?sprache=ar&page=3")) == [f"Angebot {n:02}" for n in range(40, 45)]
        assert titles(client.get("/angebote/?sprache=ar&page=99")) == [f"Angebot {n:02}" for n in range(40, 45)]
        assert titles(client.get("/angebote/?sprache=ar&page=zwei"))[0] == "Angebot 00"

    @pytest.mark.parametrize("query", [
        "", "?", "?q=", "?q=%00", "?sprache=", "?sprache=ar&sprache=ar&sprache=ar", "?ort=seesen&ort=goslar",
        "?page=-1", "?page=0", "?page=1e9", "?page=" + "9" * 400, "?q=" + "Kita%20" * 2000, "?sprache=" + "x" * 5000,
        "?format=telefon&format=teleport", "?kostenlos=1&kostenlos=0", "?%FF=%FE", "?q=%25_%5C'%22;--",
        "?kategorie[]=kita-schule", "?" + "&".join(f"sprache=s{n}" for n in range(500)),
    ])
    def test_no_query_string_causes_an_error(self, client, school_help, query):
        assert client.get(f"/angebote/{query}").status_code == 200
        assert client.get(f"/kategorie/kita-schule/{query}").status_code == 200

    def test_listing_keeps_no_csrf_token(self, client, school_help):
        assert "csrfmiddlewaretoken" not in client.get("/angebote/").content.decode()


class TestOfferPage:
    def test_shows_everything_a_parent_needs(self, client, school_help):
        html = client.get("/angebot/schulberatung-arabisch/").content.decode()
        assert 'href="tel:+49538112345"' in html
        assert 'href="mailto:haddad@example.org"' in html
        assert 'href="geo:51.890100,10.178900"' in html
        assert "openstreetmap.org/?mlat=51.890100&amp;mlon=10.178900" in html
        assert '<bdi lang="ar">العربية</bdi> – <span>Arabisch</span>' in html
        assert "Mo–Do 9–12 Uhr" in html and "rollstuhlgerecht" in html
        assert "<li>Rufen Sie an.</li><li>Wir machen einen Termin.</li><li>Sie kommen zu uns.</li>" in html
        assert "Grundschule" in html and "kostenlos" in html
        assert school_help.organization.name in html
        reviewed = school_help.last_reviewed
        month = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"][reviewed.month - 1]
        assert f"zuletzt geprüft: {month} {reviewed.year}" in html
        assert "vorher an" not in html

    @pytest.mark.parametrize("days_ago", [None, 18 * 31])
    def test_old_or_missing_review_asks_to_call_ahead(self, client, days_ago):
        reviewed = None if days_ago is None else timezone.localdate() - timedelta(days=days_ago)
        offer = make_offer(last_reviewed=reviewed)
        # An entry from long ago that nobody ever checked (a new one is "neu", below).
        Offer.objects.filter(pk=offer.pk).update(created=timezone.now() - timedelta(days=2 * 365))
        offer.refresh_from_db()
        assert offer.review_is_old
        assert "Bitte rufen Sie vorher an" in client.get(offer.get_absolute_url()).content.decode()

    def test_new_unreviewed_offer_says_so_neutrally(self, client):
        offer = make_offer(last_reviewed=None)
        html = client.get(offer.get_absolute_url()).content.decode()
        assert "neu – noch nicht geprüft" in html
        assert "schon länger nicht geprüft" not in html and "Bitte rufen Sie vorher an" not in html

    def test_review_seventeen_months_ago_is_recent_enough(self):
        assert not make_offer(last_reviewed=timezone.localdate() - timedelta(days=17 * 30)).review_is_old

    @pytest.mark.parametrize("fields", [
        {"status": Offer.Status.DRAFT}, {"status": Offer.Status.ARCHIVED},
        {"valid_until": timezone.localdate() - timedelta(days=1)},
    ])
    def test_hidden_offers_are_404_for_parents_and_a_preview_for_staff(self, client, coordinator_client, fields):
        offer = make_offer(**fields)
        from django.test import Client

        assert Client().get(offer.get_absolute_url()).status_code == 404
        response = coordinator_client.get(offer.get_absolute_url())
        assert response.status_code == 200
        assert "Vorschau" in response.content.decode()

    def test_unknown_offer_is_a_helpful_404(self, client, district):
        response = client.get("/angebot/gibt-es-nicht/")
        assert response.status_code == 404
        assert "Diese Seite gibt es nicht" in response.content.decode()


def test_404_page_renders_without_database(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("database is down")

    monkeypatch.setattr(Category.objects, "all", unreachable)
    response = client.get("/kein-pfad/")
    assert response.status_code == 404
    assert 'name="q"' in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/angebote/?sprache=ar", "/kategorie/kita-schule/", "/angebot/schulberatung-arabisch/",
                                 "/angebot/gibt-es-nicht/"])
def test_public_pages_set_no_cookie(client, school_help, url):
    response = client.get(url)
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_listing_shows_translated_names_under_a_language_prefix(client, school_help, district):
    district.kita.name_en = "Daycare & school"
    district.kita.save()
    district.arabic.name_en = "Arabic"
    district.arabic.save()
    response = client.get("/en/kategorie/kita-schule/?sprache=ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Daycare &amp; school</h1>" in html
    assert "\u2068العربية\u2069 – \u2068Arabic\u2069" in html
    assert "Kita &amp; Schule" not in html


PARAMETERS = ["q", "sprache", "kategorie", "ort", "zielgruppe", "format", "kostenlos", "ohne_termin", "anonym", "page", "x"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PARAMETERS), st.text(max_size=30)), max_size=8))
def test_any_query_string_gives_a_page(client, school_help, pairs):
    query = urlencode(pairs)
    for url in (f"/angebote/?{query}", f"/kategorie/kita-schule/?{query}"):
        assert client.get(url).status_code == 200, url


def test_stylesheet_mirrors_for_right_to_left_and_prints():
    css = (django_settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)|(?<![-\w])(?:left|right)\s*:|text-align:\s*(?:left|right)", css
    )
    assert physical == []
    assert "@media print" in css
