"""A mother types what she needs into the search box on her phone – in German, Arabic
or Ukrainian – and the offer that fits best is among the first three."""

import re

from playwright.sync_api import expect

from .conftest import screenshot

JOURNEYS = [
    # (start page, query as typed, the best fit in the demo data, screenshot name)
    ("/", "schule seesen arabisch", "/angebot/schulsozialarbeit-seesen/", "search-de"),
    ("/ar/", "مدرسة زيزن", "/ar/angebot/schulsozialarbeit-seesen/", "search-ar"),
    ("/uk/", "садочок гослар", "/uk/angebot/kita-platz-beratung-goslar/", "search-uk"),
]


def test_the_best_fit_is_among_the_first_three_in_german_arabic_and_ukrainian(site, demo_data):
    page = site
    for start, query, best_fit, name in JOURNEYS:
        page.goto(page.site_url + start)
        page.locator("#suche").fill(query)
        page.locator("form.search button[type=submit]").click()
        expect(page.locator("#ergebnis")).to_be_visible()
        first_three = page.locator("ul.cards > li h3 a").evaluate_all("links => links.slice(0, 3).map(a => a.pathname)")
        screenshot(page, name)
        assert best_fit in first_three, (query, first_three)
        page.locator(f'ul.cards a[href^="{best_fit}"]').first.click()
        expect(page.locator('a[href^="tel:"]').first).to_be_visible()


def test_a_typo_without_results_offers_a_correction_and_the_topics(site, demo_data):
    page = site
    page.goto(page.site_url + "/angebote/?q=kiat")
    expect(page.get_by_role("heading", name="0 Angebote")).to_be_visible()
    screenshot(page, "search-did-you-mean")
    page.get_by_role("link", name="„kita“").click()
    expect(page.get_by_role("heading", name=re.compile(r"^\d+ Angebote$"))).to_be_visible()
    assert "q=kita" in page.url
    page.goto(page.site_url + "/angebote/?q=kiat")
    expect(page.get_by_role("link", name=re.compile("Kita & Schule"))).to_be_visible()
