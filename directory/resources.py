"""Offers as CSV and Excel (django-import-export), keyed by their stable web address (slug).

Categories and target groups are lists of slugs, languages a list of ISO codes, the
organization its slug. Contacts are one line each: "Name | Telefon | E-Mail | Erreichbar".
Only the German texts travel; translations stay as they are.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from .history import CONTACT_FIELDS, record_version
from .models import Category, Contact, Language, Offer, Organization, TargetGroup
from .text import normalize_instance

CONTACT_PARTS = ["name", "phone", "email", "hours"]


class SlugListWidget(widgets.ManyToManyWidget):
    """Comma-separated keys; an unknown key is a row error, never silently dropped."""

    def clean(self, value, row=None, **kwargs):
        keys = [key.strip() for key in str(value or "").split(self.separator) if key.strip()]
        found = list(self.model.objects.filter(**{f"{self.field}__in": keys}))
        missing = sorted(set(keys) - {str(getattr(obj, self.field)) for obj in found})
        if missing:
            raise ValueError(_("Unbekannt: %(keys)s") % {"keys": ", ".join(missing)})
        return found

    def render(self, value, obj=None, **kwargs):
        return self.separator.join(sorted(str(getattr(item, self.field)) for item in value.all())) if value else ""


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("Unbekannt: %(keys)s") % {"keys": value}) from None


def parse_contacts(text):
    """Lines of "Name | Telefon | E-Mail | Erreichbar" -> contact dicts (validated like the admin form)."""
    rows = []
    for position, line in enumerate(line for line in str(text or "").splitlines() if line.strip()):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > len(CONTACT_PARTS):
            raise ValueError(_("Ansprechperson „%(line)s“: höchstens vier Teile, getrennt durch |.") % {"line": line})
        data = dict(zip(CONTACT_PARTS, parts + [""] * (len(CONTACT_PARTS) - len(parts)), strict=True))
        contact = Contact(position=position, **data)
        try:
            contact.full_clean(exclude=["offer"])
        except ValidationError as error:
            messages = "; ".join(f"{', '.join(errs)}" for errs in error.message_dict.values())
            raise ValueError(_("Ansprechperson „%(line)s“: %(errors)s") % {"line": line, "errors": messages}) from None
        rows.append({name: getattr(contact, name) for name in CONTACT_FIELDS})
    return rows


def format_contacts(contacts):
    return "\n".join(" | ".join(getattr(c, name) for name in CONTACT_PARTS).rstrip(" |") for c in contacts)


class ContactsField(fields.Field):
    """Contacts are saved after the offer (they need its key); the parsed rows wait on the instance."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._imported_contacts = parse_contacts(row.get(self.column_name))

    def get_value(self, instance):
        return instance


class OfferResource(resources.ModelResource):
    title = fields.Field(attribute="title_de", column_name="title")
    summary = fields.Field(attribute="summary_de", column_name="summary")
    description = fields.Field(attribute="description_de", column_name="description")
    how_to_get_help = fields.Field(attribute="how_to_get_help_de", column_name="how_to_get_help")
    cost_note = fields.Field(attribute="cost_note_de", column_name="cost_note")
    organization = fields.Field(
        attribute="organization", column_name="organization", widget=SlugForeignKeyWidget(Organization, "slug")
    )
    categories = fields.Field(attribute="categories", column_name="categories", widget=SlugListWidget(Category, field="slug"))
    languages = fields.Field(attribute="languages", column_name="languages", widget=SlugListWidget(Language, field="code"))
    target_groups = fields.Field(
        attribute="target_groups", column_name="target_groups", widget=SlugListWidget(TargetGroup, field="slug")
    )
    contacts = ContactsField(attribute="contacts", column_name="contacts")

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
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def dehydrate_contacts(self, offer):
        return format_contacts(offer.contacts.all())

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related("categories", "languages", "target_groups", "contacts")
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
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are skipped (no save, no history entry). Empty and missing text count as the same."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                imported = sorted(obj.pk for obj in field.clean(row))
                if imported != sorted(field.get_value(original).values_list("pk", flat=True)):
                    return False
            elif isinstance(field, ContactsField):
                if format_contacts(original.contacts.all()) != format_contacts(Contact(**r) for r in instance._imported_contacts):
                    return False
            elif (field.get_value(instance) or None) != (field.get_value(original) or None):
                return False
        return True

    def before_save_instance(self, instance, row, **kwargs):
        instance.skip_history_when_saving = True  # one history entry per row, after lists and contacts

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        rows = getattr(instance, "_imported_contacts", None)
        if rows is not None:
            for contact in instance.contacts.all():
                contact.offer = instance
                contact.delete()
            for data in rows:
                Contact.objects.create(offer=instance, **data)
        if hasattr(instance, "skip_history_when_saving"):
            del instance.skip_history_when_saving
            instance.refresh_search_text()
            record_version(instance, reason=_t("importiert"))
