from django.conf import settings
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
