"""Opening hours in the offer's admin page: weekly slots and closures, edited inline.

Every mistake is named by its slot ("Zeitfenster 3 (Di 14:00–12:00)") and nothing is
saved until the whole page is right. "Montag übernehmen" copies Monday's slots to
other weekdays on save, so Mo–Fr hours are entered once.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from . import schedules
from .admin_translation import other_languages
from .forms import NoSilentCutMixin
from .models import Closure, Contact, Language, Location, OpeningSlot
from .roles import is_coordinator

WEEKDAY_NAMES = dict(OpeningSlot.Weekday.choices)
COPY_FIELD = "copy-monday"
# Two slots of the same kind may not overlap; slots of different kinds (a language hour within the
# general hours) may.
SLOT_KIND = ("weekday", "location", "contact", "language")


class WallClockTimeField(forms.TimeField):
    """A time of day as people type it: "8", "8.30", "08:30"; "24:00" is explained, not just refused."""

    input_formats = ["%H:%M", "%H.%M", "%H", "%H:%M:%S"]

    def to_python(self, value):
        if isinstance(value, str) and value.strip().replace(".", ":") in ("24", "24:00", "24:00:00"):
            raise ValidationError(
                _("„24:00“ gibt es als Uhrzeit nicht. Für „bis Mitternacht“ bitte 23:59 eintragen."), code="midnight"
            )
        return super().to_python(value)


def slot_label(index, weekday, opens, closes):
    day = WEEKDAY_NAMES.get(weekday, "?")
    times = "–".join(f"{t:%H:%M}" if t else "?" for t in (opens, closes))
    return _t("Zeitfenster %(number)s (%(day)s %(times)s)") % {"number": index + 1, "day": day, "times": times}


def raw_slot_label(form, index):
    """The slot as typed, for a row whose values did not all validate."""
    raw = {name: (form.data.get(form.add_prefix(name)) or "?").strip() for name in ("weekday", "opens", "closes")}
    day = WEEKDAY_NAMES.get(int(raw["weekday"])) if raw["weekday"].isdigit() else None
    return _t("Zeitfenster %(number)s (%(day)s %(times)s)") % {
        "number": index + 1, "day": day or "?", "times": f"{raw['opens']}–{raw['closes']}"
    }


class OpeningSlotForm(forms.ModelForm):
    opens = WallClockTimeField(label=_("von"), widget=forms.TimeInput(format="%H:%M", attrs={"size": 5, "placeholder": "08:00"}))
    closes = WallClockTimeField(label=_("bis"), widget=forms.TimeInput(format="%H:%M", attrs={"size": 5, "placeholder": "14:00"}))

    class Meta:
        model = OpeningSlot
        fields = ["weekday", "opens", "closes", "location", "contact", "language", "appointment_only"]
        error_messages = {
            "language": {
                "invalid_choice": _(
                    "Diese Sprache gibt es im Wegweiser nicht. Bitte eine Sprache aus der Liste wählen "
                    "(neue Sprachen legt die Koordination unter „Sprachen“ an)."
                )
            },
            "weekday": {"invalid_choice": _("Bitte einen Wochentag von Montag bis Sonntag wählen.")},
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if schedules.is_reversed_or_empty(opens, closes):
            message = (
                _t("Beginn und Ende sind gleich.") if opens == closes
                else _t(
                    "Das Ende (%(closes)s) liegt vor dem Beginn (%(opens)s). "
                    "Über Mitternacht bitte zwei Zeitfenster anlegen."
                )
                % {"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
            )
            self.add_error("closes", message)
        return data


class OpeningSlotFormSet(BaseInlineFormSet):
    """Checks the week as a whole: no two slots of the same kind overlap, also after copying Monday."""

    def copy_days(self):
        days = []
        for value in self.data.getlist(f"{self.prefix}-{COPY_FIELD}") if hasattr(self.data, "getlist") else []:
            if value.isdigit() and 1 <= int(value) <= 6:
                days.append(int(value))
        return sorted(set(days))

    def copy_day_choices(self):
        """The days Monday can be copied to, ticked as the coordinator sent them (kept after an error)."""
        chosen = set(self.copy_days()) if self.is_bound else set()
        return [(day, WEEKDAY_NAMES[day], day in chosen) for day in range(1, 7)]

    def has_changed(self):
        # Ticking days is a change of its own: saving an otherwise unchanged offer still copies Monday.
        return super().has_changed() or bool(self.copy_days())

    def chosen_location_ids(self):
        if not hasattr(self.data, "getlist") or "locations" not in self.data:
            return None
        return {int(value) for value in self.data.getlist("locations") if str(value).isdigit()}

    def clean(self):
        super().clean()
        messages = []
        kept = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None) or {}
            label = slot_label(index, data.get("weekday"), data.get("opens"), data.get("closes"))
            if form.errors:
                label = raw_slot_label(form, index)
                for errors in form.errors.values():
                    messages += [f"{label}: {error}" for error in errors]
                continue
            if not data or data.get("DELETE") or not form.has_changed() and form.instance.pk is None:
                continue
            locations = self.chosen_location_ids()
            location = data.get("location")
            if location is not None and locations is not None and location.pk not in locations:
                error = _t("Der Ort „%(place)s“ gehört nicht zu diesem Angebot. Bitte oben unter „Orte“ hinzufügen.") % {
                    "place": location.name
                }
                form.add_error("location", error)
                messages.append(f"{label}: {error}")
            kept.append((index, data))

        # Monday's slots as they will be copied: they must fit the other days too.
        virtual = list(kept)
        for day in self.copy_days():
            for index, data in kept:
                if data["weekday"] == 0:
                    virtual.append((index, {**data, "weekday": day, "copied": True}))
        seen = set()
        for position, (index, data) in enumerate(virtual):
            for other_index, other in virtual[position + 1:]:
                same_kind = all(data.get(name) == other.get(name) for name in SLOT_KIND)
                if not same_kind or not schedules.overlaps((data["opens"], data["closes"]), (other["opens"], other["closes"])):
                    continue
                if data.get("copied") and other.get("copied"):
                    continue
                duplicate = (data["opens"], data["closes"]) == (other["opens"], other["closes"])
                if duplicate and (data.get("copied") or other.get("copied")):
                    continue  # saving copies Monday only where the same slot is not there yet
                first = slot_label(index, data["weekday"], data["opens"], data["closes"])
                second = slot_label(other_index, other["weekday"], other["opens"], other["closes"])
                key = (first, second)
                if key in seen:
                    continue
                seen.add(key)
                if duplicate:
                    messages.append(
                        _t("%(second)s ist doppelt: %(first)s hat schon denselben Tag und dieselbe Zeit. "
                           "Bitte eines der beiden löschen („Löschen?“ ankreuzen).")
                        % {"first": first, "second": second}
                    )
                elif data.get("copied") or other.get("copied"):
                    messages.append(
                        _t("%(first)s überschneidet sich mit %(second)s, wenn Montag auf %(day)s kopiert wird.")
                        % {"first": first, "second": second, "day": WEEKDAY_NAMES[other["weekday"]]}
                    )
                else:
                    messages.append(_t("%(first)s überschneidet sich mit %(second)s.") % {"first": first, "second": second})
        if messages:
            raise ValidationError(messages)

    def save(self, commit=True):
        saved = super().save(commit=commit)
        if commit and self.copy_days():
            mondays = list(self.instance.slots.filter(weekday=0))
            for day in self.copy_days():
                for slot in mondays:
                    OpeningSlot.objects.get_or_create(
                        offer=self.instance, weekday=day, opens=slot.opens, closes=slot.closes,
                        location=slot.location, contact=slot.contact, language=slot.language,
                        defaults={"appointment_only": slot.appointment_only},
                    )
        return saved


class OfferPartScope:
    """Slots and closures of a published offer are the coordination's, like its other fields."""

    def _locked(self, request, obj):
        return obj is not None and obj.status == obj.Status.PUBLISHED and not is_coordinator(request.user)

    def has_add_permission(self, request, obj):
        return not self._locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)


class OpeningSlotInline(NoSilentCutMixin, OfferPartScope, admin.TabularInline):
    model = OpeningSlot
    form = OpeningSlotForm
    formset = OpeningSlotFormSet
    template = "admin/directory/offer/openingslot_inline.html"
    extra = 0
    fields = ["weekday", "opens", "closes", "language", "appointment_only", "location", "contact"]
    classes = ["schedule-slots"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        fields = formset.form.base_fields
        if obj is not None and obj.pk:
            fields["location"].queryset = Location.objects.filter(offers=obj).select_related("town")
            fields["contact"].queryset = Contact.objects.filter(offer=obj)
        else:
            fields["location"].queryset = Location.objects.none()
            fields["contact"].queryset = Contact.objects.none()
        fields["location"].help_text = _("Leer = gilt für das ganze Angebot.")
        fields["contact"].help_text = _("Leer = gilt für das ganze Angebot. Neue Ansprechpersonen erst speichern.")
        fields["language"].queryset = Language.objects.all()
        for name in ("language", "location", "contact"):
            # Four icons under each select would widen the table past a tablet; places, contacts and
            # languages have their own forms.
            widget = fields[name].widget
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = False
            widget.can_view_related = False
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("language", "location", "contact")


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts", "ends", "reason"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error(
                "ends",
                _t("Schließzeit %(starts)s–%(ends)s: Das Ende liegt vor dem Beginn.")
                % {"starts": f"{starts:%d.%m.%Y}", "ends": f"{ends:%d.%m.%Y}"},
            )
        return data


class ClosureInline(NoSilentCutMixin, OfferPartScope, admin.StackedInline):
    model = Closure
    form = ClosureForm
    extra = 0
    classes = ["schedule-closures"]
    fieldsets = [
        (None, {"fields": [("starts", "ends", "reason")]}),
        (_("Übersetzungen des Grundes"), {
            "fields": [tuple(f"reason_{code}" for code, _e in other_languages()[i:i + 3]) for i in range(0, 9, 3)],
            "classes": ["collapse"],
        }),
    ]
