"""Hostile input against every public URL: never a 5xx, never the input reflected as markup.

Hypothesis generates query strings, path segments, header values and form posts: very
long, null bytes, control characters, mixed scripts, invalid percent-encoding, SQL and
HTML injection. Each test checks how many inputs it really sent; together they send
more than 2,000. Derandomized (the same inputs on every run) and bounded per input.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from directory.models import Category, Language, Offer, TargetGroup, Town

from .conftest import make_location, make_offer

MARK = "hostile7"

# Would become markup (a tag, an attribute, a script link) if reflected unescaped.
MARKUP_INJECTIONS = [
    f"<{MARK}>",
    f'"><{MARK} {MARK}attr=1>',
    f"'><{MARK}>",
    f"' {MARK}attr='1",
    f'" {MARK}attr="1',
    f"<img src=x {MARK}attr=1 onerror=alert(1)>",
    f"<script>{MARK}()</script>",
    f"</textarea></title></style><{MARK}>",
    f"<!--><{MARK}>-->",
    f"<svg><{MARK}/></svg>",
    "\x00<\x00" + MARK + ">",
    "javascript:alert(1)",
]
OTHER_INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE directory_offer; --",
    "1' UNION SELECT password FROM auth_user --",
    "%' OR 1=1 --",
    "\\'; SELECT pg_sleep(10); --",
    "\x00",
    f"\r\nX-{MARK}: 1",
    f"%0d%0aX-{MARK}:%201",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "\u202egnp.exe",
    "\ufeff\u200b\u200f\u200e",
    "𝕳𝖔𝖘𝖙𝖎𝖑𝖊",
    "😀👩‍👧‍👦",
    "İıŞşĞğ ß ẞ",
    "العربية فارسی",
    "Українська мова",
    "中文 日本語",
    "-1",
    "0",
    "²",
    "①",
    "١٢٣",
    "۳",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "[]",
    "{}",
]
INJECTIONS = MARKUP_INJECTIONS + OTHER_INJECTIONS
INVALID_PERCENT = ["%", "%%", "%zz", "%E2%82", "%C0%AF", "%ff%fe", "%u0041", "%2", "%%32%65", "%00", "%0a%0d"]
SCRIPTS = "aäöüßçğıİşАБВгдєїاعربيفارسیپچژگęłńăîșțбгд中文😀²①١۳0123\u200f\u200e\u202e\u0301\u0654"

mixed_scripts = st.text(alphabet=st.sampled_from(SCRIPTS), max_size=40)
control_characters = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=20)
# Longer than any form field or filter value, up to what a proxy lets through (nginx: 8 KB per line).
very_long = st.builds(
    lambda char, n: char * n, st.sampled_from(["a", "ä", "ع", "%", "<", "'", "😀", "0", " "]), st.integers(300, 3000)
)
hostile_text = st.one_of(
    st.sampled_from(MARKUP_INJECTIONS),
    st.builds(
        lambda before, injection, after: before + injection + after,
        mixed_scripts, st.sampled_from(INJECTIONS), st.text(max_size=10),
    ),
    st.sampled_from(OTHER_INJECTIONS),
    st.text(max_size=60),
    control_characters,
    mixed_scripts,
    very_long,
)

# The filters and the pagination the public listings understand, plus anything else.
QUERY_KEYS = ["q", "kategorie", "sprache", "ort", "zielgruppe", "format", "kostenlos", "seite", "page", "sortierung"]
query_key = st.one_of(st.sampled_from(QUERY_KEYS), hostile_text)
encoded_query = st.lists(st.tuples(query_key, hostile_text), max_size=6).map(lambda pairs: urlencode(pairs, doseq=False))
raw_query = st.lists(
    st.builds(
        lambda key, value: f"{key}={value}",
        st.sampled_from(QUERY_KEYS), st.one_of(st.sampled_from(INVALID_PERCENT + INJECTIONS), mixed_scripts),
    ),
    min_size=1,
    max_size=6,
).map("&".join)
# The same value in every filter at once, so each input reaches every place it might show up.
every_filter = hostile_text.map(lambda value: urlencode([(key, value) for key in QUERY_KEYS]))
query_string = st.one_of(
    every_filter, encoded_query, raw_query, st.sampled_from(["&&&", "=", "q", "q=&q=&q=", "q[]=1&q[x]=2", ";;"])
)

path_segment = st.one_of(
    hostile_text.filter(bool).map(lambda text: quote(text, safe="")),
    st.sampled_from(INVALID_PERCENT),
    st.builds(lambda text, bad: quote(text, safe="") + bad, mixed_scripts, st.sampled_from(INVALID_PERCENT)),
)

HEADERS = [
    "User-Agent", "Accept", "Accept-Language", "Accept-Encoding", "Referer", "Cookie", "X-Forwarded-For",
    "X-Forwarded-Proto", "X-Forwarded-Host", "If-None-Match", "If-Modified-Since", "Range", "Host", "Content-Type",
]

PER_INPUT = timedelta(seconds=5)  # a single slow input (runaway regex, huge query) fails the test


def fuzz_settings(examples):
    return hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=PER_INPUT,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def as_wsgi(text):
    """What a WSGI server hands Django for these characters: UTF-8 bytes read as latin-1."""
    return text.encode("utf-8").decode("iso-8859-1")


# How to fill in each public route's arguments. Every route of the directory app must be
# here (test_every_public_route_is_fuzzed fails when a new one is missing); routes listed
# here that the site does not have are left out.
ROUTE_ARGUMENTS = {
    "home": lambda site: {},
    "category-detail": lambda site: {"slug": site.category.slug},
    "offer-detail": lambda site: {"slug": site.offer.slug},
    "offer-list": lambda site: {},
    "offer-report": lambda site: {"slug": site.offer.slug},
    "offer-report-thanks": lambda site: {"slug": site.offer.slug},
    "review": lambda site: {"token": "abc123"},
    "offer-qr-svg": lambda site: {"slug": site.offer.slug},
    "offer-qr-png": lambda site: {"slug": site.offer.slug},
    "offer-contact-vcard": lambda site: {"slug": site.offer.slug, "contact": site.contact.uuid},
    "category-qr-svg": lambda site: {"slug": site.category.slug},
    "category-qr-png": lambda site: {"slug": site.category.slug},
    "category-flyer": lambda site: {"slug": site.category.slug},
    "offer-list-flyer": lambda site: {},
    "offer-flyer": lambda site: {"slug": site.offer.slug},
    "offer-card": lambda site: {"slug": site.offer.slug},
    "places": lambda site: {},
    "offline-not-saved": lambda site: {},
    "offline-bundle": lambda site: {},
    "offline-info": lambda site: {},
    "category-embed": lambda site: {"slug": site.category.slug},
    "category-feed": lambda site: {"slug": site.category.slug},
    "partners": lambda site: {},
    "feed": lambda site: {},
    "export-offers-csv": lambda site: {},
    "hsds-root": lambda site: {},
    "hsds-services": lambda site: {},
    "hsds-service": lambda site: {"id": str(site.offer.uuid)},
    "hsds-organizations": lambda site: {},
    "hsds-organization": lambda site: {"id": str(site.organization.uuid)},
    "hsds-taxonomies": lambda site: {},
    "hsds-taxonomy": lambda site: {"id": site.api_id("taxonomies")},
    "hsds-taxonomy_terms": lambda site: {},
    "hsds-taxonomy_term": lambda site: {"id": site.api_id("taxonomy_terms")},
    "hsds-service_at_locations": lambda site: {},
    "hsds-service_at_location": lambda site: {"id": site.api_id("service_at_locations")},
    "impressum": lambda site: {},
    "datenschutz": lambda site: {},
    "barrierefreiheit": lambda site: {},
}
# Routes whose last argument is a free-form segment worth replacing by hostile text.
SEGMENT_ROUTES = {
    "category-detail": "slug", "offer-detail": "slug", "offer-report": "slug", "review": "token",
    "category-flyer": "slug", "offer-flyer": "slug",
    "category-embed": "slug", "category-qr-png": "slug", "offer-contact-vcard": "contact",
    "hsds-service": "id", "hsds-taxonomy_term": "id",
}
# Site-wide files outside the directory app.
EXTRA_PATHS = ["/sitemap.xml", "/robots.txt"]
FUZZED_LANGUAGES = ["de", "ar", "uk"]


def directory_route_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace == "directory" and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def resolves(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@pytest.fixture
def site(db):
    call_command("load_demo", reference_only=True, verbosity=0)
    category = Category.objects.get(slug="kita-schule")
    location = make_location(town=Town.objects.first())
    offer = make_offer(
        slug="elterncafe-seesen",
        title="Elterncafé Seesen",
        categories=[category],
        languages=Language.objects.all()[:3],
        target_groups=TargetGroup.objects.all()[:2],
        locations=[location],
        contacts=[{"name": "Frau Yılmaz", "phone": "05381 12345", "email": "yilmaz@example.org"}],
    )
    make_offer(categories=[category], format_phone=True, is_free=False, cost_note="5 € pro Treffen")
    site = SimpleNamespace(category=category, offer=offer, contact=offer.contacts.get(), organization=offer.organization)
    api = Client()
    site.api_id = lambda listing: api.get(f"/api/hsds/{listing}").json()["contents"][0]["id"]
    site.names = set(ROUTE_ARGUMENTS) & directory_route_names()
    site.routes = [(path, path) for path in EXTRA_PATHS if resolves(path)]
    for name in sorted(site.names):
        arguments = ROUTE_ARGUMENTS[name]
        for language in FUZZED_LANGUAGES:
            with translation.override(language):
                site.routes.append((name, reverse(f"directory:{name}", kwargs=arguments(site))))
    site.offer_count = Offer.objects.count()
    return site


class MarkupCollector(HTMLParser):
    """Collects what a browser would make of the page: tags, attributes, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.link_targets = set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name in ("href", "src", "action", "formaction") and value:
                self.link_targets.append(value)

    handle_startendtag = handle_starttag


def assert_handled_safely(response, described):
    assert response.status_code < 500, f"{response.status_code} for {described!r}"
    assert not any(MARK in name.lower() for name in response.headers), f"header injected by {described!r}"
    if "text/html" not in response.headers.get("Content-Type", ""):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    page = content.decode("utf-8", "replace")
    assert "Traceback" not in page, described
    assert settings.SECRET_KEY not in page, described
    markup = MarkupCollector()
    markup.feed(page)
    assert MARK not in markup.tags, f"input reflected as a tag: {described!r}"
    assert f"{MARK}attr" not in markup.attributes, f"input reflected as an attribute: {described!r}"
    for target in markup.link_targets:
        assert not re.match(r"\s*javascript:", target, re.IGNORECASE), f"javascript: link from {described!r}"


def run_and_count(test, examples):
    """Run a @given test body and return how many inputs it really sent."""
    sent = []
    fuzz_settings(examples)(test)(sent)
    return len(sent)


QUERY_EXAMPLES = 700
SEGMENT_EXAMPLES = 450
HEADER_EXAMPLES = 450
FORM_EXAMPLES = 450


def test_hostile_query_strings_on_every_public_page(client, site):
    hit = set()

    @given(route=st.sampled_from(site.routes), query=query_string)
    def send(sent, route, query):
        name, path = route
        response = client.get(path, QUERY_STRING=as_wsgi(query))
        assert_handled_safely(response, f"{path}?{query}")
        sent.append(1)
        hit.add(name)

    assert run_and_count(send, QUERY_EXAMPLES) >= QUERY_EXAMPLES
    assert hit == {name for name, _path in site.routes}
    assert Offer.objects.count() == site.offer_count


def test_hostile_path_segments(client, site):
    routes = sorted(set(SEGMENT_ROUTES) & site.names) + ["impressum", "home"]

    @given(name=st.sampled_from(routes), language=st.sampled_from(FUZZED_LANGUAGES), segment=path_segment)
    def send(sent, name, language, segment):
        if name in SEGMENT_ROUTES:
            # The real argument's place in the address gets the hostile segment instead.
            arguments = ROUTE_ARGUMENTS[name](site)
            with translation.override(language):
                before, _real, after = reverse(f"directory:{name}", kwargs=arguments).rpartition(
                    str(arguments[SEGMENT_ROUTES[name]])
                )
            path = before + segment + after
        else:
            with translation.override(language):
                path = reverse(f"directory:{name}") + segment + "/"
        response = client.get(path)
        assert_handled_safely(response, path)
        sent.append(1)

    assert run_and_count(send, SEGMENT_EXAMPLES) >= SEGMENT_EXAMPLES


def test_hostile_header_values(client, site):
    @given(route=st.sampled_from(site.routes), header=st.sampled_from(HEADERS), value=hostile_text)
    def send(sent, route, header, value):
        _name, path = route
        response = client.get(path, headers={header: as_wsgi(value)})
        assert_handled_safely(response, f"{header}: {value}")
        sent.append(1)

    assert run_and_count(send, HEADER_EXAMPLES) >= HEADER_EXAMPLES


form_field = st.one_of(st.sampled_from(["message", "contact", "homepage", "q", "csrfmiddlewaretoken"]), hostile_text)
REPORT_FIELDS = ["message", "contact", "homepage"]
form_data = st.one_of(
    hostile_text.map(lambda value: dict.fromkeys(REPORT_FIELDS, value)),
    hostile_text.map(lambda value: {"message": value, "contact": "", "homepage": ""}),
    st.dictionaries(form_field, hostile_text, max_size=5),
)
raw_form_body = st.lists(
    st.builds(
        lambda key, value: f"{key}={value}",
        form_field.map(lambda key: quote(key, safe="")), st.sampled_from(INVALID_PERCENT + INJECTIONS),
    ),
    max_size=5,
).map("&".join)


def test_hostile_form_posts(client, site):
    # The report form is the one public form: about half of all posts go there.
    reports = [path for name, path in site.routes if name == "offer-report"]
    targets = [path for _name, path in site.routes] + reports * (len(site.routes) // max(len(reports), 1))

    @given(path=st.sampled_from(targets), data=form_data, raw=raw_form_body, use_raw=st.booleans())
    def send(sent, path, data, raw, use_raw):
        if use_raw:
            body = raw.encode("utf-8")
            response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
        else:
            response = client.post(path, data=data)
        assert_handled_safely(response, f"POST {path} {raw if use_raw else data!r}")
        sent.append(1)

    assert run_and_count(send, FORM_EXAMPLES) >= FORM_EXAMPLES
    assert Offer.objects.count() == site.offer_count


def test_every_public_route_is_fuzzed():
    assert directory_route_names() <= set(ROUTE_ARGUMENTS), "add the new routes to ROUTE_ARGUMENTS"
