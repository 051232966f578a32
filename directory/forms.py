from django import forms
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest, Report
from .validators import strip_invisible


def no_silent_cut(field):
    """Text that is too long comes back with a message instead of being cut by the browser's maxlength;
    the help text names the limit beforehand, so nobody pastes a long text unawares."""
    max_length = getattr(field, "max_length", None)
    if field is None or not max_length or field.widget.is_hidden:
        return field
    field.widget.attrs.pop("maxlength", None)
    limit = format_lazy(_("Höchstens {count} Zeichen."), count=max_length)
    field.help_text = format_html("{} {}", field.help_text, limit) if field.help_text else limit
    return field


class NoSilentCutFormMixin:
    """For a plain or model form: every text field without maxlength, with its limit in the help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            no_silent_cut(field)


class NoSilentCutMixin:
    """For a ModelAdmin or an inline: the same for every field the admin builds."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return no_silent_cut(super().formfield_for_dbfield(db_field, request, **kwargs))


class VisibleTextMixin:
    """The coordinator reads exactly what was typed: invisible direction overrides and
    zero-width characters, which could make a message read differently, are removed."""

    visible_text_fields = ()

    def _post_clean(self):
        for name in self.visible_text_fields:
            if isinstance(self.cleaned_data.get(name), str):
                self.cleaned_data[name] = strip_invisible(self.cleaned_data[name]).strip()
                if not self.cleaned_data[name] and self.fields[name].required:
                    self.add_error(name, self.fields[name].error_messages["required"])
        super()._post_clean()


class ReportForm(NoSilentCutFormMixin, VisibleTextMixin, forms.ModelForm):
    """ "Angabe falsch oder veraltet?" – what a member of the public may tell the coordinator."""

    visible_text_fields = ("message", "contact")

    # Honeypot: hidden from people (and from screen readers); bots that fill every field reveal themselves.
    homepage = forms.CharField(label=_("Bitte leer lassen"), required=False, max_length=200)

    class Meta:
        model = Report
        fields = ["message", "contact"]
        labels = {"message": _("Was ist falsch oder veraltet?"), "contact": _("Ihre E-Mail oder Telefonnummer (freiwillig)")}
        help_texts = {
            "message": _("Zum Beispiel: „Die Telefonnummer stimmt nicht mehr.“ oder „Das Angebot gibt es nicht mehr.“"),
            "contact": _("Nur falls die Koordination Sie bei Rückfragen erreichen soll."),
        }
        error_messages = {
            "message": {
                "required": _("Bitte schreiben Sie kurz, was nicht stimmt."),
                "max_length": _("Bitte fassen Sie sich kürzer (höchstens %(limit_value)d Zeichen)."),
            },
            "contact": {"max_length": _("Bitte höchstens %(limit_value)d Zeichen.")},
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}

    def is_spam(self):
        return bool(self.cleaned_data.get("homepage"))


class ProviderChangeForm(NoSilentCutFormMixin, VisibleTextMixin, forms.ModelForm):
    """A provider's "Das hat sich geändert" note, stored as a change request."""

    visible_text_fields = ("message",)

    class Meta:
        model = ChangeRequest
        fields = ["message"]
        labels = {"message": _("Was ist jetzt anders?")}
        help_texts = {"message": _("Bitte schreiben Sie, was nicht mehr stimmt und wie es richtig heißt.")}
        error_messages = {"message": {"required": _("Bitte schreiben Sie, was sich geändert hat.")}}
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].required = True
