"""Inline SVG icons and phone links for the public templates."""

from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

from directory.validators import phone_to_tel_uri

register = template.Library()


@lru_cache(maxsize=64)
def _svg(name):
    # Icons live in static/icons/ as the single source; inlining them saves a request each.
    path = finders.find(f"icons/{name}.svg")
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        svg = handle.read().strip()
    return svg.replace("<svg ", '<svg class="i" aria-hidden="true" focusable="false" ', 1)


@register.simple_tag
def icon(name):
    """`{% icon "phone" %}` – a decorative inline SVG icon (hidden from screen readers)."""
    return mark_safe(_svg(name))  # noqa: S308 - our own static files


@register.filter
def tel_uri(number):
    return phone_to_tel_uri(number)
