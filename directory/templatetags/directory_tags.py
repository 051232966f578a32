"""Inline SVG icons and phone links for the public templates."""

from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from directory import i18n
from directory.translation_status import outdated_fields
from directory.validators import phone_to_tel_uri

register = template.Library()


@lru_cache(maxsize=64)
def _svg(name, flip=False):
    # Icons live in static/icons/ as the single source; inlining them saves a request each.
    path = finders.find(f"icons/{name}.svg")
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        svg = handle.read().strip()
    css_class = "i flip" if flip else "i"
    return svg.replace("<svg ", f'<svg class="{css_class}" aria-hidden="true" focusable="false" ', 1)


@register.simple_tag
def icon(name, flip=False):
    """`{% icon "phone" %}` – a decorative inline SVG icon (hidden from screen readers).

    `flip=True` for icons that point a direction: right-to-left pages mirror them.
    """
    return mark_safe(_svg(name, bool(flip)))  # noqa: S308 - our own static files


@register.filter
def tel_uri(number):
    return phone_to_tel_uri(number)


@register.simple_tag(takes_context=True)
def language_links(context):
    """`{% language_links as languages %}` – this page in every interface language."""
    request = context.get("request")
    return i18n.language_links(request) if request is not None else []


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.filter
def falls_back(instance, fields):
    """`{% if offer|falls_back:"title,summary" %}` – a text shows German for want of a translation."""
    return any(i18n.translation_is_missing(instance, field.strip()) for field in fields.split(","))


@register.simple_tag
def fallback_attrs(instance, *fields):
    """` lang="de" dir="ltr"` on an element whose text falls back to German, else nothing."""
    if any(i18n.translation_is_missing(instance, field) for field in fields):
        return mark_safe(f' lang="{i18n.SOURCE_LANGUAGE}" dir="ltr"')  # noqa: S308 - constant text
    return ""


@register.simple_tag
def german_mark(instance, *fields):
    """A small "(auf Deutsch)" after a short text that falls back to German (a room, a role, a note),
    in the reader's language; long texts get the note "Dieser Text ist nur auf Deutsch verfügbar." instead."""
    if any(i18n.translation_is_missing(instance, field) for field in fields):
        return format_html(' <small class="de-mark">({})</small>', gettext("auf Deutsch"))
    return ""


@register.filter
def email_breaks(address):
    """An e-mail address that may wrap only after "@" and before a dot, never inside a word."""
    return mark_safe(escape(address).replace("@", "@<wbr>").replace(".", "<wbr>."))  # noqa: S308 - escaped above


@register.filter
def translation_outdated(instance, fields):
    """`{% if offer|translation_outdated:"summary,description" %}` – the shown translation predates the German text."""
    language = (translation.get_language() or i18n.SOURCE_LANGUAGE).replace("-", "_")
    if language == i18n.SOURCE_LANGUAGE or instance is None or not hasattr(instance, "translation_sources"):
        return False
    wanted = {field.strip() for field in fields.split(",")}
    return bool(wanted & set(outdated_fields(instance, language)))


@register.simple_tag(takes_context=True)
def page_in_language(context, code):
    """This page's address in another interface language."""
    request = context.get("request")
    return i18n.language_path(request, code) if request is not None else ""
