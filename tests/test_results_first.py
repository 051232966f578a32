"""After filtering the parent sees results first; the offer page leads back to the same list;
"heute geöffnet"; opening hours in the offer page's JSON-LD."""

import json
import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from directory.models import Closure, Offer, OpeningSlot

from .conftest import make_category, make_offer, make_target_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    category = make_category(name="Kita & Schule", slug="kita-schule")
    group = make_target_group("Eltern")
    offer = make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe", categories=[category], target_groups=[group])
    for day in range(5):
        OpeningSlot.objects.create(offer=offer, weekday=day, opens=time(14), closes=time(16))
    closed = make_offer(title="Elterncafé", slug="elterncafe", categories=[category])
    OpeningSlot.objects.create(offer=closed, weekday=5, opens=time(10), closes=time(12))
    return category, offer, closed


def test_after_filtering_the_results_come_before_the_form(client, school):
    html = client.get("/kategorie/kita-schule/?zielgruppe=eltern").content.decode()
    assert html.index('id="ergebnis"') < html.index('<form class="filters"')
    assert re.search(r'<details class="change-filters"><summary>Filter ändern</summary>', html)
    assert "Filter entfernen:" in html  # the active filter as a removable chip


def test_nothing_opens_by_itself(client, school):
    html = client.get("/kategorie/kita-schule/?zielgruppe=eltern&kostenlos=1").content.decode()
    assert "<details open" not in html and "<details class=\"change-filters\" open" not in html


def test_without_filters_the_form_comes_first(client, school):
    html = client.get("/kategorie/kita-schule/").content.decode()
    assert html.index('<form class="filters"') < html.index('id="ergebnis"')
    assert "Filter ändern" not in html


def test_form_submits_to_the_results(client, school):
    assert 'action="#ergebnis"' in client.get("/angebote/").content.decode()


def test_offer_page_leads_back_to_the_filtered_list(client, school):
    _category, offer, _closed = school
    listing = client.get("/kategorie/kita-schule/?zielgruppe=eltern").content.decode()
    link = re.search(r'href="(/angebot/hausaufgabenhilfe/\?von=[^"]+)"', listing).group(1)
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert '<a href="/kategorie/kita-schule/?zielgruppe=eltern">' in page  # breadcrumb keeps the filters
    assert "zurück zur Liste" in page


@pytest.mark.parametrize(
    "von", ["//evil.example/", "https://evil.example/angebote/", "/admin/", "/angebot/elterncafe/", "angebote/", "/\\evil"]
)
def test_back_link_only_to_our_own_lists(client, school, von):
    page = client.get("/angebot/hausaufgabenhilfe/", {"von": von}).content.decode()
    assert "zurück zur Liste" not in page
    assert not re.search(r'<a href="(https?:)?//evil', page) and not re.search(r'<a href="/\\', page)


def test_back_link_in_arabic(client, school):
    page = client.get("/ar/angebot/hausaufgabenhilfe/", {"von": "/ar/angebote/?sprache=ar"}).content.decode()
    assert '<a href="/ar/angebote/?sprache=ar">' in page and "العودة إلى القائمة" in page


def test_open_today_filter(client, school, monkeypatch):
    _category, offer, closed = school
    monday = datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr(timezone, "now", lambda: monday)
    response = client.get("/angebote/?heute_offen=1")
    assert [o.slug for o in response.context["offers"]] == ["hausaufgabenhilfe"]
    assert "heute geöffnet" in response.content.decode()
    # A closure or a public holiday takes the offer out.
    Closure.objects.create(offer=offer, starts=date(2026, 11, 30), ends=date(2026, 11, 30))
    assert list(Offer.objects.open_on(date(2026, 11, 30))) == []
    assert list(Offer.objects.open_on(date(2026, 12, 25))) == []  # Erster Weihnachtstag, a Friday
    assert list(Offer.objects.open_on(date(2026, 12, 5))) == [closed]  # Saturday


def test_offer_json_ld_has_opening_hours_specification(client, school):
    _category, offer, _closed = school
    Closure.objects.create(offer=offer, starts=date(2099, 7, 1), ends=date(2099, 8, 10))
    from .conftest import make_location

    offer.locations.set([make_location()])
    html = client.get(offer.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    specs = data["availableChannel"][0]["serviceLocation"][0]["openingHoursSpecification"]
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Monday",
            "opens": "14:00", "closes": "16:00"} in specs
    assert {"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00",
            "validFrom": "2099-07-01", "validThrough": "2099-08-10"} in specs
