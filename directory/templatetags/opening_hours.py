"""Opening hours and the opening status in templates, in the reader's language.

Every tag that shows something tied to the clock tells the page cache when it stops
being true, so a cached page never shows a wrong "Jetzt geöffnet".
"""

from datetime import timedelta

from django import template
from django.utils import timezone

from directory import cache, schedule_text, schedules

register = template.Library()


def _now(context):
    # One moment per page, so all cards agree.
    now = context.get("schedule_now")
    if now is None:
        now = timezone.now()
        context.dicts[0]["schedule_now"] = now
    return now


@register.simple_tag(takes_context=True)
def opening_status(context, offer):
    """`{% opening_status offer as status %}` – {"open": bool, "text": "Jetzt geöffnet · bis 14:00"} or None."""
    now = _now(context)
    status = schedules.open_status(offer, now)
    if status is None:
        return None
    cache.expire_page_at(context.get("request"), status.changes_at)
    return {"open": status.is_open, "text": schedule_text.status_text(status), "closed_because": status.closed_today_because}


@register.simple_tag(takes_context=True)
def language_openings(context, offer, *codes, shown=None):
    """`{% language_openings offer "ar" filter.chosen.sprache as lines %}` – "auf Arabisch: heute 10:00–12:00".

    With codes (strings or lists of them: the reader's language, the filtered ones) only
    those languages; without, every language that has slots of its own. `shown=hours.summary`
    leaves out a next opening that reads exactly like a weekly line already on the page
    ("auf Arabisch: Do 10:00–12:00" twice).
    """
    now = _now(context)
    wanted = set()
    for code in codes:
        wanted.update([code] if isinstance(code, str) else (code or []))
    repeated = {
        (line["language"].pk, line["text"])
        for part in shown or () for line in part["lines"] if line["language"] is not None
    }
    lines = []
    for language, text, opening in schedule_text.language_openings(offer, now):
        if codes and language.code not in wanted:
            continue
        if (language.pk, text) in repeated:
            continue
        cache.expire_page_at(context.get("request"), opening.ends)
        lines.append({"language": language, "label": schedule_text.language_label(language), "text": text})
    return lines


@register.simple_tag(takes_context=True)
def offer_hours(context, offer):
    """`{% offer_hours offer as hours %}` – the weekly hours of the offer, its places and contacts."""
    now = _now(context)
    slots = list(offer.slots.all())
    general = [slot for slot in slots if slot.location_id is None and slot.contact_id is None]
    by_location, by_contact = {}, {}
    for slot in slots:
        if slot.contact_id is not None:
            by_contact.setdefault(slot.contact_id, []).append(slot)
        elif slot.location_id is not None:
            by_location.setdefault(slot.location_id, []).append(slot)
    today = timezone.localtime(now).date()
    closures = [
        {"closure": closure, "text": schedule_text.closure_text(closure)}
        for closure in offer.closures.all()
        if closure.ends >= today
    ][:3]
    holidays = []
    if slots and not offer.open_on_public_holidays:
        weekdays = {slot.weekday for slot in slots}
        for day, _name in schedules.public_holidays(today, today + timedelta(days=13)):
            if day.weekday() in weekdays:
                holidays.append(schedule_text.date_text(day, "MONTH_DAY_FORMAT"))
    # The summary near the top: the offer's own hours, else those of its places (or contacts).
    if general:
        summary = [{"name": None, "lines": schedule_text.weekly_lines(general)}]
    else:
        scoped = by_location or by_contact
        # Names from the prefetched places and contacts: no query per slot.
        owners = {item.pk: item for item in (offer.locations.all() if scoped is by_location else offer.contacts.all())}
        summary = [
            {"name": owners.get(key) if len(scoped) > 1 else None, "lines": schedule_text.weekly_lines(value)}
            for key, value in scoped.items()
        ]
    return {
        "any": bool(slots),
        "summary": summary,
        "general": schedule_text.weekly_lines(general),
        "by_location": {key: schedule_text.weekly_lines(value) for key, value in by_location.items()},
        "by_contact": {key: schedule_text.weekly_lines(value) for key, value in by_contact.items()},
        "closures": closures,
        "holidays": schedule_text.join_list(holidays),
    }


@register.filter
def lookup(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def quoted(text):
    """`{{ value|quoted }}` – in the reader's quotation marks."""
    return schedule_text.quoted(text)


@register.filter
def list_join(items):
    """`{{ names|list_join }}` – with the reader's list separator (Arabic "،")."""
    return schedule_text.join_list(items)


@register.filter
def local_date(day, format_name="DATE_FORMAT"):
    """`{{ day|local_date:"YEAR_MONTH_FORMAT" }}` – as the reader's language writes dates (and digits)."""
    return schedule_text.date_text(day, format_name) if day else ""


@register.simple_tag
def question_mark():
    """`{% question_mark %}` – "?" or the reader's own (Arabic and Persian "؟")."""
    return schedule_text.question_mark()


@register.simple_tag
def list_separator():
    """`{% list_separator %}` – ", " or the reader's own (Arabic "، ")."""
    return schedule_text.join_list(["", ""])
