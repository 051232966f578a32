"""The Content-Security-Policy as Chromium enforces it: nothing blocked, admin scripts still work."""

import pytest
from django.urls import NoReverseMatch, reverse

from directory.legal import default_page
from directory.models import Category, LegalPage, Offer

from ..conftest import make_category, make_offer

# Records every violation the browser reports, whatever the page does; init scripts are
# injected by the browser itself, so the policy does not stop this one.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${where})`);
});
"""


@pytest.fixture
def watched(site):
    """The site's page, collecting CSP violations from events and from the console."""
    console = []
    site.on("console", lambda message: console.append(message.text))
    site.add_init_script(LISTEN_FOR_VIOLATIONS)

    def violations():
        found = site.evaluate("window.__cspViolations || []")
        return found + [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]

    site.violations = violations
    return site


@pytest.fixture
def coordinator_page(watched, coordinator):
    watched.goto(watched.site_url + "/admin/login/")
    watched.fill("#id_username", "alice")
    watched.fill("#id_password", "alice-password-123")
    watched.click("input[type=submit]")
    watched.wait_for_url("**/admin/")
    return watched


# Pages of the coordinator's workflow (import, export, reports, …), where the site has them.
WORKFLOW_ADMIN_PAGES = [
    "admin:directory_offer_import",
    "admin:directory_offer_export",
    "admin:directory_report_changelist",
    "admin:directory_changerequest_changelist",
    "admin:directory_reviewrequest_changelist",
    "admin:directory_partnerprofile_add",
]


def existing_admin_pages():
    for name in WORKFLOW_ADMIN_PAGES:
        try:
            yield reverse(name)
        except NoReverseMatch:
            continue


def visit(page, path):
    response = page.goto(page.site_url + path)
    assert response.status == 200, path
    assert page.violations() == [], path


def test_public_pages_run_under_the_strict_policy_without_violations(watched, db):
    category = make_category(slug="kita-schule")
    offer = make_offer(slug="sprachcafe", categories=[category])
    for path in ["/", category.get_absolute_url(), offer.get_absolute_url(), "/ar/", "/impressum/", "/barrierefreiheit/"]:
        visit(watched, path)


def test_admin_add_and_change_pages_work_under_the_admin_policy(coordinator_page, db):
    page = coordinator_page
    category = make_category(slug="kita-schule")
    offer = make_offer(slug="sprachcafe", categories=[category])
    # The live server's database is emptied between tests, migration rows included.
    imprint = LegalPage.objects.filter(kind="impressum").first() or default_page("impressum")
    imprint.save()
    paths = [
        "/admin/",
        reverse("admin:directory_offer_changelist"),
        reverse("admin:directory_offer_add"),
        reverse("admin:directory_offer_change", args=[offer.pk]),
        reverse("admin:directory_category_change", args=[category.pk]),
        reverse("admin:directory_location_add"),
        reverse("admin:directory_organization_add"),
        reverse("admin:directory_language_add"),
        reverse("admin:directory_legalpage_change", args=[imprint.pk]),
        reverse("admin:directory_offer_history", args=[offer.pk]),
        *existing_admin_pages(),
    ]
    for path in paths:
        visit(page, path)

    if "/export/" in " ".join(paths):
        # import-export's "select all" box runs its one allowed inline handler.
        visit(page, reverse("admin:directory_offer_export"))
        page.uncheck("input.select-toggle")
        assert page.locator(".selectable-field-export-row input:checked").count() == 0
        assert page.violations() == []

    # The admin's own script fills in the slug while typing: scripts are allowed to run.
    visit(page, reverse("admin:directory_category_add"))
    page.locator("#id_name_de").press_sequentially("Wohnen & Umzug")
    assert page.input_value("#id_slug") == "wohnen-umzug"
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/directory/category/")
    assert Category.objects.filter(slug="wohnen-umzug").exists()
    assert page.violations() == []
    assert Offer.objects.filter(slug="sprachcafe").exists()
