"""Offers and their places as CSV and Excel (django-import-export).

Offers are keyed by their stable web address (slug), places by their UUID. Categories and
target groups are lists of slugs, languages a list of ISO codes, places a list of place
ids, the organization its slug. Contacts are one line each: "Name | Telefon | E-Mail |
Erreichbar". Every translated text has one column per language ("title_ar").

Each cell reads back exactly what it was exported as: ja/nein for yes and no, dates as
TT.MM.JJJJ (or the datetimes Excel gives), empty cells as empty. Only rows that differ
from the stored offer are saved, and each of those once, with one history entry.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from import_export import fields, instance_loaders, resources, widgets

from .history import CONTACT_FIELDS, record_version
from .models import Category, Contact, Language, Location, Offer, Organization, TargetGroup, Town
from .offer_form import offer_form_errors
from .spreadsheet import ImportFileError, column_letter, neutralize_cell
from .text import normalize_instance, normalize_text

CONTACT_PARTS = ["name", "phone", "email", "hours"]
OFFER_TEXTS = ["title", "summary", "description", "how_to_get_help", "cost_note"]
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MAX_LISTED = 12  # allowed values named in an error message
# Languages whose letters Windows-1252 (Excel's plain CSV) cannot all hold.
LOSSY_IN_WINDOWS_1252 = {code for code, _name in settings.LANGUAGES} - {"de", "en"}


def allowed(values):
    values = [str(value) for value in values]
    shown = ", ".join(values[:MAX_LISTED]) + (" …" if len(values) > MAX_LISTED else "")
    return _t("Erlaubt: %(values)s") % {"values": shown} if values else _t("Es gibt noch keine.")


def unknown(value, values):
    return _t("„%(value)s“ gibt es nicht. %(allowed)s") % {"value": value, "allowed": allowed(values)}


def cell_text(value):
    """A cell as text: Excel gives 38640 for a postal code and 5.0 for "5"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return cell_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    """ja / nein – what the coordinator writes; also 1/0, wahr/falsch, x and Excel's TRUE/FALSE."""

    YES = {"ja", "j", "x", "1", "wahr", "true", "yes"}
    NO = {"nein", "n", "", "0", "falsch", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_t("„%(value)s“ ist weder ja noch nein. Erlaubt: ja, nein") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nein"


class GermanDateWidget(widgets.Widget):
    """TT.MM.JJJJ out; in: that, 2026-01-31, or the datetime an Excel date cell holds."""

    FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value).strip()
        if not text:
            return None
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(_t("„%(value)s“ ist kein Datum. Bitte so: 31.12.2026") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.strftime("%d.%m.%Y")


class TimestampWidget(widgets.Widget):
    """When the offer was last changed, as German local time to the second ("30.11.2026 16:45:12").
    Text also in Excel, which cannot store a time zone."""

    FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S"]

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            text = cell_text(value).strip()
            if not text:
                return None
            for time_format in self.FORMATS:
                try:
                    moment = datetime.datetime.strptime(text, time_format)
                    break
                except ValueError:
                    continue
            else:
                raise ValueError(
                    _t("„%(value)s“ ist kein Zeitpunkt. Diese Spalte bitte so lassen, wie sie exportiert wurde "
                       "(z. B. 30.11.2026 16:45:12), oder leeren.") % {"value": value}
                )
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")


class ChoiceWidget(widgets.Widget):
    """A choice by its German label ("veröffentlicht") or its code ("published")."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).strip().lower()
        for code, label in self.choices:
            if text in (str(code).lower(), str(label).lower()):
                return code
        raise ValueError(
            _t("„%(value)s“ ist kein erlaubter Wert. %(allowed)s")
            % {
                "value": value if value not in (None, "") else _t("(leer)"),
                "allowed": allowed(label for _c, label in self.choices),
            }
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class DecimalCellWidget(widgets.Widget):
    def __init__(self, places, **kwargs):
        super().__init__(**kwargs)
        self.quantum = Decimal(1).scaleb(-places)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            return Decimal(text).quantize(self.quantum)
        except InvalidOperation:
            raise ValueError(_t("„%(value)s“ ist keine Zahl. Bitte so: 51,9061") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class KeyListWidget(widgets.ManyToManyWidget):
    """Comma-separated keys; an unknown key is a row error naming the allowed ones, never dropped."""

    def clean(self, value, row=None, **kwargs):
        keys = [key.strip() for key in cell_text(value).replace(";", ",").split(",") if key.strip()]
        # Each resource (one import) has its own copy of the widget: keys looked up once per file, not per row.
        cache = self.__dict__.setdefault("_cache", {})
        found = []
        for key in keys:
            if key not in cache:
                try:
                    cache[key] = self.model.objects.filter(**{self.field: key}).first()
                except (ValidationError, ValueError):
                    cache[key] = None  # not even the shape of a key (e.g. a place id that is no UUID)
            if cache[key] is not None:
                found.append(cache[key])
        missing = [key for key in keys if key not in {str(getattr(obj, self.field)) for obj in found}]
        if missing:
            known = self.model.objects.order_by(self.field).values_list(self.field, flat=True)
            raise ValueError(unknown(", ".join(missing), known))
        return found

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(sorted(str(getattr(item, self.field)) for item in value.all())) if value else ""


class KeyForeignKeyWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        key = cell_text(value).strip()
        if not key:
            raise ValueError(_t("Bitte ausfüllen. %(allowed)s") % {"allowed": allowed(self._known())})
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            try:
                cache[key] = self.model.objects.get(**{self.field: key})
            except (self.model.DoesNotExist, ValidationError, ValueError):
                cache[key] = None
        if cache[key] is None:
            raise ValueError(unknown(key, self._known()))
        return cache[key]

    def _known(self):
        return self.model.objects.order_by(self.field).values_list(self.field, flat=True)


def split_contact_line(line):
    """A contact line's parts: "|" separates them, "\\|" is a "|" inside a part and "\\\\" a backslash."""
    parts, current, characters = [], [], iter(line)
    for character in characters:
        if character == "\\":
            following = next(characters, "")
            if following in ("|", "\\"):
                current.append(following)
            else:
                current.append(character + following)  # a lone backslash is just a backslash
        elif character == "|":
            parts.append("".join(current))
            current = []
        else:
            current.append(character)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def escape_contact_part(value):
    # A line break inside a part would start a new contact: it travels as a space.
    return " ".join(str(value or "").split("\n")).replace("\\", "\\\\").replace("|", "\\|")


def parse_contacts(text):
    """Lines of "Name | Telefon | E-Mail | Erreichbar" -> contact dicts (validated like the admin form)."""
    rows = []
    for position, line in enumerate(line for line in cell_text(text).splitlines() if line.strip()):
        parts = split_contact_line(line)
        if len(parts) > len(CONTACT_PARTS):
            raise ValueError(_("Ansprechperson „%(line)s“: höchstens vier Teile, getrennt durch |.") % {"line": line})
        data = dict(zip(CONTACT_PARTS, parts + [""] * (len(CONTACT_PARTS) - len(parts)), strict=True))
        contact = Contact(position=position, **data)
        try:
            contact.full_clean(exclude=["offer"])
        except ValidationError as error:
            messages = " ".join(" ".join(errs) for errs in error.message_dict.values())
            raise ValueError(_("Ansprechperson „%(line)s“: %(errors)s") % {"line": line, "errors": messages}) from None
        rows.append({name: getattr(contact, name) for name in CONTACT_FIELDS})
    return rows


def format_contacts(contacts):
    lines = []
    for contact in contacts:
        parts = [escape_contact_part(getattr(contact, name)) for name in CONTACT_PARTS]
        while parts and not parts[-1]:
            parts.pop()  # "Sekretariat |  | info@…" without empty parts at the end
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class ContactsField(fields.Field):
    """Contacts are saved after the offer (they need its key); the parsed rows wait on the instance."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._imported_contacts = parse_contacts(row.get(self.column_name))

    def get_value(self, instance):
        return instance


def too_long_cells(instance, import_fields):
    """{attribute: message} for texts longer than the admin form allows (the model does not check a TextField's limit).
    Nothing is cut: the row is refused with the limit and the length."""
    errors = {}
    for field in import_fields:
        try:
            model_field = instance._meta.get_field(field.attribute)
        except Exception:  # a column that is no model field (contacts, lists)
            continue
        if not isinstance(model_field, models.TextField) or not model_field.max_length:
            continue
        length = len(getattr(instance, field.attribute) or "")
        if length > model_field.max_length:
            errors[field.attribute] = ValidationError(
                _t("Höchstens %(limit)d Zeichen – in dieser Zelle stehen %(count)d. Bitte kürzen; nichts wurde übernommen.")
                % {"limit": model_field.max_length, "count": length},
                code="max_length",
            )
    return errors


class SpreadsheetResource(resources.ModelResource):
    """What offers and places share: checks of the whole file, errors by spreadsheet row and column."""

    id_column = ""
    changed_column = ""  # the column with each row's "geändert" time at export, if the resource has one
    overwrite_newer = False

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralize_cell(value) for value in super().export_resource(instance, selected_fields, **kwargs)]

    def import_data(self, dataset, *args, **kwargs):
        result = super().import_data(dataset, *args, **kwargs)
        # What the admin needs to name each problem's column as the spreadsheet does.
        result.file_headers = list(dataset.headers or [])
        result.column_of_attribute = {
            **{name: name for name in self.model_field_columns},
            **{field.attribute: field.column_name for field in self.get_import_fields()},
        }
        result.column_labels = self.column_labels()
        result.changed_column = self.changed_column
        return result

    model_field_columns = ()

    def cell_display(self, field, obj, row=None):
        """A cell as the file shows it (ja/nein, 31.12.2026, the status's German name); `row` for the imported side."""
        value = field.get_value(obj)
        return "" if value in (None, "") else str(field.widget.render(value))

    def describe_changes(self, instance, original, row, columns):
        """[{column, label, old, new}] for the preview: what each changed cell was and will be."""
        by_column = {field.column_name: field for field in self.get_import_fields()}
        return [
            {
                "column": column,
                "label": str(getattr(by_column[column], "label", "")),
                "old": self.cell_display(by_column[column], original),
                "new": self.cell_display(by_column[column], instance, row),
            }
            for column in columns
        ]

    def column_labels(self):
        return {field.column_name: str(getattr(field, "label", "")) for field in self.get_import_fields()}

    def before_import(self, dataset, **kwargs):
        """Whole-file problems stop the import before any row is looked at."""
        known = [field.column_name for field in self.fields.values()]
        unknown_columns = [header for header in dataset.headers if header not in known]
        if unknown_columns:
            raise ImportFileError(
                _t("Diese Spalten kennt der Wegweiser nicht: %(columns)s. Bitte benennen oder löschen Sie sie. %(allowed)s")
                % {
                    "columns": ", ".join(
                        f"{column_letter(dataset.headers.index(h))} „{h}“" for h in unknown_columns
                    ),
                    "allowed": allowed(known),
                }
            )
        repeated = [header for header in set(dataset.headers) if dataset.headers.count(header) > 1]
        if repeated:
            raise ImportFileError(
                _t("Diese Spaltenüberschriften kommen mehrmals vor: %(columns)s.") % {"columns": ", ".join(sorted(repeated))}
            )
        if self.id_column not in dataset.headers:
            raise ImportFileError(
                _t("Die Spalte „%(column)s“ fehlt. An ihr erkennt der Wegweiser, welche Zeile zu welchem Eintrag gehört.")
                % {"column": self.id_column}
            )
        if getattr(dataset, "windows_1252", False):
            lossy = [
                header for header in dataset.headers
                if header.rsplit("_", 1)[-1] in LOSSY_IN_WINDOWS_1252 and any(str(v or "").strip() for v in dataset[header])
            ]
            if lossy:
                raise ImportFileError(
                    _t(
                        "Diese CSV-Datei ist im Format „CSV (Trennzeichen-getrennt)“ gespeichert. Darin ersetzt Excel "
                        "arabische, persische, kyrillische und manche türkische, polnische und rumänische Buchstaben "
                        "durch „?“; die Übersetzungen würden so überschrieben. Betroffene Spalten: %(columns)s. "
                        "Bitte speichern Sie in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ oder als "
                        "Excel-Arbeitsmappe (.xlsx), oder löschen Sie diese Spalten."
                    )
                    % {"columns": ", ".join(f"{column_letter(dataset.headers.index(h))} „{h}“" for h in lossy[:8])
                       + (" …" if len(lossy) > 8 else "")}
                )
        seen = {}
        duplicates = []
        for number, key in enumerate(dataset[self.id_column], start=2):
            key = str(key or "").strip()
            if not key:
                continue
            if key in seen:
                duplicates.append(
                    _t("„%(key)s“ in Zeile %(first)d und %(row)d") % {"key": key, "first": seen[key], "row": number}
                )
            seen.setdefault(key, number)
        if duplicates:
            raise ImportFileError(
                _t("Jeder Eintrag darf nur einmal vorkommen. Doppelt in Spalte „%(column)s“: %(rows)s.")
                % {"column": self.id_column, "rows": "; ".join(duplicates)}
            )
        # Rows changed in the Wegweiser since the export are left out unless the coordinator confirms them.
        self.overwrite_newer = bool(kwargs.get("overwrite_newer"))
        super().before_import(dataset, **kwargs)


def _labelled(field, label):
    field.label = label  # shown on the export page and in import errors
    return field


def _text_field(attribute, column, label):
    return _labelled(fields.Field(attribute=attribute, column_name=column, widget=TextWidget()), label)


def _translation_columns():
    columns = {}
    for name in OFFER_TEXTS:
        model_field = Offer._meta.get_field(name)
        for code in OTHER_LANGUAGES:
            label = f"{model_field.verbose_name} [{code}]"
            columns[f"{name}_{code}"] = _text_field(f"{name}_{code}", f"{name}_{code}", label)
    return columns


TRANSLATION_COLUMNS = _translation_columns()


def _column(attribute, label, widget):
    return _labelled(fields.Field(attribute=attribute, column_name=attribute, widget=widget), label)


class OfferResource(SpreadsheetResource):
    id_column = "slug"
    changed_column = "changed"
    model_field_columns = OFFER_TEXTS  # full_clean names "title" where the column is "title"

    slug = _text_field("slug", "slug", _("Kurzname in der Adresse"))
    title = _text_field("title_de", "title", _("Titel"))
    summary = _text_field("summary_de", "summary", _("Kurzbeschreibung"))
    description = _text_field("description_de", "description", _("Beschreibung"))
    how_to_get_help = _text_field("how_to_get_help_de", "how_to_get_help", _("So bekommen Sie Hilfe"))
    cost_note = _text_field("cost_note_de", "cost_note", _("Kosten"))
    organization = _column("organization", _("Träger"), KeyForeignKeyWidget(Organization, "slug"))
    categories = _column("categories", _("Kategorien"), KeyListWidget(Category, field="slug"))
    languages = _column("languages", _("Sprachen"), KeyListWidget(Language, field="code"))
    target_groups = _column("target_groups", _("Zielgruppen"), KeyListWidget(TargetGroup, field="slug"))
    locations = _column("locations", _("Orte"), KeyListWidget(Location, field="uuid"))
    format_in_person = _column("format_in_person", _("vor Ort"), YesNoWidget())
    format_phone = _column("format_phone", _("am Telefon"), YesNoWidget())
    format_video = _column("format_video", _("per Video"), YesNoWidget())
    format_home_visit = _column("format_home_visit", _("Hausbesuch"), YesNoWidget())
    format_group = _column("format_group", _("in der Gruppe"), YesNoWidget())
    is_free = _column("is_free", _("kostenlos"), YesNoWidget())
    appointment_needed = _column("appointment_needed", _("Termin nötig"), YesNoWidget())
    anonymous_possible = _column("anonymous_possible", _("anonym möglich"), YesNoWidget())
    website = _text_field("website", "website", _("Website"))
    status = _column("status", _("Status"), ChoiceWidget(Offer.Status.choices))
    valid_from = _column("valid_from", _("gültig ab"), GermanDateWidget())
    valid_until = _column("valid_until", _("gültig bis"), GermanDateWidget())
    last_reviewed = _column("last_reviewed", _("zuletzt geprüft"), GermanDateWidget())
    contacts = _labelled(ContactsField(attribute="contacts", column_name="contacts"), _("Ansprechpersonen"))
    # Read back to find rows whose offer was changed in the Wegweiser after the export; never written.
    changed = _labelled(
        fields.Field(attribute="updated", column_name="changed", widget=TimestampWidget(), readonly=True),
        _("geändert am (nicht ändern)"),
    )
    # One column per language and translated text, e.g. "summary_ar".
    vars().update(TRANSLATION_COLUMNS)

    class Meta:
        model = Offer
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "summary",
            "description",
            "how_to_get_help",
            "organization",
            "categories",
            "languages",
            "target_groups",
            "locations",
            "format_in_person",
            "format_phone",
            "format_video",
            "format_home_visit",
            "format_group",
            "is_free",
            "cost_note",
            "appointment_needed",
            "anonymous_possible",
            "website",
            "status",
            "valid_from",
            "valid_until",
            "last_reviewed",
            "contacts",
            *TRANSLATION_COLUMNS,
            "changed",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # All rows' offers (and their lists) in a few queries instead of several per row.
        instance_loader_class = instance_loaders.CachedInstanceLoader

    @classmethod
    def get_display_name(cls):
        return str(Offer._meta.verbose_name_plural)

    def dehydrate_contacts(self, offer):
        return format_contacts(offer.contacts.all())

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related("categories", "languages", "target_groups", "locations", "contacts")
            .order_by("title_de", "pk")
        )

    def import_instance(self, instance, row, **kwargs):
        # The library checks many-to-many columns only when saving; check them with the rest so the row shows every error.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Compared with the stored offer in the form it would be stored in: a cell with "\r\n" is no change.
        normalize_instance(instance)
        errors.update(too_long_cells(instance, self.get_import_fields()))
        try:
            instance._exported_at = self.fields["changed"].clean(row) if "changed" in row else None
        except ValueError as error:
            errors["changed"] = ValidationError(str(error), code="invalid")
        related = {}
        for field in self.get_import_fields():
            if not isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            if field.column_name not in row:
                # A column left out of the file keeps the offer's list as it is.
                related[field.attribute] = list(getattr(instance, field.attribute).all()) if instance.pk else []
                continue
            try:
                related[field.attribute] = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
                related[field.attribute] = []
        # A list that could not be read would give the form's rules a wrong list ("vor Ort" without a place):
        # its own error is shown, the rules follow once it is fixed.
        instance._imported_related = None if errors else related
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, then the admin form's own rules (a published offer "vor Ort" needs a place,
        every offer a category …); a field the model already complained about is named once."""
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        related = getattr(instance, "_imported_related", None)
        if related is not None:
            for name, messages in offer_form_errors(instance, related).items():
                if name not in errors and name.rsplit("_", 1)[0] not in errors:
                    errors[name] = messages
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped (no save, no history entry). Empty and missing text count as the same."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        instance._changed_columns = self.changed_columns(instance, original, row)
        instance._changes = self.describe_changes(instance, original, row, instance._changed_columns)
        if not instance._changed_columns:
            return True
        exported_at = getattr(instance, "_exported_at", None)
        # `updated` has microseconds, the file whole seconds.
        if exported_at and original.updated.replace(microsecond=0) > exported_at and not self.overwrite_newer:
            instance._conflict = {"exported": exported_at, "updated": original.updated}
            return True  # left out: the file would undo what changed since the export
        return False

    def cell_display(self, field, obj, row=None):
        if isinstance(field.widget, widgets.ManyToManyWidget):
            items = field.clean(row) if row is not None else field.get_value(obj).all()
            return ", ".join(sorted(str(getattr(item, field.widget.field)) for item in items))
        if isinstance(field, ContactsField):
            contacts = [Contact(**data) for data in obj._imported_contacts] if row is not None else obj.contacts.all()
            return format_contacts(contacts)
        return super().cell_display(field, obj, row)

    def changed_columns(self, instance, original, row):
        changed = []
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                imported = sorted(obj.pk for obj in field.clean(row))
                if imported != sorted(field.get_value(original).values_list("pk", flat=True)):
                    changed.append(field.column_name)
            elif isinstance(field, ContactsField):
                if format_contacts(original.contacts.all()) != format_contacts(Contact(**r) for r in instance._imported_contacts):
                    changed.append(field.column_name)
            elif (field.get_value(instance) or None) != (field.get_value(original) or None):
                changed.append(field.column_name)
        return changed

    def before_save_instance(self, instance, row, **kwargs):
        instance.skip_history_when_saving = True  # one history entry per row, after lists and contacts

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        rows = getattr(instance, "_imported_contacts", None)
        changed = getattr(instance, "_changed_columns", None)
        if rows is not None and (changed is None or "contacts" in changed):
            # Contacts keep what the sheet does not carry (role, translations): matched by name, updated in place.
            existing = {contact.name: contact for contact in instance.contacts.all()}
            for data in rows:
                contact = existing.pop(data["name"], None)
                if contact is None:
                    Contact.objects.create(offer=instance, **{k: v for k, v in data.items() if k in CONTACT_PARTS + ["position"]})
                    continue
                contact.offer = instance  # carries the skip flag: one history entry for the row
                for name in [*CONTACT_PARTS, "position"]:
                    setattr(contact, name, data[name])
                contact.save()
            for contact in existing.values():
                contact.offer = instance
                contact.delete()
        if hasattr(instance, "skip_history_when_saving"):
            del instance.skip_history_when_saving
            instance.refresh_search_text()
            record_version(instance, reason=_t("importiert"))


class LocationResource(SpreadsheetResource):
    """Orte der Angebote. The id column is the place's UUID; an empty id makes a new place."""

    id_column = "id"

    # Read-only: it finds the place (get_instance); a new place gets its own UUID.
    id = _labelled(fields.Field(attribute="uuid", column_name="id", widget=TextWidget(), readonly=True), _("Kennung (UUID)"))
    organization = _column("organization", _("Träger"), KeyForeignKeyWidget(Organization, "slug"))
    name = _text_field("name", "name", _("Name des Ortes"))
    street = _text_field("street", "street", _("Straße und Hausnummer"))
    postal_code = _text_field("postal_code", "postal_code", _("PLZ"))
    town = _column("town", _("Ort"), KeyForeignKeyWidget(Town, "slug"))
    latitude = _column("latitude", _("Breitengrad"), DecimalCellWidget(6))
    longitude = _column("longitude", _("Längengrad"), DecimalCellWidget(6))
    wheelchair_access = _column("wheelchair_access", _("Rollstuhlzugang"), ChoiceWidget(Location.Access.choices))
    opening_hours = _text_field("opening_hours", "opening_hours", _("Öffnungszeiten"))

    class Meta:
        model = Location
        import_id_fields = ["id"]
        fields = [
            "id", "organization", "name", "street", "postal_code", "town",
            "latitude", "longitude", "wheelchair_access", "opening_hours",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return str(Location._meta.verbose_name_plural)

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "town").order_by("organization__name", "name", "pk")

    def get_instance(self, instance_loader, row):
        key = cell_text(row.get("id")).strip()
        if not key:
            return None
        try:
            return Location.objects.filter(uuid=key).first()
        except ValidationError:
            raise ValidationError({"uuid": _t("„%(key)s“ ist keine gültige Kennung.") % {"key": key}}) from None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        normalize_instance(instance)
        errors = too_long_cells(instance, self.get_import_fields())
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or original is None or original.pk is None:
            return False
        instance._changed_columns = [
            field.column_name
            for field in self.get_import_fields()
            if field.column_name in row and (field.get_value(instance) or None) != (field.get_value(original) or None)
        ]
        instance._changes = self.describe_changes(instance, original, row, instance._changed_columns)
        return not instance._changed_columns
