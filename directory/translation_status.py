"""Which translations of an offer are older than its German text.

Each offer keeps, per translated column ("summary_ar"), a short fingerprint of the German
text that translation was made from (`Offer.translation_sources`). A translation whose
fingerprint differs from today's German text is outdated. Saving a translation (admin,
spreadsheet, translation file) records the German text it was written against; changing
only the German text leaves the translations' fingerprints alone, which is what makes
them outdated. "Als aktuell markieren" records today's German text.
"""

import hashlib

from django.conf import settings

from .text import normalize_text
from .translation import OFFER_TEXT_FIELDS

SOURCE = settings.LANGUAGE_CODE
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE]
FIELDS = list(OFFER_TEXT_FIELDS)


def fingerprint(text):
    return hashlib.sha256(normalize_text(text or "").encode()).hexdigest()[:16]


def german(offer, field):
    return getattr(offer, f"{field}_{SOURCE}", "") or ""


def outdated_fields(offer, code):
    """Fields whose text in `code` was made from a German text that has changed since."""
    sources = offer.translation_sources or {}
    fields = []
    for field in FIELDS:
        key = f"{field}_{code}"
        if getattr(offer, key, None) and key in sources and sources[key] != fingerprint(german(offer, field)):
            fields.append(field)
    return fields


def outdated_languages(offer):
    """{code: [fields]} of every language with an outdated translation."""
    result = {}
    for code in OTHER_LANGUAGES:
        fields = outdated_fields(offer, code)
        if fields:
            result[code] = fields
    return result


def mark_current(offer, codes=None):
    """Record today's German text as the source of every existing translation in `codes` (all by default)."""
    sources = dict(offer.translation_sources or {})
    for code in codes or OTHER_LANGUAGES:
        for field in FIELDS:
            key = f"{field}_{code}"
            if getattr(offer, key, None):
                sources[key] = fingerprint(german(offer, field))
    offer.translation_sources = sources
    return sources


def track(offer, stored):
    """Before saving: a translation that is new or changed was made from today's German text.

    `stored` is the offer's row as it is in the database (a dict of columns) or None.
    """
    sources = dict(offer.translation_sources or {})
    for code in OTHER_LANGUAGES:
        for field in FIELDS:
            key = f"{field}_{code}"
            text = normalize_text(getattr(offer, key, None) or "")
            if not text:
                sources.pop(key, None)
                continue
            before = normalize_text((stored or {}).get(key) or "")
            if stored is None or text != before or key not in sources:
                sources[key] = fingerprint(german(offer, field))
    offer.translation_sources = sources


def stored_columns():
    return [f"{field}_{code}" for field in FIELDS for code in OTHER_LANGUAGES]
