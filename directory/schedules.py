"""When an offer is open: weekly slots, closures and public holidays, in Europe/Berlin.

The one place that answers "open now?", "when next?" and "until when?" – for the cards,
the offer page, the "heute geöffnet" filter, printouts and the page cache, which keeps a
page only until the next opening or closing it shows (see `changes_at`).

Opening slots are wall-clock times in the site's time zone; every concrete opening is
built as an aware datetime of that day, so the change to and from summer time is right.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

# Summer breaks are six weeks at most; a year covers everything a weekly slot can say.
HORIZON_DAYS = 370


@lru_cache(maxsize=16)
def _holiday_calendar(year, region):
    # Imported on first use: loading the app (checks, migrations) does not need the calendars.
    import holidays

    country, _sep, subdivision = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None, years=year, language="de")


def public_holiday(day):
    """The German name of the statutory public holiday on `day` (SITE_HOLIDAYS), or None."""
    if not settings.SITE_HOLIDAYS:
        return None
    return _holiday_calendar(day.year, settings.SITE_HOLIDAYS).get(day)


def public_holidays(start, end):
    """(day, German name) of the public holidays from `start` to `end`, both included."""
    found = []
    for year in range(start.year, end.year + 1):
        if settings.SITE_HOLIDAYS:
            found += [(day, name) for day, name in _holiday_calendar(year, settings.SITE_HOLIDAYS).items() if start <= day <= end]
    return sorted(found)


@dataclass(frozen=True)
class Opening:
    """One concrete opening: a weekly slot on one day."""

    starts: datetime
    ends: datetime
    slot: object

    @property
    def language(self):
        return self.slot.language

    @property
    def appointment_only(self):
        return self.slot.appointment_only


@dataclass(frozen=True)
class OpenStatus:
    """What a parent sees at `now`: open until `until`, or the next opening; `changes_at` ends that."""

    now: datetime
    is_open: bool
    until: datetime | None = None
    next_opening: Opening | None = None
    closed_today_because: str = ""

    @property
    def changes_at(self):
        """When this status stops being true (a page showing it must not be served after that)."""
        if self.is_open:
            return self.until
        return self.next_opening.starts if self.next_opening else None


def _slots(offer):
    # Uses the prefetched slots of listings and the offer page.
    return list(offer.slots.all())


def _closures(offer):
    return list(offer.closures.all())


def closure_on(offer, day, closures=None):
    """Why the offer is closed on `day` although slots may say otherwise: the closure or holiday, or ""."""
    for closure in _closures(offer) if closures is None else closures:
        if closure.starts <= day <= closure.ends:
            return closure.reason or "-"
    if not offer.open_on_public_holidays:
        name = public_holiday(day)
        if name:
            return name
    return ""


def _aware(day, moment):
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def openings(offer, since, days=HORIZON_DAYS, slots=None, closures=None):
    """Concrete openings from the day of `since` on, sorted by start; closed days left out."""
    slots = _slots(offer) if slots is None else slots
    if not slots:
        return
    closures = _closures(offer) if closures is None else closures
    by_weekday = {}
    for slot in sorted(slots, key=lambda s: (s.opens, s.closes)):
        by_weekday.setdefault(slot.weekday, []).append(slot)
    first_day = timezone.localtime(since).date()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_slots = by_weekday.get(day.weekday())
        if not day_slots or closure_on(offer, day, closures):
            continue
        for slot in day_slots:
            yield Opening(_aware(day, slot.opens), _aware(day, slot.closes), slot)


def next_openings(offer, now=None, limit=5, language=None):
    """The current opening (if open now) and the next ones, at most `limit`, soonest first.

    `language` (a Language) keeps only slots held in that language. For printouts
    ("next opening times") and the offer page.
    """
    now = now or timezone.now()
    slots = [slot for slot in _slots(offer) if language is None or slot.language_id == language.pk]
    found = []
    for opening in openings(offer, now, slots=slots):
        if opening.ends > now:
            found.append(opening)
            if len(found) >= limit:
                break
    return found


def status_slots(offer):
    """The slots the status line speaks of: the offer's and its places' hours.

    A contact's own hours (when she answers the phone) count only when nothing else is
    given: "Öffnet morgen 10:00" must not send a parent to a place that is closed then.
    """
    slots = _slots(offer)
    return [slot for slot in slots if slot.contact_id is None] or slots


def open_status(offer, now=None):
    """The opening status at `now`, or None when the offer has no slots."""
    now = now or timezone.now()
    slots = status_slots(offer)
    if not slots:
        return None
    closures = _closures(offer)
    today = timezone.localtime(now).date()
    closed_because = closure_on(offer, today, closures) if any(s.weekday == today.weekday() for s in slots) else ""
    until = None
    for opening in openings(offer, now, slots=slots, closures=closures):
        if opening.ends <= now:
            continue
        if until is None:
            if opening.starts > now:
                return OpenStatus(now, False, next_opening=opening, closed_today_because=closed_because)
            until = opening.ends
        elif opening.starts <= until:
            until = max(until, opening.ends)  # back-to-back or overlapping slots: one opening
        else:
            break
    if until is not None:
        return OpenStatus(now, True, until=until)
    return OpenStatus(now, False, closed_today_because=closed_because)


def is_reversed_or_empty(opens, closes):
    """A slot that ends before it starts, or when it starts."""
    return opens is not None and closes is not None and closes <= opens


def overlaps(first, second):
    """Two (opens, closes) pairs share some minutes (touching ends do not count)."""
    return first[0] < second[1] and second[0] < first[1]
