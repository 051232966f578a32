"""Shared setup: small factories and the people who use the admin."""

import itertools
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings as django_settings

from directory.models import (
    Category,
    Contact,
    Language,
    Location,
    Offer,
    Organization,
    SearchConcept,
    SearchWord,
    TargetGroup,
    Town,
)
from directory.vocabulary import load_starter_vocabulary

_sequence = itertools.count(1)


def pytest_configure(config):
    # Fast hashing and plain static storage keep the suite quick.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests see live renders; tests/test_caching.py switches the page cache on.
    django_settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the database is rolled back, cached pages would not be."""
    from django.core.cache import cache

    from directory.cache import forget_version
    from netzwerk.cache_backends import forget_outages
    from netzwerk.db import outage

    cache.clear()
    forget_version()
    # What a worker keeps per content version: each test rolls the database back, so the next
    # one can reach the same version number with other rows.
    from directory import cache as page_cache
    from directory import filters, search_index

    search_index._current.update(index=None, local=None)
    page_cache._kept.clear()
    filters._accepted.update(key=None, values=None)
    # Outages seen by an earlier test (fault tests) must not make this one fail fast.
    outage.forget()
    forget_outages()


def make_organization(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Träger {n}")
    fields.setdefault("slug", f"traeger-{n}")
    return Organization.objects.create(**fields)


def make_category(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Kategorie {n}")
    fields.setdefault("slug", f"kategorie-{n}")
    return Category.objects.create(**fields)


def make_language(code, name, endonym=None, **fields):
    return Language.objects.create(code=code, name=name, endonym=endonym or name, **fields)


def make_town(name="Seesen", **fields):
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Town.objects.create(name=name, **fields)


def make_target_group(name="Eltern", **fields):
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return TargetGroup.objects.create(name=name, **fields)


def make_location(town=None, organization=None, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Beratungsstelle {n}")
    fields.setdefault("street", f"Marktstraße {n}")
    fields.setdefault("postal_code", "38723")
    return Location.objects.create(
        town=town or make_town(f"Ort {n}", slug=f"ort-{n}"),
        organization=organization or make_organization(),
        **fields,
    )


def make_offer(categories=(), languages=(), locations=(), target_groups=(), contacts=(), **fields):
    n = next(_sequence)
    fields.setdefault("title", f"Angebot {n}")
    fields.setdefault("slug", f"angebot-{n}")
    fields.setdefault("summary", "Wir helfen Eltern.")
    fields.setdefault("status", Offer.Status.PUBLISHED)
    # The typical offer of the district (the model itself starts with every box unticked).
    for name in ("is_free", "appointment_needed"):
        fields.setdefault(name, True)
    fields.setdefault("format_in_person", bool(locations))
    if "organization" not in fields:
        fields["organization"] = make_organization()
    offer = Offer.objects.create(**fields)
    offer.categories.set(categories)
    offer.languages.set(languages)
    offer.locations.set(locations)
    offer.target_groups.set(target_groups)
    for contact in contacts:
        Contact.objects.create(offer=offer, **contact)
    offer.refresh_from_db()
    return offer


@pytest.fixture(autouse=True)
def german_by_default():
    """Each test starts in German: a request under /en/ leaves English active in the thread,
    and factories would then fill the English fields instead of the German source."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.activate("de")


@pytest.fixture
def site_url(settings):
    """An absolute public address and a data licence, as partners' links and exports use them."""
    settings.SITE_URL = "https://wegweiser.example.org"
    settings.DATA_LICENSE = "CC BY 4.0"
    settings.DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.de"


@pytest.fixture
def coordinator(django_user_model):
    """The network's coordinator: full access to the admin."""
    return django_user_model.objects.create_user(
        "alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def outsider(django_user_model):
    """A logged-in user without any admin rights."""
    return django_user_model.objects.create_user("charlie", "charlie@example.org", "charlie-password-123")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """`load_demo` runs once per session: the rows it adds, model by model, to be copied into
    each test's database (copying them costs a few queries instead of load_demo's thousands)."""
    from django.apps import apps
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import translation

    models = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy]
    with django_db_blocker.unblock(), translation.override("de"), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        call_command("load_demo", verbosity=0)
        rows = []
        for model in models:
            added = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
            if added:
                rows.append((model, added))
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def demo_data(db, demo_rows):
    """The demo data (fixtures/demo.json through `load_demo`), as the command leaves it."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from directory.cache import invalidate

    with transaction.atomic():
        for model, added in demo_rows:
            # Rows the database already has (made by migrations) are the same ones: skipped.
            model._base_manager.bulk_create(added, ignore_conflicts=True)
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _added in demo_rows])
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        # A browser test before this one emptied the database, also of what the migrations loaded:
        # load_demo leaves the starter search vocabulary in place, so the demo data includes it
        # (loading it only adds what is missing).
        load_starter_vocabulary(SearchConcept, SearchWord, Language)
        invalidate()


@pytest.fixture
def district(db):
    """A small slice of the real district: categories, languages, towns and target groups."""
    from types import SimpleNamespace

    return SimpleNamespace(
        kita=make_category(name="Kita & Schule", slug="kita-schule", icon=Category.Icon.SCHOOL, position=1),
        language_help=make_category(
            name="Sprachmittlung & Dolmetschen", slug="sprachmittlung", icon=Category.Icon.LANGUAGE, position=2
        ),
        career=make_category(name="Ausbildung & Beruf", slug="ausbildung-beruf", icon=Category.Icon.BRIEFCASE, position=3),
        arabic=make_language("ar", "Arabisch", "العربية", direction="rtl", position=1),
        turkish=make_language("tr", "Türkisch", "Türkçe", position=2),
        ukrainian=make_language("uk", "Ukrainisch", "Українська", position=3),
        goslar=make_town("Goslar", aliases="Oker, Vienenburg, Hahnenklee", position=1),
        seesen=make_town("Seesen", position=2),
        parents=make_target_group("Eltern", position=1),
        school_age=make_target_group("Grundschule", position=2),
    )


@pytest.fixture
def partner_organization(db):
    return make_organization(name="Familienzentrum Seesen", slug="familienzentrum-seesen")


@pytest.fixture
def partner(django_user_model, partner_organization):
    """Bob, a partner editor: keeps only his organization's entries."""
    from django.contrib.auth.models import Group

    from directory.models import PartnerProfile

    user = django_user_model.objects.create_user("bob", "bob@example.org", "bob-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Partner-Redaktion"))
    PartnerProfile.objects.create(user=user, organization=partner_organization)
    return user


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


def inline_management(prefix, total=0, initial=0):
    """The management form of an admin inline that the test leaves as it is."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def offer_form_data(offer, **changes):
    """The admin change form of an offer as submitted unchanged (plus `changes`), contacts included."""
    contacts = list(offer.contacts.all())
    data = {
        "title_de": offer.title_de, "slug": offer.slug, "summary_de": offer.summary_de,
        "description_de": offer.description_de or "", "how_to_get_help_de": offer.how_to_get_help_de or "",
        "organization": offer.organization_id, "status": offer.status,
        "categories": [c.pk for c in offer.categories.all()], "languages": [x.pk for x in offer.languages.all()],
        "target_groups": [t.pk for t in offer.target_groups.all()], "locations": [x.pk for x in offer.locations.all()],
        "website": offer.website, "cost_note_de": offer.cost_note_de or "",
        "valid_from": offer.valid_from or "", "valid_until": offer.valid_until or "",
        "last_reviewed": offer.last_reviewed or "",
        "contacts-TOTAL_FORMS": str(len(contacts)), "contacts-INITIAL_FORMS": str(len(contacts)),
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        **inline_management("slots"), **inline_management("closures"),
    }
    for field in ("format_in_person", "format_phone", "format_video", "format_home_visit", "format_group",
                  "is_free", "appointment_needed", "anonymous_possible"):
        if getattr(offer, field):
            data[field] = "on"
    for i, contact in enumerate(contacts):
        data.update({
            f"contacts-{i}-id": contact.pk, f"contacts-{i}-offer": offer.pk, f"contacts-{i}-name": contact.name,
            f"contacts-{i}-phone": contact.phone, f"contacts-{i}-email": contact.email,
            f"contacts-{i}-hours": contact.hours, f"contacts-{i}-position": contact.position,
        })
    data.update(changes)
    return data


# --- Things outside Python the suite needs -------------------------------------------------

# CI sets this: a test that would be skipped for want of Redis or Chromium fails instead.
STRICT = os.environ.get("WEGWEISER_REQUIRE_ALL_TESTS", "") not in ("", "0")


def missing(what):
    """Skip the test with a visible reason, or fail it when every test is required (CI)."""
    if STRICT:
        pytest.fail(f"{what} (WEGWEISER_REQUIRE_ALL_TESTS is set, so this is not skipped)", pytrace=False)
    pytest.skip(what)


def _redis_answers(host, port, timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis for the tests that need one, in this order: TEST_REDIS_URL; a private
    `redis-server` on a free port (nothing shared is touched); one on 127.0.0.1:6379.
    Without any, those tests are skipped and say why."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
             "--dir", str(tmp_path_factory.mktemp("redis"))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and process.poll() is None:
                if _redis_answers("127.0.0.1", port, timeout=0.2):
                    yield f"redis://127.0.0.1:{port}/0"
                    return
                time.sleep(0.05)
        finally:
            process.terminate()
            process.wait(timeout=10)
    if _redis_answers("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/15"
        return
    missing("no Redis: install redis-server (apt-get install redis-server), run one on 127.0.0.1:6379 "
            "or set TEST_REDIS_URL")


@pytest.fixture
def search_vocabulary(db):
    """The shipped search vocabulary; tests that empty the database also remove what its migration loaded."""
    load_starter_vocabulary(SearchConcept, SearchWord, Language)
