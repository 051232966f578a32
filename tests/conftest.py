"""Shared setup: small factories and the people who use the admin."""

import itertools

import pytest
from django.conf import settings as django_settings

from directory.models import Category, Contact, Language, Location, Offer, Organization, TargetGroup, Town

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
def empty_cache_and_german():
    """Every test starts with an empty cache (the database is rolled back, cached pages would
    not be) and German active (a request to /en/… leaves English active in the thread)."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(django_settings.LANGUAGE_CODE)


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


@pytest.fixture
def demo_data(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
