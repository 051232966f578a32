import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..structured_data import offer_json_ld as build_offer_json_ld

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def offer_json_ld(offer):
    """`<script type="application/ld+json">` with the offer's schema.org data (a data block, never run)."""
    data = json.dumps(build_offer_json_ld(offer), ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))
