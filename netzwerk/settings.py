"""Settings for the Wegweiser directory, configured entirely by the environment.

A fresh clone runs with no environment at all (SQLite, DEBUG on). In production
(`DJANGO_DEBUG=0`) a missing secret key is a hard error, never a silent default.
Every variable is listed in the README.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    """Read a yes/no variable; refuse values we do not understand."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 the site refuses to start "
            "without a secret key. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: a fresh random key per process (sessions do not survive a restart).
    SECRET_KEY = "dev-" + secrets.token_urlsafe(40)
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    # The same rule as Django's security.W009: a guessable key signs sessions and review links.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak: it needs at least 50 characters with at least 5 different ones "
        "and must not be Django's generated 'django-insecure-' key. With DJANGO_DEBUG=0 the site refuses "
        "to start with it. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A refused form explains itself in the site's layout and language and hands back what was typed.
CSRF_FAILURE_VIEW = "directory.views.csrf_failure"

# --- The regional network this copy serves -------------------------------------------
SITE_NAME = env("SITE_NAME", "Wegweiser")
SITE_NETWORK = env("SITE_NETWORK", "Migranten-Eltern-Netzwerk Landkreis Goslar")
SITE_REGION = env("SITE_REGION", "Landkreis Goslar")
# Absolute base URL for links that leave the site (QR codes, feeds, e-mails).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
COORDINATOR_NAME = env("COORDINATOR_NAME", "Koordinierungsstelle Migranten-Eltern-Netzwerk")
COORDINATOR_EMAIL = env("COORDINATOR_EMAIL", "koordination@example.org")
COORDINATOR_PHONE = env("COORDINATOR_PHONE", "030 23125 100")

# --- Open data and partners -----------------------------------------------------------
# The licence of the API, the CSV export and the feeds, shown on the partner page.
DATA_LICENSE = env("DATA_LICENSE", "CC BY 4.0")
DATA_LICENSE_URL = env("DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/deed.de")
# HSDS addresses require a state and a country.
SITE_STATE = env("SITE_STATE", "Niedersachsen")
SITE_COUNTRY = env("SITE_COUNTRY", "DE")
# Public holidays on which offers count as closed: ISO 3166-2 subdivision, e.g. DE-NI (Lower Saxony).
SITE_HOLIDAYS = env("SITE_HOLIDAYS", "DE-NI")
# Towns and villages parents name, with coordinates and their source, for `nahe=` (directory/places.py).
PLACES_FILE = Path(env("PLACES_FILE", str(BASE_DIR / "fixtures" / "places.json")))

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "directory.admin_site.WegweiserAdminConfig",  # django.contrib.admin with the directory first
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "directory",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out compressed when the browser accepts it (static files come precompressed
    # from WhiteNoise); with random padding against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # ETag and 304 for every page; outside the page cache so cached pages answer too.
    "django.middleware.http.ConditionalGetMiddleware",
    # Right after WhiteNoise: a cached public page skips everything below (directory/cache.py).
    "directory.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "directory.middleware.URLLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "directory.middleware.AdminInputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "directory.middleware.ContentSecurityPolicyMiddleware",
    "directory.middleware.PermissionsPolicyMiddleware",
    "directory.middleware.SlugRedirectMiddleware",
    # After the header middleware, so that its 503 page still passes through them.
    "directory.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netzwerk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "netzwerk.wsgi.application"

# --- Database ---------------------------------------------------------------------------
# SQLite file when DATABASE_URL is unset, so a fresh clone runs with no server.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
# The same backends, failing fast during an outage: after one failed connect a worker
# answers 503 at once for DATABASE_RETRY_SECONDS instead of waiting for every request's
# connect timeout (netzwerk/db/outage.py).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "netzwerk.db.postgresql",
    "django.db.backends.sqlite3": "netzwerk.db.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DATABASE_RETRY_SECONDS = env_int("DATABASE_RETRY_SECONDS", 5)

# --- Caching ------------------------------------------------------------------------------
# CACHE_URL picks the backend; several app servers share one through redis://.
#   locmem://            this process only (default)
#   redis://host:6379/1  Redis (also rediss://; comma-separated: primary first, then replicas)
#   file:///var/cache/wegweiser   a directory shared by the workers of one host
#   db://table_name      a database table (python manage.py createcachetable)
#   dummy://             no caching at all
CACHE_SCHEMES = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    # Django's RedisCache, but a Redis that is down or hangs costs a page at most
    # CACHE_TIMEOUT_MS once per CACHE_RETRY_SECONDS and worker (netzwerk/cache_backends.py).
    "redis": "netzwerk.cache_backends.FailOpenRedisCache",
    "rediss": "netzwerk.cache_backends.FailOpenRedisCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "db": "django.core.cache.backends.db.DatabaseCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def parse_cache_url(url):
    """Turn CACHE_URL into a CACHES["default"] entry; refuse what we cannot serve."""
    scheme, separator, rest = url.partition("://")
    backend = CACHE_SCHEMES.get(scheme.lower())
    if not separator or backend is None:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with one of {', '.join(s + '://' for s in CACHE_SCHEMES)}, not {url!r}."
        )
    config = {"BACKEND": backend, "KEY_PREFIX": env("CACHE_KEY_PREFIX", "wegweiser")}
    if scheme.lower().startswith("redis"):
        # Each server keeps its scheme, as redis-py expects full URLs.
        config["LOCATION"] = [f"{scheme}://{server}" for server in rest.split(",") if server]
        if not config["LOCATION"]:
            raise ImproperlyConfigured(f"CACHE_URL {url!r} names no Redis server.")
        # Only a configured Redis needs the client.
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        timeout = env_int("CACHE_TIMEOUT_MS", 50) / 1000
        config["OPTIONS"] = {
            # A local Redis answers in well under a millisecond; waiting longer only delays the page.
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            # redis-py retries three times with backoff by default: half a second per request.
            "retry": Retry(NoBackoff(), 0),
        }
    elif scheme.lower() == "file":
        if not rest.startswith("/"):
            raise ImproperlyConfigured(f"CACHE_URL {url!r} needs an absolute directory, e.g. file:///var/cache/wegweiser.")
        config["LOCATION"] = rest
    elif scheme.lower() == "db":
        config["LOCATION"] = rest or "wegweiser_cache"
    elif scheme.lower() == "locmem":
        config["LOCATION"] = rest or "wegweiser"
    return config


CACHES = {"default": parse_cache_url(env("CACHE_URL", "locmem://"))}
# After a failed cache operation each worker leaves the cache alone for this long.
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 5)
# Anonymous renders of public pages are cached for this many seconds (0 = off); any
# change a coordinator saves invalidates them (directory/cache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# How often each worker asks the database whether anything changed (0 = on every request):
# a cached page then costs no database round trip.
PAGE_CACHE_CHECK_SECONDS = env_int("PAGE_CACHE_CHECK_SECONDS", 1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes must come first so that a locked-out login is refused before the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------------------
# German is the source language and the fallback for every translated text.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("pl", "Polski"),
    ("ro", "Română"),
    ("bg", "Български"),
]
LOCALE_PATHS = [BASE_DIR / "directory" / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("de",)
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", COORDINATOR_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: to stderr, so gunicorn and systemd collect it -------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Keeping entries current: review, reports, history, login protection ------------------
# An offer needs review when it was never reviewed or not within this many days.
REVIEW_INTERVAL_DAYS = env_int("REVIEW_INTERVAL_DAYS", 365)
# The dashboard warns about offers whose validity ends within this many days.
REVIEW_EXPIRY_WARNING_DAYS = env_int("REVIEW_EXPIRY_WARNING_DAYS", 30)
# How long a provider's review link stays valid.
REVIEW_LINK_MAX_AGE_DAYS = env_int("REVIEW_LINK_MAX_AGE_DAYS", 30)
# Reports from the public are deleted this many days after they came in (purge_reports).
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 180)
# At most this many reports per client (by a hash of the IP address) per window.
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 5)
REPORT_RATE_WINDOW_SECONDS = env_int("REPORT_RATE_WINDOW_SECONDS", 3600)

# Admin sessions end after 8 hours and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock a login (username + IP) after repeated failures; unlock: see README.
# The address comes from directory.client_address (DJANGO_TRUSTED_PROXY_COUNT), never from
# a header a client could set, so nobody can lock the coordinator out from elsewhere.
AXES_CLIENT_IP_CALLABLE = "directory.client_address.client_address"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # a line per admin login is noise; lockouts still show

# --- Security: HTTPS, headers, Content-Security-Policy, reverse proxy ----------------------
# With DJANGO_DEBUG=0 and the defaults below, `manage.py check --deploy` reports nothing
# (tests/test_security.py runs it). Every variable is in the README's table.

# The site is reached over HTTPS (directly or through the reverse proxy): redirect plain
# HTTP, send cookies only over HTTPS and announce HSTS.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# One year by default; start lower (e.g. 3600) on a new domain until HTTPS is known to work.
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# `preload` in the header does nothing until the domain is submitted to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Search words in our URLs (?q=Schwangerschaft) must not reach the providers' websites.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Powerful browser features no page of ours uses (directory.middleware.PermissionsPolicyMiddleware);
# geolocation only for our own "Meinen Standort verwenden", which keeps the position on the phone.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(self), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Behind a reverse proxy that terminates TLS: the header it sets to "https"
# (e.g. X-Forwarded-Proto). Only set this if the proxy always overwrites that header.
PROXY_SSL_HEADER = env("DJANGO_PROXY_SSL_HEADER")
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (nginx: 1). The
# client's address is then the n-th entry from the right; 0 uses the socket address.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 10:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXY_COUNT must be between 0 and 10, not {TRUSTED_PROXY_COUNT}.")

# Content-Security-Policy (django-csp 4). Public pages: everything from our own host, no
# inline script at all, nobody may frame us. An inline <style>/<script> needs
# nonce="{{ request.csp_nonce }}". Embeddable views opt in with
# directory.decorators.embeddable (frame-ancestors *); see the README.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
# The admin (Django's, modeltranslation's, import-export's and simple-history's
# templates) uses style attributes; its scripts are all files, so scripts stay strict.
# These directives replace the public ones for every URL under /admin/.
CONTENT_SECURITY_POLICY_ADMIN = {
    "style-src": [SELF, UNSAFE_INLINE],
    # import-export's "select all" box on the export page has one inline handler; only
    # exactly that one may run (its hash), no other inline script.
    "script-src-attr": [UNSAFE_HASHES, "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"],
}
