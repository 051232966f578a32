import gzip
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from directory.cache import forget_version
from directory.history import history_paused
from directory.models import ContentVersion

# Rows that `migrate` and the site itself create; they do not make a database "in use".
CREATED_BY_MIGRATE = {"directory.legalpage", "directory.contentversion"}


def content_version():
    return ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def database_in_use():
    """True when the database holds anything a person entered: accounts or directory data."""
    if get_user_model().objects.exists():
        return True
    return any(
        model._default_manager.exists()
        for model in apps.get_app_config("directory").get_models()
        if model._meta.label_lower not in CREATED_BY_MIGRATE
    )


class Command(BaseCommand):
    help = (
        "Load a file written by `backup` into this database. Run `migrate` first. "
        "Refuses a database that is already in use unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup file (.json.gz) written by `manage.py backup`.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete everything in this database and replace it with the backup."
        )

    def handle(self, *args, path, replace=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not migrated. Run `python manage.py migrate` first.")
        if database_in_use() and not replace:
            raise CommandError(
                "This database already holds data. Restore into an empty database, "
                "or pass --replace to delete everything in it first."
            )
        with gzip.open(source, "rt", encoding="utf-8") as stream:
            count = len(json.load(stream))

        # One transaction: either the whole backup is in, or the database is as before.
        with transaction.atomic():
            version_before = content_version()
            # Also removes the rows `migrate` created, so the backup's own versions come back unchanged.
            call_command("flush", interactive=False, verbosity=0)
            # flush's post_migrate recreated the role groups (directory.roles); the backup brings its own.
            Group.objects.all().delete()
            # The backup holds the history as it was; loading must not add entries for its own list changes.
            with history_paused():
                call_command("loaddata", str(source), verbosity=0)
            # Pages cached before the restore (also in a shared cache) must never pass for the
            # restored content: the version only ever grows.
            ContentVersion.objects.update_or_create(pk=1, defaults={"value": max(version_before, content_version()) + 1})
        forget_version()
        self.stdout.write(self.style.SUCCESS(f"Restored {count} objects from {source}."))
