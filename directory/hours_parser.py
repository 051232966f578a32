"""Reads the common German ways of writing opening hours into weekly slots.

"Mo–Fr 8–14 Uhr", "Di 13–15 Uhr", "Mo, Mi, Do 9–12 Uhr", "Di und Do 8:30–12 Uhr",
"Mo–Fr 10–16 Uhr nach Termin" and "nach Vereinbarung" become data. A part with anything
more ("offene Sprechstunde", "(Schulzeit)", "jede 2. Woche", "1. Dienstag im Monat")
stays as written, in the note: guessing what such words qualify would publish wrong hours.
"""

import re
from dataclasses import dataclass, field
from datetime import time

DAYS = {
    "mo": 0, "montag": 0, "montags": 0,
    "di": 1, "dienstag": 1, "dienstags": 1,
    "mi": 2, "mittwoch": 2, "mittwochs": 2,
    "do": 3, "donnerstag": 3, "donnerstags": 3,
    "fr": 4, "freitag": 4, "freitags": 4,
    "sa": 5, "samstag": 5, "samstags": 5, "sonnabend": 5,
    "so": 6, "sonntag": 6, "sonntags": 6,
}
DAY = r"(?:montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonnabend|sonntags?|mo|di|mi|do|fr|sa|so)\.?"
DASH = r"\s*(?:–|—|-|bis)\s*"
DAY_PART = rf"{DAY}(?:{DASH}{DAY})?"
DAY_LIST = rf"{DAY_PART}(?:\s*(?:,|und|/|\+|&)\s*{DAY_PART})*"
CLOCK = r"\d{1,2}(?:[:.]\d{2})?"
TIMES = rf"{CLOCK}{DASH}{CLOCK}"
APPOINTMENT = r"(?:nach|mit|nur mit|nur nach)\s+(?:Termin|Vereinbarung|Terminvereinbarung|Absprache)"
UHR = r"(?:\s*Uhr)?"

SEGMENT = re.compile(
    rf"^(?P<days>{DAY_LIST})\s*:?\s*(?P<times>{TIMES}{UHR}(?:\s*(?:,|und|/)\s*{TIMES}{UHR})*)\s*(?P<appointment>\(?{APPOINTMENT}\)?)?$",
    re.IGNORECASE,
)
TIMES_ONLY = re.compile(rf"^(?P<times>{TIMES}){UHR}$", re.IGNORECASE)
APPOINTMENT_ONLY = re.compile(rf"^(?:Termine?\s+)?{APPOINTMENT}$|^nach Terminvereinbarung$", re.IGNORECASE)
LONE_DAYS = re.compile(rf"^\s*{DAY_LIST}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedSlot:
    weekday: int
    opens: time
    closes: time
    appointment_only: bool = False


@dataclass
class ParsedHours:
    slots: list = field(default_factory=list)
    note: str = ""  # what could not be read, as written
    by_appointment: bool = False  # the whole text said "nach Vereinbarung"

    @property
    def fully_converted(self):
        return not self.note


def _clock(text):
    hour, _sep, minute = text.replace(".", ":").partition(":")
    hour, minute = int(hour), int(minute or 0)
    if hour == 24 and minute == 0:
        return time(23, 59)  # "bis 24 Uhr": a slot cannot end at 24:00
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return time(hour, minute)


def _days(text):
    days = []
    for part in re.split(r"\s*(?:,|und|/|\+|&)\s*", text.strip(), flags=re.IGNORECASE):
        ends = re.split(DASH, part, maxsplit=1, flags=re.IGNORECASE)
        first = DAYS[ends[0].strip().rstrip(".").lower()]
        if len(ends) == 1:
            days.append(first)
            continue
        last = DAYS[ends[1].strip().rstrip(".").lower()]
        if last < first:
            raise ValueError(part)
        days.extend(range(first, last + 1))
    return days


def _times(text):
    ranges = []
    for part in re.findall(TIMES, text, flags=re.IGNORECASE):
        opens, closes = re.split(DASH, part, maxsplit=1, flags=re.IGNORECASE)
        opens, closes = _clock(opens), _clock(closes)
        if closes <= opens:
            raise ValueError(part)
        ranges.append((opens, closes))
    return ranges


def _segments(text):
    """Comma- and line-separated parts; "Mo, Mi, Do 9–12 Uhr" stays one part."""
    raw = [part.strip() for part in re.split(r"[,;\n]", text)]
    merged, pending = [], ""
    for part in raw:
        if not part:
            continue
        if LONE_DAYS.match(part):
            pending = f"{pending}, {part}" if pending else part
            continue
        merged.append(f"{pending}, {part}" if pending else part)
        pending = ""
    if pending:
        merged.append(pending)
    return merged


def parse(text):
    """ParsedHours for a free-text opening time; never raises."""
    result = ParsedHours()
    text = (text or "").strip().rstrip(".").strip()
    if not text:
        return result
    if APPOINTMENT_ONLY.match(text):
        result.by_appointment = True
        return result
    unread, last_days = [], None
    for segment in _segments(text):
        try:
            match = SEGMENT.match(segment)
            if match:
                days = _days(match.group("days"))
                appointment = bool(match.group("appointment"))
                for opens, closes in _times(match.group("times")):
                    result.slots += [ParsedSlot(day, opens, closes, appointment) for day in days]
                last_days = (days, appointment)
                continue
            only_times = TIMES_ONLY.match(segment)
            if only_times and last_days:
                # "Mo 9–12, 14–16 Uhr": a second time range for the same days.
                for opens, closes in _times(only_times.group("times")):
                    result.slots += [ParsedSlot(day, opens, closes, last_days[1]) for day in last_days[0]]
                continue
        except (KeyError, ValueError):
            pass
        unread.append(segment)
        last_days = None
    result.note = ", ".join(unread)
    result.slots = _merged(result.slots)
    return result


def _merged(slots):
    """Overlapping slots of one day become one ("Mo–Fr 8–14, Di 13–15" is Tuesday 8–15)."""
    merged = []
    for slot in sorted(set(slots), key=lambda s: (s.weekday, s.appointment_only, s.opens, s.closes)):
        last = merged[-1] if merged else None
        if last and (last.weekday, last.appointment_only) == (slot.weekday, slot.appointment_only) and slot.opens < last.closes:
            merged[-1] = ParsedSlot(last.weekday, last.opens, max(last.closes, slot.closes), last.appointment_only)
        else:
            merged.append(slot)
    return merged
