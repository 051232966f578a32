import gc

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Wegweiser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, pre_save

        from . import checks, notifications, signals  # noqa: F401
        from .cache import connect_signals
        from .roles import ensure_role_groups
        from .text import normalize_before_save

        connect_signals()
        # Every model of the app, every save path (admin, import, review link, restore): one text form.
        pre_save.connect(normalize_before_save, dispatch_uid="directory_normalize_text")
        post_migrate.connect(ensure_role_groups, sender=self)
        # Everything loaded at start-up lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise scan it again and again (pauses of 0.2 s under load).
        gc.freeze()
