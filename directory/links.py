"""Absolute, canonical addresses of public pages: what QR codes, feeds and exports point to."""

from django.conf import settings
from django.utils.http import urlencode

# Long enough for every real filter combination, short enough for a QR code phones scan easily.
MAX_FILTER_QUERY_LENGTH = 600


class FilterQueryTooLong(ValueError):
    pass


def absolute_url(path):
    """The public address of `path` (already language-prefixed by reverse())."""
    return f"{settings.SITE_URL}{path}"


def filter_query(params, category=None):
    """The listing filters in `params` that the listing understands, as a query string.

    The listing's own FilterSet decides, so a printed code never carries a value the
    page would ignore.
    """
    # Imported here: the filters import the search index, which pages import links for.
    from .filters import OfferFilter
    from .models import Offer

    filters = OfferFilter(params, queryset=Offer.objects.none(), category=category)
    query = urlencode(filters.parameters())
    if len(query) > MAX_FILTER_QUERY_LENGTH:
        raise FilterQueryTooLong(query)
    return query


def with_query(url, query):
    return f"{url}?{query}" if query else url
