"""Run in a subprocess by tests/test_outages.py: requests through Django's WSGI handler, as
gunicorn makes them, against the databases and caches named in the environment.

Usage: python -m tests.outage_probe PATH [PATH ...]; prints one JSON line per request:
{"path", "status", "seconds", "content_type", "body" (first 300 characters)}.
"""

import gc
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import RequestFactory  # noqa: E402

# Static files straight from static/ (a fresh clone has not run collectstatic).
settings.WHITENOISE_USE_FINDERS = True
settings.STORAGES = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def main(paths):
    handler = WSGIHandler()
    gc.freeze()  # as netzwerk/wsgi.py does once the application is loaded
    for path in paths:
        environ = RequestFactory()._base_environ(PATH_INFO=path.partition("?")[0], QUERY_STRING=path.partition("?")[2],
                                                 REQUEST_METHOD="GET", HTTP_HOST="127.0.0.1")
        started = {}

        def start_response(status, headers, exc_info=None, started=started):
            started["status"], started["headers"] = status, dict(headers)

        began = time.monotonic()
        response = handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()
        seconds = time.monotonic() - began
        print(json.dumps({
            "path": path, "status": int(started["status"].split()[0]), "seconds": round(seconds, 4),
            "content_type": started["headers"].get("Content-Type", ""),
            "retry_after": started["headers"].get("Retry-After"),
            "body": body[:300].decode("utf-8", "replace"),
        }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
