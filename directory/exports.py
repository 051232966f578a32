"""Open data as CSV: every published offer in one file, one row per offer."""

import csv

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .links import absolute_url
from .models import Contact, Location, Offer
from .spreadsheet import neutralize_cell

COLUMNS = [
    ("id", lambda offer: offer.uuid),
    ("titel", lambda offer: offer.title),
    ("kurzbeschreibung", lambda offer: offer.summary),
    ("beschreibung", lambda offer: offer.description),
    ("so_bekommen_sie_hilfe", lambda offer: offer.how_to_get_help),
    ("traeger", lambda offer: offer.organization.name),
    ("traeger_id", lambda offer: offer.organization.uuid),
    ("kategorien", lambda offer: join(category.slug for category in offer.categories.all())),
    ("sprachen", lambda offer: join(language.code for language in offer.languages.all())),
    ("zielgruppen", lambda offer: join(group.slug for group in offer.target_groups.all())),
    ("formate", lambda offer: join(offer.formats)),
    ("orte", lambda offer: join(sorted({location.town.name for location in offer.locations.all()}))),
    ("adressen", lambda offer: join(f"{loc.street}, {loc.postal_code} {loc.town.name}" for loc in offer.locations.all())),
    ("telefon", lambda offer: join(contact.phone for contact in offer.contacts.all() if contact.phone)),
    ("email", lambda offer: join(contact.email for contact in offer.contacts.all() if contact.email)),
    ("kostenlos", lambda offer: yes_no(offer.is_free)),
    ("kosten", lambda offer: offer.cost_note),
    ("termin_noetig", lambda offer: yes_no(offer.appointment_needed)),
    ("anonym_moeglich", lambda offer: yes_no(offer.anonymous_possible)),
    ("website", lambda offer: offer.website),
    ("adresse_im_wegweiser", lambda offer: absolute_url(offer.get_absolute_url())),
    ("zuletzt_geprueft", lambda offer: offer.last_reviewed.isoformat() if offer.last_reviewed else ""),
    ("geaendert", lambda offer: offer.updated.isoformat(timespec="seconds")),
]


def join(values):
    return "; ".join(str(value) for value in values)


def yes_no(value):
    return "ja" if value else "nein"


def safe_cell(value):
    """Keep spreadsheet programs from running a cell as a formula (directory/spreadsheet.py)."""
    return neutralize_cell(str(value))


def export_rows():
    offers = (
        Offer.objects.visible()
        .select_related("organization")
        .prefetch_related(
            "categories", "languages", "target_groups",
            Prefetch("locations", queryset=Location.objects.select_related("town")),
            Prefetch("contacts", queryset=Contact.objects.order_by("position", "pk")),
        )
        .order_by("pk")
    )
    yield [name for name, _value in COLUMNS]
    for offer in offers:
        yield [safe_cell(value(offer)) for _name, value in COLUMNS]


@require_safe
def offers_csv(request):
    # A few hundred offers: built in memory, so a database error is a clean 500, not a cut-off file.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    csv.writer(response).writerows(export_rows())
    response["Content-Disposition"] = 'attachment; filename="angebote.csv"'
    # The licence travels with the file as an RFC 8288 link relation.
    response["Link"] = f'<{settings.DATA_LICENSE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
