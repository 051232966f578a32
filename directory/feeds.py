"""Atom feeds of new and updated offers, for partners' news readers and websites."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .links import absolute_url
from .models import Category, Offer

FEED_LENGTH = 50


class OfferFeed(Feed):
    """The most recently changed published offers, newest first."""

    feed_type = Atom1Feed
    query_parameters = ()  # read by the page cache (directory/query.py)

    def title(self):
        return _("%(site)s: neue und geänderte Angebote") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return settings.SITE_NETWORK

    def link(self):
        return absolute_url(reverse("directory:home"))

    def feed_url(self):
        return absolute_url(reverse("directory:feed"))

    def author_name(self):
        return settings.SITE_NETWORK

    def feed_copyright(self):
        return f"{settings.DATA_LICENSE} ({settings.DATA_LICENSE_URL})"

    def offers(self):
        return Offer.objects.visible().select_related("organization").order_by("-updated", "-pk")

    def items(self):
        return self.offers()[:FEED_LENGTH]

    def item_title(self, offer):
        return offer.title

    def item_description(self, offer):
        return offer.summary

    def item_link(self, offer):
        return absolute_url(offer.get_absolute_url())

    def item_guid(self, offer):
        # The uuid stays when the slug changes, so readers do not show a renamed offer twice.
        return f"urn:uuid:{offer.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, offer):
        return offer.created

    def item_updateddate(self, offer):
        return offer.updated

    def item_author_name(self, offer):
        return offer.organization.name


class CategoryOfferFeed(OfferFeed):
    """The same, for one category: what the Jobcenter's website shows under "Ausbildung & Beruf"."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return _("%(site)s: %(category)s – neue und geänderte Angebote") % {
            "site": settings.SITE_NAME, "category": category.name,
        }

    def link(self, category):
        return absolute_url(category.get_absolute_url())

    def feed_url(self, category):
        return absolute_url(reverse("directory:category-feed", kwargs={"slug": category.slug}))

    def items(self, category):
        return self.offers().filter(categories=category)[:FEED_LENGTH]
