import functools

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from . import errors
from .models import SlugRedirect
from .roles import is_coordinator


class URLLanguageMiddleware:
    """Take the language from the URL prefix alone (German has none).

    Unlike Django's LocaleMiddleware this never reads a cookie or Accept-Language,
    so a shared or printed link shows the same language to everyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so nothing leaks into the
        # next request handled by this thread (or into the next test).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features (camera, location, …) that no page of ours uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy for every URL under /admin/.

    settings.CONTENT_SECURITY_POLICY_ADMIN replaces single directives of the public
    policy; a view decorated with @csp/@csp_replace still has the last word.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(admin_prefix()):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.replace or {})}
        return parts


@functools.cache
def admin_prefix():
    return reverse("admin:index")


class DatabaseUnavailableMiddleware:
    """Answer 503 with the friendly page while the database cannot be reached.

    Nothing is kept between requests: Django opens a new connection on the next
    request (CONN_HEALTH_CHECKS drops a broken one), so the site recovers by itself
    as soon as the database is back. Errors outside views reach handler500, which
    gives the same answer (directory.errors.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if errors.is_database_unavailable(exception):
            return errors.database_unavailable(request, exception)
        return None


class SlugRedirectMiddleware:
    """Send a request for a former slug to the object's current address (301).

    Works for every URL named `category-…` or `offer-…` with a `slug` argument (detail
    page, QR codes, flyer, feed, embed, vCard), so a new sub-page is covered without
    touching its view. Only 404 responses are looked at: a live slug always wins.
    """

    PREFIXES = {"category": "category", "offer": "offer"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        return self.redirect_for(request) or response

    def redirect_for(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if "slug" not in match.kwargs or match.namespace != "directory":
            return None
        kind = self.PREFIXES.get(match.url_name.split("-", 1)[0])
        if not kind:
            return None
        slug = SlugRedirect.current_slug(kind, match.kwargs["slug"])
        if not slug or slug == match.kwargs["slug"]:
            return None
        url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": slug})
        if request.META.get("QUERY_STRING"):
            url = f"{url}?{request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(url)


class AdminInputGuardMiddleware:
    """Refuse what the admin has no use for: methods other than GET, HEAD, POST and OPTIONS
    (it would treat them as GET), and NUL characters in parameters or form data.

    PostgreSQL cannot store or compare text containing NUL, so a list filter or search
    with `%00` would otherwise end in a 500. The public pages clean their own parameters.
    """

    ADMIN_METHODS = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(admin_prefix()):
            if request.method not in self.ADMIN_METHODS:
                return HttpResponseNotAllowed(self.ADMIN_METHODS)
            if "\x00" in request.path_info or _has_nul(request.GET):
                raise Http404("NUL in the address")
            if request.method == "POST" and _has_nul(request.POST):
                raise SuspiciousOperation("NUL in the form data")
            _check_view_on_site(request)
        return self.get_response(request)


def _check_view_on_site(request):
    """The admin's "view on site" redirect (`/admin/r/<type>/<id>/`) looks objects up without the
    model admin: it would tell a partner the address of another organization's draft. Only what
    the user's model admin lists may be looked up."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return
    if match.url_name != "view_on_site" or not request.user.is_authenticated or is_coordinator(request.user):
        return
    content_type_id, object_id = match.kwargs.get("content_type_id", ""), match.kwargs.get("object_id", "")
    if not (content_type_id.isdigit() and object_id.isdigit()):
        raise Http404("not an id")
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model_admin = admin.site._registry.get(content_type.model_class()) if content_type else None
    if model_admin is None or not model_admin.get_queryset(request).filter(pk=object_id).exists():
        raise Http404("not yours")


def _has_nul(query_dict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())
