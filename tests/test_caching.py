"""HTTP caching: the cache setting, the anonymous page cache, conditional requests, static files."""

import os
import secrets
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Offer
from netzwerk.cache_backends import FailOpenRedisCache
from netzwerk.settings import parse_cache_url

from .conftest import make_category, make_offer


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    # Hits must not depend on how fast the machine is: the version is asked once an hour, unless a test says otherwise.
    settings.PAGE_CACHE_CHECK_SECONDS = 3600


@pytest.fixture
def category_with_offer(db):
    category = make_category(name="Kita und Schule", slug="kita-schule")
    offer = make_offer(title="Hausaufgabenhilfe im Familienzentrum", slug="hausaufgabenhilfe", categories=[category])
    return category, offer


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


# --- The cache setting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "wegweiser"),
        ("redis://127.0.0.1:6379/1", "netzwerk.cache_backends.FailOpenRedisCache", ["redis://127.0.0.1:6379/1"]),
        (
            "rediss://cache-1.example.org:6380/0,cache-2.example.org:6380/0",
            "netzwerk.cache_backends.FailOpenRedisCache",
            ["rediss://cache-1.example.org:6380/0", "rediss://cache-2.example.org:6380/0"],
        ),
        ("file:///var/cache/wegweiser", "django.core.cache.backends.filebased.FileBasedCache", "/var/cache/wegweiser"),
        ("db://wegweiser_cache", "django.core.cache.backends.db.DatabaseCache", "wegweiser_cache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)
def test_cache_url_selects_the_backend(url, backend, location):
    config = parse_cache_url(url)
    assert config["BACKEND"] == backend
    assert config.get("LOCATION") == location


@pytest.mark.parametrize("url", ["memcache://127.0.0.1", "redis://", "file://relative/dir", "127.0.0.1:6379"])
def test_cache_url_that_cannot_work_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        parse_cache_url(url)


def test_site_starts_with_a_shared_redis_cache(redis_url):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "CACHE_"))}
    environment.update(CACHE_URL=redis_url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                       DJANGO_ALLOWED_HOSTS="wegweiser.example.org")
    script = "from django.core.cache import caches; c = caches['default']; c.set('k', 'v', 5); "\
             "print(type(c).__name__, c.get('k'))"
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=settings.BASE_DIR,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "FailOpenRedisCache v"


def test_redis_cache_from_the_setting_stores_and_returns_values(redis_url):
    """Two app servers configured with the same CACHE_URL see each other's entries."""
    config = parse_cache_url(redis_url)
    params = {"KEY_PREFIX": f"test-{uuid.uuid4()}", "OPTIONS": config["OPTIONS"]}
    first, second = FailOpenRedisCache(config["LOCATION"], params), FailOpenRedisCache(config["LOCATION"], params)
    first.set("page", b"<html>", 30)
    assert second.get("page") == b"<html>"
    first.set("reports", 1, 30)
    assert second.incr("reports") == 2
    second.delete("page")
    assert first.get("page") is None


# --- The page cache ---------------------------------------------------------------------


def test_repeated_anonymous_request_is_served_from_the_cache(client, page_cache, category_with_offer):
    category, _offer = category_with_offer
    first, first_queries = queries_for(client, category.get_absolute_url())
    second, second_queries = queries_for(client, category.get_absolute_url())
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "Hausaufgabenhilfe" in second.content.decode()
    assert first_queries > 1
    assert second_queries == 0


def test_cached_page_asks_the_database_for_changes_when_told_to(client, page_cache, settings, category_with_offer):
    settings.PAGE_CACHE_CHECK_SECONDS = 0
    category, _offer = category_with_offer
    client.get(category.get_absolute_url())
    _response, queries = queries_for(client, category.get_absolute_url())
    assert queries == 1  # only the content version


def test_change_saved_by_another_worker_shows_within_the_check_interval(client, page_cache, category_with_offer,
                                                                        monkeypatch):
    import time

    from directory.models import ContentVersion, Offer

    category, offer = category_with_offer
    page = category.get_absolute_url()
    assert offer.title in client.get(page).content.decode()
    # Another process saves: the rows and the version change, this process is not told.
    Offer.objects.filter(pk=offer.pk).update(title_de="Lernhilfe am Samstag")
    ContentVersion.objects.update_or_create(pk=1, defaults={"value": 99})
    assert offer.title in client.get(page).content.decode()  # within the interval: the cached page

    later = time.monotonic() + settings.PAGE_CACHE_CHECK_SECONDS
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert "Lernhilfe am Samstag" in client.get(page).content.decode()


def test_query_string_and_language_prefix_get_their_own_entries(client, page_cache, category_with_offer):
    category, _offer = category_with_offer
    german = client.get(category.get_absolute_url())
    english = client.get("/en" + category.get_absolute_url())
    assert german.headers["Content-Language"] == "de"
    assert english.headers["Content-Language"] == "en"
    _response, queries = queries_for(client, category.get_absolute_url() + "?q=hausaufgaben")
    assert queries > 1
    assert german.content != english.content


@pytest.mark.parametrize("model_name", ["offer", "category"])
def test_admin_edit_is_visible_on_the_next_anonymous_request(client, coordinator, page_cache, category_with_offer,
                                                             model_name):
    category, offer = category_with_offer
    obj = {"offer": offer, "category": category}[model_name]
    page = category.get_absolute_url()
    assert str(obj) in client.get(page).content.decode()
    client.get(page)  # now cached

    from django.test import Client

    admin = Client()
    admin.force_login(coordinator)
    change_url = reverse(f"admin:directory_{model_name}_change", args=[obj.pk])
    data = admin_form_data(admin.get(change_url))
    field = "title_de" if model_name == "offer" else "name_de"
    data[field] = "Neu: Lernhilfe am Nachmittag"
    response = admin.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    assert "Neu: Lernhilfe am Nachmittag" in client.get(page).content.decode()


def test_admin_delete_removes_the_offer_from_the_cached_page(client, coordinator, page_cache, category_with_offer):
    category, offer = category_with_offer
    page = category.get_absolute_url()
    assert offer.title in client.get(page).content.decode()

    from django.test import Client

    admin = Client()
    admin.force_login(coordinator)
    response = admin.post(reverse("admin:directory_offer_delete", args=[offer.pk]), {"post": "yes"})
    assert response.status_code == 302

    assert offer.title not in client.get(page).content.decode()


class RolledBack(Exception):
    pass


def test_rolled_back_change_leaves_the_cached_page_valid(client, page_cache, category_with_offer):
    category, offer = category_with_offer
    page = category.get_absolute_url()
    client.get(page)  # now cached
    with pytest.raises(RolledBack), transaction.atomic():
        offer.title_de = "Nie gespeichert"
        offer.save()
        # A request served inside the transaction (ATOMIC_REQUESTS, say) sees the change, keeps nothing.
        assert "Nie gespeichert" in client.get(page).content.decode()
        raise RolledBack
    response, queries = queries_for(client, page)
    assert "Hausaufgabenhilfe" in response.content.decode() and "Nie gespeichert" not in response.content.decode()
    assert queries <= 1  # still the cached page (at most the version is asked for)
    # The next committed change gets a version number the rolled-back one never handed out for keeps.
    make_offer(title="Elterncafé am Markt", categories=[category])
    shown = client.get(page).content.decode()
    assert "Elterncafé am Markt" in shown and "Nie gespeichert" not in shown


@pytest.mark.django_db(transaction=True)
def test_committed_change_invalidates_the_cached_page(client, page_cache):
    from directory.models import ContentVersion

    category = make_category(name="Kita und Schule", slug="kita-schule")
    offer = make_offer(title="Hausaufgabenhilfe im Familienzentrum", categories=[category])
    page = category.get_absolute_url()
    client.get(page)  # now cached
    before = ContentVersion.objects.get(pk=1).value
    with transaction.atomic():
        offer.title_de = "Lernhilfe am Samstag"
        offer.save()
        offer.categories.add(make_category(name="Familie", slug="familie"))
    assert ContentVersion.objects.get(pk=1).value > before  # committed together with the change
    shown = client.get(page).content.decode()
    assert "Lernhilfe am Samstag" in shown and "Hausaufgabenhilfe" not in shown
    # Nothing kept while the transaction was open is served now: a second request is the same page.
    assert client.get(page).content.decode() == shown


def test_search_inside_a_rolled_back_transaction_leaves_no_trace(client, category_with_offer, search_vocabulary):
    category, offer = category_with_offer
    assert offer in Offer.objects.search("hausaufgaben")
    with pytest.raises(RolledBack), transaction.atomic():
        offer.title_de = "Schachklub"
        offer.save()
        assert offer in Offer.objects.search("schachklub")
        raise RolledBack
    assert offer not in Offer.objects.search("schachklub")
    assert offer in Offer.objects.search("hausaufgaben")


def test_offer_starting_tomorrow_appears_tomorrow_without_a_save(client, page_cache, category_with_offer, monkeypatch):
    category, _offer = category_with_offer
    today = timezone.localdate()
    make_offer(title="Sommerferien-Sprachkurs", categories=[category], valid_from=today + timedelta(days=1))
    page = category.get_absolute_url()
    assert "Sommerferien-Sprachkurs" not in client.get(page).content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(days=1))
    assert "Sommerferien-Sprachkurs" in client.get(page).content.decode()


def test_deployment_migrate_drops_pages_rendered_by_the_old_code(client, page_cache, category_with_offer):
    category, _offer = category_with_offer
    client.get(category.get_absolute_url())
    call_command("migrate", verbosity=0)
    _response, queries = queries_for(client, category.get_absolute_url())
    assert queries > 1


def test_staff_always_see_live_pages(client, coordinator, page_cache, category_with_offer):
    category, _offer = category_with_offer
    client.force_login(coordinator)
    client.get(category.get_absolute_url())
    _response, queries = queries_for(client, category.get_absolute_url())
    assert queries > 1


def test_staff_visit_does_not_fill_the_cache_for_the_public(client, coordinator, page_cache, category_with_offer):
    from django.test import Client

    category, _offer = category_with_offer
    staff = Client()
    staff.force_login(coordinator)
    staff.get(category.get_absolute_url())
    _response, queries = queries_for(client, category.get_absolute_url())
    assert queries > 1


def test_not_found_is_not_cached(client, page_cache, category_with_offer):
    category, _offer = category_with_offer
    client.get("/kategorie/gibt-es-nicht/")
    make_category(name="Neu", slug="gibt-es-nicht")
    assert client.get("/kategorie/gibt-es-nicht/").status_code == 200


def test_response_that_sets_a_cookie_is_not_cached(rf, page_cache, db):
    from django.http import HttpResponse

    from directory.cache import PublicPageCacheMiddleware

    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("Formular")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = PublicPageCacheMiddleware(view)
    for _ in range(2):
        assert middleware(rf.get("/angebot/x/melden/")).cookies["csrftoken"].value == "abc"
    assert len(calls) == 2


# --- Conditional requests ---------------------------------------------------------------


@pytest.mark.parametrize("cached", [False, True], ids=["live", "cached"])
def test_unchanged_page_answers_304_to_a_conditional_request(client, settings, category_with_offer, cached):
    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    category, _offer = category_with_offer
    first = client.get(category.get_absolute_url())
    etag = first.headers["ETag"]
    again = client.get(category.get_absolute_url(), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_changed_page_answers_200_with_a_new_etag(client, page_cache, category_with_offer):
    category, offer = category_with_offer
    etag = client.get(category.get_absolute_url()).headers["ETag"]
    offer.title = "Hausaufgabenhilfe am Samstag"
    offer.save()
    response = client.get(category.get_absolute_url(), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag


# --- Static files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """A production build: hashed names, gzip and brotli files, as `collectstatic` makes them."""
    root = tmp_path_factory.mktemp("staticfiles")
    from django.test import override_settings

    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_hashed_static_files_are_cached_for_a_year_and_compressed(collected_static):
    from django.http import HttpResponseNotFound
    from whitenoise.middleware import WhiteNoiseMiddleware

    url = staticfiles_storage.url("js/sw-register.js")
    assert url != "/static/js/sw-register.js"  # hashed
    whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())
    response = whitenoise(RequestFactory().get(url, headers={"Accept-Encoding": "gzip, br"}))
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert response.headers["Content-Encoding"] in ("br", "gzip")


def admin_form_data(response):
    """The admin change form's current values, as a browser would send them back."""
    assert response.status_code == 200
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, (list, tuple)):
                data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
            else:
                data[bound.html_name] = str(getattr(value, "pk", value))

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


# --- Offline reading ------------------------------------------------------------------------


def test_service_worker_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]
    assert not response.cookies
    assert b'url.pathname.startsWith("/admin/")' in response.content


def test_pages_seen_with_a_session_are_marked_private(client, coordinator, category_with_offer):
    category, _offer = category_with_offer
    assert "private" not in client.get(category.get_absolute_url()).headers.get("Cache-Control", "")
    client.force_login(coordinator)
    assert "private" in client.get(category.get_absolute_url()).headers["Cache-Control"]


@pytest.mark.parametrize("cached", [False, True], ids=["live", "cached"])
def test_pages_go_out_compressed_and_still_answer_304(client, settings, category_with_offer, cached):
    import gzip

    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    category, _offer = category_with_offer
    client.get(category.get_absolute_url())
    response = client.get(category.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Hausaufgabenhilfe" in gzip.decompress(response.content)
    again = client.get(category.get_absolute_url(), headers={"Accept-Encoding": "gzip",
                                                             "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


# --- Opening status from the cache ---------------------------------------------------------


def test_cached_page_with_an_opening_status_expires_when_the_status_changes(
    client, page_cache, category_with_offer, monkeypatch
):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from directory.models import OpeningSlot

    category, offer = category_with_offer
    for day in range(5):
        OpeningSlot.objects.create(offer=offer, weekday=day, opens=time(8), closes=time(14))
    berlin = ZoneInfo("Europe/Berlin")
    clock = {"now": datetime(2026, 11, 30, 13, 50, tzinfo=berlin)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    page = category.get_absolute_url()

    assert "Jetzt geöffnet · bis 14:00" in client.get(page).content.decode()
    clock["now"] = datetime(2026, 11, 30, 13, 59, tzinfo=berlin)
    response, queries = queries_for(client, page)
    assert queries == 0 and "Jetzt geöffnet · bis 14:00" in response.content.decode()  # from the cache

    clock["now"] = datetime(2026, 11, 30, 14, 0, tzinfo=berlin)
    response, queries = queries_for(client, page)
    assert queries > 0  # rendered afresh: the cached copy said "open"
    assert "Öffnet morgen 8:00" in response.content.decode()
    clock["now"] = datetime(2026, 11, 30, 20, 0, tzinfo=berlin)
    response, queries = queries_for(client, page)
    assert queries == 0 and "Öffnet morgen 8:00" in response.content.decode()
