"""The service worker that keeps visited pages readable offline (static/js/sw.js).

It must be served from the site root, not /static/, for its scope to cover every page.
"""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.http import require_safe


@lru_cache(maxsize=1)
def _script():
    with open(finders.find("js/sw.js"), "rb") as source:
        return source.read()


@require_safe
def service_worker(request):
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    # Browsers look for a new version on every visit; the ETag keeps that to a 304.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
