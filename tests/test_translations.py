"""Every parent reads the directory in their own language: complete catalogues, the
language switcher, the browser's suggestion, right-to-left pages, German fallbacks."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from directory.models import Language, Offer

from . import catalogue
from .conftest import make_location, make_offer

pytestmark = pytest.mark.django_db

INTERFACE = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


# --- Catalogues ----------------------------------------------------------------------------


def test_every_interface_language_has_a_catalogue():
    assert sorted(catalogue.catalogues()) == sorted(INTERFACE)


@pytest.mark.parametrize("language", INTERFACE)
def test_catalogue_is_complete_without_fuzzy_entries(language):
    entries = catalogue.read(catalogue.catalogues()[language])
    header, *messages = entries
    assert header.msgid == "" and "fuzzy" not in header.flags
    nplurals = int(re.search(r"nplurals=(\d+)", header.msgstr[0]).group(1))
    assert len(messages) > 150
    untranslated = [e.msgid for e in messages if not e.obsolete and not e.translated]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert untranslated == [], f"{language}: untranslated {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy}"
    for entry in messages:
        if entry.msgid_plural:
            assert sorted(entry.msgstr) == list(range(nplurals)), entry.msgid
            # A form used for one number only may spell the number out ("خدمتان").
            assert set(PLACEHOLDER.findall(entry.msgstr[nplurals - 1])) == set(PLACEHOLDER.findall(entry.msgid_plural))
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr[0])) == set(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_catalogues_pass_msgfmt_check():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is needed to build the catalogues (apt-get install gettext)"
    for path in catalogue.catalogues().values():
        result = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """New interface text fails the suite until `make catalogues` has run and it is translated."""
    root = catalogue.LOCALE.parent.parent
    for name in ("manage.py", "netzwerk", "directory", "templates"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v0"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "netzwerk.settings"},
    )
    assert result.returncode == 0, result.stderr
    in_code = {(e.msgctxt, e.msgid) for e in catalogue.read(tmp_path / "directory/locale/en/LC_MESSAGES/django.po")}
    for language, path in catalogue.catalogues().items():
        committed = {(e.msgctxt, e.msgid) for e in catalogue.read(path) if not e.obsolete}
        assert in_code - committed == set(), f"{language}: run `make catalogues` and translate"
        assert committed - in_code == set(), f"{language}: entries no longer used; run `make catalogues`"


# --- No German interface text left on translated pages -----------------------------------


class VisibleText(HTMLParser):
    """Text a reader sees or hears, split into text runs, leaving out German fallback blocks."""

    VOID = {"meta", "link", "br", "input", "img", "hr", "source", "wbr"}
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.runs = [], []

    def german(self):
        return any(lang == "de" for _tag, lang in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "description":
            self.runs.append(attrs.get("content", ""))
        lang = attrs.get("lang")
        if tag not in self.VOID:
            self.stack.append((tag, lang))
        if not self.german() and lang != "de":
            self.runs.extend(attrs[name] for name in self.SPOKEN if attrs.get(name))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        literal = ("script", "style", "code", "pre")  # program text and code samples for partners
        if data.strip() and not self.german() and not any(t in literal for t, _l in self.stack):
            # "kostenlos=1" inside a sentence is a URL parameter to copy, not a word.
            self.runs.append(re.sub(r"[\w-]+=[\w-]+", "·", data))


def visible_runs(html):
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(run.split()) for run in parser.runs]


def german_interface_patterns(language):
    """The German msgids whose translation differs from them, as patterns for rendered text."""
    patterns = []
    for entry in catalogue.read(catalogue.catalogues()[language])[1:]:
        for german, translated in ((entry.msgid, entry.msgstr.get(0)), (entry.msgid_plural, entry.msgstr.get(1))):
            if not german or german == translated:
                continue
            parts = [" ".join(part.split()) for part in PLACEHOLDER.split(german)[::2]]
            if sum(len(re.findall(r"\w", part)) for part in parts) < 3:
                continue  # "Mo", "So", ", ": words of other languages too (checked by test_opening_hours.py)
            # Each literal part is whole words, so "auf %(language)s" does not match "aufenthalt".
            parts = [rf"(?<!\w){re.escape(part)}(?!\w)" if part else "" for part in parts]
            patterns.append((german, re.compile(".+?".join(parts))))
    return patterns


def pages_to_check(language):
    with_translation = Offer.objects.visible().exclude(**{f"title_{language}": ""}).exclude(**{f"title_{language}__isnull": True})
    without = Offer.objects.visible().filter(**{f"title_{language}__isnull": True}) | Offer.objects.visible().filter(
        **{f"title_{language}": ""}
    )
    urls = [
        "/",
        "/angebote/",
        "/angebote/?page=2",
        "/angebote/?sprache=ar&kostenlos=1&ohne_termin=1&anonym=1&format=telefon&zielgruppe=eltern&ort=goslar&q=Beratung",
        "/angebote/?heute_offen=1&sprache=uk",
        "/angebote/?ort=goslar&heute_offen=zzz",
        "/angebote/?ort=atlantis&q=zzzzzz",
        "/angebote/?nahe=Oker&format=telefon",
        "/angebote/?nahe=Hahneklee",
        "/kategorie/kita-schule/",
        "/angebot/gibt-es-nicht/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/fuer-partner/",
        "/kategorie/kita-schule/flyer/",
        "/kategorie/kita-schule/flyer/?sprache2=ar",
        "/einbetten/kategorie/kita-schule/",
    ]
    with translation.override(settings.LANGUAGE_CODE):
        urls += [offer.get_absolute_url() for offer in (with_translation.first(), without.first()) if offer]
        urls += [f"{with_translation.first().get_absolute_url()}melden/", f"{without.first().get_absolute_url()}melden/danke/"]
        # Opening hours, language slots and closures on the page, and the way back to a filtered list.
        urls += [f"/angebot/schulsozialarbeit-seesen/?von=/{language}/kategorie/kita-schule/%3Fsprache%3Dar"]
    return [f"/{language}{url}" for url in urls]


def test_no_german_interface_text_on_any_translated_page(client, demo_data):
    """Every public page type in every interface language: German shows only inside the
    marked fallback blocks (lang="de") or as names."""
    # Proper names may be German words: the languages' own names, the network's names;
    # and an offer's German title, which falls back in <title> too, where no lang= is possible.
    names = [*Language.objects.values_list("endonym", flat=True), settings.SITE_NAME, settings.SITE_NETWORK,
             settings.SITE_REGION, settings.COORDINATOR_NAME, *Offer.objects.values_list("title_de", flat=True)]
    names = sorted(set(names), key=len, reverse=True)
    found = []
    for language in INTERFACE:
        patterns = german_interface_patterns(language)
        for url in pages_to_check(language):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()
            assert f'<html lang="{language}"' in html, url
            for run in visible_runs(html):
                for name in names:
                    run = run.replace(name, "·")
                found += [(url, german, run) for german, pattern in patterns if pattern.search(run)]
    assert found == [], "\n".join(map(str, found))


def test_check_finds_untranslated_interface_text():
    """The check above is able to fail: an unmarked German string is caught, a marked one is not."""
    patterns = german_interface_patterns("ar")
    html = '<p>Alle Angebote ansehen</p><div lang="de"><p>Sie können ohne Termin kommen.</p></div>'
    hits = [german for german, pattern in patterns for run in visible_runs(html) if pattern.search(run)]
    assert "Alle Angebote ansehen" in hits
    assert not {"Sie können ohne Termin kommen.", "ohne Termin", "Termin"} & set(hits)


# --- Language switcher, alternates, suggestion -------------------------------------------


def switcher_links(html):
    block = re.search(r'<details class="switch">.*?</details>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]*)" lang="([^"]+)" hreflang="([^"]+)"', block)


def test_switcher_links_to_the_same_filtered_page_in_every_language(client, district):
    html = client.get("/kategorie/kita-schule/?sprache=ar&ort=seesen").content.decode()
    links = switcher_links(html)
    assert [code for _url, code, hreflang in links if code == hreflang] == [code for code, _name in settings.LANGUAGES]
    by_code = {code: url for url, code, _hreflang in links}
    assert by_code["de"] == "/kategorie/kita-schule/?sprache=ar&amp;ort=seesen"
    assert by_code["ar"] == "/ar/kategorie/kita-schule/?sprache=ar&amp;ort=seesen"
    assert by_code["uk"] == "/uk/kategorie/kita-schule/?sprache=ar&amp;ort=seesen"
    assert ">Українська</a>" in html and ">Türkçe</a>" in html and ">فارسی</a>" in html


def test_switcher_from_a_prefixed_page_leads_back_to_german_without_prefix(client, district):
    html = client.get("/tr/angebote/?q=Kita").content.decode()
    links = {code: url for url, code, _h in switcher_links(html)}
    assert links["de"] == "/angebote/?q=Kita"
    assert links["ar"] == "/ar/angebote/?q=Kita"
    assert 'href="/tr/angebote/?q=Kita" lang="tr" hreflang="tr" aria-current="page"' in html


def test_every_page_names_its_alternates_and_a_default(client, district):
    html = client.get("/fa/kategorie/kita-schule/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert set(alternates) == {code for code, _name in settings.LANGUAGES} | {"x-default"}
    assert alternates["x-default"] == alternates["de"] == "http://testserver/kategorie/kita-schule/"
    assert alternates["bg"] == "http://testserver/bg/kategorie/kita-schule/"


def test_language_pages_set_no_cookie_and_never_follow_the_browser(client, district):
    response = client.get("/kategorie/kita-schule/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in response.content.decode()
    assert not response.cookies
    assert not client.get("/ar/").cookies


def test_start_page_suggests_the_browsers_language_as_a_link(client, district):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9,de;q=0.8")
    html = response.content.decode()
    assert response.status_code == 200  # a suggestion, never a redirect
    assert '<p class="suggest" lang="tr" dir="ltr">' in html
    assert '<a href="/tr/" hreflang="tr">Bu sayfayı Türkçe görüntüleyin</a>' in html
    assert "Accept-Language" in response["Vary"]


def test_suggestion_in_arabic_reads_right_to_left(client, district):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9").content.decode()
    assert '<p class="suggest" lang="ar" dir="rtl">' in html
    assert "اعرض هذه الصفحة بالعربية" in html


@pytest.mark.parametrize(
    "url,accept", [("/", "de-DE,de;q=0.9"), ("/tr/", "tr"), ("/", "xx, *"), ("/", ""), ("/", ";;;q=abc,,")]
)
def test_no_suggestion_when_the_page_is_already_in_that_language_or_unknown(client, district, url, accept):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert 'class="suggest"' not in response.content.decode()


def test_german_reader_of_an_arabic_link_is_offered_german(client, district):
    html = client.get("/ar/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert '<a href="/" hreflang="de">Diese Seite auf Deutsch ansehen</a>' in html


def test_only_the_start_page_varies_by_browser_language(client, district):
    assert "Accept-Language" not in client.get("/kategorie/kita-schule/").get("Vary", "")


# --- Right to left ---------------------------------------------------------------------------


@pytest.mark.parametrize("language,direction", [("ar", "rtl"), ("fa", "rtl"), ("de", "ltr"), ("uk", "ltr")])
def test_page_direction_follows_the_language(client, district, language, direction):
    url = "/" if language == "de" else f"/{language}/"
    assert f'<html lang="{language}" dir="{direction}">' in client.get(url).content.decode()


def test_phone_numbers_and_addresses_stay_left_to_right_on_arabic_pages(client, district):
    make_offer(title="Elterntelefon", slug="elterntelefon", categories=[district.kita],
               contacts=[{"name": "Telefon", "phone": "05321 76543", "email": "eltern@example.org"}])
    html = client.get("/ar/angebot/elterntelefon/").content.decode()
    assert '<bdi class="tel" dir="ltr">05321 76543</bdi>' in html
    assert '<span dir="ltr" class="email">eltern@<wbr>example<wbr>.org</span>' in html
    assert f'dir="ltr">{settings.COORDINATOR_EMAIL}</a>' in html


def test_direction_icons_are_marked_to_mirror(client, district):
    html = client.get("/ar/").content.decode()
    assert re.search(r'<a href="/ar/angebote/">[^<]+<svg class="i flip"', html)


# --- Translated content and German fallback -----------------------------------------------


def test_offer_in_the_readers_language_shows_no_fallback_note(client, district):
    make_offer(title="Schulberatung", slug="schulberatung", summary="Wir helfen bei Fragen zur Schule.",
               title_ar="استشارة مدرسية", summary_ar="نساعدكم في أسئلة المدرسة.", categories=[district.kita])
    html = client.get("/ar/angebot/schulberatung/").content.decode()
    assert "<h1>استشارة مدرسية</h1>" in html
    assert '<p class="lead">نساعدكم في أسئلة المدرسة.</p>' in html
    assert "هذا النص متوفر باللغة الألمانية فقط." not in html


def test_missing_translation_shows_german_marked_and_says_so(client, district):
    make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe", summary="Hilfe bei den Hausaufgaben.",
               title_uk="Допомога з домашніми завданнями", description="Jeden Dienstag im Stadtteiltreff.",
               categories=[district.kita])
    html = client.get("/uk/angebot/hausaufgabenhilfe/").content.decode()
    assert "<h1>Допомога з домашніми завданнями</h1>" in html
    assert '<p class="lead" lang="de" dir="ltr">Hilfe bei den Hausaufgaben.</p>' in html
    assert '<div lang="de" dir="ltr"><p>Jeden Dienstag im Stadtteiltreff.</p></div>' in html
    assert "Цей текст доступний лише німецькою мовою." in html
    listing = client.get("/uk/kategorie/kita-schule/").content.decode()
    assert '<p lang="de" dir="ltr">Hilfe bei den Hausaufgaben.</p>' in listing
    assert '<p class="de-only">Цей текст доступний лише німецькою мовою.</p>' in listing


def test_room_and_role_only_in_german_are_marked_visibly_in_the_readers_language(client, district):
    """Short texts (room, place, role, cost note) carry lang="de" and a small "(auf Deutsch)" in the reader's language."""
    place = make_location(town=district.seesen, name="Schulzentrum Seesen", name_ar="مركز مدارس زيزن",
                          room="Erdgeschoss, Zimmer 012")
    make_offer(title="Schulsozialarbeit", slug="schulsozialarbeit", title_ar="العمل الاجتماعي المدرسي",
               summary_ar="نساعد.", is_free=False, cost_note="2 € im Monat", categories=[district.kita],
               locations=[place], contacts=[{"name": "Frau Haddad", "role": "Schulsozialarbeit", "phone": "05381 1"}])
    html = client.get("/ar/angebot/schulsozialarbeit/").content.decode()
    assert '<p><span lang="de" dir="ltr">Erdgeschoss, Zimmer 012</span> <small class="de-mark">(بالألمانية)</small></p>' in html
    assert '<span class="role" lang="de" dir="ltr">(Schulsozialarbeit)</span> <small class="de-mark">(بالألمانية)</small>' in html
    assert '<span lang="de" dir="ltr">2 € im Monat</span> <small class="de-mark">(بالألمانية)</small>' in html
    # The place's name is translated: no mark there.
    assert "<h3><bdi>مركز مدارس زيزن</bdi></h3>" in html
    assert client.get("/angebot/schulsozialarbeit/").content.decode().count("de-mark") == 0


def test_german_pages_carry_no_fallback_marks(client, district):
    make_offer(title="Hausaufgabenhilfe", slug="hausaufgabenhilfe", categories=[district.kita])
    html = client.get("/angebot/hausaufgabenhilfe/").content.decode()
    assert "<h1>Hausaufgabenhilfe</h1>" in html
    assert "nur auf Deutsch" not in html


def test_offer_languages_by_endonym_and_name_in_the_readers_language(client, district):
    district.turkish.name_ar = "التركية"
    district.turkish.save()
    make_offer(slug="beratung", categories=[district.kita], languages=[district.turkish])
    html = client.get("/ar/angebot/beratung/").content.decode()
    assert '<bdi lang="tr">Türkçe</bdi> – <span>التركية</span>' in html
    listing = client.get("/ar/angebote/").content.decode()
    assert ">\u2068Türkçe\u2069 – \u2068التركية\u2069</option>" in listing


def test_search_finds_an_offer_by_words_of_its_translations(district):
    make_offer(title="Schulberatung", slug="schulberatung", summary="Wir helfen bei Fragen zur Schule.",
               title_ar="استشارة مدرسية للعائلات", summary_uk="Допомагаємо з питаннями про школу.",
               how_to_get_help_tr="Bizi arayın.\nRandevu alın.")
    make_offer(title="Bewerbungstraining", slug="bewerbung")
    for query in ("استشارة", "للعائلات", "школу", "Допомагаємо", "arayın", "randevu"):
        assert [offer.slug for offer in Offer.objects.visible().search(query)] == ["schulberatung"], query


def test_demo_data_is_translated_as_promised(demo_data):
    both = Offer.objects.all()
    for code in ("ar", "uk", "tr"):
        translated = both.exclude(**{f"title_{code}__isnull": True}).exclude(**{f"title_{code}": ""})
        translated = translated.exclude(**{f"summary_{code}__isnull": True}).exclude(**{f"summary_{code}": ""})
        assert translated.count() >= 15, code
    from directory.models import Category

    for category in Category.objects.all():
        for code in INTERFACE:
            assert getattr(category, f"name_{code}"), (category.slug, code)
            assert getattr(category, f"description_{code}"), (category.slug, code)


def test_translated_interface_text_is_real(client, district):
    """Spot checks in each language, so a catalogue full of copies of German would fail."""
    expected = {
        "en": "What are you looking for?", "ar": "عمّ تبحثون؟", "fa": "دنبال چه می‌گردید؟", "tr": "Ne arıyorsunuz?",
        "uk": "Що ви шукаєте?", "ru": "Что вы ищете?", "pl": "Czego szukasz?", "ro": "Ce căutați?", "bg": "Какво търсите?",
    }
    for code, text in expected.items():
        assert text in client.get(f"/{code}/").content.decode(), code
    with translation.override("ar"):
        assert translation.ngettext("%(counter)s Angebot", "%(counter)s Angebote", 2) == "خدمتان"
        assert translation.ngettext("%(counter)s Angebot", "%(counter)s Angebote", 5) == "%(counter)s خدمات"
    with translation.override("uk"):
        assert translation.ngettext("%(counter)s Angebot", "%(counter)s Angebote", 5) == "%(counter)s послуг"


def test_switcher_on_an_odd_address_stays_a_safe_link(client, district):
    response = client.get('/angebot/"onmouseover=alert(1) x/', {"q": '"><b>'})
    html = response.content.decode()
    assert response.status_code == 404
    assert 'href="/ar/angebot/%22onmouseover%3Dalert(1)%20x/?q=%22%3E%3Cb%3E"' in html
    assert "<b>" not in html


def test_fallback_note_stands_where_the_german_text_is(client, district):
    make_offer(title="Elterncafé", slug="elterncafe", summary="Eltern treffen sich.", description="Jeden Dienstag.",
               title_pl="Kawiarenka dla rodziców", summary_pl="Rodzice spotykają się.", categories=[district.kita])
    html = client.get("/pl/angebot/elterncafe/").content.decode()
    note = '<p class="note" role="note">Ten tekst jest dostępny tylko po niemiecku.</p>'
    assert html.count(note) == 1
    assert html.index("Więcej o ofercie") < html.index(note) < html.index("Jeden Dienstag.")


@pytest.mark.parametrize(
    "path,accept,variant",
    [("/", "tr-TR,tr;q=0.9", "tr"), ("/ar/", "de", "de"), ("/", "xx", "-"), ("/kategorie/kita-schule/", "tr", "")],
)
def test_cache_variant_is_the_browser_language_on_start_pages_only(rf, path, accept, variant):
    from directory import i18n

    assert i18n.cache_variant(rf.get(path, HTTP_ACCEPT_LANGUAGE=accept)) == variant


def test_cached_start_page_keeps_each_browsers_suggestion(client, settings, district):
    """The page cache keys start pages by the suggested language, so no browser gets another's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_CHECK_SECONDS = 600  # a hit then needs no query at all
    turkish = client.get("/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'hreflang="tr">Bu sayfayı Türkçe görüntüleyin' in turkish
    assert 'hreflang="ar">اعرض هذه الصفحة بالعربية' in arabic and "Türkçe görüntüleyin" not in arabic
    assert 'class="suggest"' not in german
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.8")
    assert again.content.decode() == turkish
    assert len(queries) == 0  # served from the cache
