"""Fail soft: the site while its cache or its database is down (refusing) or hanging (never answering).

The faults are real sockets on 127.0.0.1: a closed port refuses at once, a listener that
accepts and never writes makes the client wait for its timeout. Every test is bounded.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError

from directory import cache as page_cache_module
from netzwerk import cache_backends
from netzwerk.cache_backends import FailOpenRedisCache
from netzwerk.db import outage
from netzwerk.settings import parse_cache_url

from .conftest import make_category, make_offer
from .test_errors import Server, app_connection, unreachable  # noqa: F401 - fixtures used below


class HangingListener:
    """Accepts connections on 127.0.0.1 and never answers; counts the connections."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(connection)

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        for connection in self.accepted:
            connection.close()
        self.sock.close()


@pytest.fixture
def hanging_port():
    listener = HangingListener()
    yield listener
    listener.close()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["closed port", "never answers"])
def fault(request):
    """(kind, port, listener or None) for both outage cases."""
    if request.param == "closed port":
        yield request.param, closed_port(), None
    else:
        listener = HangingListener()
        yield request.param, listener.port, listener
        listener.close()


# --- The cache ---------------------------------------------------------------------------------


def redis_cache(url):
    """The cache exactly as CACHE_URL configures it (timeouts, no retries), with its own key prefix."""
    config = parse_cache_url(url)
    return FailOpenRedisCache(config["LOCATION"], {"KEY_PREFIX": "test-outage", "OPTIONS": config["OPTIONS"]})


def cache_log(caplog):
    return [record for record in caplog.records if record.name == "netzwerk.cache"]


def test_cache_that_is_down_or_hangs_fails_open_within_100_ms_and_is_logged_once(fault, caplog):
    kind, port, listener = fault
    cache = redis_cache(f"redis://127.0.0.1:{port}/0")
    caplog.set_level(logging.WARNING, logger="netzwerk.cache")

    # 50 ms to connect, 50 ms to answer, no retries (redis-py's default retries with backoff cost 0.5 s).
    pool = cache._cache._get_connection_pool(write=False).connection_kwargs
    assert pool["socket_connect_timeout"] == pool["socket_timeout"] == 0.05
    assert pool["retry"]._retries == 0
    started = time.monotonic()
    assert cache.get("page", "miss") == "miss"
    first = time.monotonic() - started
    # Within 100 ms on a quiet machine. The bound leaves a loaded 2-core machine room to
    # schedule the test late and still fails on a stall (redis-py's 5 s or no timeout); the
    # retries with backoff (0.5 s) are ruled out by the settings asserted above.
    assert first < 1.0, f"{kind}: first failed read took {first * 1000:.0f} ms"
    if listener:
        assert first >= 0.05  # it did wait for the answer that never came

    # For the next few seconds this worker does not ask again: every operation answers at once.
    started = time.monotonic()
    for _ in range(50):
        assert cache.get("page") is None
        cache.set("page", b"<html>", 30)
        assert cache.add("counter", 0) is False
        with pytest.raises(ValueError):
            cache.incr("counter")
        assert cache.get_many(["a", "b"]) == {}
    # 250 operations: microseconds each without the network, at least 12 s if each asked Redis.
    assert time.monotonic() - started < 0.5
    if listener:
        assert len(listener.accepted) == 1, "Redis was asked again during the pause"
    assert len(cache_log(caplog)) == 1
    assert "pages are rendered without it" in cache_log(caplog)[0].getMessage()


def test_cache_is_tried_again_after_the_pause_and_its_return_is_logged(hanging_port, redis_url, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="netzwerk.cache")
    down = redis_cache(f"redis://127.0.0.1:{hanging_port.port}/0")
    down.get("x")
    assert len(hanging_port.accepted) == 1
    now = time.monotonic()
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: now + settings.CACHE_RETRY_SECONDS + 1)
    down.get("x")
    assert len(hanging_port.accepted) == 2  # one more try after the pause
    assert len(cache_log(caplog)) == 1  # still the same outage: no second line

    # The same servers answering again (a restarted Redis) end the outage for the process.
    live = redis_cache(redis_url)
    cache_backends._down_until[live._outage_key] = 0  # as if it had failed before
    live.set("back", "yes", 5)
    assert live.get("back") == "yes"
    assert live._outage_key not in cache_backends._down_until
    assert "available again" in cache_log(caplog)[-1].getMessage()


@pytest.fixture
def broken_shared_cache(settings, fault):
    """The site configured with CACHE_URL pointing at a Redis that is down or hangs, page cache on."""
    _kind, port, listener = fault
    settings.CACHES = {"default": parse_cache_url(f"redis://127.0.0.1:{port}/0")}
    settings.PAGE_CACHE_SECONDS = 600
    yield fault
    caches["default"].close()


def test_pages_render_without_the_cache_when_redis_is_down_or_hangs(client, db, broken_shared_cache, caplog):
    kind, _port, listener = broken_shared_cache
    category = make_category(name="Kita & Schule", slug="kita-schule")
    make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe", categories=[category])
    caplog.set_level(logging.WARNING, logger="netzwerk.cache")
    # Without the cache this page renders in some tens of milliseconds; a hanging Redis
    # must not add more than its one timeout.
    started = time.monotonic()
    first = client.get("/kategorie/kita-schule/")
    elapsed = time.monotonic() - started
    assert first.status_code == 200
    assert "Hausaufgabenhilfe" in first.content.decode()
    for url in ["/kategorie/kita-schule/", "/angebote/", "/", "/robots.txt", "/api/hsds/services"]:
        assert client.get(url).status_code == 200, url
    assert len(cache_log(caplog)) == 1, [record.getMessage() for record in cache_log(caplog)]
    if listener:
        assert len(listener.accepted) == 1
    # Tens of milliseconds on a quiet machine, the first render of a test process included;
    # a stall (5 s) or a timeout paid per cache operation (dozens of 50 ms) fails.
    assert elapsed < 3, f"{kind}: {elapsed:.2f} s"


def test_a_report_is_still_received_without_the_cache(client, db, broken_shared_cache):
    from directory.models import Report

    offer = make_offer(slug="sprachcafe")
    response = client.post(f"/angebot/{offer.slug}/melden/", {"message": "Die Nummer stimmt nicht.", "contact": ""})
    assert response.status_code == 302
    assert Report.objects.get().message == "Die Nummer stimmt nicht."


# --- The database: in a separate process, as a gunicorn worker sees it -------------------------


def probe(database_url, *paths, **environment):
    """Run tests/outage_probe.py with production settings; returns its per-request results and log."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "PAGE_CACHE"))}
    env.update(DATABASE_URL=database_url, DATABASE_CONNECT_TIMEOUT="2", DATABASE_RETRY_SECONDS="30",
               DJANGO_DEBUG="0", DJANGO_SECRET_KEY="outage-probe-" + "k" * 50, DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_HTTPS="0", CACHE_URL="locmem://", **environment)
    result = subprocess.run([sys.executable, "-m", "tests.outage_probe", *paths], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


PAGES = ["/kategorie/kita-schule/", "/angebot/sprachcafe/", "/angebote/?q=dolmetscher", "/", "/ar/", "/fuer-partner/"]


def test_unreachable_postgresql_costs_one_connect_timeout_then_503_at_once(fault):
    kind, port, listener = fault
    api_detail = "/en/api/hsds/services/5d1c6e0a-8f51-4c5e-9a0f-2f6b1f3c7a10"
    results, log = probe(f"postgres://postgres@127.0.0.1:{port}/wegweiser", *PAGES, "/api/hsds/services", api_detail,
                         "/robots.txt", "/sw.js", "/static/css/site.css", *PAGES)
    first, *rest = results
    # The first request pays the connect timeout (2 s here, libpq's minimum) once, not twice.
    assert first["status"] == 503
    # Paid twice it would be 4 s; the rest of the bound is room for a loaded machine.
    assert first["seconds"] < 3.5, f"{kind}: first request {first['seconds']} s"
    if listener:
        assert first["seconds"] >= 1.9  # it did wait for the timeout: the listener never answered
        assert len(listener.accepted) == 1, "one connection attempt for all requests of the pause"
    by_path = {}
    for result in rest:
        by_path.setdefault(result["path"], result)
        # No second wait for the database; the first render of a page in a new process still
        # reads its templates and catalogues.
        # (A second wait would be the 2 s connect timeout again.)
        assert result["seconds"] < 1.6, f"{kind}: {result['path']} took {result['seconds']} s"
    # Once warm, a 503 costs a few milliseconds (the bound leaves room for a busy machine and
    # still fails on any wait for the database, 2 s).
    warm = rest[-len(PAGES):]
    assert [result["path"] for result in warm] == PAGES
    assert all(result["status"] == 503 and result["seconds"] < 1 for result in warm), warm
    for path in PAGES[1:]:
        assert by_path[path]["status"] == 503, path
        assert by_path[path]["retry_after"] == "30"
        assert "Traceback" not in by_path[path]["body"]
    # The open-data API stays JSON.
    for path in ["/api/hsds/services", api_detail]:
        assert by_path[path]["status"] == 503
        assert by_path[path]["content_type"] == "application/json"
        assert "temporarily unavailable" in json.loads(by_path[path]["body"])["error"]
    # The health check, the service worker and static files need no database at all.
    for path in ["/robots.txt", "/sw.js", "/static/css/site.css"]:
        assert by_path[path]["status"] == 200, path
    # One line in the log for the outage, not one per request.
    assert log.count("unreachable") == 1, log


def test_the_503_page_speaks_the_readers_language_during_an_outage():
    results, _log = probe(f"postgres://postgres@127.0.0.1:{closed_port()}/wegweiser", "/ar/", "/uk/angebote/")
    assert [result["status"] for result in results] == [503, 503]
    assert 'lang="ar" dir="rtl"' in results[0]["body"]
    assert 'lang="uk"' in results[1]["body"]


# --- The database, in this process: the pause, recovery, cached pages ----------------------------


@pytest.fixture
def clean_outages():
    outage.forget()
    yield
    outage.forget()


def test_outage_pause_ends_and_the_next_request_tries_again(clean_outages, monkeypatch, hanging_port,
                                                            django_db_blocker):
    from netzwerk.db.postgresql.base import DatabaseWrapper

    settings_dict = {**settings.DATABASES["default"], "ENGINE": "netzwerk.db.postgresql", "NAME": "wegweiser",
                     "HOST": "127.0.0.1", "PORT": hanging_port.port, "OPTIONS": {"connect_timeout": 2}}
    wrapper = DatabaseWrapper(settings_dict, alias="outage-test")
    with django_db_blocker.unblock():  # this connection goes nowhere near the test database
        with pytest.raises(OperationalError):
            wrapper.ensure_connection()
        started = time.monotonic()
        with pytest.raises(OperationalError) as fast:
            wrapper.ensure_connection()
        assert time.monotonic() - started < 0.5  # no connection attempt: the hanging one costs 2 s
        assert outage.is_fast_failure(fast.value)
        assert len(hanging_port.accepted) == 1
        now = time.monotonic()
        monkeypatch.setattr(outage.time, "monotonic", lambda: now + settings.DATABASE_RETRY_SECONDS + 1)
        with pytest.raises(OperationalError) as slow:
            wrapper.ensure_connection()
        assert not outage.is_fast_failure(slow.value)
        assert len(hanging_port.accepted) == 2


@pytest.mark.django_db(transaction=True)
def test_cached_pages_are_still_served_while_the_database_is_away(app_connection, tmp_path, settings,  # noqa: F811
                                                                   clean_outages, django_assert_num_queries):
    app, test_connection = app_connection
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_CHECK_SECONDS = 0  # ask the database on every request, the hardest case
    category = make_category(name="Kita & Schule", slug="kita-schule")
    make_offer(slug="sprachcafe", title="Sprachcafé", categories=[category])
    server = Server()
    assert server.get("/kategorie/kita-schule/")[0] == 200  # rendered and stored

    with unreachable(app, test_connection, tmp_path):
        status, _headers, content = server.get("/kategorie/kita-schule/")
        assert status == 200
        assert "Sprachcafé" in content
        assert server.get("/angebot/sprachcafe/")[0] == 503  # never rendered before: nothing to serve
        started = time.monotonic()
        assert server.get("/kategorie/kita-schule/")[0] == 200
        assert server.get("/angebote/")[0] == 503
        assert time.monotonic() - started < 1.5  # no wait for the database (2 s each), room for a loaded machine
    page_cache_module.forget_version()
    outage.forget()
    assert server.get("/angebot/sprachcafe/")[0] == 200


def test_health_check_and_service_worker_never_touch_the_database(  # static files: the probe above
    client, db, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_CHECK_SECONDS = 0
    with django_assert_num_queries(0):
        assert client.get("/robots.txt").status_code == 200
        assert client.get("/sw.js").status_code == 200
