"""Search vocabulary: "Jobcenter" in the parents' words leads to help with letters from
offices, "school counsellor" to Schulsozialarbeit, Arabic spellings of Seesen.

The Jobcenter words move from the starter concept "Arbeit & Job" to "Briefe & Ämter"
(parents who type "Jobcenter" mostly hold a letter from it); the new starter words are
added. Words the coordinator added herself stay where they are.
"""

from django.db import migrations

MOVED_FROM_JOB = ["Jobcenter", "job centre", "job center", "جوب سنتر", "джобцентр"]


def update_vocabulary(apps, schema_editor):
    from directory.vocabulary import load_starter_vocabulary

    SearchConcept = apps.get_model("directory", "SearchConcept")
    SearchWord = apps.get_model("directory", "SearchWord")
    SearchWord.objects.filter(concept__name="Arbeit & Job", text__in=MOVED_FROM_JOB).delete()
    if SearchConcept.objects.exists():  # a database that has the starter set at all
        load_starter_vocabulary(SearchConcept, SearchWord, apps.get_model("directory", "Language"))


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0016_rate_limit_single_line_names"),
    ]

    operations = [migrations.RunPython(update_vocabulary, migrations.RunPython.noop)]
