"""sitemap.xml: an index of parts listing every public page in every language, with hreflang alternates.

At 10,000 offers one file would hold 100,000 addresses and 60 MB, over the protocol's
50,000 URLs and 50 MB. So /sitemap.xml is a sitemap index and each section comes in parts
of LIMIT addresses (/sitemap-angebote.xml?p=2), each well under 10 MB even with the longest
slugs (tests/test_open_data.py). Index and parts are kept per content version
(directory.cache.per_content_version): computed once after a change, not per crawler visit.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_section_view
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .cache import per_content_version
from .links import absolute_url
from .models import Category, Offer

# Addresses per part: each comes with 11 alternates (10 languages and x-default), about
# 0.7 KB with typical slugs and at most 4 KB with 200-character ones.
LIMIT = 2000


class SiteURLSitemap(Sitemap):
    """Each page in every language (German unprefixed, x-default German), on settings.SITE_URL."""

    i18n = True
    alternates = True
    x_default = True
    limit = LIMIT

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticPagesSitemap(SiteURLSitemap):
    names = ["directory:home", "directory:offer-list", "directory:partners", "directory:impressum",
             "directory:datenschutz", "directory:barrierefreiheit"]
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


class CategorySitemap(SiteURLSitemap):
    priority = 0.9
    changefreq = "weekly"

    def items(self):
        return Category.objects.filter(archived=False).order_by("position", "pk").only("pk", "slug")


class OfferSitemap(SiteURLSitemap):
    priority = 0.6
    changefreq = "monthly"

    def items(self):
        # Only what an address needs: not the texts in ten languages.
        return Offer.objects.visible().order_by("pk").only("pk", "slug", "updated")

    def lastmod(self, offer):
        return offer.updated


SITEMAPS = {"seiten": StaticPagesSitemap, "kategorien": CategorySitemap, "angebote": OfferSitemap}


@require_safe
@per_content_version()
def sitemap_index(request):
    """The sitemap index: every part of every section, on SITE_URL (like robots.txt)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        address = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(address if page == 1 else f"{address}?p={page}", lastmod))
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


@require_safe
@per_content_version(parameters=["p"])
def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap section.")
    return sitemap_section_view(request, SITEMAPS, section=section)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
