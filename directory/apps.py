from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Wegweiser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401
        from .cache import connect_signals
        from .roles import ensure_role_groups

        connect_signals()
        post_migrate.connect(ensure_role_groups, sender=self)
