"""The coordinator imports a spreadsheet on a tablet: every problem readable without hover, nothing imported."""

import io
from pathlib import Path

import openpyxl
import pytest

from directory.models import Offer
from tests.conftest import make_category, make_offer, make_organization

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


def workbook(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.fixture
def tablet(browser, live_server, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport=TABLET, has_touch=True, is_mobile=False, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Benutzername").fill("alice")
    page.get_by_label("Passwort").fill("alice-password-123")
    page.get_by_role("button", name="Anmelden").click()
    page.site_url = live_server.url
    yield page
    context.close()


def upload(page, name, content):
    page.goto(f"{page.site_url}/admin/directory/offer/import/")
    file = {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    page.set_input_files("input[name=import_file]", files=[file])
    page.select_option("select[name=format]", label="xlsx")
    page.get_by_role("button", name="Absenden").click()
    page.wait_for_load_state()


def test_import_problems_are_visible_on_a_tablet_and_nothing_is_imported(tablet):
    page = tablet
    make_organization(slug="caritas-goslar")
    make_category(slug="kita-schule")
    make_offer(title="Elterncafé", slug="elterncafe", summary="Alt.", categories=[make_category()])
    rows = [
        ["slug", "title", "summary", "organization", "categories", "status"],
        ["elterncafe", "Elterncafé", "Neu.", "caritas-goslar", "kita-schule", "veröffentlicht"],
        ["sprachcafe", "", "Deutsch üben.", "caritas-gibts-nicht", "kita-schule", "online"],
    ]
    upload(page, "angebote.xlsx", workbook(rows))

    table = page.locator("table.import-problem-table")
    table.wait_for()
    cells = table.locator("tbody tr")
    assert cells.count() == 3
    text = table.inner_text()
    assert "„organization“" in text and "„caritas-gibts-nicht“ gibt es nicht" in text
    assert "Erlaubt: Entwurf, veröffentlicht, archiviert" in text
    # Every message is on screen as it is, without hovering or scrolling sideways.
    for index in range(cells.count()):
        message = cells.nth(index).locator("td.import-message")
        assert message.is_visible()
        box = message.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= TABLET["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    assert not page.locator("input[name=confirm]").count()  # nothing to confirm
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=Path(SCREENSHOTS) / "import-problems-tablet.png", full_page=True)
    assert Offer.objects.get(slug="elterncafe").summary == "Alt."
    assert not Offer.objects.filter(slug="sprachcafe").exists()

    rows[2] = ["sprachcafe", "Sprachcafé", "Deutsch üben.", "caritas-goslar", "kita-schule", "Entwurf"]
    upload(page, "angebote.xlsx", workbook(rows))
    assert "1 neu, 1 geändert, 0 unverändert." in page.inner_text(".import-totals")
    page.screenshot(path=Path(SCREENSHOTS) / "import-preview-tablet.png", full_page=True)
    page.get_by_role("button", name="Jetzt übernehmen").click()
    page.wait_for_selector(".messagelist .success")
    assert Offer.objects.get(slug="elterncafe").summary == "Neu."
    assert Offer.objects.get(slug="sprachcafe").status == Offer.Status.DRAFT


def test_preview_shows_old_and_new_value_of_each_changed_cell_on_a_tablet(tablet):
    page = tablet
    make_organization(slug="caritas-goslar")
    category = make_category(slug="kita-schule")
    make_offer(title="Elterncafé", slug="elterncafe", summary="Wir treffen uns montags im Gemeindehaus.",
               categories=[category], is_free=True, status=Offer.Status.DRAFT)  # fmt: skip
    rows = [
        ["slug", "title", "summary", "organization", "categories", "status", "is_free"],
        ["elterncafe", "Elterncafé", "Wir treffen uns dienstags im Familienzentrum.", "caritas-goslar", "kita-schule",
         "veröffentlicht", "nein"],
    ]  # fmt: skip
    upload(page, "angebote.xlsx", workbook(rows))
    changes = page.locator("table.import-changes")
    changes.wait_for()
    by_column = {}
    for index in range(changes.locator("tbody tr").count()):
        row = changes.locator("tbody tr").nth(index)
        by_column[row.locator("th").inner_text().split("\n")[0]] = (
            row.locator("td.import-old").inner_text(), row.locator("td.import-new").inner_text()
        )
    assert by_column["Kurzbeschreibung"] == (
        "Wir treffen uns montags im Gemeindehaus.", "Wir treffen uns dienstags im Familienzentrum."
    )
    assert by_column["Status"] == ("Entwurf", "veröffentlicht")
    assert by_column["kostenlos"] == ("ja", "nein")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=Path(SCREENSHOTS) / "import-preview-tablet.png", full_page=True)
    assert Offer.objects.get(slug="elterncafe").status == Offer.Status.DRAFT  # only a preview


@pytest.mark.parametrize("viewport", [TABLET, {"width": 1366, "height": 768}], ids=["tablet", "laptop"])
def test_a_row_changed_since_the_export_is_marked_and_left_out(tablet, viewport):
    page = tablet
    page.set_viewport_size(viewport)
    make_organization(slug="caritas-goslar")
    category = make_category(slug="kita-schule")
    make_offer(title="Elterncafé", slug="elterncafe", summary="Vom Träger neu beschrieben.", categories=[category],
               status=Offer.Status.DRAFT)  # fmt: skip
    rows = [
        ["slug", "title", "summary", "organization", "categories", "status", "changed"],
        ["elterncafe", "Elterncafé", "Alte Beschreibung aus der Datei.", "caritas-goslar", "kita-schule", "Entwurf",
         "01.11.2026 09:00:00"],
    ]  # fmt: skip
    upload(page, "angebote.xlsx", workbook(rows))
    conflicts = page.locator("section.import-conflicts")
    conflicts.wait_for()
    assert "1 Zeile seit dem Export geändert – wird nicht übernommen." in page.inner_text(".import-totals")
    assert "exportiert 01.11.2026 09:00" in conflicts.inner_text()
    assert "Alte Beschreibung aus der Datei." in conflicts.inner_text()
    choice = page.get_by_label("Auch diese Zeilen übernehmen", exact=False)
    assert choice.is_visible() and not choice.is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=Path(SCREENSHOTS) / f"import-conflict-{viewport['width']}.png", full_page=True)
    page.get_by_role("button", name="Jetzt übernehmen").click()
    page.wait_for_selector(".messagelist .warning")
    assert "seit dem Export im Wegweiser geändert wurden: Zeile 2." in page.inner_text(".messagelist")
    assert Offer.objects.get(slug="elterncafe").summary == "Vom Träger neu beschrieben."


def test_a_forbidden_admin_page_is_german_with_a_way_back(browser, live_server, django_user_model):
    django_user_model.objects.create_user("bob", "bob@example.org", "bob-password-123", is_staff=True)
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Benutzername").fill("bob")
    page.get_by_label("Passwort").fill("bob-password-123")
    page.get_by_role("button", name="Anmelden").click()
    response = page.goto(f"{live_server.url}/admin/directory/report/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Dafür haben Sie keine Berechtigung.").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=Path(SCREENSHOTS) / "admin-403-820.png", full_page=True)
    page.get_by_role("link", name="Zur Startseite der Verwaltung").click()
    assert page.url == f"{live_server.url}/admin/"
    context.close()
