"""Opening hours as data: the status a parent reads at fixed moments (Europe/Berlin),
holidays, closures, midnight and the change to summer time, in every interface language."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from directory import schedule_text, schedules
from directory.models import Closure, OpeningSlot

from .conftest import make_language, make_location, make_offer

BERLIN = ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.django_db


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def week(offer, days, opens, closes, **fields):
    for day in days:
        OpeningSlot.objects.create(offer=offer, weekday=day, opens=opens, closes=closes, **fields)


@pytest.fixture
def school_social_work():
    """Mo–Fr 8–14, Tuesday also 13–15 in Arabic (the Seesen school's hours)."""
    offer = make_offer(title="Schulsozialarbeit Seesen")
    week(offer, range(5), time(8), time(14))
    week(offer, [1], time(13), time(15), language=make_language("ar", "Arabisch", "العربية"))
    return offer


def status(offer, moment, language="de"):
    with translation.override(language):
        return schedule_text.status_text(schedules.open_status(offer, moment))


# --- Status at fixed times ------------------------------------------------------------


def test_open_on_a_weekday_until_closing(school_social_work):
    # Monday 30 November 2026, 10:15 in Seesen
    assert status(school_social_work, at(2026, 11, 30, 10, 15)) == "Jetzt geöffnet · bis 14:00"


def test_tuesday_runs_on_into_the_arabic_hours(school_social_work):
    # 8–14 and 13–15 overlap: one opening until 15:00
    assert status(school_social_work, at(2026, 12, 1, 13, 30)) == "Jetzt geöffnet · bis 15:00"


def test_after_closing_shows_the_next_opening(school_social_work):
    assert status(school_social_work, at(2026, 11, 30, 14, 0)) == "Öffnet morgen 8:00"
    assert status(school_social_work, at(2026, 11, 30, 7, 59)) == "Öffnet heute 8:00"


def test_a_contacts_phone_hours_do_not_say_when_the_place_opens():
    offer = make_offer(title="Begegnungscafé", contacts=[{"name": "Herr Nowak", "phone": "05582 100"}])
    week(offer, [3], time(15), time(17))  # the café: Thursday afternoon
    week(offer, range(4), time(10), time(12), contact=offer.contacts.get())  # his phone hours
    assert status(offer, at(2026, 12, 1, 9, 0)) == "Öffnet Do 15:00"


def test_friday_evening_points_to_monday(school_social_work):
    assert status(school_social_work, at(2026, 12, 4, 18)) == "Öffnet Mo 8:00"


def test_public_holiday_of_lower_saxony_is_closed(school_social_work):
    # Reformationstag, 31 October 2025 (a Friday), is a holiday in Lower Saxony, not in Bavaria.
    result = schedules.open_status(school_social_work, at(2025, 10, 31, 10))
    assert not result.is_open
    assert result.closed_today_because == "Reformationstag"
    assert status(school_social_work, at(2025, 10, 31, 10)) == "Öffnet Mo 8:00"


def test_offer_open_on_holidays_stays_open(school_social_work):
    school_social_work.open_on_public_holidays = True
    school_social_work.save()
    assert status(school_social_work, at(2025, 10, 31, 10)) == "Jetzt geöffnet · bis 14:00"


def test_closure_closes_and_names_the_first_day_after_it(school_social_work):
    Closure.objects.create(offer=school_social_work, starts=date(2026, 12, 23), ends=date(2027, 1, 9), reason="Ferien")
    # Monday 11 January 2027 is more than a week away: the date, not a weekday
    assert status(school_social_work, at(2026, 12, 23, 9)) == "Öffnet 11. Januar 8:00"
    with translation.override("uk"):
        assert schedule_text.status_text(schedules.open_status(school_social_work, at(2026, 12, 23, 9))) == (
            "Відчиняється 11 січня о 8:00"
        )


def test_just_before_and_at_midnight():
    offer = make_offer()
    week(offer, [0], time(20), time(23, 59))
    week(offer, [1], time(0), time(2))
    assert status(offer, at(2026, 11, 30, 23, 58)) == "Jetzt geöffnet · bis 23:59"
    # The Monday slot has ended; the Tuesday one starts after midnight, a day later by the calendar.
    assert status(offer, at(2026, 11, 30, 23, 59)) == "Öffnet morgen 0:00"
    assert status(offer, at(2026, 12, 1, 0, 0)) == "Jetzt geöffnet · bis 2:00"


def test_change_to_summer_time_uses_the_wall_clock():
    # Sunday 29 March 2026: clocks jump from 2:00 to 3:00. 9:00 local is 7:00 UTC that day.
    offer = make_offer()
    week(offer, [6], time(9), time(12))
    moment = datetime(2026, 3, 29, 7, 30, tzinfo=ZoneInfo("UTC"))
    assert status(offer, moment) == "Jetzt geöffnet · bis 12:00"
    assert not schedules.open_status(offer, datetime(2026, 3, 29, 6, 30, tzinfo=ZoneInfo("UTC"))).is_open


def test_change_back_to_winter_time_uses_the_wall_clock():
    # Sunday 25 October 2026: 9:00 local is 8:00 UTC again.
    offer = make_offer()
    week(offer, [6], time(9), time(12))
    assert not schedules.open_status(offer, datetime(2026, 10, 25, 7, 30, tzinfo=ZoneInfo("UTC"))).is_open
    assert status(offer, datetime(2026, 10, 25, 8, 30, tzinfo=ZoneInfo("UTC"))) == "Jetzt geöffnet · bis 12:00"


def test_no_slots_no_status():
    assert schedules.open_status(make_offer(), at(2026, 11, 30, 10)) is None


def test_next_openings_for_printouts(school_social_work):
    upcoming = schedules.next_openings(school_social_work, at(2026, 11, 30, 15), limit=3)
    assert [(o.starts, o.ends) for o in upcoming] == [
        (at(2026, 12, 1, 8), at(2026, 12, 1, 14)),
        (at(2026, 12, 1, 13), at(2026, 12, 1, 15)),
        (at(2026, 12, 2, 8), at(2026, 12, 2, 14)),
    ]
    arabic = upcoming[1].language
    assert [o.starts for o in schedules.next_openings(school_social_work, at(2026, 11, 30, 15), 1, arabic)] == [
        at(2026, 12, 1, 13)
    ]


# --- Words in the reader's language ------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", "Mo–Fr 8:00–14:00, Di 16:00–18:00"),
        ("en", "Mon–Fri 8:00–14:00, Tue 16:00–18:00"),
        ("ar", "الاثنين–الجمعة 8:00–14:00، الثلاثاء 16:00–18:00"),
        ("fa", "دوشنبه–جمعه ۸:۰۰–۱۴:۰۰، سه‌شنبه ۱۶:۰۰–۱۸:۰۰"),
        ("uk", "Пн–Пт 8:00–14:00, Вт 16:00–18:00"),
    ],
)
def test_weekly_hours_in_the_readers_language(language, expected):
    offer = make_offer()
    week(offer, range(5), time(8), time(14))
    week(offer, [1], time(16), time(18))
    with translation.override(language):
        assert schedule_text.weekly_lines(list(offer.slots.all()))[0]["text"] == expected


def test_days_apart_are_listed_not_ranged():
    offer = make_offer()
    week(offer, [0, 2, 3], time(9), time(12))
    with translation.override("de"):
        assert schedule_text.weekly_text(list(offer.slots.all())) == "Mo, Mi, Do 9:00–12:00"


def test_language_slot_reads_auf_arabisch_heute(school_social_work):
    tuesday_morning = at(2026, 12, 1, 9)
    with translation.override("de"):
        lines = schedule_text.language_openings(school_social_work, tuesday_morning)
        assert [(schedule_text.language_label(lang), text) for lang, text, _o in lines] == [
            ("auf Arabisch", "heute 13:00–15:00")
        ]


@pytest.mark.parametrize("language, separator", [("ar", "، "), ("fa", "، "), ("uk", ", "), ("de", ", ")])
def test_list_separator_of_the_language(language, separator):
    with translation.override(language):
        assert schedule_text.join_list(["a", "b"]) == f"a{separator}b"


@pytest.mark.parametrize("language, quoted", [("de", "„Kita“"), ("uk", "«Kita»"), ("en", "“Kita”"), ("ar", "«Kita»")])
def test_quotation_marks_of_the_language(language, quoted):
    with translation.override(language):
        assert schedule_text.quoted("Kita") == quoted


def test_dates_in_the_readers_wording():
    with translation.override("ar"):
        assert schedule_text.date_text(date(2026, 11, 30)) == "30 نوفمبر، 2026"
    with translation.override("de"):
        assert schedule_text.date_text(date(2026, 11, 30)) == "30. November 2026"


def test_holidays_come_from_the_library_for_the_configured_state(settings):
    assert schedules.public_holiday(date(2026, 10, 31)) == "Reformationstag"
    assert schedules.public_holiday(date(2026, 11, 1)) is None  # Allerheiligen: not in Lower Saxony
    settings.SITE_HOLIDAYS = "DE-BY"
    assert schedules.public_holiday(date(2026, 11, 1)) == "Allerheiligen"


# --- On the pages ---------------------------------------------------------------------------


@pytest.fixture
def fixed_now(monkeypatch):
    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(ZoneInfo("UTC")))

    return set_to


def test_offer_page_and_card_show_the_status(client, school_social_work, fixed_now):
    location = make_location()
    school_social_work.locations.set([location])
    fixed_now(at(2026, 11, 30, 10, 15))
    page = client.get(school_social_work.get_absolute_url()).content.decode()
    assert "Jetzt geöffnet · bis 14:00" in page
    assert "Mo–Fr 8:00–14:00" in page
    assert "auf Arabisch: morgen 13:00–15:00" in page
    listing = client.get("/angebote/").content.decode()
    assert "Jetzt geöffnet · bis 14:00" in listing


def test_arabic_offer_page_has_no_german_day_names_and_uses_the_arabic_comma(client, school_social_work, fixed_now):
    week(school_social_work, [0, 2], time(15), time(16))
    fixed_now(at(2026, 11, 30, 16, 30))
    page = client.get(f"/ar{school_social_work.get_absolute_url()}").content.decode()
    assert "يفتح غداً 8:00" in page  # "Öffnet morgen 8:00"
    assert "الاثنين–الجمعة 8:00–14:00، " in page
    for german in ("Mo–Fr", "Öffnet", "heute", "morgen", "geöffnet", "auf Arabisch"):
        assert german not in page, german


def test_ukrainian_listing_reads_its_own_status(client, school_social_work, fixed_now):
    fixed_now(at(2026, 11, 30, 10, 15))
    listing = client.get("/uk/angebote/").content.decode()
    assert "Зараз відчинено · до 14:00" in listing


@pytest.mark.parametrize(
    "language, arabic, dari",
    [
        ("de", "auf Arabisch", "auf Dari"),
        ("en", "in Arabic", "in Dari"),
        ("uk", "арабською", "мовою дарі"),
        ("ru", "на арабском", "на языке дари"),
        ("pl", "po arabsku", "w języku dari"),
        ("bg", "на арабски", "на дари"),
        ("ro", "în limba arabă", "în limba dari"),
        ("tr", "Arapça", "Darice"),
        ("ar", "باللغة العربية", "باللغة الدارية"),
    ],
)
def test_the_language_label_reads_as_the_readers_grammar_has_it(language, arabic, dari):
    names = {
        "ar": dict(name_en="Arabic", name_uk="Арабська", name_ru="Арабский", name_pl="Arabski", name_bg="Арабски",
                   name_ro="Arabă", name_tr="Arapça", name_ar="العربية"),
        "prs": dict(name_en="Dari", name_uk="Дарі", name_ru="Дари", name_pl="Dari", name_bg="Дари",
                    name_ro="Dari", name_tr="Darice", name_ar="الدارية"),
    }
    ar = make_language("ar", "Arabisch", "العربية", **names["ar"])
    prs = make_language("prs", "Dari", "دری", **names["prs"])
    with translation.override(language):
        assert (schedule_text.language_label(ar), schedule_text.language_label(prs)) == (arabic, dari)


def test_offer_page_shows_a_language_hour_once_when_the_next_opening_reads_the_same(client, fixed_now):
    offer = make_offer(title="Mama lernt Deutsch")
    arabic = make_language("ar", "Arabisch", "العربية", name_uk="Арабська")
    week(offer, [3], time(10), time(12), language=arabic)  # Thursdays in Arabic
    fixed_now(at(2026, 11, 30, 10, 15))  # Monday: the next opening is "Do 10:00–12:00" as well
    page = client.get(offer.get_absolute_url()).content.decode()
    assert page.count("Do 10:00–12:00") == 1
    page = client.get(f"/uk{offer.get_absolute_url()}").content.decode()
    assert page.count("Чт 10:00–12:00") == 1 and "арабською:" in page and "мовою: Арабська" not in page
    fixed_now(at(2026, 12, 3, 8, 0))  # Thursday morning: "heute 10:00–12:00" says something new
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "auf Arabisch: heute 10:00–12:00" in page and "Do 10:00–12:00" in page
