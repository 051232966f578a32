"""The offer cards of a listing: what a page of results shows of each offer, read lightly.

A card shows the title and summary, a few yes/no facts, the provider's name, the
languages, the towns and the opening status. A listing reads only those columns (not
the long descriptions in every language), and takes languages and towns from the
listing's vocabulary through the link tables instead of building a Language, Location
and Town object per card: at 10,000 offers on PostgreSQL that was most of the time of
a search page (bench/RESULTS.md, "Never-seen searches: where the time went").
"""

from collections import defaultdict

from django.db.models import Prefetch

from .models import Language, Offer, OpeningSlot, Town

# The offer's own columns a card reads (translated fields bring their columns in every language).
CARD_FIELDS = (
    "slug", "title", "summary", "is_free", "appointment_needed", "anonymous_possible", "format_phone",
    "format_video", "open_on_public_holidays", "organization__name",
)


def slots_with_language():
    """Weekly slots for the opening status and hours, with their language, in one query."""
    return Prefetch("slots", queryset=OpeningSlot.objects.select_related("language"))


def card_offers(queryset):
    """`queryset` narrowed to what a card reads, with the weekly slots and closures of the opening status."""
    return queryset.select_related("organization").only(*CARD_FIELDS).prefetch_related(slots_with_language(), "closures")


def add_languages_and_towns(offers, vocabulary):
    """Set `offer.card_languages` and `offer.towns` on each offer: two queries for the whole page.

    In the order of the filters (position, then name). An archived language or town, not
    in the vocabulary, is read from the database, so the card still names it.
    """
    pks = [offer.pk for offer in offers]
    if not pks:
        return
    language_links = Offer.languages.through.objects.filter(offer_id__in=pks).values_list("offer_id", "language_id")
    town_links = (
        Offer.locations.through.objects.filter(offer_id__in=pks)
        .values_list("offer_id", "location__town_id").distinct()
    )
    languages = _by_pk(vocabulary.languages, Language, language_links)
    towns = _by_pk(vocabulary.towns, Town, town_links)
    for offer in offers:
        offer.card_languages = languages.get(offer.pk, [])
        offer.towns = towns.get(offer.pk, [])


def _by_pk(known, model, links):
    """{offer pk: [objects by position, then name]} from (offer pk, object pk) links."""
    links = list(links)
    objects = {item.pk: item for item in known}
    missing = {pk for _offer, pk in links if pk not in objects}
    if missing:
        objects.update((item.pk, item) for item in model.objects.filter(pk__in=missing))
    grouped = defaultdict(list)
    for offer_pk, pk in links:
        grouped[offer_pk].append(objects[pk])
    return {offer_pk: sorted(items, key=lambda item: (item.position, str(item.name)))
            for offer_pk, items in grouped.items()}
