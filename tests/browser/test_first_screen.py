"""The call button of every demo offer is on the first screen of a small phone (320×568), in German
and Arabic, also when the parent came from a list (the way back takes a line above the title)."""

from urllib.parse import quote

from directory.models import Offer

from .conftest import screenshot

SMALL_PHONE = {"width": 320, "height": 568}


def call_button_bottom(page):
    box = page.locator(".primary-actions a.primary").bounding_box()
    return box["y"] + box["height"]


def test_call_button_is_on_the_first_screen_of_a_320_px_phone(site, demo_data):
    page = site
    page.set_viewport_size(SMALL_PHONE)
    slugs = list(Offer.objects.visible().values_list("slug", flat=True))
    assert len(slugs) > 40
    below = []
    for prefix in ("", "/ar"):
        back = quote(f"{prefix}/angebote/?ort=seesen", safe="/")
        for slug in slugs:
            page.goto(f"{page.site_url}{prefix}/angebot/{slug}/?von={back}")
            if page.locator(".primary-actions a.primary").count() == 0:
                continue  # no phone and no e-mail: nothing to call
            bottom = call_button_bottom(page)
            if bottom > SMALL_PHONE["height"]:
                below.append(f"{prefix or '/de'} {slug}: {bottom:.0f} px")
    assert not below, "call button below the first screen at 320×568:\n" + "\n".join(below)
    page.goto(f"{page.site_url}/ar/angebot/sorgentelefon-eltern/")
    screenshot(page, "first-screen-ar-320")


def test_call_button_comes_before_the_summary_on_a_long_german_fallback(site, district):
    """The longest kind of head: three categories, a long German title on an Arabic page with its note."""
    from ..conftest import make_offer

    offer = make_offer(
        title="Beratung für Familien aus der Europäischen Union zu Arbeit, Wohnung, Schule und Krankenversicherung",
        summary="Wir beraten Familien, die neu im Landkreis sind, zu allen Fragen des Ankommens: "
        "Anmeldung, Kindergeld, Schule, Arbeit und Krankenversicherung – auch mit Dolmetscherin.",
        categories=[district.kita, district.career, district.language_help],
        contacts=[{"name": "Frau Popescu", "phone": "05321 123456", "email": "beratung@example.org"}],
    )
    page = site
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{page.site_url}/ar/angebot/{offer.slug}/?von=/ar/angebote/")
    assert page.locator("h1").get_attribute("lang") == "de"
    assert call_button_bottom(page) <= SMALL_PHONE["height"]
    # What to do first, then the (German) summary and its note.
    order = page.evaluate("""() => ['.primary-actions', '.note', '.lead'].map(s => document.querySelector(s))
        .map(el => el.getBoundingClientRect().top)""")
    assert order == sorted(order)
    screenshot(page, "first-screen-fallback-ar-320")


def test_phone_number_on_the_call_button_stays_on_one_line_at_320_px(site, demo_data):
    """Persian and Ukrainian labels are long: the label may wrap, the number "030 23125 250" may not."""
    page = site
    page.set_viewport_size(SMALL_PHONE)
    for path in ("/fa/angebot/kita-platz-beratung-goslar/", "/uk/angebot/briefe-verstehen-bad-harzburg/",
                 "/ar/angebot/kita-platz-beratung-goslar/", "/angebot/kita-platz-beratung-goslar/"):
        page.goto(page.site_url + path)
        number = page.locator(".primary-actions a.primary .tel")
        assert number.evaluate("el => el.getClientRects().length") == 1, path
        box, button = number.bounding_box(), page.locator(".primary-actions a.primary").bounding_box()
        assert button["x"] <= box["x"] and box["x"] + box["width"] <= button["x"] + button["width"], path
    screenshot(page, "call-button-tel-de-320")


def test_language_switch_keeps_the_headers_padding_at_320_px(site, demo_data):
    page = site
    page.set_viewport_size(SMALL_PHONE)
    for prefix in ("/uk", "/bg", "/ar", "/fa", ""):
        page.goto(f"{page.site_url}{prefix}/angebote/")
        gaps = page.evaluate("""() => { const r = document.querySelector('.switch summary').getBoundingClientRect();
            const brand = document.querySelector('.brand').getBoundingClientRect();
            return [r.left, innerWidth - r.right, brand.left, innerWidth - brand.right]; }""")
        # The switch sits at the line's end (right, or left on RTL pages) with the 1rem padding of the page.
        assert min(gaps) >= 15.5, (prefix, gaps)
    page.goto(f"{page.site_url}/uk/angebote/")
    screenshot(page, "header-uk-320")
