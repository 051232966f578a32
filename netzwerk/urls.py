from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]

# German has no prefix; every other interface language lives under its code (/ar/…).
urlpatterns += i18n_patterns(
    path("", include("directory.urls")),
    prefix_default_language=False,
)

handler404 = "directory.views.page_not_found"
