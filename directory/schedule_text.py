"""Opening hours and status as words in the reader's language.

Everything language-specific – day names, the list separator (Arabic "،"), quotation
marks, "heute", "auf Arabisch" – comes from the translation catalogues; dates use
Django's per-language formats; Persian readers get Persian digits. Nothing here is German
unless the reader is.
"""

from itertools import groupby

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import schedules

WEEKDAY_ABBR = (
    lambda: pgettext("weekday abbreviation", "Mo"),
    lambda: pgettext("weekday abbreviation", "Di"),
    lambda: pgettext("weekday abbreviation", "Mi"),
    lambda: pgettext("weekday abbreviation", "Do"),
    lambda: pgettext("weekday abbreviation", "Fr"),
    lambda: pgettext("weekday abbreviation", "Sa"),
    lambda: pgettext("weekday abbreviation", "So"),
)

# Languages whose readers expect their own digits in times and dates.
NATIVE_DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹"}


def digits(text):
    native = NATIVE_DIGITS.get(translation.get_language() or "")
    return text.translate(str.maketrans("0123456789", native)) if native else text


def weekday_abbr(weekday):
    return WEEKDAY_ABBR[weekday]()


def join_list(items):
    """Items joined with the reader's list separator: ", " – or "، " in Arabic and Persian."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def question_mark():
    """The reader's question mark: "?" – or "؟" in Arabic and Persian."""
    return pgettext("question mark", "?")


def quoted(text):
    """Text in the reader's quotation marks: „…“ German, «…» Ukrainian, “…” English."""
    opening = pgettext("opening quotation mark", "„")
    closing = pgettext("closing quotation mark", "“")
    return f"{opening}{text}{closing}"


def time_text(moment):
    return digits(f"{moment.hour}:{moment.minute:02d}")


def time_range(opens, closes):
    return f"{time_text(opens)}\u2013{time_text(closes)}"


def days_text(weekdays):
    """[0, 1, 2, 3, 4] -> "Mo–Fr"; [0, 2, 3] -> "Mo, Mi, Do"; runs of three or more days become ranges."""
    weekdays = sorted(set(weekdays))
    runs, parts = [], []
    for _key, group in groupby(enumerate(weekdays), key=lambda pair: pair[1] - pair[0]):
        runs.append([day for _index, day in group])
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{weekday_abbr(run[0])}\u2013{weekday_abbr(run[-1])}")
        else:
            parts.extend(weekday_abbr(day) for day in run)
    return join_list(parts)


def weekly_text(slots):
    """Slots of one kind as one line: "Mo–Fr 8:00–14:00, Di 13:00–15:00"."""
    by_times = {}
    for slot in slots:
        by_times.setdefault((slot.opens, slot.closes), []).append(slot.weekday)
    rows = sorted(by_times.items(), key=lambda item: (min(item[1]), item[0]))
    return join_list(f"{days_text(days)} {time_range(opens, closes)}" for (opens, closes), days in rows)


# Slavic readers say "in Arabic" with the adjective's own case form, not "in the language:
# Arabic": Ukrainian "арабською", Russian "на арабском", Polish "po arabsku". The translated
# names are adjectives ("Арабська", "Арабский", "Arabski"); their ending becomes the form.
# Names that are no adjective ("Дарі", "Paszto") take the catalogue's "auf %(language)s".
ADVERB_FORMS = {
    "uk": (("ська", "ською", "{}"), ("цька", "цькою", "{}"), ("зька", "зькою", "{}")),
    "ru": (("ский", "ском", "на {}"), ("кий", "ком", "на {}")),
    "pl": (("ski", "sku", "po {}"), ("cki", "cku", "po {}")),
}
# Languages that write language names in small letters inside a sentence.
LOWERCASE_LANGUAGE_NAMES = {"uk", "ru", "pl", "bg", "ro"}


def language_label(language):
    """ "auf Arabisch" in the reader's language, from the language's translated name:
    "in Arabic", "باللغة العربية", "арабською", "на арабском", "po arabsku", "на арабски"."""
    code = translation.get_language() or ""
    name = language.name
    if code in LOWERCASE_LANGUAGE_NAMES:
        name = name[:1].lower() + name[1:]
    first, _space, rest = name.partition(" ")
    for ending, form, pattern in ADVERB_FORMS.get(code, ()):
        if first.endswith(ending) and len(first) > len(ending):
            return pattern.format(" ".join(filter(None, [first[: -len(ending)] + form, rest])))
    return _("auf %(language)s") % {"language": name}


def weekly_lines(slots):
    """The weekly hours of a set of slots, one line per kind: general first, then by language.

    Each line: {"text": "Mo–Fr 8:00–14:00", "language": Language or None, "appointment_only": bool}.
    """
    kinds = {}
    for slot in slots:
        kinds.setdefault((slot.language, slot.appointment_only), []).append(slot)
    order = sorted(kinds, key=lambda kind: (kind[0] is not None, kind[0].position if kind[0] else 0, kind[1]))
    return [
        {
            "text": weekly_text(kinds[kind]),
            "language": kind[0],
            "label": language_label(kind[0]) if kind[0] else "",
            "appointment_only": kind[1],
        }
        for kind in order
    ]


def day_word(moment, now):
    """ "heute", "morgen", "Di" within the coming week, else the date ("1. September")."""
    local_day = timezone.localtime(moment).date()
    today = timezone.localtime(now).date()
    delta = (local_day - today).days
    if delta == 0:
        return _("heute")
    if delta == 1:
        return _("morgen")
    if 1 < delta < 7:
        return weekday_abbr(local_day.weekday())
    return date_text(local_day, "MONTH_DAY_FORMAT")


def date_text(day, format_name="DATE_FORMAT"):
    """A date as the reader's language writes it (Django's format for that language).

    Day and month come from the catalogue, because some languages need the month's
    genitive there ("11 січня", not "11 Січень").
    """
    if format_name == "MONTH_DAY_FORMAT":
        return digits(dateformat.format(day, pgettext("date format: day and month", "j. F")))
    return digits(formats.date_format(day, format_name))


def status_text(status):
    """ "Jetzt geöffnet · bis 14:00", "Öffnet Di 10:00", or "" when nothing is planned."""
    if status is None:
        return ""
    if status.is_open:
        until = timezone.localtime(status.until)
        if until.date() != timezone.localtime(status.now).date():
            return _("Jetzt geöffnet · bis %(day)s %(time)s") % {
                "day": day_word(until, status.now), "time": time_text(until.time())
            }
        return _("Jetzt geöffnet · bis %(time)s") % {"time": time_text(until.time())}
    if status.next_opening is None:
        return _("Zurzeit keine Öffnungszeiten")
    starts = timezone.localtime(status.next_opening.starts)
    return _("Öffnet %(day)s %(time)s") % {"day": day_word(starts, status.now), "time": time_text(starts.time())}


def opening_text(opening, now):
    """One concrete opening: "heute 10:00–12:00", "Di 10:00–12:00"."""
    starts = timezone.localtime(opening.starts)
    ends = timezone.localtime(opening.ends)
    return f"{day_word(starts, now)} {time_range(starts.time(), ends.time())}"


def language_openings(offer, now=None):
    """For each language with slots of its own, the next opening: [(Language, "heute 10:00–12:00")]."""
    now = now or timezone.now()
    languages = {}
    for slot in offer.slots.all():
        if slot.language_id and slot.language_id not in languages:
            languages[slot.language_id] = slot.language
    found = []
    for language in sorted(languages.values(), key=lambda item: (item.position, item.name)):
        upcoming = schedules.next_openings(offer, now, limit=1, language=language)
        if upcoming:
            found.append((language, opening_text(upcoming[0], now), upcoming[0]))
    return found


def closure_text(closure):
    """ "23. Dezember – 9. Januar" (one day: just the date), in the reader's date format."""
    if closure.starts == closure.ends:
        return date_text(closure.starts, "MONTH_DAY_FORMAT")
    return f"{date_text(closure.starts, 'MONTH_DAY_FORMAT')} \u2013 {date_text(closure.ends, 'MONTH_DAY_FORMAT')}"
