from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation


class URLLanguageMiddleware:
    """Take the language from the URL prefix alone (German has none).

    Unlike Django's LocaleMiddleware this never reads a cookie or Accept-Language,
    so a shared or printed link shows the same language to everyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
        from .models import SlugRedirect

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
