"""Absolute, canonical addresses of public pages: what QR codes, feeds and exports point to."""

from django.conf import settings
from django.utils.http import urlencode

# The listing filters a shared link may carry (DESIGN.md); anything else is dropped.
FILTER_PARAMETERS = ("q", "kategorie", "sprache", "ort", "zielgruppe", "format", "kostenlos")

# Long enough for every real filter combination, short enough for a QR code phones scan easily.
MAX_FILTER_QUERY_LENGTH = 300


class FilterQueryTooLong(ValueError):
    pass


def absolute_url(path):
    """The public address of `path` (already language-prefixed by reverse())."""
    return f"{settings.SITE_URL}{path}"


def filter_query(params, exclude=()):
    """The allowed filter parameters of a QueryDict as a query string, in a stable order."""
    pairs = []
    for name in FILTER_PARAMETERS:
        if name in exclude:
            continue
        for value in params.getlist(name):
            value = value.strip()
            if value:
                pairs.append((name, value))
    query = urlencode(pairs)
    if len(query) > MAX_FILTER_QUERY_LENGTH:
        raise FilterQueryTooLong(query)
    return query


def with_query(url, query):
    return f"{url}?{query}" if query else url
