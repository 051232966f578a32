"""Import and export pages of the admin, in German and in the spreadsheet's own numbering.

Every problem is listed as text – row and column as Excel shows them (the header is
row 1), the column's name and what to do – so it can be read on a tablet without
hovering. A file with any problem imports nothing: the confirm button only appears
for a file without problems, and the confirmed import runs in one transaction.
"""

from django import forms
from django.contrib import messages as admin_messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm

from .roles import is_coordinator
from .spreadsheet import MAX_IMPORT_BYTES, CheckedXLSX, GermanExcelCSV, ImportFileError, column_letter


class GermanImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("Datei (.xlsx oder .csv)")
        self.fields["import_file"].help_text = _(
            "Am besten eine Datei, die Sie hier exportiert und dann bearbeitet haben. "
            "CSV darf mit Semikolon oder Komma getrennt sein (UTF-8 oder Windows-1252)."
        )
        self.fields["format"].label = _("Format")
        if "resource" in self.fields:
            self.fields["resource"].label = _("Art der Einträge")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _t("Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(limit)s MB. Ist es die richtige Datei?")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "limit": MAX_IMPORT_BYTES // 1024 // 1024}
            )
        if upload.size == 0:
            raise forms.ValidationError(_t("Die Datei ist leer."))
        return upload


class GermanConfirmImportForm(ConfirmImportForm):
    overwrite_newer = forms.BooleanField(
        label=_("Auch diese Zeilen übernehmen – das überschreibt, was seit dem Export im Wegweiser geändert wurde"),
        required=False,
    )


class GermanExportForm(SelectableFieldsExportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "format" in self.fields:
            self.fields["format"].label = _("Format")
        if "resource" in self.fields:
            self.fields["resource"].label = _("Art der Einträge")

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        label = getattr(field, "label", "") if field else ""
        column = field.column_name if field else field_name
        return f"{label} ({column})" if label else column


def describe_problems(result):
    """[{"row": 5, "column": "C", "name": "summary", "label": "Kurzbeschreibung", "message": …}] in file order."""
    headers = list(getattr(result, "file_headers", []) or [])
    by_attribute = getattr(result, "column_of_attribute", {})
    labels = getattr(result, "column_labels", {})
    problems = []
    seen = set()
    for invalid in result.invalid_rows:
        row = invalid.number + 1  # the data's first row is the spreadsheet's row 2
        for key, messages in invalid.error_dict.items():
            name = "" if key == NON_FIELD_ERRORS else by_attribute.get(key, by_attribute.get(key.rsplit("_", 1)[0], key))
            letter = column_letter(headers.index(name)) if name in headers else ""
            for message in messages:
                identity = (row, name, message)
                if identity in seen:
                    continue  # the same problem found by two checks (e.g. title and its German column)
                seen.add(identity)
                problems.append(
                    {"row": row, "column": letter, "name": name, "label": labels.get(name, ""), "message": message}
                )
    for number, row_result in enumerate(result.rows, start=2):
        for error in row_result.errors:
            problems.append({"row": number, "column": "", "name": "", "label": "", "message": _t(
                "Diese Zeile lässt sich nicht speichern (%(error)s)."
            ) % {"error": type(error.error).__name__}})
    problems.sort(key=lambda problem: (problem["row"], len(problem["column"]) or 99, problem["column"]))
    return problems


def file_problems(result):
    """Messages about the file as a whole (unknown columns, duplicated ids …)."""
    messages = []
    for error in result.base_errors:
        if isinstance(error.error, ImportFileError):
            messages.append(str(error.error))
        else:
            messages.append(_t("Die Datei ließ sich nicht einlesen (%(error)s). Es wurde nichts übernommen.")
                            % {"error": type(error.error).__name__})
    return messages


def preview_rows(result):
    """New and changed rows with their spreadsheet row, the columns that change and their old and new values.
    A row whose offer changed after the export carries `conflict` (when it was exported, when it was changed)."""
    rows = []
    for number, row_result in enumerate(result.rows, start=2):
        instance = getattr(row_result, "instance", None)
        conflict = getattr(instance, "_conflict", None)
        if row_result.import_type not in ("new", "update") and not conflict:
            continue
        rows.append({
            "conflict": conflict,
            "row": number,
            "new": row_result.import_type == "new",
            "title": str(instance) if instance is not None else row_result.object_repr,
            "columns": getattr(instance, "_changed_columns", []),
            "changes": getattr(instance, "_changes", []),
        })
    return rows


class SpreadsheetAdminMixin:
    """Import and export for a resource of directory.resources, in German, for the coordinator only."""

    formats = [GermanExcelCSV, CheckedXLSX]
    import_template_name = "admin/directory/import.html"
    export_template_name = "admin/directory/export.html"
    import_form_class = GermanImportForm
    confirm_form_class = GermanConfirmImportForm
    export_form_class = GermanExportForm
    import_error_display = ("message",)

    def get_valid_export_item_pks(self, request):
        # Selected ids outside the user's scope are refused by the export form (the library's default lists every row).
        return self.get_queryset(request).values_list("pk", flat=True)

    def has_import_permission(self, request):
        # An import can create and publish anything for any organization: coordination only.
        return is_coordinator(request.user) and super().has_import_permission(request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Excel gets real dates and numbers; CSV gets text as German Excel writes it.
        native = isinstance(file_format, CheckedXLSX)
        dataset = self.get_data_for_export(request, queryset, force_native_type=native, **kwargs)
        dataset.title = self.export_name()[:31]  # the sheet's name in Excel (at most 31 characters)
        return file_format.export_data(dataset)

    def export_name(self):
        return str(self.model._meta.verbose_name_plural)

    def get_export_filename(self, request, queryset, file_format):
        # "wegweiser-angebote-2026-11-30.xlsx", not "Offer-2026-11-30.xlsx".
        name = slugify(self.export_name().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))
        return f"wegweiser-{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        overwrite_newer = isinstance(form, GermanConfirmImportForm) and form.cleaned_data.get("overwrite_newer", False)
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["overwrite_newer"] = overwrite_newer
        kwargs["rollback_on_validation_errors"] = True  # a file with any error imports nothing
        kwargs["retain_instance_in_row_result"] = True  # the preview names each row's offer
        return kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            form.add_error(
                "import_file",
                _t(
                    "Die Datei ließ sich nicht lesen. Ist es eine Excel-Datei (.xlsx) oder eine CSV-Datei, "
                    "und passt das gewählte Format?"
                ),
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        result = context.get("result") if context else None
        if result is not None:
            context["file_problems"] = file_problems(result)
            context["row_problems"] = describe_problems(result)
            rows = preview_rows(result)
            context["preview_rows"] = [row for row in rows if not row["conflict"]]
            context["conflict_rows"] = [row for row in rows if row["conflict"]]
            context["totals"] = {**result.totals, "skip": result.totals["skip"] - len(context["conflict_rows"])}
            changed_column = getattr(result, "changed_column", "")
            context["without_changed_column"] = changed_column and changed_column not in result.file_headers
            context["changed_column"] = changed_column
        return response

    def process_result(self, result, request):
        left_out = [row for row in preview_rows(result) if row["conflict"]]
        if left_out:
            admin_messages.warning(request, _t(
                "Nicht übernommen, weil sie seit dem Export im Wegweiser geändert wurden: Zeile %(rows)s."
            ) % {"rows": ", ".join(str(row["row"]) for row in left_out)})
        return super().process_result(result, request)
