"""Versions of an offer: what it looked like, how two versions differ, and bringing one back.

A *snapshot* is a plain, JSON-serialisable dict of an offer's editable state:
``{"fields": {attname: value}, "m2m": {name: [ids]}, "contacts": [{...}]}``. Each key
is optional, so a partner's proposal can carry only what they changed. Snapshots come
from the live offer, from a historical record (django-simple-history plus the contacts
kept on each record) or from a submitted admin form, and one function applies them.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from modeltranslation.translator import translator
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .models import Category, Contact, Language, Location, Offer, Organization, TargetGroup
from .text import normalize_text

# A contact's editable state; "uuid" is its identity, so a restored version updates the contact
# in place and keeps what hangs on it (its time slots, its vCard address).
CONTACT_FIELDS = ["name", "role", "phone", "email", "hours", "position"]
M2M_MODELS = {"categories": Category, "languages": Language, "target_groups": TargetGroup, "locations": Location}
# Kept by the system, never restored: identity, timestamps and derived search text.
NOT_RESTORED = {"id", "uuid", "created", "updated", "search_text", "search_title", "search_summary"}


_paused = ContextVar("directory_history_paused", default=False)


@contextmanager
def history_paused():
    """Bulk loads: no history entry per save, list change or contact; record one version per offer afterwards."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


class PausableHistoricalRecords(HistoricalRecords):
    def post_save(self, *args, **kwargs):
        if not _paused.get():
            super().post_save(*args, **kwargs)

    def post_delete(self, *args, **kwargs):
        if not _paused.get():
            super().post_delete(*args, **kwargs)

    def m2m_changed(self, *args, **kwargs):
        if not _paused.get():
            super().m2m_changed(*args, **kwargs)


class OfferHistoricalRecords(PausableHistoricalRecords):
    """Remembers itself, so a version can be recorded without saving the offer again."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            OfferHistoricalRecords.registered = self


def record_version(offer, user=None, reason="", history_type="~"):
    """Write one history entry with the offer as it is now: fields, lists and contacts."""
    if user is not None:
        offer._history_user = user
    if reason:
        offer._change_reason = reason[:100]
    OfferHistoricalRecords.registered.create_historical_record(offer, history_type)


def restorable_fields():
    """Offer's concrete fields a version may set; per-language columns instead of their virtual parent."""
    translated = set(translator.get_options_for_model(Offer).fields)
    return [f for f in Offer._meta.concrete_fields if f.name not in NOT_RESTORED and f.name not in translated]


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def contact_columns():
    """A contact's stored columns: the plain fields and each translated one in every language."""
    translated = translator.get_options_for_model(Contact).fields
    plain = [name for name in CONTACT_FIELDS if name not in translated]
    return plain + [f"{name}_{code}" for name in translated for code, _name in settings.LANGUAGES]


def contact_rows(contacts):
    """Snapshot rows of contacts: identity, the fields as the admin shows them, and every column."""
    columns = contact_columns()
    return [
        {"uuid": str(contact.uuid), **{name: getattr(contact, name) for name in CONTACT_FIELDS + columns}}
        for contact in contacts
    ]


def _contact_values(row):
    """The columns a snapshot row sets. Rows of older versions and proposals name the German text
    without a language ("name"); a column the row does not have stays as it is."""
    values = {name: row[name] for name in contact_columns() if name in row}
    for name in translator.get_options_for_model(Contact).fields:
        if name in row and f"{name}_de" not in row:
            values[f"{name}_de"] = row[name]
    return values


def _restore_contacts(offer, rows):
    """Bring the offer's contacts to `rows`: the same contact (by uuid, else by name) is updated in
    place, so its time slots stay; contacts the version did not have are removed; new ones created."""
    existing = list(offer.contacts.all())
    by_uuid = {str(contact.uuid): contact for contact in existing}
    kept = set()
    for row in rows:
        contact = by_uuid.get(row.get("uuid") or "")
        if contact is None or contact.pk in kept:
            contact = next((c for c in existing if c.pk not in kept and c.name == row.get("name")), None)
        values = _contact_values(row)
        if contact is None:
            contact = Contact(offer=offer)
        contact.offer = offer  # carries the skip flag: no history entry per contact
        for name, value in values.items():
            setattr(contact, name, (value or 0) if name == "position" else (value or ""))
        contact.full_clean(exclude=["offer", "uuid"])
        contact.save()
        kept.add(contact.pk)
    for contact in existing:
        if contact.pk not in kept:
            contact.offer = offer
            contact.delete()


def snapshot_of_offer(offer):
    return {
        "fields": {f.attname: _jsonable(getattr(offer, f.attname)) for f in restorable_fields()},
        "m2m": {name: sorted(getattr(offer, name).values_list("pk", flat=True)) for name in M2M_MODELS},
        "contacts": contact_rows(offer.contacts.all()),
    }


def snapshot_of_record(record):
    """The state kept in one historical record of an offer."""
    m2m = {}
    for name, model in M2M_MODELS.items():
        column = f"{model._meta.model_name}_id"
        m2m[name] = sorted(getattr(record, name).values_list(column, flat=True))
    return {
        "fields": {f.attname: _jsonable(getattr(record, f.attname)) for f in restorable_fields()},
        "m2m": m2m,
        "contacts": list(record.contacts_snapshot or []),
    }


def snapshot_from_form(form, formsets):
    """Only what a submitted offer form changes: a partner's proposal."""
    snapshot = {}
    changed = set(form.changed_data)
    fields = {f.attname: _jsonable(getattr(form.instance, f.attname)) for f in restorable_fields() if f.name in changed}
    if fields:
        snapshot["fields"] = fields
    m2m = {name: sorted(obj.pk for obj in form.cleaned_data[name]) for name in M2M_MODELS if name in changed}
    if m2m:
        snapshot["m2m"] = m2m
    # Only the contacts are part of a proposal; slots and closures of published offers are the coordination's.
    formsets = [formset for formset in formsets if formset.model._meta.model_name == "contact"]
    if any(formset.has_changed() for formset in formsets):
        rows = []
        for formset in formsets:
            for contact_form in formset.forms:
                data = getattr(contact_form, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                row = {name: data.get(name) or ("" if name != "position" else 0) for name in CONTACT_FIELDS}
                row.update({name: data.get(name) or "" for name in contact_columns() if name in data and name not in row})
                if contact_form.instance.pk:
                    row["uuid"] = str(contact_form.instance.uuid)
                rows.append(row)
        snapshot["contacts"] = rows
    return snapshot


@transaction.atomic
def apply_snapshot(offer, snapshot, user=None, reason=""):
    """Set the offer to the snapshot and record one history entry (with `reason`) for it.

    Raises ValidationError, changing nothing, when the snapshot no longer fits
    (e.g. its web address is now used by another offer).
    """
    by_attname = {f.attname: f for f in restorable_fields()}
    for attname, value in snapshot.get("fields", {}).items():
        if attname in by_attname:
            setattr(offer, attname, by_attname[attname].to_python(value))
    if not Organization.objects.filter(pk=offer.organization_id).exists():
        raise ValidationError(_("Der Träger dieser Fassung gibt es nicht mehr."))
    offer.full_clean(exclude=["search_text", "search_title", "search_summary"])
    offer.skip_history_when_saving = True
    try:
        offer.save()
        for name, ids in snapshot.get("m2m", {}).items():
            # Objects deleted since then cannot come back; the rest does.
            getattr(offer, name).set(M2M_MODELS[name].objects.filter(pk__in=ids))
        if "contacts" in snapshot:
            _restore_contacts(offer, snapshot["contacts"])
    finally:
        del offer.skip_history_when_saving
    offer.refresh_search_text()
    record_version(offer, user, reason)
    return offer


@receiver(pre_create_historical_record)
def keep_contacts_with_offer_version(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Offer):
        history_instance.contacts_snapshot = contact_rows(instance.contacts.all())


@receiver(post_save, sender=Contact)
@receiver(post_delete, sender=Contact)
def contact_changed(sender, instance, raw=False, **kwargs):
    """A contact changed on its own (not inside an offer's save): that is a new version of the offer."""
    if raw or _paused.get():
        return
    offer = instance.offer
    if hasattr(offer, "skip_history_when_saving") or not Offer.objects.filter(pk=offer.pk).exists():
        return
    record_version(offer)


# --- Showing versions side by side ------------------------------------------------------


def field_label(attname):
    """"Beschreibung (Arabisch)" for a translation, "Telefon" for anything else."""
    field = Offer._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
    language = getattr(field, "language", None)  # set on modeltranslation's per-language fields
    if not language:
        return str(field.verbose_name)
    label = str(field.translated_field.verbose_name)
    if language == settings.LANGUAGE_CODE:
        return label
    return f"{label} ({get_language_info(language)['name_translated']})"


def _same(before, after):
    """Empty and missing are the same; so are texts that differ only in line endings or trailing spaces."""
    return (normalize_text(before) or None) == (normalize_text(after) or None)


def _display_field(attname, value):
    field = Offer._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
    if value in (None, ""):
        return "–"
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(field, type(Offer._meta.get_field("valid_from"))):
        return date_format(field.to_python(value), "SHORT_DATE_FORMAT")
    return str(value)


def _display_m2m(name, ids):
    names = [str(obj) for obj in M2M_MODELS[name].objects.filter(pk__in=ids)]
    return ", ".join(names) or "–"


def _display_contacts(rows):
    if not rows:
        return "–"
    lines = []
    for row in sorted(rows, key=lambda r: r.get("position", 0)):
        parts = [row.get(name) for name in ("name", "phone", "email", "hours") if row.get(name)]
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def differences(current, other):
    """[(label, current text, other text)] for everything `other` sets differently."""
    rows = []
    for attname, value in other.get("fields", {}).items():
        now = current.get("fields", {}).get(attname)
        if not _same(now, value):
            rows.append((field_label(attname), _display_field(attname, now), _display_field(attname, value)))
    for name, ids in other.get("m2m", {}).items():
        now = current.get("m2m", {}).get(name, [])
        if sorted(now) != sorted(ids):
            rows.append((str(Offer._meta.get_field(name).verbose_name), _display_m2m(name, now), _display_m2m(name, ids)))
    if "contacts" in other:
        now = current.get("contacts", [])
        if _normalise_contacts(now) != _normalise_contacts(other["contacts"]):
            rows.append((str(Contact._meta.verbose_name_plural), _display_contacts(now), _display_contacts(other["contacts"])))
    return rows


def _normalise_contacts(rows):
    return sorted(tuple(normalize_text(str(row.get(name) or "")) for name in CONTACT_FIELDS) for row in rows)


def version_changes(records):
    """Each historical record's changes against the version before it: [{"field", "old", "new"}].

    Compared as snapshots (fields, lists, contacts), so only what really changed is listed,
    each language under its own label, and an empty translation that stayed empty is no change.
    """
    snapshots = {}

    def snapshot(record):
        if record.history_id not in snapshots:
            snapshots[record.history_id] = snapshot_of_record(record)
        return snapshots[record.history_id]

    records = list(records)
    for index, newer in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else newer.prev_record
        if older is None:
            newer.history_delta_changes = []
            continue
        newer.history_delta_changes = [
            {"field": label, "old": old, "new": new} for label, old, new in differences(snapshot(older), snapshot(newer))
        ]
    return records
