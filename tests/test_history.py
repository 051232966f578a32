"""Every change of an offer is kept with who and when; the coordinator compares and restores versions."""

import pytest
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
