"""The client's address behind the documented nginx: one setting for the login lockout and the report limit."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from directory import cache as page_cache
from directory.client_address import client_address
from directory.models import RateLimit, Report

from .conftest import make_offer
from .test_security import run_manage

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"  # gunicorn sees every request coming from the proxy


def request_from(forwarded=None, remote=NGINX):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", NGINX),  # no proxy trusted: the header is whatever a client typed
        (1, None, NGINX),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left part was sent by the client
        (1, "198.51.100.1,203.0.113.7 ,", "203.0.113.7"),
        (2, "198.51.100.1, 192.0.2.9, 203.0.113.7", "192.0.2.9"),
        (2, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: what the outermost one saw
        (1, "2001:db8::7", "2001:db8::7"),
        (1, "nonsense", NGINX),
        (1, "198.51.100.1, <script>", NGINX),
    ],
)
def test_client_address_takes_the_nth_address_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(forwarded)) == expected


def login(client, username, password, forwarded):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_an_attacker_behind_the_proxy_cannot_lock_the_coordinator_out(client, settings, coordinator):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = "203.0.113.66"
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        # nginx appends the real address; a forged entry in front changes nothing
        login(client, "alice", "falsch", f"198.51.100.10, {attacker}")
    assert login(client, "alice", "alice-password-123", attacker).status_code == 429  # the attacker is locked
    from django.test import Client

    assert login(Client(), "alice", "alice-password-123", "198.51.100.10").status_code == 302  # alice is not


def test_a_lockout_is_per_user_name_and_address(client, settings, coordinator, django_user_model):
    settings.TRUSTED_PROXY_COUNT = 1
    django_user_model.objects.create_user("bob", "bob@example.org", "bob-password-123", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "bob", "falsch", "203.0.113.66")
    assert login(client, "bob", "bob-password-123", "203.0.113.66").status_code == 429
    assert login(client, "alice", "alice-password-123", "203.0.113.66").status_code == 302


def report(client, offer, forwarded):
    url = reverse("directory:offer-report", kwargs={"slug": offer.slug})
    return client.post(url, {"message": "Die Nummer stimmt nicht."}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def test_report_limit_counts_each_visitor_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REPORT_RATE_LIMIT = 2
    offer = make_offer()
    assert [report(client, offer, "203.0.113.7").status_code for _ in range(3)] == [302, 302, 429]
    # forging an address in front does not help; another visitor still can report
    assert report(client, offer, "192.0.2.1, 203.0.113.7").status_code == 429
    assert report(client, offer, "198.51.100.8").status_code == 302
    assert Report.objects.count() == 3


def test_report_limit_is_shared_by_workers_and_survives_a_reload(client, settings):
    settings.REPORT_RATE_LIMIT = 2
    offer = make_offer()
    assert report(client, offer, "").status_code == 302
    # another worker, or this one after `systemctl reload`: a fresh process cache
    cache.clear()
    page_cache.forget_version()
    assert report(client, offer, "").status_code == 302
    cache.clear()
    assert report(client, offer, "").status_code == 429
    stored = " ".join(str(value) for row in RateLimit.objects.values_list() for value in row)
    assert NGINX not in stored  # only a keyed hash of the address


def test_report_limit_window_expires_and_purge_removes_old_counters(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.REPORT_RATE_LIMIT = 1
    offer = make_offer()
    assert report(client, offer, "").status_code == 302
    assert report(client, offer, "").status_code == 429
    RateLimit.objects.update(window_start=timezone.now() - timedelta(seconds=settings.REPORT_RATE_WINDOW_SECONDS + 1))
    call_command("purge_reports", stdout=StringIO())
    assert not RateLimit.objects.exists()
    assert report(client, offer, "").status_code == 302


def test_a_report_does_not_empty_the_page_cache(client, settings):
    offer = make_offer()
    before = page_cache.current_version()
    report(client, offer, "")
    assert page_cache.current_version() == before


@pytest.mark.parametrize("value", ["-1", "many", "11"])
def test_a_wrong_proxy_count_refuses_to_start(value):
    result = run_manage("check", DJANGO_TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT" in result.stderr
