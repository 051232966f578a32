"""WSGI entry point, e.g. `gunicorn netzwerk.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerk.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL configuration) lives as long as the
# worker: keep it out of the garbage collector's full passes, which would otherwise pause
# a request for a few hundred milliseconds now and then.
gc.freeze()
