"""A vCard (.vcf) per contact, so a parent saves the number to the phone's address book in one tap."""

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .links import absolute_url
from .models import Contact, Offer
from .query import query_parameters

# Line breaks of every kind a vCard reader may split on; other control characters are dropped.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def escape(value):
    """Text value escaping of RFC 6350 (3.4): backslash, comma, semicolon, newline.

    Every kind of line break (a lone carriage return too) becomes the escaped `\\n`, so
    no text can start a property of its own.
    """
    text = _LINE_BREAKS.sub("\n", str(value))
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line):
    """Fold lines longer than 75 octets without splitting a UTF-8 character (RFC 6350, 3.2)."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74  # continuation lines start with a space
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def vcard(contact):
    offer = contact.offer
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",  # the version Android's and iOS's contacts apps import most reliably
        f"FN:{escape(contact.name)}",
        f"N:{escape(contact.name)};;;;",
        f"ORG:{escape(offer.organization.name)}",
        f"TITLE:{escape(offer.title)}",
    ]
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{escape(contact.email)}")
    if contact.hours:
        lines.append(f"NOTE:{escape(contact.hours)}")
    lines.append(f"URL:{escape(absolute_url(offer.get_absolute_url()))}")
    lines.append(f"UID:urn:uuid:{contact.uuid}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


@query_parameters()
@require_safe
def contact_vcard(request, slug, contact):
    offer = get_object_or_404(Offer.objects.visible().select_related("organization"), slug=slug)
    contact = get_object_or_404(Contact.objects.filter(offer=offer), uuid=contact)
    contact.offer = offer
    response = HttpResponse(vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{offer.slug}-{contact.position or 1}.vcf"'
    return response
