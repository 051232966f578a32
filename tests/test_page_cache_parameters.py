"""The page cache serves the site, not an attacker: only the parameters a page understands count,
and only real content changes empty it."""

import pytest
from django.test import Client
from django.urls import reverse
from django_filters import CharFilter

from directory import cache as page_cache
from directory.filters import OfferFilter
from directory.models import Offer
from directory.query import understood_parameters
from directory.views import OfferListView

from .conftest import make_category, make_language, make_offer
from .test_hostile_input import site  # noqa: F401  (every public route, filled in)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def listing(db):
    category = make_category(name="Kita und Schule", slug="kita-schule")
    arabic = make_language("ar", "Arabisch", "العربية")
    offer = make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe", categories=[category], languages=[arabic])
    return category, offer


def rename_behind_the_caches_back(offer, title):
    """A change the page cache does not hear of: a page still showing the old title came from the cache."""
    Offer.objects.filter(pk=offer.pk).update(title_de=title)


def test_unknown_and_tracking_parameters_share_the_cached_page(client, page_cache_on, listing):
    category, offer = listing
    url = category.get_absolute_url()
    assert "Hausaufgabenhilfe" in client.get(url).content.decode()
    rename_behind_the_caches_back(offer, "Neu gerendert")
    for query in ["?utm_source=newsletter&utm_medium=email", "?r=1", "?r=2&fbclid=abc", "?x=%00", "?" + "a=1&" * 50]:
        page = client.get(url + query).content.decode()
        assert "Hausaufgabenhilfe" in page and "Neu gerendert" not in page, query


def test_parameters_the_page_understands_get_their_own_entry(client, page_cache_on, listing, search_vocabulary):
    """The search finds "Hausaufgaben" in "Hausaufgabenhilfe" through the vocabulary (an earlier test may have emptied it)."""
    category, offer = listing
    url = category.get_absolute_url()
    client.get(url)
    rename_behind_the_caches_back(offer, "Neu gerendert")
    for query in ["?sprache=ar", "?q=Hausaufgaben", "?kostenlos=1", "?sprache=ar&utm_source=x"]:
        assert "Neu gerendert" in client.get(url + query).content.decode(), query


def test_random_values_of_known_parameters_share_one_cached_page(client, page_cache_on, listing):
    category, offer = listing
    url = category.get_absolute_url()
    first = client.get(url + "?sprache=qq").content.decode()
    assert "nicht berücksichtigt: Sprache" in first and "qq" not in first
    rename_behind_the_caches_back(offer, "Neu gerendert")
    for query in ["?sprache=zz1", "?sprache=%20xyz123%20", "?sprache=qq&sprache=x&utm_source=y"]:
        assert client.get(url + query).content.decode() == first, query
    # Another ignored filter is named differently: its own entry.
    other = client.get(url + "?ort=atlantis").content.decode()
    assert "Neu gerendert" in other and "nicht berücksichtigt: Ort" in other and "atlantis" not in other


def test_page_numbers_and_values_the_page_ignores_share_its_entry(client, page_cache_on, listing):
    category, offer = listing
    url = category.get_absolute_url()
    bare = client.get(url).content.decode()
    rename_behind_the_caches_back(offer, "Neu gerendert")
    # One offer: every page number shows the only page; a category page ignores `kategorie`.
    for query in ["?page=1", "?page=-3", "?page=abc", "?kategorie=xyz123", "?kostenlos=nein"]:
        assert client.get(url + query).content.decode() == bare, query
    # Past the end: the only page with the note that the asked page does not exist, one entry for all.
    beyond = client.get(url + "?page=83741").content.decode()
    assert "Diese Seite gibt es in der Liste nicht" in beyond
    rename_behind_the_caches_back(offer, "Noch einmal neu")
    assert client.get(url + "?page=99999999999999999999999").content.decode() == beyond
    rename_behind_the_caches_back(offer, "Neu gerendert")
    assert "Neu gerendert" in client.get(url + "?kostenlos=ja").content.decode()


def test_page_numbers_beyond_the_last_page_show_the_last_page_from_one_entry(client, page_cache_on, listing):
    category, _offer = listing
    for n in range(45):
        make_offer(title=f"Angebot {n:02}", categories=[category])
    url = reverse("directory:offer-list")
    last = client.get(url + "?page=3").content.decode()
    assert "Seite 3 von 3" in last
    # Past the end: the last page, with the note, from one entry whatever the number.
    beyond = client.get(url + "?page=4").content.decode()
    assert "Seite 3 von 3" in beyond and "Diese Seite gibt es in der Liste nicht" in beyond
    assert "Diese Seite gibt es in der Liste nicht" not in last
    assert client.get(url + "?page=83741").content.decode() == beyond
    # Below 1: the first page, as without a number.
    assert client.get(url + "?page=0").content.decode() == client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert "Seite 2 von 3" in second


def test_order_of_parameters_does_not_multiply_entries(client, page_cache_on, listing):
    category, offer = listing
    url = reverse("directory:offer-list")
    client.get(f"{url}?sprache=ar&q=Hausaufgaben")
    rename_behind_the_caches_back(offer, "Neu gerendert")
    assert "Neu gerendert" not in client.get(f"{url}?q=Hausaufgaben&utm_campaign=x&sprache=ar").content.decode()


def test_a_cached_page_never_carries_another_visitors_unknown_parameters(client, page_cache_on, listing):
    category, _offer = listing
    url = category.get_absolute_url()
    first = client.get(f"{url}?sprache=ar&werbung=ruf-0900-an").content.decode()
    second = client.get(f"{url}?sprache=ar").content.decode()
    for page in (first, second):
        assert "werbung" not in page and "0900" not in page
        assert f'href="/en{url}?sprache=ar"' in page  # the language links keep the real filter


def test_every_listing_filter_is_part_of_the_key_automatically():
    class WiderFilter(OfferFilter):
        nahe = CharFilter(method="filter_search")
        heute_offen = CharFilter(method="filter_search")

    class WiderListView(OfferListView):
        filterset_class = WiderFilter
        extra_query_parameters = ("sprache2",)

    understood = understood_parameters(WiderListView.as_view())
    expected = {"q", "kategorie", "sprache", "ort", "zielgruppe", "format", "kostenlos", "page", "nahe", "heute_offen"}
    assert expected | {"sprache2"} <= understood
    assert not any(name.startswith("utm_") for name in understood)
    assert understood_parameters(OfferListView.as_view()) == frozenset(OfferFilter.base_filters) | {"page", "nahe", "archiviert"}


# --- Every public page says what it reads, and reads nothing else --------------------------

# Open data whose endpoints read many parameters each; keyed by their whole query string.
UNDECLARED = {"export-offers-csv"}


def reading_recorder(read):
    """Middleware that replaces request.GET by a QueryDict that notes every name the view asks for."""
    from django.http import QueryDict

    class Recording(QueryDict):
        recording = False  # building the dict asks for its own keys

        def __init__(self, query_string):
            super().__init__(query_string)
            self.recording = True

        def _note(self, key):
            if self.recording:
                read.add(key)

        def __getitem__(self, key):
            self._note(key)
            return super().__getitem__(key)

        def get(self, key, default=None):
            self._note(key)
            return super().get(key, default)

        def getlist(self, key, default=None):
            self._note(key)
            return super().getlist(key, default)

        def __contains__(self, key):
            self._note(key)
            return super().__contains__(key)

        def _everything(self):
            self._note("*")

        def lists(self):
            self._everything()
            return super().lists()

        def items(self):
            self._everything()
            return super().items()

        def urlencode(self, safe=None):
            self._everything()
            return super().urlencode(safe)

        def __iter__(self):
            self._everything()
            return super().__iter__()

    def middleware(get_response):
        def handle(request):
            request.GET = Recording(request.META.get("QUERY_STRING", ""))
            return get_response(request)

        return handle

    return middleware


def test_every_public_page_reads_only_the_parameters_it_declares(site, settings, monkeypatch):  # noqa: F811
    import sys
    from types import ModuleType

    from django.urls import resolve
    from django.utils import translation

    read = set()
    module = ModuleType("recording_middleware")
    module.Recorder = reading_recorder(read)
    monkeypatch.setitem(sys.modules, "recording_middleware", module)
    settings.MIDDLEWARE = ["recording_middleware.Recorder", *settings.MIDDLEWARE]
    client = Client()
    problems = []
    for name, path in site.routes:
        if str(name).startswith("hsds-") or name in UNDECLARED or not str(name).isidentifier() and "/" in str(name):
            continue
        with translation.override(translation.get_language_from_path(path) or "de"):
            understood = understood_parameters(resolve(path).func)
        if understood is None:
            problems.append(f"{name}: declares no query parameters (directory.query.query_parameters)")
            continue
        read.clear()
        client.get(path + "?sprache=ar&q=x&page=2&unbekannt=1&sprache2=en")
        if read - understood:
            problems.append(f"{name} ({path}) reads {sorted(read - understood)} but declares {sorted(understood)}")
    assert not problems, "\n".join(problems)


# --- Only real content changes invalidate --------------------------------------------------


def test_failed_logins_and_empty_admin_posts_keep_the_page_cache(client, coordinator, listing):
    before = page_cache.current_version()
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "alice", "password": "falsch"}, REMOTE_ADDR="203.0.113.5")
        client.post(reverse("admin:login"), {"username": "niemand", "password": "x"}, REMOTE_ADDR="203.0.113.5")
    admin = Client()
    admin.force_login(coordinator)
    admin.post(reverse("admin:directory_offer_changelist"), {"action": "", "index": "0"})
    admin.post(reverse("admin:password_change"), {"old_password": "falsch"})
    admin.post(reverse("admin:logout"))
    assert page_cache.current_version() == before


def test_a_real_change_in_the_admin_invalidates(client, coordinator, listing):
    _category, offer = listing
    before = page_cache.current_version()
    admin = Client()
    admin.force_login(coordinator)
    admin.post(reverse("admin:directory_offer_changelist"), {"action": "unpublish", "_selected_action": [offer.pk]})
    assert page_cache.current_version() > before


def test_pages_in_other_languages_keep_their_filters_apart(client, page_cache_on, listing):
    category, offer = listing
    url = "/ar" + category.get_absolute_url()
    client.get(url)
    rename_behind_the_caches_back(offer, "Neu gerendert")
    assert "Neu gerendert" in client.get(url + "?sprache=ar").content.decode()
    assert "Neu gerendert" not in client.get(url + "?utm_source=x").content.decode()
