from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from directory.offline import service_worker
from directory.sitemaps import robots_txt, sitemap_index, sitemap_section

urlpatterns = [
    path("admin/", admin.site.urls),
    # At the root so that its scope covers every page (static/js/sw.js).
    path("sw.js", service_worker, name="service-worker"),
    # Site-wide files live at the root only; the sitemap lists every language itself.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

# German has no prefix; every other interface language lives under its code (/ar/…).
urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    prefix_default_language=False,
)

handler404 = "directory.views.page_not_found"
# Rendered without the database; a database outage becomes the 503 page.
handler500 = "directory.errors.server_error"
