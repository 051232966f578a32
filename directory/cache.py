"""A cache of anonymous public page renders that the coordinator's saves invalidate at once.

Every entry carries the content version (`ContentVersion`, one database row) it was
rendered at. Any save, delete or relation change of a directory model shown on public
pages and the `migrate` of every deployment increase the version, so the next anonymous
request renders afresh: at once in the worker that saved, within PAGE_CACHE_CHECK_SECONDS
(1 s) on every other worker and app server. Nothing else does: a failed login, a report
or an admin form sent back with errors leaves the cache alone; code that changes rows with
`QuerySet.update()` calls `invalidate()` itself. The key holds scheme, host, path
(with the language prefix), the query parameters the page understands
(directory/query.py) and today's date, so offers whose validity starts or ends at
midnight appear or vanish without a save.

Only GET/HEAD requests without a session cookie are served from the cache, and only
200 responses that set no cookie are stored. Staff always see live pages.
"""

import functools
import hashlib
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.encoding import escape_uri_path

from . import i18n, query

# Responses larger than this (CSV exports, say) are not worth a cache slot.
MAX_CACHED_BYTES = 512 * 1024
SAFE_METHODS = ("GET", "HEAD")


def current_version():
    """The content version, or None when the database cannot tell (then nothing is cached)."""
    from .models import ContentVersion

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {ContentVersion._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else 0


# This process's last look at the content version: (version, time.monotonic() of the look).
_seen = {"version": None, "at": 0.0}


def known_version():
    """The content version, asked of the database at most every PAGE_CACHE_CHECK_SECONDS.

    A cache hit then needs no database round trip at all (which more than doubles the
    throughput of cached pages on PostgreSQL); a change saved through another worker or
    app server shows within that many seconds, through this one at once.
    """
    now = time.monotonic()
    if _seen["version"] is not None and now - _seen["at"] < settings.PAGE_CACHE_CHECK_SECONDS:
        return _seen["version"]
    version = current_version()
    _seen.update(version=version, at=now)
    return version


def forget_version():
    _seen["version"] = None


def invalidate(using="default", **kwargs):
    """Make every cached page stale. Signal receiver, and callable after bulk updates."""
    from .models import ContentVersion

    versions = ContentVersion.objects.using(using)
    if not versions.filter(pk=1).update(value=F("value") + 1):
        versions.get_or_create(pk=1, defaults={"value": 1})
    forget_version()


# Saved without changing any public page: a report from the public must not empty the cache.
NOT_ON_PUBLIC_PAGES = {"contentversion", "report", "changerequest", "reviewrequest", "partnerprofile", "ratelimit"}


def connect_signals():
    """Invalidate on every change of a directory model, including many-to-many relations."""
    # A deployment runs `migrate`: pages rendered by the old code go, also from a shared cache.
    post_migrate.connect(invalidate, sender=apps.get_app_config("directory"), dispatch_uid="page-cache-migrate")
    for model in apps.get_app_config("directory").get_models(include_auto_created=True):
        if model._meta.model_name in NOT_ON_PUBLIC_PAGES or model._meta.model_name.startswith("historical"):
            continue
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
        m2m_changed.connect(invalidate, sender=model, dispatch_uid=f"page-cache-m2m-{model._meta.label}")


def _admin_prefix():
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def page_key(request):
    scheme = "https" if request.is_secure() else "http"
    # Only the parameters the page understands (directory/query.py): `?utm_source=…` or
    # `?r=<random>` find the same entry instead of rendering and storing a new one.
    understood = query.cache_query(request)
    path = request.get_full_path() if understood is None else f"{escape_uri_path(request.path)}?{understood}"
    address = f"{scheme}://{request.META.get('HTTP_HOST', '')}{path}"
    # Start pages suggest the browser's language (Vary: Accept-Language): one copy per language.
    address += f" {i18n.cache_variant(request)}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"page:{timezone.localdate().isoformat()}:{digest}"


@functools.cache
def database_free_paths():
    """Addresses whose views never touch the database: the balancer's health check and the
    service worker must answer during a database outage, without even asking for the version."""
    return frozenset({reverse("robots-txt"), reverse("service-worker")})


def _may_use_cache(request):
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(_admin_prefix())
    )


def _may_store(request, response):
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}
    if i18n.cache_variant(request):
        vary.discard("accept-language")  # part of the key (page_key)
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not response.has_header("Content-Encoding")
        and vary <= {"cookie"}  # a request without cookies always gets the same page
        and "private" not in cache_control
        and "no-store" not in cache_control
        and len(response.content) <= MAX_CACHED_BYTES
    )


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the cache; see the module docstring.

    It sits right after WhiteNoise, so a cached page skips sessions, CSRF and the
    view, and carries the headers the inner middleware set when it was rendered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in database_free_paths():
            return self.get_response(request)
        if not (settings.PAGE_CACHE_SECONDS > 0 and _may_use_cache(request)):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
                # A page seen with a session (staff) is never kept by shared caches or the service worker.
                patch_cache_control(response, private=True)
            return response

        version = known_version()
        key = page_key(request)
        entry = cache.get(key)
        # While the database is away (version None) a stored page of any version is better
        # than the 503 page: nothing can change without the database anyway.
        if entry is not None and (version is None or entry[0] == version):
            _version, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        if version is None:
            return self.get_response(request)

        response = self.get_response(request)
        if request.method == "GET" and _may_store(request, response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            entry = (version, response.status_code, list(response.headers.items()), response.content)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return response
