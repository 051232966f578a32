"""Production configuration and the security headers a browser receives."""

import json
import os
import secrets
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from directory.decorators import embeddable

from .conftest import make_category, make_offer
from .test_hostile_input import site  # noqa: F401  (every public route, filled in)

ROOT = settings.BASE_DIR

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "wegweiser.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://wegweiser.example.org",
    "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def production_settings(*names, **env):
    """The values of some settings as the production environment computes them."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}))"
    )
    result = run_manage("shell", "-c", script, **{**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def deployed_database(tmp_path_factory):
    """A migrated SQLite database whose legal pages the network has completed, as on a live site."""
    path = tmp_path_factory.mktemp("deployed") / "db.sqlite3"
    url = f"sqlite:///{path}"
    result = run_manage("migrate", "--noinput", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as database:
        database.execute(
            "UPDATE directory_legalpage SET body = ?", ("## Angaben\n\nMigranten-Eltern-Netzwerk, Marktstraße 1, 38640 Goslar.",)
        )
    return path, url


def test_check_deploy_with_production_environment_reports_nothing(deployed_database):
    _path, url = deployed_database
    result = run_manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV, DATABASE_URL=url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_legal_pages_with_placeholders(deployed_database):
    path, url = deployed_database
    with sqlite3.connect(path) as database:
        database.execute("UPDATE directory_legalpage SET body = body || ? WHERE kind = 'impressum'", ("\n\n[Anschrift]",))
    try:
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, DATABASE_URL=url)
    finally:
        with sqlite3.connect(path) as database:
            database.execute("UPDATE directory_legalpage SET body = replace(body, ?, '')", ("\n\n[Anschrift]",))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "wegweiser.W001" in output and "[Anschrift]" in output and "/impressum/" in output


def test_production_forces_https_secure_cookies_and_a_year_of_hsts():
    values = production_settings(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": False,
    }


def test_hsts_duration_and_forwarded_host_come_from_the_environment():
    values = production_settings(
        "SECURE_HSTS_SECONDS", "USE_X_FORWARDED_HOST", DJANGO_HSTS_SECONDS="3600", DJANGO_USE_X_FORWARDED_HOST="1"
    )
    assert values == {"SECURE_HSTS_SECONDS": 3600, "USE_X_FORWARDED_HOST": True}


def test_development_does_not_force_https():
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def public_urls(db):
    category = make_category(slug="kita-schule")
    offer = make_offer(slug="sprachcafe", categories=[category])
    return ["/", category.get_absolute_url(), offer.get_absolute_url(), "/ar/", "/impressum/"]


def test_public_pages_send_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


def test_public_pages_send_the_other_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in response.headers["Permissions-Policy"]
        # Only our own pages may ask for the position (the nearest place is picked on the phone).
        assert "geolocation=(self)" in response.headers["Permissions-Policy"]


def test_public_pages_set_no_cookie(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.cookies == {}, url
        assert "Set-Cookie" not in response.headers


def test_no_public_route_sets_a_cookie(client, site):  # noqa: F811
    forms = {"offer-report", "review"}  # a form needs its CSRF cookie, and nothing more
    for name, url in site.routes:
        response = client.get(url)
        # The review route's made-up token gets the polite "this link is not valid" page (404).
        assert response.status_code < 400 or name == "review", url
        assert set(response.cookies) <= ({"csrftoken"} if name in forms else set()), url


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_behind_the_proxy_https_requests_are_served_and_plain_http_is_redirected(client, public_urls):
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/"

    forwarded = client.get("/", headers={"x-forwarded-proto": "https"})
    assert forwarded.status_code == 200
    assert forwarded.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_admin_keeps_strict_scripts_but_allows_its_style_attributes(coordinator_client):
    response = coordinator_client.get("/admin/directory/offer/add/")
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_admin_login_page_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert csp_directives(response)["style-src"] == ["'self'", "'unsafe-inline'"]


def embed_demo(request):
    return HttpResponse("<p>Angebote</p>")


def page_demo(request):
    return HttpResponse("<p>Angebote</p>")


urlpatterns = [
    path("einbetten/demo/", embeddable(embed_demo)),
    path("seite/demo/", page_demo),
]


@pytest.mark.urls(__name__)
def test_embeddable_views_may_be_framed_by_any_site_and_others_not(client):
    embedded = client.get("/einbetten/demo/")
    assert csp_directives(embedded)["frame-ancestors"] == ["*"]
    assert csp_directives(embedded)["script-src"] == ["'self'"]
    assert "X-Frame-Options" not in embedded.headers

    ordinary = client.get("/seite/demo/")
    assert csp_directives(ordinary)["frame-ancestors"] == ["'none'"]
    assert ordinary.headers["X-Frame-Options"] == "DENY"
