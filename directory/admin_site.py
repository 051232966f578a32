"""The coordinator's admin site: the directory's own sections first, in the order of her daily work."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# Daily work first (offers, what came in), then the entries behind them, then settings-like lists.
MODEL_ORDER = [
    "Offer", "Report", "ChangeRequest", "ReviewRequest", "Organization", "Location", "Category", "Language",
    "TargetGroup", "Town", "PartnerProfile", "NotificationSetting", "LegalPage",
]  # fmt: skip
# Accounts and the login protection's records come last: needed rarely, and never by partners.
APP_ORDER = ["directory", "auth", "axes"]


def _position(order, name):
    return order.index(name) if name in order else len(order)


class WegweiserAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        apps.sort(key=lambda app: (_position(APP_ORDER, app["app_label"]), str(app["name"])))
        for app in apps:
            app["models"].sort(key=lambda model: (_position(MODEL_ORDER, model["object_name"]), str(model["name"])))
        return apps


class WegweiserAdminConfig(AdminConfig):
    default_site = "directory.admin_site.WegweiserAdminSite"
