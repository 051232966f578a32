"""Error pages (500, 503) and how the site behaves while the database is away."""

import contextlib
import copy
import re
import socket

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.test import Client, RequestFactory
from django.utils import translation

from directory import errors, views

from .conftest import make_category, make_offer


@pytest.fixture
def failing_offer_page(db, monkeypatch):
    """The offer page crashes with a message that must never reach the reader."""
    offer = make_offer(slug="sprachcafe")

    def crash(self, queryset=None):
        raise ValueError("geheim: SELECT password FROM auth_user")

    monkeypatch.setattr(views.OfferDetailView, "get_object", crash)
    return offer


def test_a_crash_shows_the_friendly_page_without_any_detail(failing_offer_page):
    response = Client(raise_request_exception=False).get("/angebot/sprachcafe/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Das hat leider nicht geklappt" in content
    assert "Zur Startseite" in content
    assert "geheim" not in content
    assert "Traceback" not in content
    assert "ValueError" not in content
    nonce = re.search(r'<style nonce="([^"]+)">', content).group(1)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_the_error_page_speaks_the_readers_language(failing_offer_page):
    response = Client(raise_request_exception=False).get("/ar/angebot/sprachcafe/")
    assert response.status_code == 500
    content = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert 'href="/ar/"' in content


def test_the_error_page_offers_the_coordinators_phone_and_email(failing_offer_page, settings):
    settings.COORDINATOR_PHONE = "05321 12345"
    settings.COORDINATOR_EMAIL = "hilfe@example.org"
    content = Client(raise_request_exception=False).get("/angebot/sprachcafe/").content.decode()
    assert 'href="tel:+49532112345"' in content
    assert 'href="mailto:hilfe@example.org"' in content


@pytest.mark.parametrize("status, template_name", [(500, "500.html"), (503, "503.html")])
def test_error_pages_render_without_a_single_query(db, django_assert_num_queries, status, template_name):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = errors.render_error_page(request, template_name, status)
    assert response.status_code == status
    assert "no-store" in response.headers["Cache-Control"]


def test_a_database_error_outside_a_view_still_gives_the_503_page():
    request = RequestFactory().get("/")
    with translation.override("de"):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = errors.server_error(request)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def closed_port():
    """A local TCP port nobody listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def unreachable(connection, outside, tmp_path):
    """Take the database away from `connection` as an outage would, and bring it back.

    PostgreSQL: the server ends the open connection and refuses new ones (closed port).
    SQLite: the database file cannot be opened. Nothing else is touched: recovering
    is up to Django's own connection handling.
    """
    saved = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        if connection.connection is not None:
            with outside.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    else:
        connection.settings_dict["NAME"] = str(tmp_path / "missing" / "db.sqlite3")
        connection.close()
    try:
        yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def app_connection(transactional_db):
    """The app's connection during the test: a second wrapper around the test database.

    The test's own connection stays open (it holds SQLite's in-memory database) and
    ends the app's PostgreSQL connection from outside. Yields (app's, test's).
    """
    original = connections[DEFAULT_DB_ALIAS]
    wrapper = original.__class__(copy.deepcopy(original.settings_dict), alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = wrapper
    try:
        yield wrapper, original
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        if wrapper.vendor != "sqlite":
            wrapper.close()


class Server:
    """Django's own WSGI handler, called the way gunicorn calls it.

    Unlike the test client it keeps Django's connection housekeeping between requests
    (close_old_connections on request start and end), which is what recovery relies on.
    """

    def __init__(self):
        self.handler = WSGIHandler()

    def get(self, path):
        environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers

        response = self.handler(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            response.close()
        return int(started["status"].split()[0]), dict(started["headers"]), content.decode()


@pytest.mark.django_db(transaction=True)
def test_database_outage_gives_503_and_the_site_recovers_by_itself(app_connection, tmp_path, caplog):
    app, test_connection = app_connection
    category = make_category(name="Kita & Schule", slug="kita-schule")
    make_offer(slug="sprachcafe", title="Sprachcafé", categories=[category])
    server = Server()
    assert server.get("/kategorie/kita-schule/")[0] == 200

    with unreachable(app, test_connection, tmp_path):
        for url in ["/kategorie/kita-schule/", "/angebot/sprachcafe/", "/", "/ar/"]:
            status, headers, content = server.get(url)
            assert status == 503, url
            assert headers["Retry-After"] == "30"
            assert "ist gerade nicht erreichbar" in content
            assert "Traceback" not in content
            assert "OperationalError" not in content
            assert "sprachcafe" not in content.lower()
        assert 'lang="ar"' in content
        # The page's own inline style is allowed by this response's nonce, and nothing else.
        nonce = re.search(r'<style nonce="([^"]+)">', content).group(1)
        assert f"style-src 'self' 'nonce-{nonce}'" in headers["Content-Security-Policy"]
        # An address that does not exist needs no database: still the helpful 404 page.
        status, _headers, content = server.get("/gibt-es-nicht/")
        assert status == 404
        assert "Traceback" not in content
        assert any("Database unavailable" in message for message in caplog.messages)

    status, _headers, content = server.get("/kategorie/kita-schule/")
    assert status == 200
    assert "Sprachcafé" in content
    assert server.get("/angebot/sprachcafe/")[0] == 200
