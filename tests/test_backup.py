"""`backup` and `restore`: a round trip keeps every object and every translation."""

import gzip
import json
import stat
from datetime import date, time

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from modeltranslation.translator import translator

from directory.legal import default_page
from directory.models import Category, Closure, ContentVersion, LegalPage, Offer, OpeningSlot

from .conftest import make_category, make_language, make_location, make_offer, make_target_group, make_town

# Committed data, as on a real server (restore runs its own transaction).
pytestmark = pytest.mark.django_db(transaction=True)

# Rebuilt by `migrate` on every database, so not part of a backup.
REBUILT = {"contenttypes.contenttype", "auth.permission", "sessions.session", "directory.contentversion"}


def snapshot():
    """Every row of every model, foreign keys to rebuilt tables by natural key."""
    return {
        model._meta.label_lower: json.loads(
            serializers.serialize("json", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
        )
        for model in apps.get_models()
        if model._meta.label_lower not in REBUILT
    }


def fill_every_translation():
    """Give every translated column of every object its own text, in every language."""
    filled = 0
    for model in translator.get_registered_models():
        for obj in model.objects.all():
            for field, translation_fields in translator.get_options_for_model(model).all_fields.items():
                for translation_field in translation_fields:
                    setattr(obj, translation_field.attname, f"{field}-{translation_field.language}-{obj.pk}")
                    filled += 1
            obj.save()
    return filled


@pytest.fixture
def directory_in_use(coordinator):
    # The rows migrations create are gone after earlier transactional tests; put them back.
    for kind in LegalPage.Kind.values:
        if not LegalPage.objects.filter(kind=kind).exists():
            default_page(kind).save()
    town = make_town("Seesen", aliases="Rhüden, Engelade")
    arabic = make_language("ar", "Arabisch", "العربية", direction="rtl")
    category = make_category(name="Kita & Schule", slug="kita-schule")
    location = make_location(town=town, latitude="51.890000", longitude="10.180000", wheelchair_access="yes")
    offer = make_offer(
        slug="sprachcafe",
        categories=[category, make_category()],
        languages=[arabic],
        locations=[location],
        target_groups=[make_target_group("Eltern")],
        contacts=[{"name": "Frau Yılmaz", "phone": "05381 12345", "email": "yilmaz@example.org"}],
        valid_until="2031-12-31",
        format_video=True,
    )
    make_offer(status=Offer.Status.ARCHIVED, categories=[category])
    # Opening hours: a slot at a place, in a language, by appointment; a closure with its reason.
    OpeningSlot.objects.create(offer=offer, weekday=1, opens=time(10), closes=time(12, 30), location=location,
                               contact=offer.contacts.get(), language=arabic, appointment_only=True)
    OpeningSlot.objects.create(offer=offer, weekday=4, opens=time(8), closes=time(14))
    Closure.objects.create(offer=offer, starts=date(2027, 7, 1), ends=date(2027, 8, 11), reason="Sommerferien")
    filled = fill_every_translation()
    assert filled > 100
    editors = Group.objects.create(name="Redaktion")
    editors.permissions.add(Permission.objects.get(codename="change_offer"))
    coordinator.groups.add(editors)
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Offer),
        object_id=str(offer.pk),
        object_repr=str(offer),
        action_flag=CHANGE,
        change_message="Titel geändert",
    )
    page = LegalPage.objects.get(kind="impressum")
    page.body = "## Anbieter\n\nLandkreis Goslar"
    page.save()
    return offer


def empty_database_after_migrate():
    """What `migrate` leaves in a new database: no data, but the shipped legal pages."""
    call_command("flush", interactive=False, verbosity=0)
    for kind in LegalPage.Kind.values:
        default_page(kind).save()


def test_backup_and_restore_keep_every_object_and_translation(directory_in_use, tmp_path, client):
    before = snapshot()
    backup = tmp_path / "wegweiser.json.gz"
    call_command("backup", str(backup), verbosity=0)

    empty_database_after_migrate()
    assert not Offer.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    after = snapshot()
    assert after == before
    counts = {label: len(after[label]) for label in ("directory.offer", "directory.contact", "auth.user", "admin.logentry")}
    assert counts == {"directory.offer": 2, "directory.contact": 1, "auth.user": 1, "admin.logentry": 1}
    offer = Offer.objects.get(slug="sprachcafe")
    assert offer.title_uk == f"title-uk-{offer.pk}"
    assert offer.how_to_get_help_fa == f"how_to_get_help-fa-{offer.pk}"
    assert Category.objects.get(slug="kita-schule").description_bg.startswith("description-bg-")
    assert LegalPage.objects.get(kind="impressum").body == "## Anbieter\n\nLandkreis Goslar"
    slot = OpeningSlot.objects.get(weekday=1)
    assert (slot.opens, slot.closes, slot.language.code, slot.appointment_only) == (time(10), time(12, 30), "ar", True)
    assert slot.location == offer.locations.get() and slot.contact == offer.contacts.get()
    assert Closure.objects.get().reason_ar.startswith("reason-ar-")
    # The coordinator can still log in with the old password.
    # django-axes checks every login against its lockouts, so it needs the request.
    assert client.login(request=HttpRequest(), username="alice", password="alice-password-123")


def test_the_backup_file_is_compressed_json_readable_only_by_its_owner(directory_in_use, tmp_path):
    backup = tmp_path / "nightly.json.gz"
    call_command("backup", str(backup), verbosity=0)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with gzip.open(backup, "rt", encoding="utf-8") as stream:
        objects = json.load(stream)
    models = {item["model"] for item in objects}
    assert {"directory.offer", "directory.contact", "auth.user", "directory.legalpage"} <= models
    assert not models & REBUILT
    assert not list(tmp_path.glob(".partial-*"))


def test_restore_refuses_a_database_in_use_and_leaves_it_untouched(directory_in_use, tmp_path):
    backup = tmp_path / "wegweiser.json.gz"
    call_command("backup", str(backup), verbosity=0)
    Offer.objects.filter(slug="sprachcafe").update(title_de="Neu seit der Sicherung")

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup), verbosity=0)
    assert Offer.objects.get(slug="sprachcafe").title_de == "Neu seit der Sicherung"

    version_before = ContentVersion.objects.get(pk=1).value
    call_command("restore", str(backup), replace=True, verbosity=0)
    assert Offer.objects.get(slug="sprachcafe").title_de != "Neu seit der Sicherung"
    # No page cached before the restore can pass for the restored content.
    assert ContentVersion.objects.get(pk=1).value > version_before


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nope.json.gz"), verbosity=0)
