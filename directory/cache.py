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

A page that shows an opening status ("Jetzt geöffnet · bis 14:00") is kept only until
the next opening or closing among those it shows (`expire_page_at`), so it is never
served with a status that has become wrong.
"""

import functools
import gzip
import hashlib
import math
import time
import zlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.encoding import escape_uri_path

from . import i18n, query
from .models import ContentVersion

# Responses larger than this (CSV exports, say) are not worth a cache slot.
MAX_CACHED_BYTES = 512 * 1024
SAFE_METHODS = ("GET", "HEAD")


def current_version():
    """The content version, or None when the database cannot tell (then nothing is cached)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {ContentVersion._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row else 0


# This process's last look at the content version: (version, time.monotonic() of the look).
_seen = {"version": None, "at": 0.0}


def in_transaction(using=DEFAULT_DB_ALIAS):
    """Inside a transaction that may still be rolled back.

    Not counted: the transaction a test case wraps around each test, which by design never
    commits (a test then sees what a request after a commit would see)."""
    return any(not block._from_testcase for block in connections[using].atomic_blocks)


def known_version():
    """The content version, asked of the database at most every PAGE_CACHE_CHECK_SECONDS.

    A cache hit then needs no database round trip at all (which more than doubles the
    throughput of cached pages on PostgreSQL); a change saved through another worker or
    app server shows within that many seconds, through this one at once.

    None inside a transaction: the version read there may count a change that is rolled
    back, and the number would come again with the next change that is committed; nothing
    may be kept under it (pages, documents, the search index) nor remembered.
    """
    if in_transaction():
        return None
    now = time.monotonic()
    if _seen["version"] is not None and now - _seen["at"] < settings.PAGE_CACHE_CHECK_SECONDS:
        return _seen["version"]
    version = current_version()
    _seen.update(version=version, at=now)
    return version


def recent_version():
    """`known_version`, but a version this process read within the last second (normally the
    page cache's look for this very request) is taken without asking the database again,
    also when PAGE_CACHE_CHECK_SECONDS is 0."""
    if in_transaction():
        return None
    if _seen["version"] is not None and time.monotonic() - _seen["at"] < max(settings.PAGE_CACHE_CHECK_SECONDS, 1):
        return _seen["version"]
    return known_version()


def forget_version():
    _seen["version"] = None


# Changes saved by this process (see local_changes).
_local = {"changes": 0}


def local_changes():
    """How many changes this process saved: with the database's version, it tells this
    process's search index (directory/search_index.py) at once that it is outdated."""
    return _local["changes"]


# Values this process keeps until the content changes (`kept_per_content_version`): {key: (version, value)}.
_kept = {}


def kept_per_content_version(key, build):
    """`build()`, computed once per content version in this process, like the search index.

    For what every listing needs and only a change can alter (the filters' categories,
    languages and towns): 15–25 ms per request at 10,000 offers when loaded each time
    (bench/RESULTS.md). Not kept while the database cannot tell its version.
    """
    version = (known_version(), local_changes())
    entry = _kept.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    if version[0] is not None:
        _kept[key] = (version, value)
    return value


def invalidate(using=DEFAULT_DB_ALIAS, **kwargs):
    """Make every cached page stale. Signal receiver, and callable after bulk updates.

    The version is raised in the transaction of the change, so it becomes visible to other
    workers in the same commit as the change itself and goes with it when it is rolled back
    (cached pages then stay valid). This process forgets the version it knows now (for the
    saving request itself) and again at the commit (a request served in between may have
    looked at the old version): the worker that saved shows the change at once.
    """
    versions = ContentVersion.objects.using(using)
    if not versions.filter(pk=1).update(value=F("value") + 1):
        versions.get_or_create(pk=1, defaults={"value": 1})
    _changed_here()
    connection = connections[using]
    savepoints = set(connection.savepoint_ids)
    # One callback per transaction is enough; one registered in a savepoint that was rolled
    # back has left the list, and one in a savepoint still open in ours would go with ours.
    if connection.in_atomic_block and not any(
        func is _changed_here and sids <= savepoints for sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_changed_here, using=using)


def _changed_here():
    _local["changes"] += 1
    forget_version()


# Saved without changing any public page: a report from the public must not empty the cache.
NOT_ON_PUBLIC_PAGES = {
    "contentversion", "report", "changerequest", "reviewrequest", "partnerprofile", "searchmiss", "ratelimit",
    "notificationsetting",
}


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


def expire_page_at(request, moment):
    """The page being rendered shows something that stops being true at `moment` (aware datetime)."""
    if request is None or moment is None:
        return
    current = getattr(request, "_page_expires_at", None)
    if current is None or moment < current:
        request._page_expires_at = moment


def _lifetime(request):
    """(seconds to keep the page, expiry as a UNIX time or None); 0 seconds: do not keep it."""
    seconds = settings.PAGE_CACHE_SECONDS
    expires = getattr(request, "_page_expires_at", None)
    if expires is None:
        return seconds, None
    left = (expires - timezone.now()).total_seconds()
    return (min(seconds, math.ceil(left)) if left > 0 else 0), expires.timestamp()


def _fresh(entry, version):
    # Entries of another shape come from an older deployment sharing the cache: not used.
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and (version is None or entry[0] == version)
        and (entry[4] is None or timezone.now().timestamp() < entry[4])
    )


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


# --- Large, costly documents: cached per content version ------------------------------------

# Sitemap parts and the CSV export are far larger than a page (MAX_CACHED_BYTES) and cost
# seconds at 10,000 offers; they are kept gzip-compressed, once per content version and day,
# for everyone (they are the same for every reader).
DOCUMENT_SECONDS = 24 * 3600


def document_key(request, parameters=()):
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in parameters)
    address = f"{request.path_info}?{query}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"document:{timezone.localdate().isoformat()}:{digest}"


def cached_document(request, key, version):
    """A stored document as a response, or None. While the database is away any version will do."""
    if in_transaction():
        return None
    entry = cache.get(key)
    if entry is None or (version is not None and entry[0] != version):
        return None
    _version, headers, compressed = entry
    if "gzip" in request.headers.get("Accept-Encoding", "").lower():
        response = HttpResponse(compressed)
        response.headers["Content-Encoding"] = "gzip"
    elif len(compressed) <= MAX_CACHED_BYTES:
        response = HttpResponse(gzip.decompress(compressed))
    else:
        # Tens of megabytes unpacked (the CSV export at 10,000 offers): piece by piece.
        decompressor = zlib.decompressobj(wbits=31)
        chunks = (decompressor.decompress(compressed[start : start + 65536]) for start in range(0, len(compressed), 65536))
        response = StreamingHttpResponse(chunks)
    for name, value in headers:
        response.headers[name] = value
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def store_document(key, version, headers, compressed):
    if version is not None:
        cache.set(key, (version, headers, compressed), DOCUMENT_SECONDS)


def document_headers(response):
    skip = {"content-length", "content-encoding", "vary"}
    return [(name, value) for name, value in response.headers.items() if name.lower() not in skip]


def per_content_version(parameters=()):
    """Decorator: keep a view's 200 answer per content version; `parameters` are the GET
    parameters it understands (all others leave the key alone)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in SAFE_METHODS:
                return view(request, *args, **kwargs)
            version = known_version()
            key = document_key(request, parameters)
            response = cached_document(request, key, version)
            if response is not None:
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                store_document(key, version, document_headers(response), gzip.compress(response.content, 6))
            return response

        return wrapped

    return decorator


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

        if in_transaction():
            # A page rendered inside a transaction (ATOMIC_REQUESTS) may show a change that is
            # rolled back, and what is cached may already be outdated by it: neither used nor kept.
            return self.get_response(request)
        version = known_version()
        key = page_key(request)
        entry = cache.get(key)
        # While the database is away (version None) a stored page of any version is better
        # than the 503 page: nothing can change without the database anyway. A page whose
        # opening status has run out is not (the cache drops it then too).
        if _fresh(entry, version):
            _version, status, headers, content, _expires = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        if version is None:
            return self.get_response(request)

        response = self.get_response(request)
        if request.method == "GET" and _may_store(request, response):
            seconds, expires = _lifetime(request)
            if seconds <= 0:
                return response
            if not response.has_header("ETag"):
                set_response_etag(response)
            entry = (version, response.status_code, list(response.headers.items()), response.content, expires)
            cache.set(key, entry, seconds)
        return response
