"""Printouts for the counter: any listing or offer on A4, one offer as an A6 card.

`/angebote/flyer/?<filters>`, `/kategorie/<slug>/flyer/?<filters>` (the category flyer
partners already print) and `/angebot/<slug>/flyer/` take the listing's own filters
(OfferFilter decides what counts) plus `sprache2=<interface language>`: German and that
language side by side. `/angebot/<slug>/karte/` is the A6 card of one offer.

The QR code is drawn into the page (segno, inline SVG), so the paper is complete without
a second request, and it holds the list's or offer's public address in the second
language with exactly the filters that were printed.

Every printed page says "page x of y" (CSS @page margin boxes, counted by the browser
when it lays out the paper), so the count on paper is the real one.

A list of more than MAX_PRINTOUT_OFFERS offers is refused with a note to narrow the
filters: at about seven bilingual offers per A4 page that is some 15 pages, more than
anyone hands over at a counter.
"""

import segno
from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .filters import OfferFilter, Vocabulary
from .links import MAX_FILTER_QUERY_LENGTH, absolute_url, with_query
from .models import Contact, Location, Offer
from .places import rounded_km
from .query import filter_parameters, query_parameters
from .schedule_text import weekly_lines
from .views import slots_with_language

SECOND_LANGUAGE_PARAMETER = "sprache2"
MAX_PRINTOUT_OFFERS = 100


def second_language(request):
    """(code, problem): the interface language printed beside German.

    Without `sprache2`, a page opened under a language prefix prints that language.
    """
    languages = dict(settings.LANGUAGES)
    code = request.GET.get(SECOND_LANGUAGE_PARAMETER, "").strip()
    if not code:
        current = translation.get_language()
        return (current if current != settings.LANGUAGE_CODE else None), None
    if code == settings.LANGUAGE_CODE:
        return None, None
    if code in languages:
        return code, None
    return None, _("Die zweite Sprache „%(code)s“ gibt es nicht; der Handzettel ist nur auf Deutsch.") % {"code": code[:20]}


def qr_svg(url):
    """The QR code of `url` as inline SVG (error correction M survives a crumpled handout)."""
    code = segno.make(url, error="m", micro=False)
    # segno escapes the title itself.
    return mark_safe(code.svg_inline(scale=4, border=4, title=url, svgclass="qr", lineclass=None, omitsize=True))  # noqa: S308


def page_counter_css(language):
    """CSS `content` for "Seite x von y" in `language`, built from the translated sentence."""
    with translation.override(language):
        sentence = _("Seite %(page)s von %(pages)s")
    parts = []
    for piece in sentence.replace("%(pages)s", "\x00pages\x00").replace("%(page)s", "\x00page\x00").split("\x00"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"')
    return " ".join(parts)


def public_url(path_in_german, language, query=""):
    """The public address of a page in `language` (German has no prefix)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = path_in_german()
    return with_query(absolute_url(path), query)


def printable_offers(queryset):
    return queryset.select_related("organization").prefetch_related(
        Prefetch("locations", queryset=Location.objects.select_related("town")),
        Prefetch("contacts", queryset=Contact.objects.order_by("position", "pk")),
        slots_with_language(),
    )


def add_second_texts(offers, second):
    """Only real translations: repeating the German text in the second column helps nobody."""
    field = second.replace("-", "_")
    for offer in offers:
        offer.second_title = getattr(offer, f"title_{field}", "") or ""
        offer.second_summary = getattr(offer, f"summary_{field}", "") or ""
        offer.second_description = getattr(offer, f"description_{field}", "") or ""
        offer.second_steps = [
            line.strip() for line in (getattr(offer, f"how_to_get_help_{field}", "") or "").splitlines() if line.strip()
        ]


def annotate_facts(offers):
    """What the paper says under each offer: towns, addresses, phones and hours."""
    for offer in offers:
        locations = list(offer.locations.all())
        contacts = list(offer.contacts.all())
        offer.print_towns = list(dict.fromkeys(location.town.name_de for location in locations))  # the German column
        offer.print_locations = locations[:2]
        offer.more_locations = max(0, len(locations) - 2)
        phones = [c for c in contacts if c.phone]
        # With two numbers, the paper says whose each is (the Arabic-speaking counsellor's, the office's).
        offer.print_phones = [(c.phone, c.hours_de, c.name_de if len(phones) > 1 else "") for c in phones[:2]]
        if not phones and offer.organization.phone:
            offer.print_phones = [(offer.organization.phone, "", "")]
        offer.reachable_anywhere = offer.format_phone or offer.format_video
        # The weekly hours from the slots, in the German column like the rest of the facts.
        with translation.override("de"):
            offer.print_hours = [
                f"{line['label']}: {line['text']}" if line["label"] else line["text"]
                for line in weekly_lines(offer.slots.all())
            ]
        # With `nahe`, the list is ordered by distance; the paper says how far.
        offer.print_km = rounded_km(getattr(offer, "physical_km", None))
        offer.steps_de = [line.strip() for line in (offer.how_to_get_help_de or "").splitlines() if line.strip()]


def common_context(second, problem):
    languages = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return {
        "second_language": second,
        "second_language_problem": problem,
        "second_language_bidi": second in settings.LANGUAGES_BIDI,
        "languages": languages,
        "page_counter_de": page_counter_css(settings.LANGUAGE_CODE),
        "page_counter_second": page_counter_css(second) if second else "",
        "max_offers": MAX_PRINTOUT_OFFERS,
    }


@query_parameters(*filter_parameters(OfferFilter), SECOND_LANGUAGE_PARAMETER)
def list_printout(request, slug=None):
    """A4 printout of a listing with its filters; `slug` for the category flyer."""
    vocabulary = Vocabulary.load()
    category = None
    if slug is not None:
        category = vocabulary.category(slug)
        if category is None:
            raise Http404("unknown category")
    second, problem = second_language(request)
    filterset = OfferFilter(request.GET, queryset=printable_offers(Offer.objects.visible()), vocabulary=vocabulary,
                            category=category)
    offers = filterset.qs
    count = offers.count()
    context = common_context(second, problem)
    context.update(filter=filterset, category=category, count=count, vocabulary=vocabulary)
    query = urlencode(filterset.parameters())
    if len(query) > MAX_FILTER_QUERY_LENGTH:
        query = ""
        context["qr_problem"] = _("Zu viele Filter für einen QR-Code.")
    path = category.get_absolute_url if category is not None else (lambda: reverse("directory:offer-list"))
    context["listing_url"] = with_query(path(), query)
    context["page_url"] = public_url(path, second, query)
    context["qr"] = qr_svg(context["page_url"])
    context["headline_de"], context["headline_second"] = headlines(filterset, category, second)
    if count > MAX_PRINTOUT_OFFERS:
        context["refused"] = True
        return render(request, "directory/printouts/list.html", context)
    offers = list(offers)
    annotate_facts(offers)
    if second:
        add_second_texts(offers, second)
    context["offers"] = offers
    return render(request, "directory/printouts/list.html", context)


def headlines(filterset, category, second):
    """The printout's title in German and in the second language: what was chosen."""
    def one(language):
        with translation.override(language):
            vocabulary = Vocabulary.load() if language != settings.LANGUAGE_CODE else filterset.vocabulary
            labels = []
            for name, value in filterset.parameters():
                if name == "kategorie":
                    item = vocabulary.category(value)
                    labels.append(str(item.name) if item else value)
                elif name == "sprache":
                    item = next((lang for lang in vocabulary.languages if lang.code == value), None)
                    labels.append(str(item.label) if item else value)
                elif name == "q":
                    labels.append(f"„{value}“" if language in ("de", "bg") else f"«{value}»")
                else:
                    labels.append(filterset_label(filterset, vocabulary, name, value))
            title = str(vocabulary.category(category.slug).name) if category is not None else _("Angebote für Eltern")
            return title, [label for label in labels if label]
    de = one(settings.LANGUAGE_CODE)
    return de, (one(second) if second else None)


def filterset_label(filterset, vocabulary, name, value):
    if name == "ort":
        return next((t.name for t in vocabulary.towns if t.slug == value), value)
    if name == "zielgruppe":
        return next((str(g.name) for g in vocabulary.target_groups if g.slug == value), value)
    if name == "format":
        return str(dict(Offer.Format.choices).get(value, value))
    if name == "nahe":
        return _("in der Nähe von %(place)s") % {"place": filterset.place.name}
    if name in OfferFilter.CHECKBOXES:
        return str(OfferFilter.base_filters[name].label)
    return ""


@query_parameters(SECOND_LANGUAGE_PARAMETER)
def offer_printout(request, slug, card=False):
    """A4 page (or, with card=True, an A6 card) of one offer."""
    offer = get_object_or_404(printable_offers(Offer.objects.visible()), slug=slug)
    second, problem = second_language(request)
    context = common_context(second, problem)
    offers = [offer]
    annotate_facts(offers)
    if second:
        add_second_texts(offers, second)
    context.update(offer=offer, offers=offers, card=card)
    context["page_url"] = public_url(offer.get_absolute_url, second)
    context["qr"] = qr_svg(context["page_url"])
    template = "directory/printouts/card.html" if card else "directory/printouts/offer.html"
    return render(request, template, context)
