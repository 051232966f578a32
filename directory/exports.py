"""Open data as CSV: every published offer in one file, one row per offer.

At 10,000 offers the file is about 15 MB and takes seconds to build, so it is streamed
(offers read 500 at a time, the first bytes go out at once) and kept gzip-compressed per
content version (directory.cache): only the first download after a change builds it.
"""

import csv
import io
import itertools
import zlib

from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.views.decorators.http import require_safe

from . import cache as document_cache
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


# Offers read per query and rows per piece sent to the client; the first piece is smaller,
# so that the download starts at once.
CHUNK = 500
FIRST_CHUNK = 100


def chunk_sizes():
    return itertools.chain([min(FIRST_CHUNK, CHUNK)], itertools.repeat(CHUNK))


def visible_offers_in_chunks():
    """Every visible offer with all a row needs, a chunk at a time (keyset paging on the primary key)."""
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
    last = 0
    for size in chunk_sizes():
        chunk = list(offers.filter(pk__gt=last)[:size])
        yield from chunk
        if len(chunk) < size:
            return
        last = chunk[-1].pk


def export_rows():
    yield [name for name, _value in COLUMNS]
    for offer in visible_offers_in_chunks():
        yield [safe_cell(value(offer)) for _name, value in COLUMNS]


def csv_chunks(rows):
    """The CSV text (UTF-8, comma separated, CRLF) in pieces of chunk_sizes() rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    sizes = chunk_sizes()
    size, count = next(sizes), 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count == size:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            size, count = next(sizes), 0
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def streamed_and_stored(chunks, key, version, headers):
    """Pass the chunks on; once the last has gone out, keep the whole file compressed."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip format
    parts = []
    for chunk in chunks:
        parts.append(compressor.compress(chunk))
        yield chunk
    parts.append(compressor.flush())
    document_cache.store_document(key, version, headers, b"".join(parts))


def csv_headers():
    return [
        ("Content-Type", "text/csv; charset=utf-8"),
        ("Content-Disposition", 'attachment; filename="angebote.csv"'),
        # The licence travels with the file as an RFC 8288 link relation.
        ("Link", f'<{settings.DATA_LICENSE_URL}>; rel="license"'),
        ("Access-Control-Allow-Origin", "*"),
    ]


@require_safe
def offers_csv(request):
    version = document_cache.known_version()
    key = document_cache.document_key(request)
    response = document_cache.cached_document(request, key, version)
    if response is not None:
        return response
    headers = csv_headers()
    chunks = csv_chunks(export_rows())
    # The first chunk is read before answering: a database that is away gives the 503 page,
    # not a cut-off file. (An outage in the middle of a download can only cut it off.)
    first = next(chunks)
    response = StreamingHttpResponse(streamed_and_stored(itertools.chain([first], chunks), key, version, headers))
    for name, value in headers:
        response.headers[name] = value
    return response
