"""Fields that parents read, translated with django-modeltranslation.

German is the source; an empty translation falls back to German
(MODELTRANSLATION_FALLBACK_LANGUAGES).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .history import OfferHistoricalRecords, PausableHistoricalRecords
from .models import Category, Closure, Contact, Language, Location, Offer, OfferHistoryExtras, TargetGroup, Town


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("de",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("de",)


@register(TargetGroup)
class TargetGroupTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("de",)


# Also the texts whose translations are tracked and exchanged as translation files.
OFFER_TEXT_FIELDS = ("title", "summary", "description", "how_to_get_help", "cost_note", "hours_note")


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = OFFER_TEXT_FIELDS
    required_languages = ("de",)


@register(Town)
class TownTranslation(TranslationOptions):
    # Transliterated where a language writes the name in its own script ("Зесен", "زيزن").
    fields = ("name",)
    required_languages = ("de",)


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("name", "room", "opening_hours")
    required_languages = ("de",)


@register(Contact)
class ContactTranslation(TranslationOptions):
    # A desk's name ("Beratungstelefon") and a person's title ("Frau") are words a parent reads too.
    fields = ("name", "role", "hours")
    required_languages = {"de": ("name",)}


@register(Closure)
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)


# --- Edit history ---------------------------------------------------------------------
# Registered here, after the translated fields exist, so that the history keeps every
# language's text (django-simple-history copies the fields present at registration).
simple_history.register(
    Offer,
    records_class=OfferHistoricalRecords,
    m2m_fields=["categories", "languages", "target_groups", "locations"],
    bases=[OfferHistoryExtras],
    excluded_fields=["search_text", "search_title", "search_summary"],
)
simple_history.register(Contact, records_class=PausableHistoricalRecords)
simple_history.register(Location, records_class=PausableHistoricalRecords)
