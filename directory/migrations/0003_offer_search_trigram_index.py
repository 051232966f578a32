"""On PostgreSQL, a trigram index that speeds up the search's LIKE '%word%' filters.

The search itself is the same on every database (directory/search.py); this index only
makes PostgreSQL answer it without reading every offer. Where pg_trgm cannot be
installed (no privilege), the migration skips the index and the search stays correct.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "directory_offer_search_trgm"


def create_trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_offer USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_content_version")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False)]
