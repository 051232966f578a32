"""The offer form's rules, in one place for the admin and the spreadsheet import.

The admin's change form is built on `OfferAdminForm`; the import runs the same form class
over each imported row (`offer_form_errors`), so a rule added here holds on both paths.
"""

import copy
import functools

from django import forms
from django.db import models
from django.forms.models import model_to_dict, modelform_factory
from django.utils.translation import gettext as _t

from .models import Offer
from .text import NormalizedTextFormMixin


class NormalizedTextModelForm(NormalizedTextFormMixin, forms.ModelForm):
    pass


class OfferAdminForm(NormalizedTextModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format_in_person") and "locations" in self.fields and not cleaned.get("locations"):
            self.add_error(
                "format_in_person",
                _t("„vor Ort“ braucht einen Ort: bitte unter „Orte“ den Ort des Angebots wählen oder „vor Ort“ abwählen."),
            )
        return cleaned


def _form_field(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # as in the admin ("www.beispiel.de" is https)
    return db_field.formfield(**kwargs)


@functools.cache
def _whole_offer_form():
    return modelform_factory(Offer, form=OfferAdminForm, fields="__all__", formfield_callback=_form_field)


def offer_form_errors(offer, related):
    """{field: [messages]} the admin form gives for `offer` (unsaved, from an import) with the lists in `related`.

    `related` maps each many-to-many field ("categories", "locations" …) to the objects the
    row names. The offer itself is not touched: the form works on a copy.
    """
    form_class = _whole_offer_form()
    many = {field.name for field in Offer._meta.many_to_many}
    data = model_to_dict(offer, exclude=many)
    data.update({name: [item.pk for item in items] for name, items in related.items()})
    data = {name: value for name, value in data.items() if value is not None and value is not False}
    clone = copy.copy(offer)
    clone._state = copy.copy(offer._state)
    form = form_class(data=data, instance=clone)
    return {} if form.is_valid() else {name: list(messages) for name, messages in form.errors.items()}
