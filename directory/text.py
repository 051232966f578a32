"""One normal form for every text the directory stores.

Browsers send textareas with Windows line endings, Excel cells come back with trailing
spaces, and a Mac keyboard writes "ü" as "u" plus a combining diaeresis. Each of these
looks the same on screen but compares different, so an unchanged form or spreadsheet
row would count as a change. Every text is therefore stored as: ``\\n`` line endings,
no spaces at the end of a line or of the text, no blank lines at its start, Unicode NFC.

`normalize_text` is applied to every text column of the directory's models by a
``pre_save`` signal (directory/apps.py), so no save path can skip it, and to every
text field of the admin's forms, so that an unchanged form also *compares* unchanged.
"""

import unicodedata

from django import forms
from django.db import models


def normalize_text(value):
    """``"a \\r\\nb\\r\\n"`` -> ``"a\\nb"``; anything that is not a string is returned as it is."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.rstrip().lstrip("\n")


def text_fields(model):
    """The model's concrete text columns (CharField, TextField and their kinds, every language)."""
    return [
        field
        for field in model._meta.concrete_fields
        # Derived columns (search text) are the system's own and keep their exact form.
        if isinstance(field, models.CharField | models.TextField) and not field.choices and field.editable
    ]


def normalize_instance(instance):
    """Bring every text attribute of a model instance into the normal form, in place."""
    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        normalized = normalize_text(value)
        if normalized is not value:
            setattr(instance, field.attname, normalized)
    return instance


def normalize_before_save(sender, instance, raw=False, **kwargs):
    """pre_save receiver for the directory's models (also for fixtures and restores: `raw`)."""
    if sender._meta.app_label == "directory":
        normalize_instance(instance)


def _normalizing(to_python):
    def wrapped(value):
        return normalize_text(to_python(value))

    return wrapped


class NormalizedTextFormMixin:
    """Form fields read text in the stored normal form, so `has_changed()` ignores line endings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # self.fields holds this form's own copies of the fields: wrapping them is local.
                field.to_python = _normalizing(field.to_python)
