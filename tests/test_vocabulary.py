"""Categories, languages, target groups and towns in use are archived or merged, never deleted by accident."""

import json

import pytest
from django.urls import reverse

from directory.models import Category, Language, Location, SlugRedirect, TargetGroup, Town

from .conftest import make_category, make_language, make_location, make_offer, make_target_group, make_town

pytestmark = pytest.mark.django_db


@pytest.fixture
def leisure():
    category = make_category(name="Freizeit & Begegnung", slug="freizeit-begegnung")
    category.name_ar = "الترفيه واللقاء"
    category.save()
    for n in range(7):
        make_offer(title=f"Treff {n}", categories=[category])
    return category


def test_deleting_a_category_in_use_is_refused_with_a_message_naming_its_offers(coordinator_client, leisure):
    response = coordinator_client.post(reverse("admin:directory_category_delete", args=[leisure.pk]), {"post": "yes"})
    page = response.content.decode()
    assert "„Freizeit &amp; Begegnung“ wird noch verwendet von: 7 Angebote" in page
    assert "„Treff 0“" in page and "und 2 weitere" in page
    assert "object (" not in page
    assert Category.objects.filter(pk=leisure.pk).exists()
    assert Category.objects.get(pk=leisure.pk).offers.count() == 7


@pytest.mark.parametrize("make_item, admin_name", [
    (lambda: make_language("ar", "Arabisch", "العربية"), "language"),
    (lambda: make_target_group("Eltern"), "targetgroup"),
])  # fmt: skip
def test_languages_and_target_groups_in_use_cannot_be_deleted(coordinator_client, make_item, admin_name):
    item = make_item()
    relation = "languages" if admin_name == "language" else "target_groups"
    make_offer(title="Elterncafé", **{relation: [item]})
    response = coordinator_client.post(reverse(f"admin:directory_{admin_name}_delete", args=[item.pk]), {"post": "yes"})
    assert "wird noch verwendet von: 1 Angebot („Elterncafé“)" in response.content.decode()
    assert type(item).objects.filter(pk=item.pk).exists()


def test_town_in_use_names_its_places(coordinator_client):
    town = make_town("Seesen")
    make_location(town=town, name="Familienzentrum Seesen")
    response = coordinator_client.post(reverse("admin:directory_town_delete", args=[town.pk]), {"post": "yes"})
    assert "1 Ort eines Angebots („Familienzentrum Seesen“)" in response.content.decode()
    assert Town.objects.filter(pk=town.pk).exists()


def test_an_unused_category_can_still_be_deleted(coordinator_client):
    unused = make_category(name="Tippfehler-Kategorie")
    coordinator_client.post(reverse("admin:directory_category_delete", args=[unused.pk]), {"post": "yes"})
    assert not Category.objects.filter(pk=unused.pk).exists()


def test_bulk_delete_is_not_offered(coordinator_client, leisure):
    page = coordinator_client.get(reverse("admin:directory_category_changelist")).content.decode()
    assert 'value="delete_selected"' not in page
    assert 'value="archive"' in page and 'value="merge"' in page


def test_archived_category_leaves_the_site_and_its_page_leads_to_all_offers(coordinator_client, client, leisure):
    changelist = reverse("admin:directory_category_changelist")
    coordinator_client.post(changelist, {"action": "archive", "_selected_action": [leisure.pk]})
    leisure.refresh_from_db()
    assert leisure.archived and leisure.offers.count() == 7

    assert "Freizeit" not in client.get("/").content.decode()
    response = client.get("/kategorie/freizeit-begegnung/")
    assert response.status_code == 302 and response.url == "/angebote/?archiviert=freizeit-begegnung"
    listing = client.get(response.url).content.decode()
    assert "Die Seite „Freizeit &amp; Begegnung“ gibt es nicht mehr" in listing
    assert "Treff 0" in listing
    assert client.get("/ar/kategorie/freizeit-begegnung/").url == "/ar/angebote/?archiviert=freizeit-begegnung"


def test_the_in_use_page_archives_in_one_click(coordinator_client, leisure):
    coordinator_client.post(reverse("admin:directory_category_changelist"), {"action": "archive", "_selected_action": leisure.pk})
    assert Category.objects.get(pk=leisure.pk).archived


def test_merging_moves_offers_keeps_translations_and_redirects_old_addresses(coordinator_client, client, leisure):
    family = make_category(name="Familie & Erziehung", slug="familie-erziehung")
    family.name_ar = "الأسرة والتربية"
    family.save()
    SlugRedirect.remember(leisure, "freizeit")  # an even older address on an old flyer
    url = reverse("admin:directory_category_merge", args=[leisure.pk])

    confirmation = coordinator_client.post(url, {"target": family.pk}).content.decode()
    assert "Ja, zusammenführen" in confirmation
    assert Category.objects.filter(pk=leisure.pk).exists()  # nothing before the confirmation
    coordinator_client.post(url, {"target": family.pk, "confirmed": "1"})

    assert not Category.objects.filter(pk=leisure.pk).exists()
    family.refresh_from_db()
    assert family.offers.count() == 7 and family.name_ar == "الأسرة والتربية"
    for old in ("/kategorie/freizeit-begegnung/", "/kategorie/freizeit/", "/ar/kategorie/freizeit-begegnung/"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response.url.endswith("/kategorie/familie-erziehung/")
    assert client.get("/kategorie/freizeit-begegnung/qr.svg").status_code == 301


def test_merging_towns_keeps_the_old_name_findable(coordinator_client):
    goslar, oker = make_town("Goslar", aliases="Hahnenklee"), make_town("Oker", aliases="Oker-Nord")
    offer = make_offer(title="Sprachcafé", locations=[make_location(town=oker)])
    coordinator_client.post(reverse("admin:directory_town_merge", args=[oker.pk]), {"target": goslar.pk, "confirmed": "1"})
    goslar.refresh_from_db()
    assert goslar.alias_list() == ["Hahnenklee", "Oker", "Oker-Nord"]
    assert Location.objects.get().town == goslar
    from directory.models import Offer

    assert offer in Offer.objects.search("oker")


def test_languages_merge_into_one(coordinator_client):
    dari, persian = make_language("prs", "Dari"), make_language("fa", "Persisch")
    offer = make_offer(languages=[dari])
    coordinator_client.post(reverse("admin:directory_language_merge", args=[dari.pk]), {"target": persian.pk, "confirmed": "1"})
    assert list(offer.languages.all()) == [persian]
    assert not Language.objects.filter(code="prs").exists()
    assert TargetGroup.objects.count() == 0


@pytest.mark.parametrize("target", ["abc", "", "-1", "1e3"])
def test_a_forged_merge_target_only_asks_again(coordinator_client, leisure, target):
    url = reverse("admin:directory_category_merge", args=[leisure.pk])
    response = coordinator_client.post(url, {"target": target, "confirmed": "1"})
    assert response.status_code == 200
    assert Category.objects.filter(pk=leisure.pk).exists()


def frame_ancestors(response):
    directives = [d.strip() for d in response.get("Content-Security-Policy", "").split(";")]
    return next((d for d in directives if d.startswith("frame-ancestors")), None)


def test_embed_of_an_archived_category_says_so_inside_the_partners_frame(client, leisure):
    leisure.archived = True
    leisure.save()
    response = client.get("/ar/einbetten/kategorie/freizeit-begegnung/")
    assert response.status_code == 410  # not a redirect to a page that refuses to be framed
    assert "X-Frame-Options" not in response.headers
    assert frame_ancestors(response) == "frame-ancestors *"
    html = response.content.decode()
    assert 'class="embed"' in html and '<html lang="ar" dir="rtl">' in html
    assert "هذه الفئة لم تعد موجودة" in html
    assert 'href="http://127.0.0.1:8000/ar/angebote/" target="_blank"' in html
    assert "Diese Kategorie gibt es nicht mehr" in client.get("/einbetten/kategorie/freizeit-begegnung/").content.decode()


def test_offer_page_no_longer_links_an_archived_category(client, leisure):
    offer = leisure.offers.first()
    school = make_category(name="Kita & Schule", slug="kita-schule")
    offer.categories.add(school)
    leisure.archived = True
    leisure.save()
    html = client.get(offer.get_absolute_url()).content.decode()
    assert 'href="/kategorie/kita-schule/"' in html
    assert "/kategorie/freizeit-begegnung/" not in html and "Freizeit &amp; Begegnung" not in html


def test_offline_copy_leaves_out_an_archived_category(client, leisure):
    leisure.archived = True
    leisure.save()
    data = json.loads(client.get("/offline/paket.json").content)
    assert "freizeit-begegnung" not in [category["s"] for category in data["categories"]]
    assert all("freizeit-begegnung" not in offer["c"] for offer in data["offers"])
