"""Translations in the coordinator's admin.

The German fields stay where the fieldsets put them; every other language gets its own
collapsible fieldset ("Arabisch – العربية"), each field showing the German source text
above it. Collapsing uses <details> (no JavaScript, nothing from a CDN), which is why
this is used instead of modeltranslation's tabbed admin (jQuery UI from a CDN).

The changelist shows which languages an offer lacks, and filters by a missing language.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from .translation_status import outdated_fields, outdated_languages

SOURCE = settings.LANGUAGE_CODE


def other_languages():
    return [(code, endonym) for code, endonym in settings.LANGUAGES if code != SOURCE]


def language_name(code):
    """The language's name in the admin's language (German), e.g. "Arabisch"; no query."""
    return get_language_info(code)["name_translated"]


def translated_fields(model):
    return list(translator.get_options_for_model(model).fields)


def missing_condition(model, code):
    """Rows where a field has German text but no text in `code`."""
    condition = Q()
    for field in translated_fields(model):
        has_german = ~Q(**{f"{field}_{SOURCE}": ""}) & Q(**{f"{field}_{SOURCE}__isnull": False})
        lacks = Q(**{f"{field}_{code}": ""}) | Q(**{f"{field}_{code}__isnull": True})
        condition |= has_german & lacks
    return condition


def missing_languages(obj):
    """Language codes in which some text of `obj` that exists in German is missing."""
    fields = translated_fields(type(obj))
    return [
        code
        for code, _endonym in other_languages()
        if any(getattr(obj, f"{field}_{SOURCE}", None) and not getattr(obj, f"{field}_{code}", None) for field in fields)
    ]


class MissingTranslationFilter(admin.SimpleListFilter):
    """"Übersetzung fehlt: Arabisch" – offers with a German text that lacks that language."""

    title = _("fehlender Übersetzung")
    parameter_name = "uebersetzung_fehlt"

    def lookups(self, request, model_admin):
        label = _("Übersetzung fehlt: %(language)s")
        return [(code, label % {"language": language_name(code)}) for code, _endonym in other_languages()]

    def queryset(self, request, queryset):
        if self.value() in dict(other_languages()):
            return queryset.filter(missing_condition(queryset.model, self.value()))
        return queryset


class TranslationStatusMixin:
    """For a modeltranslation admin: per-language fieldsets, German beside each field,
    a "Übersetzungen" column and a missing-translation filter."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        base_names = set(translated_fields(self.model))
        per_language = {code: [] for code, _endonym in other_languages()}
        kept = []
        for title, options in fieldsets:
            fields = []
            for entry in options.get("fields", []):
                if isinstance(entry, (list, tuple)):
                    fields.append(entry)
                    continue
                base, _sep, code = entry.rpartition("_")
                if base in base_names and code in per_language:
                    per_language[code].append(entry)
                else:
                    fields.append(entry)
            kept.append((title, {**options, "fields": fields}))
        missing = set(missing_languages(obj)) if obj is not None else set()
        outdated = set(outdated_languages(obj)) if obj is not None and hasattr(obj, "translation_sources") else set()
        for code, endonym in other_languages():
            if not per_language[code]:
                continue
            label = f"{language_name(code)} – {endonym}"
            if code in missing:
                label = _("%(language)s (unvollständig)") % {"language": label}
            if code in outdated:
                label = _("%(language)s (veraltet)") % {"language": label}
            kept.append((label, {"fields": per_language[code], "classes": ["collapse"]}))
        return kept

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        bases = translated_fields(self.model)
        for name, field in form.base_fields.items():
            base, _sep, code = name.rpartition("_")
            if base not in bases or code not in dict(other_languages()):
                continue
            # Typed Arabic or Persian reads right to left in its own box.
            field.widget.attrs.update(lang=code, dir="rtl" if get_language_info(code)["bidi"] else "ltr")
            german = getattr(obj, f"{base}_{SOURCE}", "") if obj is not None else ""
            if german:
                field.help_text = format_html('<span lang="de">{}: „{}“</span>', _("Deutsch"), german)
                if hasattr(obj, "translation_sources") and base in outdated_fields(obj, code):
                    field.help_text = format_html(
                        '<strong class="outdated">{}</strong> {}', _("Veraltet – der deutsche Text hat sich geändert."),
                        field.help_text,
                    )
        return form

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    @admin.display(description=_("Übersetzungen"))
    def translation_status(self, obj):
        missing = missing_languages(obj)
        outdated = list(outdated_languages(obj)) if hasattr(obj, "translation_sources") else []
        if not missing and not outdated:
            return _("vollständig")
        parts = []
        for label, codes in ((_("fehlt:"), missing), (_("veraltet:"), outdated)):
            if codes:
                names = format_html_join(" ", '<abbr title="{}">{}</abbr>', ((language_name(code), code) for code in codes))
                parts.append(format_html("{} {}", label, names))
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))
