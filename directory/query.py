"""Which query parameters a public page understands.

The page cache keys a page by these parameters only, and the language links carry only
these, so `?utm_source=…` or `?r=123` neither multiplies cache entries nor makes a
page render afresh, and nothing a visitor typed into an unknown parameter appears in a
page that is later served to others.

A listing (a `FilterView`) understands its FilterSet's filters, so a filter added there
is included automatically, plus what the FilterSet reads besides (`other_parameters`),
`page` and any `extra_query_parameters` of the view.
Other views declare theirs with `@query_parameters(...)` or a `query_parameters` class
attribute; a view that declares nothing is keyed by its whole query string (correct,
only not protected). tests/test_page_cache_parameters.py requests every public page and
fails when a view reads a parameter it does not declare.
"""

from django.conf import settings
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import urlencode

# Read by every listing besides its filters: the paginator's page number.
LISTING_PARAMETERS = frozenset({"page"})


def query_parameters(*names):
    """Declare the GET parameters a function view reads: `@query_parameters("sprache2")`, or none at all."""

    def decorate(view):
        view.query_parameters = frozenset(names)
        return view

    return decorate


def understood_parameters(view):
    """The parameter names `view` (a URL pattern's callback) understands, or None if it does not say."""
    declared = getattr(view, "query_parameters", None)
    if declared is not None:
        return frozenset(declared)
    view_class = getattr(view, "view_class", None) or type(view)  # class-based view, or a Feed instance
    declared = getattr(view_class, "query_parameters", None)
    if declared is not None:
        return frozenset(declared)
    filterset_class = getattr(view_class, "filterset_class", None)
    if filterset_class is not None:
        extra = getattr(view_class, "extra_query_parameters", ())
        return filter_parameters(filterset_class) | LISTING_PARAMETERS | frozenset(extra)
    return None


def filter_parameters(filterset_class):
    """A FilterSet's filters plus the parameters it reads besides them (`other_parameters`, e.g. `nahe`)."""
    return frozenset(filterset_class.base_filters) | frozenset(getattr(filterset_class, "other_parameters", ()))


def understood_pairs(request):
    """(name, value) pairs of the query string that the page understands, in the order sent.

    Values are kept exactly as sent (also empty ones): two addresses share a cache entry
    only when the page cannot tell them apart. None when the page declares nothing (then
    the whole query string counts). Read from QUERY_STRING, not request.GET, so that
    computing it never counts as the view reading a parameter.
    """
    if hasattr(request, "_understood_pairs"):
        return request._understood_pairs
    # The page cache asks before the language is activated: resolve in the address's language.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            func = resolve(request.path_info).func
            understood = understood_parameters(func)
    except Resolver404:
        understood = None  # nothing is cached for an unknown address anyway
    pairs = None
    ignored = ()
    if understood is not None:
        parameters = QueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        pairs = [(name, value) for name, values in parameters.lists() if name in understood for value in values]
        pairs, ignored = canonical(func, pairs)
    request._understood_pairs = pairs
    request._ignored_parameters = ignored
    return pairs


def canonical(view, pairs):
    """A listing's pairs as it reads them, and the names of the parameters whose values it
    ignores (OfferFilter.canonical_pairs): random values of a known parameter then find one
    cache entry, as unknown parameters do. Other views' pairs stay as sent."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return pairs, ()  # only the cache needs it (it reads the accepted values once per content version)
    view_class = getattr(view, "view_class", None)
    canonical_pairs = getattr(getattr(view_class, "filterset_class", None), "canonical_pairs", None)
    found = canonical_pairs(pairs, fixed=getattr(view_class, "fixed_query_parameters", ())) if canonical_pairs else None
    return found if found is not None else (pairs, ())


def page_query(request):
    """The understood parameters as a query string, in the order sent (for links); None as above.

    A view that cleaned its parameters (a listing cuts a very long search) says what its
    links carry instead, with `links_carry`.
    """
    if getattr(request, "_links_carry", None) is not None:
        return request._links_carry
    pairs = understood_pairs(request)
    return None if pairs is None else urlencode(pairs)


def links_carry(request, pairs):
    """The (name, value) pairs that links to this page in other languages carry (see page_query)."""
    request._links_carry = urlencode(pairs)
    return request._links_carry


def cache_query(request):
    """The understood parameters sorted by name (values keep their order): the page cache's key part."""
    pairs = understood_pairs(request)
    if pairs is None:
        return None
    key = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    if request._ignored_parameters:
        # The page names the parameters it ignored (not their values): part of the key.
        key += "&" + urlencode({"~ignored": ",".join(request._ignored_parameters)})
    return key
