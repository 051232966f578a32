"""Where a parent is: the towns and villages of `nahe=`, and distances to offers.

The places are data (settings.PLACES_FILE, fixtures/places.json by default) with
their source named; another network ships its own file. Names are matched folded
(case, accents, "St."/"Sankt"), so "hahnenklee", "Sankt Andreasberg" and
"St.Andreasberg" all find their place.

Distances are straight lines (haversine) from the place to the nearest location of
an offer; a location without coordinates counts at the centre of its municipality.
"""

import difflib
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.http import JsonResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .query import query_parameters
from .search import fold

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    name: str
    slug: str
    town: str
    latitude: float
    longitude: float
    aliases: tuple = field(default=())

    def distance_to(self, latitude, longitude):
        return distance_km(self.latitude, self.longitude, latitude, longitude)


@dataclass(frozen=True)
class Gazetteer:
    places: tuple
    source: str
    source_url: str
    license: str
    attribution: str
    postcodes: tuple = ()  # (postcode, place name) pairs of the district

    def by_key(self):
        keys = {}
        for place in self.places:
            for name in (place.name, place.slug, *place.aliases):
                keys.setdefault(name_key(name), place)
        return keys

    def find(self, text):
        """The place a parent means by `text` (a name, an alias or a postcode of the district), or None."""
        text = (text or "").strip()
        if is_postcode(text):
            name = dict(self.postcodes).get(text)
            return self._keys().get(name_key(name)) if name else None
        return self._keys().get(name_key(text))

    def knows_postcodes(self):
        return bool(self.postcodes)

    def closest_names(self, text, count=3):
        """Known place names that look most like `text`, for the note on an unknown name."""
        keys = self._keys()
        matches = difflib.get_close_matches(name_key(text), list(keys), n=count * 3, cutoff=0.5)
        names = []
        for key in matches:
            name = keys[key].name
            if name not in names:
                names.append(name)
        return names[:count]

    def town_centre(self, town_slug):
        """The municipality's own place: the stand-in for a location without coordinates."""
        return next((p for p in self.places if p.slug == town_slug), None) or next(
            (p for p in self.places if p.town == town_slug), None
        )

    def _keys(self):
        return _keys_of(self)


@lru_cache(maxsize=4)
def _keys_of(gazetteer):
    return gazetteer.by_key()


def is_postcode(text):
    """A German postcode: five digits ("38723")."""
    return len(text) == 5 and text.isascii() and text.isdigit()


def find_place(text):
    """The place a parent means: a name, alias or postcode of the places file, or a name in her script
    ("زيزن", "Зезен") that the search vocabulary knows as a word of that place's concept (data the
    coordinator extends in the admin)."""
    places = gazetteer()
    text = (text or "").strip()
    postcode, _space, name = text.partition(" ")
    if is_postcode(postcode) and name:
        # An address as the pages print it ("38723 زيزن"): its postcode says where.
        text = postcode
    place = places.find(text)
    if place is None and not is_postcode(text):
        from .search_index import current_index

        for name in current_index().concept_names(text):
            place = places.find(name)
            if place is not None:
                break
    return place


def name_key(text):
    """Fold a place name so that spellings people use meet: 'St. Andreasberg' = 'sankt-andreasberg'."""
    words = fold(" ".join((text or "").replace("-", " ").replace(".", ". ").split())).replace(".", " ").split()
    words = ["sankt" if word in ("st", "skt") else word for word in words]
    return " ".join(words)


@lru_cache(maxsize=4)
def _load(path):
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    places = tuple(
        Place(
            name=item["name"],
            slug=slugify(item["name"].replace("ß", "ss")),
            town=item["town"],
            latitude=float(item["lat"]),
            longitude=float(item["lon"]),
            aliases=tuple(item.get("aliases", ())),
        )
        for item in data["places"]
    )
    return Gazetteer(
        places=places,
        source=data.get("source", ""),
        source_url=data.get("source_url", ""),
        license=data.get("license", ""),
        attribution=data.get("attribution", ""),
        postcodes=tuple(sorted(data.get("postcodes", {}).items())),
    )


def gazetteer():
    return _load(str(settings.PLACES_FILE))


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def location_distances(place, locations):
    """{location pk: km} for (pk, latitude, longitude, town slug) rows; None where unknown."""
    places = gazetteer()
    distances = {}
    for pk, latitude, longitude, town_slug in locations:
        if latitude is not None and longitude is not None:
            distances[pk] = place.distance_to(float(latitude), float(longitude))
        else:
            centre = places.town_centre(town_slug)
            distances[pk] = place.distance_to(centre.latitude, centre.longitude) if centre else None
    return distances


def rounded_km(km):
    """What the card says: whole kilometres; 0 reads "unter 1 km"."""
    return round(km) if km is not None else None


@query_parameters()
@require_safe
def places_json(request):
    """[name, latitude, longitude] of every place, for "Meinen Standort verwenden" (static/js/near.js),
    with the note for a position outside the district (here, not in every listing page: its weight budget)."""
    rows = [[place.name, place.latitude, place.longitude] for place in gazetteer().places]
    outside = _(
        "Ihr Standort liegt nicht im %(SITE_REGION)s. Der nächste Ort hier ist {place}, etwa {km} km entfernt. "
        "Um von dort aus zu sortieren, tippen Sie auf „Angebote zeigen“."
    ) % {"SITE_REGION": settings.SITE_REGION}
    response = JsonResponse({"places": rows, "outside": outside})
    response["Cache-Control"] = "public, max-age=86400"
    return response
