from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from directory.invitations import StaffPasswordResetForm
from directory.offline import service_worker
from directory.sitemaps import robots_txt, sitemap_index, sitemap_section

# "Passwort vergessen" for admin logins, and the page where an invited partner chooses a password.
admin_look = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
password_urls = [
    path(
        "admin/passwort-vergessen/",
        auth_views.PasswordResetView.as_view(
            form_class=StaffPasswordResetForm,
            email_template_name="admin/directory/password_reset_email.txt",
            subject_template_name="admin/directory/password_reset_subject.txt",
            extra_email_context={"SITE_NAME": settings.SITE_NAME},
            extra_context=admin_look,
        ),
        name="admin_password_reset",
    ),
    path(
        "admin/passwort-vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(extra_context=admin_look),
        name="password_reset_done",
    ),
    path(
        "admin/passwort/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=admin_look),
        name="password_reset_confirm",
    ),
    path(
        "admin/passwort/gesetzt/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=admin_look),
        name="password_reset_complete",
    ),
]

urlpatterns = password_urls + [
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

handler403 = "directory.views.permission_denied"
handler404 = "directory.views.page_not_found"
# Rendered without the database; a database outage becomes the 503 page.
handler500 = "directory.errors.server_error"
