"""Spreadsheets as the coordinator has them: reading what Excel writes, writing what Excel cannot run.

Formula injection (OWASP "CSV Injection"): a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return may be run as a formula by a spreadsheet program.
Every export puts an apostrophe in front of such a cell, which spreadsheet programs
show as text. International phone numbers ("+49 5321 412-0") are the exception: a "+"
followed only by digits, spaces and ``( ) / -`` contains no letters, so it cannot name a
function, a cell or a command (the payload of every known attack) – it stays as it is,
readable and dialable. In the Excel export it is a text cell and shows exactly so. The
import takes the apostrophe off again, so an exported file comes back unchanged.
"""

import csv
import io
import re
import zipfile

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_LIKE = re.compile(r"^\+[0-9][0-9 ()/.\-–]*[0-9]$")
MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a few hundred offers are well under 1 MB


def neutralize_cell(value):
    """The value as it may go into a spreadsheet cell without being run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if PHONE_LIKE.match(value):
        return value
    return "'" + value


def unneutralize_cell(value):
    """Reverse `neutralize_cell` for an imported cell."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the coordinator."""


def column_letter(index):
    """0 -> "A", 26 -> "AA", as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _dataset(rows, formula_cells):
    if formula_cells:
        shown = ", ".join(formula_cells[:10]) + (" …" if len(formula_cells) > 10 else "")
        raise ImportFileError(
            _(
                "In diesen Zellen stehen Formeln: %(cells)s. Formeln werden nicht übernommen. "
                "Bitte ersetzen Sie sie durch ihre Werte (Kopieren, dann „Einfügen als Werte“)."
            )
            % {"cells": shown}
        )
    while rows and all(value in (None, "") for value in rows[-1]):
        rows.pop()
    if not rows or all(value in (None, "") for value in rows[0]):
        raise ImportFileError(_("Die Datei ist leer. In der ersten Zeile müssen die Spaltenüberschriften stehen."))
    headers = [str(value).strip() if value is not None else "" for value in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if "" in headers:
        raise ImportFileError(
            _("Spalte %(column)s hat keine Überschrift. Bitte geben Sie jeder Spalte in Zeile 1 ihre Überschrift.")
            % {"column": column_letter(headers.index(""))}
        )
    dataset = tablib.Dataset(headers=headers)
    for number, row in enumerate(rows[1:], start=2):
        row = list(row)
        filled = [index for index, value in enumerate(row) if index >= len(headers) and value not in (None, "")]
        if filled:
            raise ImportFileError(
                _("Zeile %(row)d hat Werte in Spalte %(column)s, die keine Überschrift hat.")
                % {"row": number, "column": column_letter(filled[0])}
            )
        row = row[: len(headers)] + [None] * (len(headers) - len(row))
        dataset.append([unneutralize_cell(value) for value in row])
    return dataset


def read_csv(data):
    """CSV as German Excel saves it: ``;`` or ``,``, UTF-8 (with or without BOM) or Windows-1252."""
    windows_1252 = False
    if isinstance(data, str):
        text = data
    else:
        if not data.strip():
            raise ImportFileError(_("Die Datei ist leer. In der ersten Zeile müssen die Spaltenüberschriften stehen."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            windows_1252 = True
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [[cell.replace("\r\n", "\n") for cell in row] for row in rows if row]
    formulas = [
        f"{column_letter(col)}{number}"
        for number, row in enumerate(rows, start=1)
        for col, cell in enumerate(row)
        if cell.startswith("=")
    ]
    dataset = _dataset(rows, formulas)
    # Excel's plain "CSV" format writes "?" for every letter Windows-1252 lacks (Arabic, Cyrillic, ğ, ș …).
    dataset.windows_1252 = windows_1252
    return dataset


def read_xlsx(data):
    """The only sheet of an Excel workbook; dates come back as datetimes (the widgets take the date)."""
    import openpyxl  # on first use: only Excel imports need it, and it is slow to load

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        if not data:
            raise ImportFileError(_("Die Datei ist leer.")) from error
        raise ImportFileError(
            _(
                "Die Datei lässt sich nicht als Excel-Datei (.xlsx) lesen. "
                "Bitte speichern Sie sie in Excel als „Excel-Arbeitsmappe“."
            )
        ) from error
    sheets = [sheet for sheet in book.worksheets if sheet.max_row > 1 or sheet.max_column > 1 or sheet["A1"].value is not None]
    if len(sheets) > 1:
        raise ImportFileError(
            _(
                "Die Datei hat mehrere Tabellenblätter mit Inhalt (%(names)s). Es wird nur ein Blatt eingelesen, "
                "damit nichts unbemerkt liegen bleibt: Bitte löschen Sie die anderen Blätter oder speichern Sie "
                "jedes für sich."
            )
            % {"names": ", ".join(f"„{sheet.title}“" for sheet in sheets)}
        )
    sheet = sheets[0] if sheets else book.active
    rows, formulas = [], []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            if cell.data_type == "f":
                formulas.append(cell.coordinate)
            values.append(cell.value)
        rows.append(values)
    return _dataset(rows, formulas)


class GermanExcelCSV(base_formats.CSV):
    """CSV that German Excel reads and writes: ``;``, UTF-8 with BOM, CRLF; reads ``,`` and Windows-1252 too."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True  # the bytes reach create_dataset, which finds the encoding itself

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        stream = io.StringIO(newline="")
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow(["" if value is None else value for value in row])
        return "\ufeff" + stream.getvalue()

    def get_content_type(self):
        return "text/csv; charset=utf-8"


class CheckedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)
