"""A read-only Open Referral HSDS 3.0 API of the published offers (`/api/hsds/`).

The models are a straight projection of HSDS: Offer → service, Organization →
organization, Location → location, Contact → contact, Language → language,
Category / TargetGroup / Offer.Format → taxonomy_term (linked through attributes).
Every object keeps its model's `uuid`; records that only link two objects (a
service_at_location, a service's language, a phone) get a UUID derived from the
two, so an id never changes between requests. Only `Offer.objects.visible()` is
exported, and organizations only while they have a visible offer.

Texts follow the interface language of the URL: `/en/api/hsds/services` gives the
English translations (German where one is missing).
"""

import functools
import math
import uuid
from datetime import datetime, time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F, Prefetch, Q
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import cache as page_cache
from . import errors
from .links import absolute_url
from .models import (
    Category,
    Location,
    Offer,
    OpeningSlot,
    Organization,
    TargetGroup,
)
from .search_index import current_index, plain

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

# Fixed namespace for ids of things that are not rows (taxonomies, formats).
NAMESPACE = uuid.UUID("5d1c6e0a-8f51-4c5e-9a0f-2f6b1f3c7a10")


@functools.lru_cache(maxsize=32_768)
def derived_id(parent, name):
    """A stable UUID for a record that only exists as a part or link of `parent`.

    Kept for the last pages asked for: a full page of 200 services derives about 4,000.
    """
    return str(uuid.uuid5(parent if isinstance(parent, uuid.UUID) else NAMESPACE, str(name)))


class BadParameter(Exception):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def api_view(view):
    """GET only, JSON errors instead of HTML pages, readable from any origin (open data)."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            data = view(request, *args, **kwargs)
            response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        except BadParameter as error:
            response = JsonResponse({"error": error.message, "parameter": error.parameter}, status=400)
        except Http404:
            response = JsonResponse({"error": "Not found."}, status=404)
        except DatabaseError as error:
            if not errors.is_database_unavailable(error):
                raise  # a bug, not an outage: handler500 answers with JSON as well
            response = errors.database_unavailable(request, error)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def compact(data):
    """Leave out empty values: HSDS fields are optional, but never null or an empty string."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# --- Parameters ---------------------------------------------------------------------------


def text_parameter(request, name, max_length=200):
    """A free-text parameter; NUL characters (which PostgreSQL refuses) are dropped."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def uuid_parameter(request, name):
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadParameter(name, f"{name} must be a UUID.") from None


def positive_int_parameter(request, name, default, maximum=None):
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < 1:
        raise BadParameter(name, f"{name} must be a whole number of at least 1.")
    if maximum and int(value) > maximum:
        raise BadParameter(name, f"{name} must be at most {maximum}.")
    return int(value)


def bool_parameter(request, name):
    value = request.GET.get(name, "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise BadParameter(name, f"{name} must be true or false.")


def datetime_parameter(request, name):
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))  # an unencoded "+" arrives as a space
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter(name, f"{name} must be an ISO 8601 date or date-time, e.g. 2026-01-31T12:00:00Z.")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def check_format(request):
    if request.GET.get("format", "json").strip() not in ("", "json"):
        raise BadParameter("format", "Only format=json is supported.")


def paginated(request, items, serialize, load=None):
    """The spec's Page object; `items` is a queryset (paged in SQL: COUNT, then LIMIT/OFFSET) or a list.

    `load` turns the rows of one page into what `serialize` takes (a few queries per page,
    never per row and never for the whole directory).
    """
    check_format(request)
    page = positive_int_parameter(request, "page", 1)
    per_page = positive_int_parameter(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    total_pages = max(1, math.ceil(total / per_page))
    if page > total_pages:
        raise BadParameter("page", f"page must be between 1 and {total_pages}.")
    window = slice((page - 1) * per_page, page * per_page)
    if isinstance(items, list):
        rows = items[window]
    else:
        # Skip to the page over the primary keys alone, then read the page's full rows (with
        # their texts in ten languages): OFFSET then never drags thousands of wide rows along.
        keys = list(items.values_list("pk", flat=True)[window])
        found = {row.pk: row for row in items.filter(pk__in=keys).order_by()}
        rows = [found[key] for key in keys]
    contents = [serialize(item) for item in (load(rows) if load else rows)]
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page == total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def get_by_uuid(queryset, value):
    try:
        return queryset.get(uuid=uuid.UUID(value))
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404 from None


# --- Taxonomies ---------------------------------------------------------------------------


class Taxonomy:
    """One of the directory's three vocabularies, exported as an HSDS taxonomy."""

    def __init__(self, key, name, description, link_type):
        self.key, self.name, self.description, self.link_type = key, name, description, link_type
        self.id = derived_id(None, f"taxonomy:{key}")

    def as_hsds(self):
        return {"id": self.id, "name": self.name, "description": self.description, "version": "1"}


CATEGORIES = Taxonomy("category", "Wegweiser: Kategorien", "Themen, nach denen Eltern Hilfe suchen.", "category")
TARGET_GROUPS = Taxonomy(
    "target_group", "Wegweiser: Zielgruppen", "Für wen ein Angebot ist, meist nach Alter des Kindes.", "audience"
)
FORMATS = Taxonomy("format", "Wegweiser: Formate", "Wie ein Angebot stattfindet: vor Ort, am Telefon, per Video …", "format")
TAXONOMIES = [CATEGORIES, TARGET_GROUPS, FORMATS]


class Term:
    """A taxonomy term backed by a Category, a TargetGroup or an Offer.Format."""

    def __init__(self, taxonomy, id, code, name, description=""):
        self.taxonomy, self.id, self.code, self.name, self.description = taxonomy, str(id), code, name, description

    @classmethod
    def of_category(cls, category):
        return cls(CATEGORIES, category.uuid, category.slug, category.name, category.description)

    @classmethod
    def of_target_group(cls, group):
        return cls(TARGET_GROUPS, group.uuid, group.slug, group.name)

    @classmethod
    def of_format(cls, value):
        return cls(FORMATS, derived_id(None, f"format:{value}"), value, str(Offer.Format(value).label))

    def as_hsds(self):
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "description": self.description or self.name,
            "taxonomy": self.taxonomy.name,
            "taxonomy_id": self.taxonomy.id,
            "taxonomy_detail": self.taxonomy.as_hsds(),
            "language": get_language(),
        }


def all_terms():
    return (
        [Term.of_category(category) for category in Category.objects.all()]
        + [Term.of_target_group(group) for group in TargetGroup.objects.all()]
        + [Term.of_format(value) for value in Offer.Format.values]
    )


def offer_terms(offer):
    return (
        [Term.of_category(category) for category in offer.hsds_categories]
        + [Term.of_target_group(group) for group in offer.hsds_target_groups]
        + [Term.of_format(value) for value in offer.formats]
    )


def with_term(offers, term_id):
    """Offers tagged with the taxonomy term `term_id` (a category, target group or format)."""
    for value, field in Offer.FORMAT_FIELDS.items():
        if str(term_id) == derived_id(None, f"format:{value}"):
            return offers.filter(**{field: True})
    return offers.filter(Q(categories__uuid=term_id) | Q(target_groups__uuid=term_id)).distinct()


def in_taxonomy(offers, taxonomy_id):
    if str(taxonomy_id) == CATEGORIES.id:
        return offers.filter(categories__isnull=False).distinct()
    if str(taxonomy_id) == TARGET_GROUPS.id:
        return offers.filter(target_groups__isnull=False).distinct()
    if str(taxonomy_id) == FORMATS.id:
        return offers.with_formats(Offer.Format.values)
    return offers.none()


# --- Serializers ----------------------------------------------------------------------------


def organization_basic(organization):
    return compact({
        "id": str(organization.uuid),
        "name": organization.name,
        "description": organization.description or organization.name,
        "email": organization.email,
        "website": organization.website,
    })


def organization_phones(organization):
    if not organization.phone:
        return []
    return [{
        "id": derived_id(organization.uuid, "phone"),
        "organization_id": str(organization.uuid),
        "number": organization.phone,
    }]


def service_basic(offer):
    description = "\n\n".join(part for part in (offer.summary, offer.description) if part)
    fees = offer.cost_note if not offer.is_free else "kostenlos"
    return compact({
        "id": str(offer.uuid),
        "organization_id": str(offer.organization.uuid),
        "name": offer.title,
        "description": description,
        "url": offer.website or absolute_url(offer.get_absolute_url()),
        "status": "active",
        "application_process": offer.how_to_get_help,
        "fees_description": fees,
        "eligibility_description": ", ".join(group.name for group in offer.hsds_target_groups),
        "interpretation_services": ", ".join(language.name for language in offer.hsds_languages),
        "assured_date": offer.last_reviewed.isoformat() if offer.last_reviewed else "",
        "last_modified": offer.updated.isoformat(),
        "organization": organization_basic(offer.organization),
    })


def contact_phones(contact, **links):
    if not contact.phone:
        return []
    return [compact({
        "id": derived_id(contact.uuid, "phone"),
        "contact_id": str(contact.uuid),
        "number": contact.phone,
        "description": contact.hours,
        **links,
    })]


def location_full(location):
    location_id = str(location.uuid)
    return compact({
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(location.organization_uuid),
        "name": location.name,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "addresses": [{
            "id": derived_id(location.uuid, "address"),
            "location_id": location_id,
            "address_1": location.street,
            "city": location.town.name,
            "region": settings.SITE_REGION,
            "state_province": settings.SITE_STATE,
            "postal_code": location.postal_code,
            "country": settings.SITE_COUNTRY,
            "address_type": "physical",
        }],
        "accessibility": [{
            "id": derived_id(location.uuid, "accessibility"),
            "location_id": location_id,
            "description": str(location.get_wheelchair_access_display()),
        }],
        "schedules": [{
            "id": derived_id(location.uuid, "opening-hours"),
            "location_id": location_id,
            "description": location.opening_hours,
        }] if location.opening_hours else [],
    })


def location_basic(location):
    return compact({
        "id": str(location.uuid),
        "location_type": "physical",
        "organization_id": str(location.organization_uuid),
        "name": location.name,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
    })


def service_at_location_id(offer, location):
    return derived_id(offer.uuid, f"location:{location.uuid}")


BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def schedule_notes(offer):
    """What HSDS `schedule` has no field for: closures and public holidays."""
    notes = [
        f"Geschlossen {closure.starts.isoformat()} bis {closure.ends.isoformat()}"
        + (f" ({closure.reason_de})" if closure.reason_de else "")
        for closure in offer.hsds_closures
        if closure.ends >= timezone.localdate()
    ]
    if not offer.open_on_public_holidays:
        notes.append(f"An gesetzlichen Feiertagen ({settings.SITE_HOLIDAYS}) geschlossen.")
    return "; ".join(notes)


def offer_schedules(offer):
    """Each weekly slot as an HSDS 3 `schedule` (freq WEEKLY, one byday, local wall-clock times)."""
    service_id = str(offer.uuid)
    notes = schedule_notes(offer)
    schedules = []
    offer_places = {location.pk: location for location in offer.hsds_locations}
    for slot in offer.hsds_slots:
        # Slots are at the offer's own places; one at a place no longer linked reads its place.
        place = (offer_places.get(slot.location_id) or slot.location) if slot.location_id else None
        attending = []
        if slot.language_id:
            attending.append(f"Sprache: {slot.language.name_de or slot.language.name} ({slot.language.code})")
        if slot.appointment_only:
            attending.append("nur mit Termin")
        schedules.append(compact({
            "id": str(slot.uuid),
            "service_id": service_id,
            "location_id": str(place.uuid) if place else None,
            "service_at_location_id": service_at_location_id(offer, place) if place else None,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": BYDAY[slot.weekday],
            "opens_at": f"{slot.opens:%H:%M}",
            "closes_at": f"{slot.closes:%H:%M}",
            "description": f"{BYDAY[slot.weekday]} {slot.opens:%H:%M}–{slot.closes:%H:%M} ({settings.TIME_ZONE})",
            "attending_type": "; ".join(attending),
            "notes": notes,
        }))
    if offer.hours_note_de:
        note_id = derived_id(offer.uuid, "hours-note")
        schedules.append({"id": note_id, "service_id": service_id, "description": offer.hours_note_de})
    return schedules


def service_full(offer):
    service_id = str(offer.uuid)
    contacts = offer.hsds_contacts
    return {
        **service_basic(offer),
        "phones": [phone for contact in contacts for phone in contact_phones(contact, service_id=service_id)],
        "contacts": [compact({
            "id": str(contact.uuid),
            "service_id": service_id,
            "name": contact.name,
            "email": contact.email,
            "phones": contact_phones(contact),
        }) for contact in contacts],
        "languages": [compact({
            "id": derived_id(offer.uuid, f"language:{language.code}"),
            "service_id": service_id,
            "name": language.name,
            "code": language.code,
            "note": language.endonym,
        }) for language in offer.hsds_languages],
        "schedules": offer_schedules(offer),
        "service_areas": [{
            "id": derived_id(offer.uuid, "service-area"),
            "service_id": service_id,
            "name": settings.SITE_REGION,
            "description": settings.SITE_REGION,
        }],
        "service_at_locations": [{
            "id": service_at_location_id(offer, location),
            "service_id": service_id,
            "location_id": str(location.uuid),
            "location": location_full(location),
        } for location in offer.hsds_locations],
        "cost_options": [compact({
            "id": derived_id(offer.uuid, "cost"),
            "service_id": service_id,
            "option": "kostenlos" if offer.is_free else "",
            "currency": "EUR" if offer.is_free else "",
            "amount": 0 if offer.is_free else None,
            "amount_description": offer.cost_note,
        })] if offer.is_free or offer.cost_note else [],
        "attributes": [{
            "id": derived_id(offer.uuid, f"term:{term.id}"),
            "link_id": service_id,
            "link_type": term.taxonomy.link_type,
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": term.as_hsds(),
        } for term in offer_terms(offer)],
    }


# --- Querysets ----------------------------------------------------------------------------


def offer_parts(full):
    """What the serializers read of an offer, as plain lists (`Prefetch(to_attr=…)`): Django's
    usual prefetch builds a related manager and a filtered queryset per offer and relation,
    which modeltranslation then rewrites; that cost more than the queries (150 ms for 50 offers)."""
    parts = [Prefetch("target_groups", to_attr="hsds_target_groups"), Prefetch("languages", to_attr="hsds_languages")]
    if full:
        parts += [
            Prefetch("categories", to_attr="hsds_categories"),
            Prefetch("locations", queryset=places(), to_attr="hsds_locations"),
            Prefetch("contacts", to_attr="hsds_contacts"),
            Prefetch("slots", queryset=OpeningSlot.objects.select_related("language"), to_attr="hsds_slots"),
            Prefetch("closures", to_attr="hsds_closures"),
        ]
    return parts


def places():
    """Locations with what location_full shows; of the organization only its id (an annotation,
    not a row of ten-language texts per place)."""
    return Location.objects.select_related("town").annotate(organization_uuid=F("organization__uuid"))


def public_offers(full=True):
    """Visible offers with what the serializers touch (`full`: service_full's parts too), by id for paging."""
    return (
        Offer.objects.visible()
        .select_related("organization")
        .prefetch_related(*offer_parts(full))
        .order_by("pk")
    )


def filtered_offers(request, full=True):
    """Apply the spec's service filters: search, taxonomy_term_id, taxonomy_id, organization_id, modified_after.

    Returns the queryset of the other filters and the ids the search matched (None without
    a search). The search runs on the search index (directory/search_index.py) and is
    applied in Python: a filter `pk IN (<thousands of ids>)` costs PostgreSQL hundreds of
    milliseconds per query, reading the ids the other filters let through a few.
    """
    offers = public_offers(full)
    matching = None
    if search := text_parameter(request, "search"):
        found = current_index().matching_ids(search)
        matching = None if found is None else set(found)
    if term_id := uuid_parameter(request, "taxonomy_term_id"):
        offers = with_term(offers, term_id)
    if taxonomy_id := uuid_parameter(request, "taxonomy_id"):
        offers = in_taxonomy(offers, taxonomy_id)
    if organization_id := uuid_parameter(request, "organization_id"):
        offers = offers.filter(organization__uuid=organization_id)
    if modified_after := datetime_parameter(request, "modified_after"):
        offers = offers.filter(updated__gte=modified_after)
    return offers, matching


def load_offers(full):
    """`load` for `paginated` over offer ids: the page's offers in the order of the ids."""

    def load(keys):
        found = public_offers(full).in_bulk(keys)
        # An offer unpublished since the search index was built (up to a second ago) is left out.
        return [found[key] for key in keys if key in found]

    return load


def public_organizations():
    visible = Offer.objects.visible().values("organization")
    return Organization.objects.filter(pk__in=visible).order_by("name", "pk")


# --- Views --------------------------------------------------------------------------------


@api_view
def api_root(request):
    return {
        "version": HSDS_VERSION,
        "openapi_url": OPENAPI_URL,
        "name": f"{settings.SITE_NAME} – {settings.SITE_NETWORK}",
        "license": {"name": settings.DATA_LICENSE, "url": settings.DATA_LICENSE_URL},
        "endpoints": {
            name: absolute_url(reverse(f"directory:hsds-{name}"))
            for name in ("services", "organizations", "taxonomies", "taxonomy_terms", "service_at_locations")
        },
    }


@api_view
def services(request):
    full = bool_parameter(request, "full")
    serialize = service_full if full else service_basic
    offers, matching = filtered_offers(request, full)
    if matching is None:
        return paginated(request, offers, serialize)
    keys = [key for key in plain(offers).values_list("pk", flat=True) if key in matching]
    return paginated(request, keys, serialize, load=load_offers(full))


@api_view
def service_detail(request, id):
    return service_full(get_by_uuid(public_offers(), id))


@api_view
def organizations(request):
    organizations = public_organizations()
    if search := text_parameter(request, "search"):
        organizations = organizations.filter(name__icontains=search)
    return paginated(request, organizations, organization_basic)


@api_view
def organization_detail(request, id):
    organization = get_by_uuid(public_organizations(), id)
    offers = public_offers(full=False).filter(organization=organization)
    locations = (
        places().filter(offers__in=offers).distinct().order_by("pk")
    )
    return {
        **organization_basic(organization),
        "phones": organization_phones(organization),
        "locations": [location_full(location) for location in locations],
        "services": [service_basic(offer) for offer in offers],
    }


@api_view
def taxonomies(request):
    found = TAXONOMIES
    if search := text_parameter(request, "search").lower():
        found = [taxonomy for taxonomy in found if search in taxonomy.name.lower()]
    return paginated(request, found, Taxonomy.as_hsds)


@api_view
def taxonomy_detail(request, id):
    for taxonomy in TAXONOMIES:
        if taxonomy.id == id:
            return taxonomy.as_hsds()
    raise Http404


@api_view
def taxonomy_terms(request):
    terms = all_terms()
    if taxonomy_id := uuid_parameter(request, "taxonomy_id"):
        terms = [term for term in terms if term.taxonomy.id == str(taxonomy_id)]
    if search := text_parameter(request, "search").lower():
        terms = [term for term in terms if search in term.name.lower() or search in term.code]
    if uuid_parameter(request, "parent_id"):
        terms = []  # the vocabularies are flat: no term has a parent
    bool_parameter(request, "top_only")  # every term is a top term; only checked for a valid value
    return paginated(request, terms, Term.as_hsds)


@api_view
def taxonomy_term_detail(request, id):
    for term in all_terms():
        if term.id == id:
            return term.as_hsds()
    raise Http404


OfferLocation = Offer.locations.through


def offer_location_links(offers, postcode=""):
    """The (offer, location) links of `offers` as a queryset, in the order offers by id, then
    their locations as listed on the offer page."""
    links = OfferLocation.objects.filter(offer__in=offers.order_by().values("pk"))
    if postcode:
        links = links.filter(location__postal_code=postcode)
    return links.order_by("offer_id", "location__town__position", "location__name", "location_id")


def load_pairs(full):
    """`load` for `paginated` over links: one page as (offer, location) pairs, with what the serializers touch."""

    def load(links):
        if links and not isinstance(links[0], OfferLocation):  # ids of links (a search)
            found = OfferLocation.objects.in_bulk(links)
            links = [found[key] for key in links if key in found]
        offers = public_offers(full).in_bulk({link.offer_id for link in links})
        locations = places().in_bulk({link.location_id for link in links})
        return [(offers[link.offer_id], locations[link.location_id]) for link in links
                if link.offer_id in offers and link.location_id in locations]

    return load


# The id of a service_at_location is derived from both uuids (service_at_location_id) and
# cannot be reversed; this index maps it back to the link's keys. It is built with one
# query per content version and day and shared through the cache.
def pair_index():
    version = page_cache.known_version()
    key = f"hsds-pairs:{version}:{timezone.localdate().isoformat()}"
    index = cache.get(key) if version is not None else None
    if index is None:
        rows = OfferLocation.objects.filter(offer__in=Offer.objects.visible().values("pk")).values_list(
            "offer_id", "location_id", "offer__uuid", "location__uuid")
        index = {derived_id(offer_uuid, f"location:{location_uuid}"): (offer_id, location_id)
                 for offer_id, location_id, offer_uuid, location_uuid in rows}
        if version is not None:
            cache.set(key, index, page_cache.DOCUMENT_SECONDS)
    return index


def service_at_location_basic(pair):
    offer, location = pair
    return {
        "id": service_at_location_id(offer, location),
        "service_id": str(offer.uuid),
        "location_id": str(location.uuid),
        "location": location_basic(location),
        "service": service_basic(offer),
    }


def service_at_location_full(pair):
    offer, location = pair
    return {
        **service_at_location_basic(pair),
        "location": location_full(location),
        "contacts": [compact({
            "id": str(contact.uuid), "service_id": str(offer.uuid), "name": contact.name, "email": contact.email,
            "phones": contact_phones(contact),
        }) for contact in offer.hsds_contacts],
    }


@api_view
def service_at_locations(request):
    if request.GET.get("proximity", "").strip():
        raise BadParameter("proximity", "proximity is not supported; filter by postcode instead.")
    postcode = text_parameter(request, "postcode")
    full = bool_parameter(request, "full")
    serialize = service_at_location_full if full else service_at_location_basic
    offers, matching = filtered_offers(request, full)
    links = offer_location_links(offers, postcode)
    if matching is not None:
        links = [key for key, offer_id in plain(links).values_list("pk", "offer_id") if offer_id in matching]
    return paginated(request, links, serialize, load=load_pairs(full))


@api_view
def service_at_location_detail(request, id):
    try:
        key = pair_index().get(str(uuid.UUID(id)))
    except ValueError:
        raise Http404 from None
    if key is None:
        raise Http404
    offer_id, location_id = key
    offer = public_offers().filter(pk=offer_id).first()
    location = places().filter(pk=location_id).first()
    if offer is None or location is None:
        raise Http404
    return service_at_location_full((offer, location))
