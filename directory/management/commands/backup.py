import gzip
import json
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

# Rebuilt by `migrate` (content types, permissions), short-lived (sessions, the page
# cache's content version) or personal data with no place in a long-kept file (login attempts).
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "directory.contentversion", "axes"]


def excluded_labels():
    installed = {config.label for config in apps.get_app_configs()}
    installed |= {model._meta.label_lower for model in apps.get_models()}
    return [label for label in NOT_BACKED_UP if label.lower() in installed]


class Command(BaseCommand):
    help = (
        "Write every object of the database – offers with all their translations, users, history – "
        "to a gzip-compressed JSON file that `restore` loads into SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="File to write, ending in .json.gz (default: var/backups/wegweiser-<date-time>.json.gz)."
        )

    def handle(self, *args, path=None, **options):
        if path:
            target = Path(path)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            target = settings.BASE_DIR / "var" / "backups" / f"wegweiser-{stamp}.json.gz"
        if not target.name.endswith(".json.gz"):
            target = target.with_name(target.name + ".json.gz")
        target.parent.mkdir(parents=True, exist_ok=True)

        # Written under a temporary name first: a cut-off run never leaves a half file
        # that looks like a backup. Readable by the owner only (password hashes inside).
        partial = target.with_name(f".partial-{target.name}")
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=excluded_labels(),
            output=str(partial),
            verbosity=0,
        )
        with gzip.open(partial, "rt", encoding="utf-8") as stream:
            count = len(json.load(stream))
        partial.replace(target)
        self.stdout.write(self.style.SUCCESS(f"Saved {count} objects to {target}."))
