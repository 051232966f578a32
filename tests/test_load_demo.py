import pytest
from django.core.management import call_command

from directory.models import Category, Contact, Language, Location, Offer, Organization, TargetGroup, Town

pytestmark = pytest.mark.django_db

MODELS = [Category, Language, TargetGroup, Town, Organization, Location, Offer, Contact]


def snapshot():
    data = {model.__name__: model.objects.count() for model in MODELS}
    data["offer_fields"] = sorted(
        Offer.objects.values_list("slug", "title", "status", "last_reviewed", "search_text")
    )
    data["contacts"] = sorted(Contact.objects.values_list("offer__slug", "name", "phone", "email"))
    return data


def test_demo_data_is_rich_enough_to_try_every_feature(demo_data):
    assert Category.objects.count() == 8
    assert Language.objects.count() >= 15
    assert Organization.objects.count() >= 20
    assert Offer.objects.count() >= 50
    assert Language.objects.filter(offers__isnull=False).distinct().count() >= 10
    for category in Category.objects.all():
        assert Offer.objects.visible().filter(categories=category).exists(), category
    for town in Town.objects.all():
        assert Offer.objects.visible().filter(locations__town=town).exists(), town


def test_demo_data_contains_no_real_contact_data(demo_data):
    for email in Contact.objects.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org"), email
    for email in Organization.objects.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org"), email


def test_demo_data_is_valid_for_the_admin_forms(demo_data):
    for model in (Organization, Location, Offer, Contact):
        for obj in model.objects.all():
            obj.full_clean()


def test_load_demo_twice_leaves_the_same_data(demo_data):
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_load_demo_reports_what_it_loaded(db, capsys):
    call_command("load_demo")
    assert "offers" in capsys.readouterr().out


def test_arabic_speaking_school_help_in_seesen_exists(demo_data):
    offers = Offer.objects.visible().filter(
        categories__slug="kita-schule", languages__code="ar", locations__town__slug="seesen"
    )
    assert offers.exists()
    assert Contact.objects.filter(offer__in=offers).exclude(phone="").exists()
