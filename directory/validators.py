import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# German ("05321 12345", "0171/1234567", "(05321) 12 34-5") and international
# ("+49 5321 12345", "0049 5321 12345") numbers; letters are never part of a number.
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()/\-.]+$")


def phone_digits(value):
    return re.sub(r"\D", "", value or "")


def validate_phone(value):
    value = (value or "").strip()
    digits = phone_digits(value)
    if not _PHONE_CHARS.match(value) or value.count("+") > 1 or ("+" in value and not value.startswith("+")):
        raise ValidationError(
            _(
                "Bitte eine Telefonnummer nur mit Ziffern, Leerzeichen und + / - ( ) angeben, "
                "z. B. 05321 12345 oder +49 5321 12345."
            ),
            code="invalid_phone",
        )
    if not (value.startswith("+") or value.lstrip("(").startswith("0")):
        raise ValidationError(
            _("Bitte die Nummer mit Vorwahl angeben: beginnend mit 0 (z. B. 05321 …) oder + (z. B. +49 …)."),
            code="invalid_phone",
        )
    if not 6 <= len(digits) <= 15 + 2:  # E.164 allows 15 digits, plus a possible 00 prefix
        raise ValidationError(_("Die Telefonnummer ist zu kurz oder zu lang."), code="invalid_phone")


def phone_to_tel_uri(value, country_code="49"):
    """Turn a number as written in Germany into a `tel:` URI in international form."""
    value = (value or "").strip()
    digits = phone_digits(value)
    if not digits:
        return ""
    if value.startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    if digits.startswith("0"):
        return f"tel:+{country_code}{digits[1:]}"
    return f"tel:{digits}"


# Control characters (line breaks included), line and paragraph separators, and the
# invisible direction overrides that make text display differently from what it says.
_NOT_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def validate_single_line(value):
    """Names, titles and addresses are one line of visible text: they end up in vCards, feeds and CSV files."""
    if value and _NOT_IN_A_LINE.search(value):
        raise ValidationError(
            _("Bitte nur sichtbare Zeichen in einer Zeile eingeben, ohne Zeilenumbrüche oder Steuerzeichen."),
            code="control_characters",
        )


# Invisible characters someone could use to disguise a message: direction overrides and
# isolates, zero-width spaces, the byte order mark. Zero-width (non-)joiners between two
# letters are kept: Persian and other scripts need them inside words.
_INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u180e\u200e\u200f\u061c]")
_JOINER = re.compile(r"[\u200c\u200d]")


def strip_invisible(text):
    """Text from the public without the invisible characters that could make it read differently."""
    text = _INVISIBLE.sub("", text or "")
    return _JOINER.sub(lambda m: m.group() if _between_letters(m.string, m.start()) else "", text)


def _between_letters(text, index):
    return 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha()
