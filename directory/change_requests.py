"""A partner's edit of a published offer, merged field by field by the coordinator.

A change request keeps two partial snapshots (see history.py): ``proposal``, the values
the partner changed, and ``base``, the same fields as they were when the partner sent
them. Against the offer as it is now, each field is then one of:

- ``apply``: nobody touched it since; the proposal can be taken as it is;
- ``conflict``: the coordinator (or a restore) changed it after the request was made;
  she decides, nothing is overwritten without her choice;
- ``same``: the offer already says what the partner proposed; nothing to do.

Only fields the partner changed are ever written, and only those the coordinator chose.
"""

import hashlib
import json
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from . import history
from .models import ChangeRequest, Offer

APPLY, CONFLICT, SAME = "apply", "conflict", "same"
TAKE, KEEP = "take", "keep"


def _normal(value):
    """A value as compared: text with one kind of line ending, no trailing blanks, NFC; empty is None."""
    if isinstance(value, str):
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        value = unicodedata.normalize("NFC", "\n".join(line.rstrip() for line in lines).strip("\n"))
    if value in ("", None, []):
        return None
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return history._normalise_contacts(value)
        return sorted(value)
    return value


def same(a, b):
    return _normal(a) == _normal(b)


def _entries(snapshot):
    """{key: value} of a partial snapshot; keys are "fields:<attname>", "m2m:<name>" and "contacts"."""
    entries = {f"fields:{name}": value for name, value in (snapshot or {}).get("fields", {}).items()}
    entries |= {f"m2m:{name}": value for name, value in (snapshot or {}).get("m2m", {}).items()}
    if snapshot and "contacts" in snapshot:
        entries["contacts"] = snapshot["contacts"]
    return entries


def _partial(entries):
    """The partial snapshot made of {key: value}."""
    snapshot = {}
    for key, value in entries.items():
        if key == "contacts":
            snapshot["contacts"] = value
        else:
            part, name = key.split(":", 1)
            snapshot.setdefault(part, {})[name] = value
    return snapshot


def _label(key):
    if key == "contacts":
        return str(history.Contact._meta.verbose_name_plural)
    part, name = key.split(":", 1)
    field = Offer._meta.get_field(name.removesuffix("_id"))
    language = getattr(field, "language", None)  # modeltranslation's per-language column
    if language is None:
        return str(field.verbose_name)
    label = str(field.translated_field.verbose_name)
    if language == settings.LANGUAGE_CODE:
        return label
    return f"{label} ({get_language_info(language)['name_translated']})"


def _display(key, value):
    if key == "contacts":
        return history._display_contacts(value or [])
    part, name = key.split(":", 1)
    if part == "m2m":
        return history._display_m2m(name, value or [])
    return history._display_field(name, value)


# --- Creating -------------------------------------------------------------------------------


def partner_proposal(offer_before, form, formsets):
    """(proposal, base) for a submitted offer form: only what really differs from the stored offer.

    The form's own `changed_data` counts a text sent back with Windows line endings as
    changed; comparing normalised values does not.
    """
    stored = _entries(history.snapshot_of_offer(offer_before))
    submitted = _entries(history.snapshot_from_form(form, formsets))
    proposal = {key: value for key, value in submitted.items() if not same(value, stored.get(key))}
    return _partial(proposal), _partial({key: stored.get(key) for key in proposal})


def create_partner_request(offer_before, form, formsets, user):
    """Store a partner's edit of a published offer as a change request; None when nothing changed."""
    proposal, base = partner_proposal(offer_before, form, formsets)
    if not proposal:
        return None
    return ChangeRequest.objects.create(
        offer=offer_before, source=ChangeRequest.Source.PARTNER, proposal=proposal, base=base, submitted_by=user
    )


# --- Comparing ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    key: str
    label: str
    old: str  # as it was when the request was made
    proposed: str
    current: str
    state: str  # APPLY, CONFLICT or SAME
    value: object  # the proposed value itself

    @property
    def input_name(self):
        return f"choice-{self.key}"


def field_changes(change_request, offer=None):
    """One FieldChange per field the partner changed, in the order of the offer form."""
    offer = offer or change_request.offer
    current = _entries(history.snapshot_of_offer(offer))
    proposal = _entries(change_request.proposal)
    # Requests from before the base was kept: every difference is for the coordinator to decide.
    base = _entries(change_request.base) if change_request.base is not None else None
    rows = []
    for key, value in proposal.items():
        now = current.get(key)
        if same(now, value):
            state = SAME
        elif base is not None and key in base and same(now, base[key]):
            state = APPLY
        else:
            state = CONFLICT
        old = _display(key, base[key]) if base is not None and key in base else _("unbekannt")
        rows.append(FieldChange(key, _label(key), old, _display(key, value), _display(key, now), state, value))
    return rows


def fingerprint(offer, keys):
    """A short hash of the offer's current values of `keys`: did anything move between choosing and confirming?"""
    current = _entries(history.snapshot_of_offer(offer))
    payload = json.dumps([[key, _normal(current.get(key))] for key in sorted(keys)], default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


# --- Deciding and applying ------------------------------------------------------------------


class Undecided(ValueError):
    """A conflict without the coordinator's decision."""

    def __init__(self, labels):
        super().__init__(labels)
        self.labels = labels


def chosen_changes(rows, data):
    """The rows to apply, from the submitted choices (`data` is a QueryDict or dict).

    A field without conflict is taken unless the coordinator said "keep"; a conflict needs
    an explicit "take" or "keep" — raises Undecided listing the labels otherwise.
    """
    undecided = [row.label for row in rows if row.state == CONFLICT and data.get(row.input_name) not in (TAKE, KEEP)]
    if undecided:
        raise Undecided(undecided)
    return [
        row
        for row in rows
        if (row.state == APPLY and data.get(row.input_name, TAKE) == TAKE)
        or (row.state == CONFLICT and data.get(row.input_name) == TAKE)
    ]


def apply_change_request(change_request, rows, user, who):
    """Write the chosen rows to the offer (one history entry) and close the request as approved.

    Raises ValidationError, changing nothing, when the chosen values no longer fit the offer.
    """
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=change_request.offer_id)
        if rows:
            history.apply_snapshot(
                offer,
                _partial({row.key: row.value for row in rows}),
                user=user,
                reason=_("Änderungswunsch von %(who)s übernommen") % {"who": who},
            )
        change_request.status = ChangeRequest.Status.APPROVED
        change_request.resolved, change_request.resolved_by = timezone.now(), user
        change_request.save(update_fields=["status", "resolved", "resolved_by"])
    return offer

