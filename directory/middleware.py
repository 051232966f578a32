import functools

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import errors


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
