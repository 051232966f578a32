"""The one FilterSet behind /angebote/ and /kategorie/<slug>/.

Filters are GET parameters so that every filtered view is a link a partner can share
or print. The parameters are forgiving: an unknown or malformed value is dropped
(and reported in `ignored`), the remaining filters still apply, so a parent never
sees an error page for an old or mistyped link.
"""

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import DatabaseError
from django.db.models import CharField, F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import cache, places, schedule_text, search, search_index
from .models import Category, Language, Location, Offer, TargetGroup, Town

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_PARAMETER = 20
MAX_PLACE_LENGTH = 60
CHECKED_VALUES = {"1", "on", "true", "ja", "yes"}
UNCHECKED_VALUES = {"", "0", "off", "false", "nein", "no"}


def requested_page(value):
    """The page number a listing reads from `page`: the number (its first 20 characters), 1 when it is
    none. The view shows page 1 below 1 and the last page, with a note, beyond the end."""
    try:
        return int(value.strip()[:20])
    except ValueError:
        return 1


# Per content version and day: what the listings accept (see OfferFilter.canonical_pairs).
_accepted = {"key": None, "values": None}


def accepted_values():
    """Filter name -> the values a listing accepts, and "page" -> the most pages any listing
    has; None when the content version is not known (outage, open transaction)."""
    from .cache import recent_version
    from .views import OFFERS_PER_PAGE

    version = recent_version()
    if version is None:
        return None
    key = (version, timezone.localdate())
    if _accepted["key"] != key:

        def current(model, field):
            return frozenset(QuerySet(model).filter(archived=False).values_list(field, flat=True))

        try:
            visible = Offer.objects.visible().count()
            values = {"sprache": current(Language, "code"), "kategorie": current(Category, "slug"),
                      "ort": current(Town, "slug"), "zielgruppe": current(TargetGroup, "slug"),
                      "format": frozenset(Offer.Format.values), "page": max(1, math.ceil(visible / OFFERS_PER_PAGE))}
        except DatabaseError:
            return None  # the database went away since the version was read: addresses as sent
        _accepted.update(key=key, values=values)
    return _accepted["values"]


@dataclass
class Vocabulary:
    """Categories, languages, towns and target groups, loaded together in ONE query.

    Every listing needs all four (filter choices, labels, the category itself); four
    separate queries would break the page's query budget. The rows become unsaved
    model instances, so translated names still follow the active language.
    """

    categories: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    towns: list = field(default_factory=list)
    target_groups: list = field(default_factory=list)

    KINDS = {
        "c": (Category, "categories"),
        "l": (Language, "languages"),
        "t": (Town, "towns"),
        "g": (TargetGroup, "target_groups"),
    }

    @classmethod
    def load(cls):
        current = (get_language() or "de").split("-")[0].replace("-", "_")
        name_field = f"name_{current}" if current != "de" else "name_de"
        text = CharField()

        columns = ("key", "name_de", "name_local", "extra", "direction", "description_de", "description_local")

        def rows(model, kind, *sources):
            # Named annotations keep the columns apart even when two of them are the same blank.
            values = {
                f"v_{name}": F(source) if isinstance(source, str) else source
                for name, source in zip(columns, sources, strict=True)
            }
            # Only annotations, in one order: a UNION matches its columns by position.
            annotations = {"v_kind": Value(kind, output_field=text), "v_pk": F("pk"), **values, "v_position": F("position")}
            # A plain QuerySet: modeltranslation's own would reorder the annotations.
            return QuerySet(model).filter(archived=False).order_by().annotate(**annotations).values_list(*annotations)

        has_name_field = any(f.name == name_field for f in Category._meta.get_fields())
        local = name_field if has_name_field else "name_de"
        local_description = local.replace("name_", "description_")
        blank = Value("", output_field=text)
        query = rows(Category, "c", "slug", "name_de", local, "icon", blank, "description_de", local_description).union(
            rows(Language, "l", "code", "name_de", local, "endonym", "direction", blank, blank),
            rows(Town, "t", "slug", "name_de", local, "aliases", blank, blank, blank),
            rows(TargetGroup, "g", "slug", "name_de", local, blank, blank, blank, blank),
            all=True,
        )
        vocabulary = cls()
        for kind, pk, key, name_de, name_local, extra, direction, description_de, description_local, position in query:
            model, attribute = cls.KINDS[kind]
            if model is Category:
                values = {"slug": key, "name_de": name_de, "icon": extra, "description_de": description_de}
                if local != "name_de":
                    values[local_description] = description_local
            elif model is Language:
                values = {"code": key, "name_de": name_de, "endonym": extra, "direction": direction}
            elif model is Town:
                values = {"slug": key, "name_de": name_de, "aliases": extra}
            else:
                values = {"slug": key, "name_de": name_de}
            if local != "name_de":
                values[local] = name_local
            getattr(vocabulary, attribute).append(model(pk=pk, position=position, **values))
        for attribute in ("categories", "languages", "towns", "target_groups"):
            getattr(vocabulary, attribute).sort(key=lambda item: (item.position, str(item.name)))
        return vocabulary

    @classmethod
    def current(cls):
        """The vocabulary in the active language, loaded once per content version in this process.

        Shared by the requests until the next change: read it, never change it.
        """
        language = (get_language() or "de").split("-")[0]
        return cache.kept_per_content_version(("vocabulary", language), cls.load)

    def category(self, slug):
        return next((c for c in self.categories if c.slug == slug), None)


class RankedOffers:
    """Offers in a given order of pks, loaded page by page (what the paginator needs)."""

    ordered = True

    def __init__(self, queryset, ids, physical_km=None):
        self.queryset, self.ids = queryset, list(ids)
        self.model = queryset.model
        self.physical_km = physical_km  # `nahe`: km to each offer's nearest place

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __bool__(self):
        return bool(self.ids)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item:item + 1][0] if item >= 0 else self[len(self.ids) + item:][0]
        ids = self.ids[item]
        if not ids:
            return []
        loaded = {offer.pk: offer for offer in self.queryset.filter(pk__in=ids)}
        if self.physical_km is not None:
            for offer in loaded.values():
                offer.physical_km = self.physical_km.get(offer.pk)
        return [loaded[pk] for pk in ids if pk in loaded]

    def __iter__(self):
        return iter(self[:])


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


class CheckboxFilter(django_filters.Filter):
    """A filter that applies `condition` when its box is ticked and does nothing otherwise."""

    field_class = forms.BooleanField

    def __init__(self, condition, **kwargs):
        self.condition = condition
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.filter(self.condition) if value else qs


class OpenTodayFilter(CheckboxFilter):
    """Offers with an opening today (site time zone), closures and public holidays considered."""

    def __init__(self, **kwargs):
        super().__init__(Q(), **kwargs)

    def filter(self, qs, value):
        return qs.open_on(timezone.localdate()) if value else qs


class OfferFilter(django_filters.FilterSet):
    """Search text, category, language, town, target group, format and three yes/no filters.

    Town (`ort`): an offer matches a town when one of its locations is in that town,
    OR when it is offered by phone or video – those serve the whole district, so a
    parent in Seesen is shown the phone counselling based in Goslar too (the offer
    card then says so).
    """

    q = django_filters.CharFilter(method="filter_search", label=_("Suche"))
    sprache = django_filters.MultipleChoiceFilter(method="filter_languages", label=_("Sprache"))
    kategorie = django_filters.MultipleChoiceFilter(method="filter_categories", label=_("Kategorie"))
    ort = django_filters.ChoiceFilter(method="filter_town", label=_("Ort"))
    zielgruppe = django_filters.ChoiceFilter(method="filter_target_group", label=_("Für wen"))
    format = django_filters.MultipleChoiceFilter(choices=Offer.Format.choices, method="filter_formats", label=_("Form"))
    kostenlos = CheckboxFilter(Q(is_free=True), label=_("kostenlos"))
    ohne_termin = CheckboxFilter(Q(appointment_needed=False), label=_("ohne Termin"))
    heute_offen = OpenTodayFilter(label=_("heute geöffnet"))
    anonym = CheckboxFilter(Q(anonymous_possible=True), label=_("anonym möglich"))
    # `nahe` filters nothing: it orders by distance (see `rank`: the tie-breaker after the fit).

    # Read besides the filters; the page cache keys listings by these too (directory/query.py).
    other_parameters = ("nahe",)

    MULTIPLE = ("sprache", "kategorie", "format")
    SINGLE = ("ort", "zielgruppe")
    CHECKBOXES = ("kostenlos", "ohne_termin", "anonym", "heute_offen")

    class Meta:
        model = Offer
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, vocabulary=None, category=None,
                 visible_only=False):
        # visible_only: `queryset` is exactly Offer.objects.visible(), so the search index may decide it.
        self.visible_only = visible_only
        self.vocabulary = vocabulary or Vocabulary.load()
        self.category = category
        self.ignored = []
        self.query_cut = False
        self.search_result = None
        self.selected = {}
        self.place = None
        self.unknown_place = None
        self.location_km = {}
        self.raw = data
        data = self._clean_parameters(data) if data is not None else None
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["sprache"].extra["choices"] = [(lang.code, str(lang)) for lang in self.vocabulary.languages]
        self.filters["kategorie"].extra["choices"] = [(c.slug, c.name) for c in self.vocabulary.categories]
        self.filters["ort"].extra["choices"] = [(t.slug, t.name) for t in self.vocabulary.towns]
        self.filters["zielgruppe"].extra["choices"] = [(g.slug, g.name) for g in self.vocabulary.target_groups]
        if category is not None:
            # On a category page the category is fixed by the address.
            del self.filters["kategorie"]

    # --- Forgiving parameters ---------------------------------------------------------------

    def _known_values(self):
        return {
            "sprache": {lang.code: lang for lang in self.vocabulary.languages},
            "kategorie": {c.slug: c for c in self.vocabulary.categories},
            "format": {value: label for value, label in Offer.Format.choices},
            "ort": {t.slug: t for t in self.vocabulary.towns},
            "zielgruppe": {g.slug: g for g in self.vocabulary.target_groups},
        }

    def _clean_parameters(self, data):
        """Keep the values we understand; remember the others for a short note."""
        known = self._known_values()
        clean = {}
        # Links, the form and the search all carry the same, cut query: never 20 KB in every link.
        query, self.query_cut = search.first_words(
            search.without_controls(" ".join(data.getlist("q"))), search_index.MAX_QUERY_WORDS, MAX_QUERY_LENGTH
        )
        if self.query_cut:
            self.ignored.append((_("Suche"), _("der Rest des sehr langen Suchtextes")))
        if query:
            clean["q"] = query
            self.selected["q"] = query
        for name in self.MULTIPLE + self.SINGLE:
            if name == "kategorie" and self.category is not None:
                continue
            values = []
            for value in data.getlist(name)[:MAX_VALUES_PER_PARAMETER]:
                value = value.strip()
                if not value:
                    continue
                if value in known[name]:
                    if value not in values:
                        values.append(value)
                else:
                    self._ignore(name)
            if name in self.SINGLE:
                values = values[-1:]
            if values:
                clean[name] = values if name in self.MULTIPLE else values[0]
                self.selected[name] = [known[name][v] if name != "format" else (v, known[name][v]) for v in values]
        self._clean_place(data)
        for name in self.CHECKBOXES:
            values = [v.strip().lower() for v in data.getlist(name)]
            if any(v in CHECKED_VALUES for v in values):
                clean[name] = "1"
                self.selected[name] = True
            elif any(v not in UNCHECKED_VALUES for v in values):
                self._ignore(name)
        return clean

    def _ignore(self, name):
        """Name the filter whose value was not understood, once. The value itself is not repeated:
        any text would do, and the page is cached once for all of them (canonical_pairs)."""
        entry = (self.base_filters[name].label, None)
        if entry not in self.ignored:
            self.ignored.append(entry)

    @classmethod
    def canonical_pairs(cls, pairs, fixed=()):
        """The (name, value) pairs of a listing's address as the listing reads them, and the names
        whose values it ignores; None while the accepted values cannot be known.

        Two addresses with the same canonical pairs and ignored names show the same page, so
        the page cache keeps one entry for them and the page's own links carry these pairs:
        `?sprache=qq`, `?sprache=zz1` and `?sprache=` plus junk do not each render and store
        a page (directory/query.py). Mirrors `_clean_parameters` and Django's paginator.
        """
        accepted = accepted_values()
        if accepted is None:
            return None
        values_of = {}
        for name, value in pairs:
            values_of.setdefault(name, []).append(value)
        canonical, ignored = [], set()
        for name, values in values_of.items():
            if name in fixed:
                continue  # set by the address (a category page's own category)
            if name in cls.MULTIPLE + cls.SINGLE:
                kept = []
                for value in values[:MAX_VALUES_PER_PARAMETER]:
                    value = value.strip()
                    if value and value not in accepted[name]:
                        ignored.add(name)
                    elif value and value not in kept:
                        kept.append(value)
                canonical += [(name, value) for value in (kept[-1:] if name in cls.SINGLE else kept)]
            elif name in cls.CHECKBOXES:
                lowered = [value.strip().lower() for value in values]
                if any(value in CHECKED_VALUES for value in lowered):
                    canonical.append((name, "1"))
                elif any(value not in UNCHECKED_VALUES for value in lowered):
                    ignored.add(name)
            elif name == "page":
                # As the view reads it (requested_page). No listing has more pages than
                # accepted["page"], so every number past that shows the same last page and note.
                number = requested_page(values[-1])
                if number > accepted["page"]:
                    number = accepted["page"] + 1
                if number > 1:
                    canonical.append((name, str(number)))
            else:
                canonical += [(name, value) for value in values]
        return canonical, sorted(ignored)

    def _clean_place(self, data):
        """`nahe=<town or village>`: a known place orders by distance, an unknown one gets a note."""
        values = [" ".join(search.without_controls(v).split()) for v in data.getlist("nahe")[:MAX_VALUES_PER_PARAMETER]]
        values = [v for v in values if v]
        if not values:
            return
        wanted = values[-1][:MAX_PLACE_LENGTH]
        gazetteer = places.gazetteer()
        place = places.find_place(wanted)
        if place is None:
            if places.is_postcode(wanted) and gazetteer.knows_postcodes():
                # A postcode of somewhere else: not sorted from the wrong place, and she is told why.
                self.unknown_place = {"name": wanted, "suggestions": [], "outside": True}
            else:
                self.unknown_place = {"name": wanted, "suggestions": gazetteer.closest_names(wanted)}
            return
        self.place = place
        self.selected["nahe"] = place

    # --- Filtering --------------------------------------------------------------------------

    def filter_queryset(self, queryset):
        if self.category is not None:
            queryset = queryset.filter(pk__in=Offer.categories.through.objects.filter(category=self.category).values("offer_id"))
        return super().filter_queryset(queryset)

    @property
    def qs(self):
        """The filtered offers in the order of the listing (search_index.ordering_key), as RankedOffers."""
        if not hasattr(self, "_ranked"):
            self._ranked = self.rank(super().qs)
        return self._ranked

    def rank(self, queryset):
        index = search_index.current_index()
        languages = search_index.reader_languages([lang.code for lang in self.selected.get("sprache", ())])
        bare = queryset.select_related(None).prefetch_related(None).order_by()

        distances = {}

        def allowed(candidates):
            narrowed = bare if candidates is None else bare.filter(pk__in=candidates)
            if self.place is None:
                if self.visible_only and set(self.selected) <= {"q"} and self.category is None:
                    # No filter but visibility: the index knows it, no need to fetch thousands of ids.
                    return index.visible_ids(candidates)
                return list(search_index.plain(narrowed).values_list("pk", flat=True))
            rows = list(search_index.plain(narrowed).values_list("pk", "format_phone", "format_video"))
            distances.update(self.distances(rows))
            return [pk for pk, _phone, _video in rows]

        def tie_breaker(pk):
            # Nearest first; offers with neither a location nor phone or video come last.
            km = distances.get(pk)
            return math.inf if km is None else km

        tie = tie_breaker if self.place is not None else None
        query = self.selected.get("q", "")
        self.search_result = None
        if not query:
            ids = index.listing(allowed(None), languages, tie_breaker=tie)
            return RankedOffers(queryset, ids, self.physical_km if self.place else None)
        result = index.search(query, allowed, languages, tie_breaker=tie)
        self.search_result = result
        self.ignored.extend((_("Suche"), word) for word in result.plan.unmatched if result.ids)
        if result.plan.cut and not self.query_cut:
            self.query_cut = True
            self.ignored.append((_("Suche"), _("der Rest des sehr langen Suchtextes")))
        return RankedOffers(queryset, result.ids, self.physical_km if self.place else None)

    def suggestion(self):
        """"Meinten Sie …?": a corrected query when the search found nothing, or None."""
        query = self.selected.get("q", "")
        if not query or self.qs.count():
            return None
        corrected = search_index.current_index().suggestion(query)
        if not corrected:
            return None
        pairs = [("q", corrected), *(pair for pair in self.parameters() if pair[0] != "q")]
        return {"query": corrected, "url": f"?{urlencode(pairs)}"}

    def distances(self, rows):
        """{offer pk: sort key} for `nahe`, from (pk, by phone, by video) rows.

        The key is the distance to the offer's nearest place (kept in `physical_km` for the
        cards). Offers only by phone or video are reachable from anywhere: 0. Offers with
        neither a place nor remote access get no key and come last. Computed in Python over
        the place table and the offer–place links: one CASE per place in SQL cost seconds.
        """
        if not hasattr(self, "physical_km"):
            rows_of_places = Location.objects.values_list("pk", "latitude", "longitude", "town__slug")
            self.location_km = places.location_distances(self.place, rows_of_places)
            nearest = {}
            links = Offer.locations.through.objects.values_list("offer_id", "location_id")
            for offer_id, location_id in links.iterator(chunk_size=5000):
                km = self.location_km.get(location_id)
                if km is not None and km < nearest.get(offer_id, math.inf):
                    nearest[offer_id] = km
            self.physical_km = nearest
        keys = {}
        for pk, by_phone, by_video in rows:
            if pk in self.physical_km:
                keys[pk] = self.physical_km[pk]
            elif by_phone or by_video:
                keys[pk] = 0.0
        return keys

    def filter_search(self, queryset, name, value):
        # The search ranks as well as filters: see `rank`, which runs after the SQL filters.
        return queryset

    def filter_languages(self, queryset, name, value):
        ids = [lang.pk for lang in self.vocabulary.languages if lang.code in value]
        return queryset.filter(pk__in=Offer.languages.through.objects.filter(language_id__in=ids).values("offer_id"))

    def filter_categories(self, queryset, name, value):
        ids = [c.pk for c in self.vocabulary.categories if c.slug in value]
        return queryset.filter(pk__in=Offer.categories.through.objects.filter(category_id__in=ids).values("offer_id"))

    def filter_town(self, queryset, name, value):
        town = next(t for t in self.vocabulary.towns if t.slug == value)
        located_there = Offer.locations.through.objects.filter(location__in=Location.objects.filter(town_id=town.pk))
        return queryset.filter(Q(pk__in=located_there.values("offer_id")) | Q(format_phone=True) | Q(format_video=True))

    def filter_target_group(self, queryset, name, value):
        group = next(g for g in self.vocabulary.target_groups if g.slug == value)
        return queryset.filter(pk__in=Offer.target_groups.through.objects.filter(targetgroup_id=group.pk).values("offer_id"))

    def filter_formats(self, queryset, name, value):
        return queryset.with_formats(value)

    # --- What the page shows about the filters ----------------------------------------------

    @property
    def town(self):
        towns = self.selected.get("ort")
        return towns[0] if towns else None

    def parameters(self):
        """The valid filters as (name, value) pairs, in a stable order for links."""
        pairs = []
        if "q" in self.selected:
            pairs.append(("q", self.selected["q"]))
        for name in ("sprache", "kategorie", "ort", "zielgruppe", "format"):
            for item in self.selected.get(name, []):
                pairs.append((name, self._value_of(name, item)))
        for name in self.CHECKBOXES:
            if self.selected.get(name):
                pairs.append((name, "1"))
        if self.place is not None:
            pairs.append(("nahe", self.place.slug))
        return pairs

    def place_suggestions(self):
        """For an unknown `nahe`: (name, link) of the closest known places, other filters kept."""
        if not self.unknown_place:
            return []
        gazetteer = places.gazetteer()
        links = []
        for name in self.unknown_place["suggestions"]:
            pairs = [*self.parameters(), ("nahe", gazetteer.find(name).slug)]
            links.append((name, f"?{urlencode(pairs)}#ergebnis"))
        return links

    def querystring(self, without=None):
        pairs = [pair for pair in self.parameters() if pair != without]
        return f"?{urlencode(pairs)}" if pairs else "?"

    def active_filters(self):
        """One entry per active filter value, each with a link that removes just that value."""
        active = []
        for name, value in self.parameters():
            active.append(ActiveFilter(label=self._label_of(name, value), remove_url=self.querystring(without=(name, value))))
        return active

    def _value_of(self, name, item):
        if name == "sprache":
            return item.code
        if name == "format":
            return item[0]
        return item.slug

    @property
    def place_name(self):
        """The chosen place as the page's language writes it: a town by its translated name
        (زيزن, Зезен, as on the cards), a village by its own name."""
        if self.place is None:
            return ""
        towns = Vocabulary.current().towns  # the active language: printouts name it in each column
        town = next((t for t in towns if t.slug == self.place.town and t.name_de == self.place.name), None)
        return str(town.name) if town else self.place.name

    def _label_of(self, name, value):
        if name == "q":
            return schedule_text.quoted(value)
        if name == "nahe":
            return _("in der Nähe von %(place)s") % {"place": self.place_name}
        if name == "sprache":
            return next(lang.label for lang in self.selected["sprache"] if lang.code == value)
        if name == "format":
            return str(dict(Offer.Format.choices)[value])
        if name in self.CHECKBOXES:
            return str(self.base_filters[name].label)
        return next(str(item.name) for item in self.selected[name] if item.slug == value)

    def chosen(self):
        """The selected values per parameter as strings, for the form's `selected`/`checked`."""
        chosen = {
            name: [self._value_of(name, item) for item in self.selected.get(name, [])]
            for name in self.MULTIPLE + self.SINGLE
        }
        chosen.update({name: bool(self.selected.get(name)) for name in self.CHECKBOXES})
        chosen["q"] = self.selected.get("q", "")
        chosen["nahe"] = self.place.name if self.place else (self.unknown_place or {}).get("name", "")
        chosen["more"] = any(chosen[name] for name in ("zielgruppe", "format", "kategorie", *self.CHECKBOXES))
        return chosen

    def page_prefix(self):
        """The query string of the current filters, ready for `page=N` to be appended."""
        querystring = self.querystring()
        return querystring if querystring == "?" else f"{querystring}&"
