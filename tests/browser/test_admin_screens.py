"""The coordinator's admin on her laptop (1366×768) and tablet (820×1180): nothing scrolls sideways,
an error in a collapsed language group is shown, and text that is too long is refused, not cut."""

import pytest
from django.core.management import call_command

from directory.models import ChangeRequest, Offer, Report
from tests.browser.admin_helpers import LAPTOP, TABLET, admin_page, log_in, scrolls_sideways, shoot, words_broken_inside

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator_page(browser, live_server, django_user_model):
    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)

    def open_at(viewport):
        page = admin_page(browser, live_server, viewport)
        log_in(page, "alice", "alice-password-123")
        return page

    return open_at


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["1366", "820"])
def test_lists_and_forms_fit_without_sideways_scrolling(coordinator_page, viewport):
    page = coordinator_page(viewport)
    offer = Offer.objects.order_by("pk").first()
    report = Report.objects.create(offer=offer, message="Die Telefonnummer stimmt nicht mehr.")
    change_request = ChangeRequest.objects.create(
        offer=offer, source=ChangeRequest.Source.PARTNER, proposal={"fields": {"summary_de": "Neu."}},
        base={"fields": {"summary_de": offer.summary_de}},
    )  # fmt: skip
    screens = {
        "index": "/admin/",
        "offer-list": "/admin/directory/offer/",
        "offer-list-filtered": "/admin/directory/offer/?pruefung=faellig",
        "offer-add": "/admin/directory/offer/add/",
        "offer-change": f"/admin/directory/offer/{offer.pk}/change/",
        "report": f"/admin/directory/report/{report.pk}/change/",
        "change-request": f"/admin/directory/changerequest/{change_request.pk}/change/",
        "category-list": "/admin/directory/category/",
        "location-add": "/admin/directory/location/add/",
        "invite": "/admin/directory/partnerprofile/einladen/",
        "import": "/admin/directory/offer/import/",
    }
    too_wide, broken_words = [], []
    for name, path in screens.items():
        page.goto(page.site_url + path)
        if scrolls_sideways(page):
            too_wide.append((name, page.evaluate("document.documentElement.scrollWidth")))
        if name in ("offer-list", "offer-change", "change-request", "report"):
            shoot(page, f"{name}-{viewport['width']}")
        if name in ("offer-list", "offer-list-filtered", "category-list", "offer-change", "location-add"):
            cut = words_broken_inside(page, "#result_list th, #result_list td, form .aligned label")
            if cut:
                broken_words.append((name, cut[:5]))
    assert not too_wide, f"sideways scrolling at {viewport['width']} px: {too_wide}"
    assert not broken_words, f"words cut in the middle at {viewport['width']} px: {broken_words}"


def test_error_in_a_collapsed_language_group_is_open_and_long_text_is_refused(coordinator_page):
    page = coordinator_page(TABLET)
    offer = Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by("pk").first()
    page.goto(f"{page.site_url}/admin/directory/offer/{offer.pk}/change/")
    arabic = page.locator("#id_summary_ar")
    assert not arabic.is_visible()  # the Arabic group starts closed
    page.locator("summary", has_text="Arabisch").first.click()
    arabic.fill("ن" * 450)
    assert len(arabic.input_value()) == 450  # nothing cut while typing or pasting
    page.locator("summary", has_text="Arabisch").first.click()  # closed again before saving
    page.get_by_role("button", name="Sichern", exact=True).last.click()

    page.wait_for_selector(".errornote")
    assert arabic.is_visible()
    error = page.locator(".field-summary_ar .errorlist")
    assert error.is_visible() and "höchstens 400 Zeichen" in error.inner_text()
    assert len(arabic.input_value()) == 450  # her text is still there to shorten
    offer.refresh_from_db()
    assert len(offer.summary_ar or "") != 450
    shoot(page, "language-error-820")


def test_opening_hours_table_fits_a_tablet_with_every_column_readable(coordinator_page):
    """The slot table of the demo offer with the most slots: no sideways scrolling at 820 px, and
    weekday and times are not cut off."""
    page = coordinator_page(TABLET)
    offer = Offer.objects.get(slug="schulsozialarbeit-seesen")
    assert offer.slots.count() >= 10
    page.goto(f"{page.site_url}/admin/directory/offer/{offer.pk}/change/")
    table = page.locator(".schedule-slots table")
    table.scroll_into_view_if_needed()
    assert not scrolls_sideways(page)
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= TABLET["width"]
    # Each field shows its whole value: the box is at least as wide as the text in it.
    cut = page.evaluate("""() => [...document.querySelectorAll(
            '.schedule-slots tr:not(.empty-form) :is(td.field-weekday select, td.field-opens input, td.field-closes input)')]
        .filter(field => field.scrollWidth > field.clientWidth + 1
            || (field.tagName === 'SELECT' && field.clientWidth < measure(field.selectedOptions[0].text, field)))
        .map(field => field.name);
        function measure(text, field) {
            const canvas = measure.canvas || (measure.canvas = document.createElement('canvas'));
            const context = canvas.getContext('2d');
            context.font = getComputedStyle(field).font;
            return context.measureText(text).width + 24;  // the arrow and padding of the select
        }""")
    assert cut == []
    shoot(page, "opening-hours-820")
