"""sitemap.xml: every public page in every interface language, with hreflang alternates."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .links import absolute_url
from .models import Category, Offer


class SiteURLSitemap(Sitemap):
    """Each page in every language (German unprefixed, x-default German), on settings.SITE_URL."""

    i18n = True
    alternates = True
    x_default = True

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
        return Category.objects.filter(archived=False).order_by("position", "pk")


class OfferSitemap(SiteURLSitemap):
    priority = 0.6
    changefreq = "monthly"

    def items(self):
        return Offer.objects.visible().order_by("pk")

    def lastmod(self, offer):
        return offer.updated


SITEMAPS = {"seiten": StaticPagesSitemap, "kategorien": CategorySitemap, "angebote": OfferSitemap}


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
