"""Categories, languages, target groups and towns that pages, filters and printed QR codes depend on.

One in use is never deleted: the coordinator archives it (it leaves filters and lists; a
category's page then leads to all offers with a note) or merges it into another one (its
offers move; a category's old address answers with a 301 to the new one).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Category, Language, Location, Offer, SlugRedirect, TargetGroup, Town

VOCABULARY_MODELS = (Category, Language, TargetGroup, Town)
NAMED_IN_MESSAGE = 5  # offers or places named in the "in use" message; the rest are counted


def offers_using(item):
    """The offers that show `item` (for a town: through their places)."""
    if isinstance(item, Town):
        return Offer.objects.filter(locations__town=item).distinct()
    return item.offers.all()


def uses(item):
    """[(label, names, count)] of what depends on `item`; empty when it may be deleted."""
    found = []
    offers = offers_using(item).order_by("title")
    count = offers.count()
    if count:
        names = [str(offer) for offer in offers[:NAMED_IN_MESSAGE]]
        found.append((ngettext("%(count)d Angebot", "%(count)d Angebote", count) % {"count": count}, names, count))
    if isinstance(item, Town):
        places = Location.objects.filter(town=item).order_by("name")
        count = places.count()
        if count:
            names = [place.name for place in places[:NAMED_IN_MESSAGE]]
            found.append((ngettext("%(count)d Ort eines Angebots", "%(count)d Orte der Angebote", count) % {"count": count},
                          names, count))  # fmt: skip
    return found


def in_use_message(item):
    """A sentence naming what uses `item`, for the admin's refusal to delete it."""
    parts = []
    for label, names, count in uses(item):
        more = count - len(names)
        listing = ", ".join(f"„{name}“" for name in names) + (_(" und %(more)d weitere") % {"more": more} if more else "")
        parts.append(f"{label} ({listing})")
    return _("„%(item)s“ wird noch verwendet von: %(uses)s.") % {"item": item, "uses": "; ".join(parts)}


def _refresh_search(offers):
    for offer in offers:
        offer.refresh_search_text()


@transaction.atomic
def merge(source, target):
    """Move everything from `source` to `target` and delete `source`. Returns the number of offers moved.

    The target keeps its own name and translations. A category's old address and its
    earlier ones redirect (301) to the target; a town's name becomes one of the target's
    village names, so parents who type it still find its offers.
    """
    model = type(source)
    if model is not type(target) or source.pk == target.pk:
        raise ValueError("merge needs two different items of the same kind")
    offers = list(offers_using(source))
    if model is Town:
        Location.objects.filter(town=source).update(town=target)
        aliases = target.alias_list()
        for name in [source.name, *source.alias_list()]:
            if name.casefold() not in {alias.casefold() for alias in aliases} and name.casefold() != target.name.casefold():
                aliases.append(name)
        target.aliases = ", ".join(aliases)
        target.save()
    else:
        for offer in offers:
            related = offer.categories if model is Category else offer.languages if model is Language else offer.target_groups
            related.add(target)
            related.remove(source)
    if model is Category:
        old_slugs = [source.slug, *source.former_slugs.values_list("old_slug", flat=True)]
        source.former_slugs.all().delete()
        source.delete()
        for slug in old_slugs:
            SlugRedirect.remember(target, slug)
    else:
        source.delete()
    _refresh_search(Offer.objects.filter(pk__in=[offer.pk for offer in offers]))
    return len(offers)


def set_archived(queryset, archived=True):
    """Archive (or bring back) vocabulary; saved one by one so the page cache hears of it."""
    count = 0
    for item in queryset.exclude(archived=archived):
        item.archived = archived
        item.save(update_fields=["archived"])
        count += 1
    return count
