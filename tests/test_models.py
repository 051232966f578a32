from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import Contact, Offer
from directory.validators import phone_to_tel_uri, validate_phone

from .conftest import make_category, make_location, make_offer, make_organization

pytestmark = pytest.mark.django_db


def test_offer_slug_is_unique():
    make_offer(slug="elterncafe")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_offer(slug="elterncafe")


def test_category_slug_is_unique():
    make_category(slug="kita-schule")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_category(slug="kita-schule")


def test_database_rejects_validity_ending_before_it_starts():
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_offer(valid_from=today, valid_until=today - timedelta(days=1))


def test_form_validation_explains_validity_dates():
    today = timezone.localdate()
    offer = Offer(title="X", slug="x", summary="y", organization=make_organization(),
                  valid_from=today, valid_until=today - timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        offer.full_clean()
    assert "valid_until" in error.value.message_dict


@pytest.mark.parametrize("field,value", [("latitude", 91), ("latitude", -90.5), ("longitude", 181)])
def test_database_rejects_coordinates_out_of_range(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_location(**{field: value})


def test_contact_needs_phone_or_email():
    offer = make_offer()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(offer=offer, name="Frau Haddad")


@pytest.mark.parametrize("number", ["05321 12345", "0171/1234567", "(05321) 12 34-5", "+49 5321 12345", "0049 5321 12345"])
def test_german_and_international_phone_numbers_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["call me", "12345", "5321 12345", "+49 5321 +12", "05321 12345 ext. 5", "0"])
def test_malformed_phone_numbers_are_rejected(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_contact_validation_rejects_bad_email_and_phone():
    contact = Contact(offer=make_offer(), name="Sekretariat", phone="ruf an", email="kein-at-zeichen")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert {"phone", "email"} <= set(error.value.message_dict)


def test_organization_rejects_bad_website():
    organization = make_organization()
    organization.website = "not a url"
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "website" in error.value.message_dict


@pytest.mark.parametrize(
    "number,uri",
    [("05321 12345", "tel:+49532112345"), ("+49 30 23125-412", "tel:+493023125412"), ("0049 30 23125", "tel:+493023125")],
)
def test_phone_numbers_become_international_tel_links(number, uri):
    assert phone_to_tel_uri(number) == uri


class TestVisibility:
    def test_published_offer_without_dates_is_visible(self):
        offer = make_offer()
        assert list(Offer.objects.visible()) == [offer]

    @pytest.mark.parametrize("status", [Offer.Status.DRAFT, Offer.Status.ARCHIVED])
    def test_drafts_and_archived_offers_are_hidden(self, status):
        make_offer(status=status)
        assert not Offer.objects.visible().exists()

    def test_expired_offer_is_hidden(self):
        make_offer(valid_until=timezone.localdate() - timedelta(days=1))
        assert not Offer.objects.visible().exists()

    def test_offer_not_yet_valid_is_hidden(self):
        make_offer(valid_from=timezone.localdate() + timedelta(days=1))
        assert not Offer.objects.visible().exists()

    def test_offer_on_its_first_and_last_day_is_visible(self):
        today = timezone.localdate()
        make_offer(valid_from=today, valid_until=today)
        assert Offer.objects.visible().count() == 1

    def test_model_and_queryset_agree(self):
        today = timezone.localdate()
        offers = [
            make_offer(),
            make_offer(status=Offer.Status.DRAFT),
            make_offer(valid_until=today - timedelta(days=3)),
            make_offer(valid_from=today + timedelta(days=3)),
        ]
        assert {o.pk for o in offers if o.is_visible()} == set(Offer.objects.visible().values_list("pk", flat=True))


def test_formats_filter_by_several_formats():
    phone = make_offer(format_in_person=False, format_phone=True)
    video = make_offer(format_in_person=False, format_video=True)
    make_offer(format_in_person=True)
    found = set(Offer.objects.with_formats([Offer.Format.PHONE, Offer.Format.VIDEO]))
    assert found == {phone, video}


def test_absolute_urls():
    offer = make_offer(slug="elterncafe-seesen", categories=[make_category(slug="kita-schule")])
    assert offer.get_absolute_url() == "/angebot/elterncafe-seesen/"
    assert offer.categories.get().get_absolute_url() == "/kategorie/kita-schule/"
