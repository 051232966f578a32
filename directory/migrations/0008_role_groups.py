"""The two roles of the admin as groups: "Koordination" (everything in the directory)
and "Partner-Redaktion" (a partner's own entries; the admin narrows it to one organization)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATION = "Koordination"
PARTNER = "Partner-Redaktion"
PARTNER_PERMISSIONS = [
    "view_offer", "add_offer", "change_offer",
    "view_contact", "add_contact", "change_contact", "delete_contact",
    "view_location", "add_location", "change_location",
    "view_organization", "view_category", "view_language", "view_targetgroup", "view_town",
    "view_historicaloffer", "view_historicallocation",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    directory = Permission.objects.filter(content_type__app_label="directory")
    coordination, _created = Group.objects.get_or_create(name=COORDINATION)
    coordination.permissions.add(*directory)
    partner, _created = Group.objects.get_or_create(name=PARTNER)
    partner.permissions.add(*directory.filter(codename__in=PARTNER_PERMISSIONS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[COORDINATION, PARTNER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0007_review_reports_history"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
