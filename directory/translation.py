"""Fields that parents read, translated with django-modeltranslation.

German is the source; an empty translation falls back to German
(MODELTRANSLATION_FALLBACK_LANGUAGES).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Language, Offer, TargetGroup


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


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "how_to_get_help", "cost_note")
    required_languages = ("de",)
