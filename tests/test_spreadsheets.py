"""The coordinator's spreadsheet round trip: Excel and German-Excel CSV, places, contacts, translations, bad files."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Location, Offer
from directory.spreadsheet import neutralize_cell, unneutralize_cell

from .conftest import make_category, make_location, make_offer, make_organization, make_town

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the admin's format choices, in this order


@pytest.fixture
def offers():
    organization = make_organization(name="Caritas Goslar", slug="caritas-goslar")
    school = make_category(name="Kita & Schule", slug="kita-schule")
    goslar = make_town("Goslar")
    place = make_location(town=goslar, organization=organization, name="Beratungsstelle", latitude="51.905612",
                          longitude="10.428901", opening_hours="Mo 9–12 Uhr\nDi 14–17 Uhr")
    first = make_offer(
        title="Schulberatung", slug="schulberatung", organization=organization, categories=[school], locations=[place],
        description="Zeile eins\nZeile zwei", summary_ar="استشارة مدرسية", title_uk="Шкільна консультація",
        format_phone=True, is_free=False, cost_note="5 € pro Termin", valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31), last_reviewed=datetime.date(2026, 3, 15),
        contacts=[{"name": "Frau Haddad", "phone": "+49 5321 412", "email": "haddad@caritas.example"}],
    )
    second = make_offer(title="Elterncafé", slug="elterncafe", organization=organization, categories=[school], status="draft")
    return first, second


def export(client, model="offer", format_choice=XLSX):
    page = client.get(reverse(f"admin:directory_{model}_export"))
    form = page.context["form"]
    data = {"format": format_choice, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(reverse(f"admin:directory_{model}_export"), data)
    assert response.status_code == 200
    return response.content


def upload(client, content, name, format_choice, model="offer"):
    file = SimpleUploadedFile(name, content)
    data = {"import_file": file, "format": format_choice, "resource": "0"}
    return client.post(reverse(f"admin:directory_{model}_import"), data)


def confirm(client, response, model="offer"):
    assert response.context.get("confirm_form"), response.context.get("row_problems") or response.context.get("file_problems")
    return client.post(reverse(f"admin:directory_{model}_process_import"), response.context["confirm_form"].initial)


def sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def workbook_bytes(rows, extra_sheet=None):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if extra_sheet:
        book.create_sheet("Notizen").append(extra_sheet)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def state():
    return {
        offer.slug: (offer.updated, offer.history.count(), offer.summary_ar, offer.valid_until, list(offer.locations.all()))
        for offer in Offer.objects.all()
    }


# --- Round trips ----------------------------------------------------------------------------


def test_excel_round_trip_changes_nothing(coordinator_client, offers):
    before = state()
    content = export(coordinator_client)
    ws = sheet(content)
    headers = [cell.value for cell in ws[1]]
    row = {headers[i]: cell.value for i, cell in enumerate(ws[2])}
    assert row["title"] == "Elterncafé"  # sorted by title
    # Typed cells, as Excel shows them: dates are dates, yes/no is readable, places and translations travel.
    row = {headers[i]: cell.value for i, cell in enumerate(ws[3])}
    assert row["valid_until"] == datetime.datetime(2026, 12, 31)
    assert row["format_phone"] == "ja" and row["format_video"] == "nein"
    assert row["summary_ar"] == "استشارة مدرسية" and row["title_uk"] == "Шкільна консультація"
    assert row["locations"] == str(offers[0].locations.get().uuid)
    assert row["contacts"] == "Frau Haddad | +49 5321 412 | haddad@caritas.example"  # the phone number stays readable
    assert row["valid_from"] and row["description_en"] is None

    response = upload(coordinator_client, content, "angebote.xlsx", XLSX)
    assert response.context["totals"]["new"] == 0 and response.context["totals"]["update"] == 0
    assert "0 neu, 0 geändert, 2 unverändert" in response.content.decode()
    confirm(coordinator_client, response)
    assert state() == before


def test_excel_edit_changes_exactly_the_edited_rows(coordinator_client, offers):
    ws = sheet(export(coordinator_client))
    headers = [cell.value for cell in ws[1]]
    ws.cell(row=3, column=headers.index("summary_ar") + 1, value="نص جديد")
    ws.cell(row=3, column=headers.index("valid_until") + 1, value=datetime.datetime(2027, 6, 30))
    new_row = [None] * len(headers)
    for column, value in {
        "slug": "sprachcafe", "title": "Sprachcafé", "summary": "Deutsch üben.", "organization": "caritas-goslar",
        "categories": "kita-schule", "status": "Entwurf", "format_in_person": "ja",
        "locations": str(offers[0].locations.get().uuid),  # "vor Ort" needs a place, as in the admin form
    }.items():
        new_row[headers.index(column)] = value
    ws.append(new_row)
    stream = io.BytesIO()
    ws.parent.save(stream)
    elterncafe = Offer.objects.get(slug="elterncafe")
    history_before = Offer.objects.get(slug="schulberatung").history.count()
    versions, updated = elterncafe.history.count(), elterncafe.updated

    response = upload(coordinator_client, stream.getvalue(), "angebote.xlsx", XLSX)
    totals = response.context["totals"]
    assert (totals["new"], totals["update"], totals["skip"]) == (1, 1, 1)
    changed = next(row for row in response.context["preview_rows"] if not row["new"])
    assert changed["row"] == 3 and changed["columns"] == ["valid_until", "summary_ar"]
    confirm(coordinator_client, response)

    offer = Offer.objects.get(slug="schulberatung")
    assert offer.summary_ar == "نص جديد" and offer.valid_until == datetime.date(2027, 6, 30)
    assert offer.history.count() == history_before + 1  # one entry for the imported row
    assert Offer.objects.get(slug="sprachcafe").status == Offer.Status.DRAFT
    elterncafe.refresh_from_db()
    assert (elterncafe.history.count(), elterncafe.updated) == (versions, updated)


def german_excel_csv(content, encoding):
    """What German Excel writes after opening our CSV and saving it: ';', CRLF, dates as TT.MM.JJJJ."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [[cell.replace("\n", "\r\n") for cell in row] for row in rows]
    )
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if encoding == "utf-8-sig" else text.encode(encoding, errors="replace")


def test_csv_is_written_for_german_excel(coordinator_client, offers):
    content = export(coordinator_client, format_choice=CSV)
    assert content.startswith("\ufeff".encode())
    header = content.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header.startswith("slug;title;summary;")
    row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert row["status"] == "Entwurf" and row["is_free"] == "ja"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_csv_saved_by_german_excel_imports_unchanged(coordinator_client, offers, encoding):
    Offer.objects.filter(slug="schulberatung").update(summary_ar="", title_uk="")  # Windows-1252 has no Arabic
    before = state()
    content = german_excel_csv(export(coordinator_client, format_choice=CSV), encoding)
    assert b"\r\n" in content and (encoding != "cp1252" or "Elterncafé".encode("cp1252") in content)
    response = upload(coordinator_client, content, "angebote.csv", CSV)
    assert response.context["totals"]["update"] == 0 and response.context["totals"]["new"] == 0
    confirm(coordinator_client, response)
    assert state() == before


def test_cp1252_csv_with_a_change_imports_the_umlauts(coordinator_client, offers):
    content = export(coordinator_client, format_choice=CSV).decode("utf-8-sig")
    content = content.replace("Elterncafé", "Elterncafé für Väter", 1)
    content = content.replace("استشارة مدرسية", "").replace("Шкільна консультація", "")  # not in Windows-1252
    response = upload(coordinator_client, content.encode("cp1252"), "angebote.csv", CSV)
    confirm(coordinator_client, response)
    assert Offer.objects.get(slug="elterncafe").title == "Elterncafé für Väter"


def test_cp1252_csv_that_lost_the_arabic_letters_is_refused_and_changes_nothing(coordinator_client, offers):
    before = state()
    content = german_excel_csv(export(coordinator_client, format_choice=CSV), "cp1252")
    assert b"???" in content  # how Excel's plain CSV keeps Arabic and Cyrillic text
    response = upload(coordinator_client, content, "angebote.csv", CSV)
    _row_problems, file_problems = problems(response)
    message = " ".join(file_problems)
    assert "CSV UTF-8" in message and "summary_ar" in message
    assert not response.context.get("confirm_form")  # nothing can be applied
    assert state() == before


def test_places_round_trip_and_a_new_place(coordinator_client, offers):
    content = export(coordinator_client, model="location")
    ws = sheet(content)
    headers = [cell.value for cell in ws[1]]
    row = {headers[i]: cell.value for i, cell in enumerate(ws[2])}
    assert row["town"] == "goslar" and row["opening_hours"] == "Mo 9–12 Uhr\nDi 14–17 Uhr"
    response = upload(coordinator_client, content, "orte.xlsx", XLSX, model="location")
    assert response.context["totals"]["update"] == 0 and response.context["totals"]["new"] == 0

    ws.append(["", "caritas-goslar", "Außenstelle Oker", "Hauptstraße 1", 38642, "goslar", 51.9, 10.48, "rollstuhlgerecht", ""])
    stream = io.BytesIO()
    ws.parent.save(stream)
    response = upload(coordinator_client, stream.getvalue(), "orte.xlsx", XLSX, model="location")
    assert response.context["totals"]["new"] == 1 and response.context["totals"]["update"] == 0
    confirm(coordinator_client, response, model="location")
    place = Location.objects.get(name="Außenstelle Oker")
    assert (place.postal_code, place.wheelchair_access, str(place.latitude)) == ("38642", "yes", "51.900000")


# --- Problems: every one named by row and column, nothing imported ---------------------------


def problems(response):
    assert response.status_code == 200
    assert not response.context.get("confirm_form")
    return response.context.get("row_problems") or [], response.context.get("file_problems") or []


def test_row_problems_are_listed_by_spreadsheet_row_and_column_with_allowed_values(coordinator_client, offers):
    ws = sheet(export(coordinator_client))
    headers = [cell.value for cell in ws[1]]
    column = {name: headers.index(name) + 1 for name in headers}
    ws.cell(row=2, column=column["title"]).value = None
    ws.cell(row=3, column=column["status"], value="online")
    ws.cell(row=3, column=column["organization"], value="gibts-nicht")
    ws.cell(row=3, column=column["is_free"], value="vielleicht")
    ws.cell(row=3, column=column["locations"], value="keine-uuid")
    stream = io.BytesIO()
    ws.parent.save(stream)
    before = state()
    response = upload(coordinator_client, stream.getvalue(), "angebote.xlsx", XLSX)
    rows, _file = problems(response)
    found = {(p["row"], p["name"]): p for p in rows}
    assert set(found) == {(2, "title"), (3, "status"), (3, "organization"), (3, "is_free"), (3, "locations")}  # title once
    assert found[(3, "status")]["column"] == openpyxl.utils.get_column_letter(column["status"])
    assert "Erlaubt: Entwurf, veröffentlicht, archiviert" in found[(3, "status")]["message"]
    assert "„gibts-nicht“ gibt es nicht. Erlaubt: caritas-goslar" in found[(3, "organization")]["message"]
    assert "Erlaubt: ja, nein" in found[(3, "is_free")]["message"]
    page = response.content.decode()
    assert "5 Probleme in der Datei – nichts wurde übernommen" in page
    assert "Zeile 1 ist die Überschrift" in page
    assert state() == before


HEADERS = ["slug", "title", "summary", "organization", "categories"]
GOOD = ["neu", "Neu", "Kurz.", "caritas-goslar", "kita-schule"]


@pytest.mark.parametrize(
    ("rows", "extra_sheet", "message"),
    [
        ([HEADERS + ["farbe"], GOOD + ["rot"]], None, "Diese Spalten kennt der Wegweiser nicht: F „farbe“"),
        ([HEADERS, GOOD, GOOD], None, "„neu“ in Zeile 2 und 3"),
        ([HEADERS, GOOD], ["irgendwas"], "mehrere Tabellenblätter"),
        ([HEADERS, GOOD[:2] + ["=HYPERLINK(\"http://x.example\")"] + GOOD[3:]], None, "Formeln: C2"),
        ([], None, "Die Datei ist leer"),
        ([HEADERS[1:], GOOD[1:]], None, "Die Spalte „slug“ fehlt"),
    ],
    ids=["unknown-column", "duplicate-id", "second-sheet", "formula", "empty", "no-id-column"],
)
def test_bad_excel_files_get_a_german_message_and_import_nothing(coordinator_client, offers, rows, extra_sheet, message):
    count = Offer.objects.count()
    response = upload(coordinator_client, workbook_bytes(rows, extra_sheet), "angebote.xlsx", XLSX)
    row_problems, file_problems = problems(response)
    form_errors = " ".join(response.context["form"].errors.get("import_file", []))
    assert message in " ".join(file_problems) + form_errors + " ".join(p["message"] for p in row_problems)
    assert "Traceback" not in response.content.decode()
    assert Offer.objects.count() == count


def test_a_missing_organization_is_named_and_nothing_is_imported(coordinator_client, offers):
    rows = [HEADERS, GOOD, ["zweites", "Zweites", "Kurz.", "caritas-gibts-nicht", "kita-schule"]]
    response = upload(coordinator_client, workbook_bytes(rows), "angebote.xlsx", XLSX)
    row_problems, _ = problems(response)
    assert [(p["row"], p["column"], p["name"]) for p in row_problems] == [(3, "D", "organization")]
    assert not Offer.objects.filter(slug__in=["neu", "zweites"]).exists()


def test_a_20_mb_file_is_refused_before_reading(coordinator_client, offers):
    response = upload(coordinator_client, b"x" * (20 * 1024 * 1024), "riesig.csv", CSV)
    assert "erlaubt sind höchstens 5 MB" in " ".join(response.context["form"].errors["import_file"])


def test_a_file_that_is_no_spreadsheet_gets_a_message(coordinator_client, offers):
    response = upload(coordinator_client, b"%PDF-1.4 binary", "angebote.xlsx", XLSX)
    assert "nicht als Excel-Datei" in " ".join(response.context["form"].errors["import_file"])
    response = upload(coordinator_client, b"", "leer.csv", CSV)
    assert "leer" in " ".join(response.context["form"].errors["import_file"])


def test_csv_formula_cell_is_refused(coordinator_client, offers):
    content = "slug;title;summary;organization;categories\r\nneu;=1+2;Kurz.;caritas-goslar;kita-schule\r\n"
    response = upload(coordinator_client, content.encode("cp1252"), "angebote.csv", CSV)
    assert "Formeln: B2" in " ".join(response.context["form"].errors["import_file"])


# --- Formula injection in every export -------------------------------------------------------


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\")", "+SUM(1)", "-2+3", "@cmd", "\tTab", "\rCR"])
def test_dangerous_cells_are_neutralised_and_read_back(text):
    assert neutralize_cell(text) == "'" + text
    assert unneutralize_cell(neutralize_cell(text)) == text


@pytest.mark.parametrize("phone", ["+49 5321 412", "+49 (0) 5321 / 412-0", "+4953214120"])
def test_phone_numbers_stay_readable(phone):
    assert neutralize_cell(phone) == phone


def test_excel_export_cannot_run_a_formula_and_imports_back_unchanged(coordinator_client, offers):
    Offer.objects.filter(slug="elterncafe").update(title_de="=HYPERLINK(\"http://evil.example\",\"Klick\")", title_en="@SUM(A1)")
    before = state()
    content = export(coordinator_client)
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in ws[1]]
    cells = [ws.cell(row=r, column=headers.index("title") + 1) for r in (2, 3)]
    formula = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert formula.data_type == "s" and formula.value.startswith("'=")
    response = upload(coordinator_client, content, "angebote.xlsx", XLSX)
    assert response.context["totals"]["update"] == 0
    confirm(coordinator_client, response)
    assert state() == before
    assert Offer.objects.get(slug="elterncafe").title_en == "@SUM(A1)"


def test_public_csv_neutralises_formulas_but_not_phone_numbers(client, offers):
    Offer.objects.filter(slug="schulberatung").update(status="published", title_de="-Beratung", valid_from=None, valid_until=None)
    response = client.get("/export/angebote.csv")
    content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    row = next(csv.DictReader(io.StringIO(content)))
    assert row["titel"] == "'-Beratung"
    assert row["telefon"] == "+49 5321 412"


# --- The pages are German ---------------------------------------------------------------------


def test_export_and_import_pages_speak_german(coordinator_client, offers):
    export_page = coordinator_client.get(reverse("admin:directory_offer_export")).content.decode()
    assert "Select all" not in export_page and "How To Get Help" not in export_page
    assert "Alle auswählen" in export_page and "Diese Spalten kommen in die Datei" in export_page
    assert "So bekommen Sie Hilfe (how_to_get_help)" in export_page
    assert "Kurzbeschreibung [ar] (summary_ar)" in export_page
    import_page = coordinator_client.get(reverse("admin:directory_offer_import")).content.decode()
    assert "Datei (.xlsx oder .csv)" in import_page
