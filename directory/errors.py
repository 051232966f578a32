"""Error pages that render without the database: 500, 503 and the database-outage answer.

They extend templates/error_page.html, not base.html, and are rendered without
context processors, so nothing on them can trigger a query.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from netzwerk.db import outage

from .context_processors import site
from .validators import phone_to_tel_uri

logger = logging.getLogger(__name__)

# Seconds a client (or a crawler) should wait before asking again during an outage.
RETRY_AFTER_SECONDS = 30


def is_database_unavailable(exception):
    """True for the errors a lost or unreachable database raises (not for bad queries)."""
    return isinstance(exception, (OperationalError, InterfaceError))


def csp_nonce(request):
    """This request's nonce; reading it makes django-csp allow exactly this page's inline style."""
    nonce = getattr(request, "csp_nonce", None)  # absent when the error came before CSPMiddleware ran
    return "" if nonce is None else str(nonce)


# The open-data API answers errors as JSON (directory/hsds.py), also when the site itself fails.
API_PREFIX = "/api/hsds/"
API_MESSAGES = {
    403: "Forbidden.",
    404: "Not found.",
    500: "Internal error; please try again later.",
    503: "The directory is temporarily unavailable; please try again later.",
}


def is_api_request(request):
    path = request.path_info
    language = translation.get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        path = path[len(language) + 1 :]
    return path.startswith(API_PREFIX)


def api_error(status):
    response = JsonResponse({"error": API_MESSAGES[status]}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    add_never_cache_headers(response)
    return response


def render_error_page(request, template_name, status):
    if is_api_request(request):
        return api_error(status)
    try:
        home_url = reverse("directory:home")
    except NoReverseMatch:
        home_url = "/"
    context = {
        **site(request),
        "coordinator_tel": phone_to_tel_uri(settings.COORDINATOR_PHONE),
        "home_url": home_url,
        "csp_nonce": csp_nonce(request),
    }
    response = HttpResponse(loader.render_to_string(template_name, context), status=status)
    add_never_cache_headers(response)
    return response


def database_unavailable(request, exception):
    if outage.is_fast_failure(exception):
        # The outage was logged when it began (netzwerk/db/outage.py); one line per request would flood the log.
        logger.debug("Database unavailable, answering 503 for %s", request.path)
    else:
        logger.error("Database unavailable, answering 503 for %s: %s", request.path, exception)
    response = render_error_page(request, "503.html", status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: the friendly page; the 503 page when the cause is a database outage.

    Django calls it while handling the exception, so sys.exc_info() holds the cause
    even when it was raised outside a view (e.g. in a middleware or the 404 page).
    """
    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable(request, exception)
    return render_error_page(request, "500.html", status=500)
