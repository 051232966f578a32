"""Every change of an offer is kept with who and when; the coordinator compares and restores versions."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from directory.models import Contact, Location, Offer

from .conftest import make_category, make_language, make_location, make_offer, offer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return make_offer(title="Elterncafé", categories=[make_category()], contacts=[{"name": "Frau Haddad", "phone": "05381 111"}])


def save_offer(client, offer, **changes):
    response = client.post(reverse("admin:directory_offer_change", args=[offer.pk]), offer_form_data(offer, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Offer.objects.get(pk=offer.pk)


def test_an_admin_save_is_one_version_with_user_contacts_and_categories(coordinator_client, coordinator, offer):
    before = offer.history.count()
    arabic = make_language("ar", "Arabisch")
    save_offer(coordinator_client, offer, **{"contacts-0-phone": "05381 222", "languages": [arabic.pk]})
    assert offer.history.count() == before + 1
    latest = offer.history.first()
    assert latest.history_user == coordinator
    assert latest.contacts_snapshot[0]["phone"] == "05381 222"
    assert list(latest.languages.values_list("language_id", flat=True)) == [arabic.pk]


def test_history_page_shows_what_changed_including_the_contact(coordinator_client, offer):
    save_offer(coordinator_client, offer, **{"title_de": "Elterncafé am Markt", "contacts-0-phone": "05381 222"})
    page = coordinator_client.get(reverse("admin:directory_offer_history", args=[offer.pk])).content.decode()
    assert "Elterncafé am Markt" in page
    assert '<th scope="row">Titel</th>' in page  # the German title under its plain label
    assert "05381 111" in page and "05381 222" in page


def test_coordinator_restores_an_earlier_version_with_its_contacts_and_lists(coordinator_client, offer):
    old_version = offer.history.first()
    location = make_location(organization=offer.organization)
    save_offer(
        coordinator_client, offer, **{"title_de": "Neuer Titel", "contacts-0-phone": "05381 222", "locations": [location.pk]}
    )

    url = reverse("admin:directory_offer_simple_history", args=[offer.pk, old_version.history_id])
    preview = coordinator_client.get(url).content.decode()
    assert "Neuer Titel" in preview and "Elterncafé" in preview and "05381 222" in preview
    coordinator_client.post(url)

    offer.refresh_from_db()
    assert offer.title == "Elterncafé"
    assert [c.phone for c in offer.contacts.all()] == ["05381 111"]
    assert not offer.locations.exists()
    assert Offer.objects.search("elterncafe").get() == offer
    assert "wiederhergestellt" in offer.history.first().history_change_reason


def test_restoring_a_version_keeps_the_contacts_hours_translations_and_address(coordinator_client, offer):
    """A typo fixed and the version before brought back: the contact is the same person with the
    same phone hours, vCard address and Arabic role, not a new one without them."""
    from datetime import time

    from directory.models import OpeningSlot

    contact = offer.contacts.get()
    contact.role_de, contact.role_ar = "Schulsozialarbeit", "الأخصائية الاجتماعية في المدرسة"
    contact.save()
    for day in range(5):
        OpeningSlot.objects.create(offer=offer, contact=contact, weekday=day, opens=time(9), closes=time(12))
    old_version = offer.history.first()
    save_offer(coordinator_client, offer, summary_de="Ein Treffpunkt fuer Eltern")

    url = reverse("admin:directory_offer_simple_history", args=[offer.pk, old_version.history_id])
    coordinator_client.post(url)

    restored = offer.contacts.get()
    assert restored.uuid == contact.uuid
    assert restored.role_ar == "الأخصائية الاجتماعية في المدرسة"
    assert restored.slots.count() == 5
    assert coordinator_client.get(f"/angebot/{offer.slug}/kontakt/{contact.uuid}.vcf").status_code == 200


def test_restoring_a_version_without_a_later_contact_removes_only_that_contact(coordinator_client, offer):
    old_version = offer.history.first()
    Contact.objects.create(offer=offer, name="Beratungstelefon", phone="05381 333", position=1)
    assert offer.contacts.count() == 2
    first = offer.contacts.get(name="Frau Haddad")

    url = reverse("admin:directory_offer_simple_history", args=[offer.pk, old_version.history_id])
    coordinator_client.post(url)

    assert list(offer.contacts.values_list("pk", "name")) == [(first.pk, "Frau Haddad")]


def test_restore_that_would_clash_with_another_offer_changes_nothing(coordinator_client, offer):
    old_version = offer.history.first()
    save_offer(coordinator_client, offer, slug="elterncafe-neu")
    make_offer(slug=old_version.slug)
    url = reverse("admin:directory_offer_simple_history", args=[offer.pk, old_version.history_id])
    response = coordinator_client.post(url, follow=True)
    assert "Kurzname" in response.content.decode() or "existiert bereits" in response.content.decode()
    offer.refresh_from_db()
    assert offer.slug == "elterncafe-neu"


def test_location_and_contact_changes_are_kept(coordinator_client, coordinator):
    location = make_location(name="Rathaus")
    data = {
        "organization": location.organization_id,
        "name_de": "Rathaus, 2. Stock",
        "street": location.street,
        "postal_code": location.postal_code,
        "town": location.town_id,
        "wheelchair_access": "yes",
        "opening_hours_de": "",
    }
    coordinator_client.post(reverse("admin:directory_location_change", args=[location.pk]), data)
    assert [h.name for h in Location.history.filter(id=location.pk)] == ["Rathaus, 2. Stock", "Rathaus"]
    assert Location.history.filter(id=location.pk).first().history_user == coordinator
    older = Location.history.filter(id=location.pk).last()
    version_page = reverse("admin:directory_location_simple_history", args=[location.pk, older.history_id])
    assert 'value="Rathaus"' in coordinator_client.get(version_page).content.decode()  # the form to restore it

    contact = Contact.objects.create(offer=make_offer(), name="Sekretariat", phone="05381 1")
    contact.phone = "05381 2"
    contact.save()
    assert [h.phone for h in contact.history.all()] == ["05381 2", "05381 1"]



def test_coordinator_brings_back_an_old_address_of_a_place_from_its_history(coordinator_client):
    location = make_location(street="Alte Straße 1")
    location.street = "Marktstraße 5"
    location.save()
    old = location.history.order_by("history_id").first()
    data = {key: value for key, value in model_to_dict(old.instance).items() if value is not None}
    response = coordinator_client.post(f"/admin/directory/location/{location.pk}/history/{old.history_id}/", data)
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.street == "Alte Straße 1"
