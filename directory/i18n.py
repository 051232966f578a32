"""Interface languages: links to the same page in another language, the browser's
suggestion on the start page, and which translated texts fall back to German.

Languages come from the URL prefix only (see URLLanguageMiddleware); these helpers
never set a cookie and never redirect.
"""

from django.conf import settings
from django.utils import translation
from django.utils.encoding import escape_uri_path
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

from .query import page_query

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def language_path(request, code):
    """The current path (with its query string) under `code`'s prefix; German has none."""
    path = request.path_info
    current = translation.get_language_from_path(path)
    if current and (path == f"/{current}" or path.startswith(f"/{current}/")):
        path = path[len(current) + 1 :] or "/"
    # "/en//evil.example/" must not become "//evil.example/": a link to another host.
    path = "/" + path.lstrip("/")
    script_prefix = request.path[: len(request.path) - len(request.path_info)] if request.path.endswith(request.path_info) else ""
    prefix = "" if code == SOURCE_LANGUAGE else f"/{code}"
    # Only the parameters the page understands: a cached page must not carry what one
    # visitor typed into an unknown parameter to everybody else.
    query = page_query(request)
    if query is None:
        query = request.GET.urlencode()
    return escape_uri_path(f"{script_prefix}{prefix}{path}") + (f"?{query}" if query else "")


def language_links(request):
    """One entry per interface language, in the order of settings.LANGUAGES."""
    current = translation.get_language()
    return [
        {
            "code": code,
            "endonym": endonym,
            "url": language_path(request, code),
            "current": code == current,
            "default": code == SOURCE_LANGUAGE,
            "bidi": translation.get_language_info(code)["bidi"],
        }
        for code, endonym in settings.LANGUAGES
    ]


def browser_language(request):
    """The interface language the browser prefers most (Accept-Language), or None."""
    header = request.headers.get("Accept-Language", "")
    for accepted, _quality in parse_accept_lang_header(header[:500]):
        if accepted == "*":
            break
        try:
            return get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


def suggested_language(request):
    """A language to offer as a link on the start page, when it differs from the page's."""
    preferred = browser_language(request)
    if preferred and preferred != translation.get_language():
        return preferred
    return None


def start_page_paths():
    return {"/", *(f"/{code}/" for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE)}


def cache_variant(request):
    """What a cached copy of this page must also be keyed by, beyond its address.

    Only the start pages vary (by the browser's language they suggest); for them this is
    that language or "-", for every other page "" (one copy for everyone).
    """
    if request.path_info not in start_page_paths():
        return ""
    return browser_language(request) or "-"


def translation_is_missing(instance, field, language=None):
    """True when `field` has German text but none in the language (it then shows German)."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE or instance is None:
        return False
    suffix = language.replace("-", "_")
    return bool(getattr(instance, f"{field}_{SOURCE_LANGUAGE}", None)) and not getattr(instance, f"{field}_{suffix}", None)
