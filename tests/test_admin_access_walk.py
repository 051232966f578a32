"""Every admin URL, walked as a partner editor with another organization's ids and every HTTP method.

The list of URLs comes from the admin site itself (every registered model's `get_urls`,
the site's own views, the custom one-click views), so a view added later is walked too.
A partner must never get a 2xx answer for someone else's object, and nothing in the
database may change, whatever the method or the form data.
"""

import hashlib
import re
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict
from django.urls import URLResolver

from directory.models import ChangeRequest, Location, Offer, PartnerProfile, Report, ReviewRequest

from .conftest import make_category, make_location, make_offer, make_organization, offer_form_data

pytestmark = pytest.mark.django_db

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Rows that a request may legitimately write: the partner's own session and login bookkeeping.
UNWATCHED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "admin.logentry"}
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\(\[\^/\]\+\)")


def admin_urls():
    """(model or None, route template) for every URL the admin site serves."""
    def walk(patterns, prefix, model):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), model)
            else:
                yield model, (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")

    site_urls = [
        pattern for pattern in admin.site.get_urls()
        if not (isinstance(pattern, URLResolver) and str(pattern.pattern).count("/") == 2)  # the models', below
    ]  # fmt: skip
    found = list(walk(site_urls, "/admin/", None))
    for model, model_admin in admin.site._registry.items():
        prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        found += list(walk(model_admin.get_urls(), prefix, model))
    return found


def fill(route, values):
    """Put the ids into a route template, positional groups in order (object, then version)."""
    positional = iter(["object_id", "version_id"])

    def replace(match):
        name = match.group(1) or match.group(2) or next(positional)
        return str(values.get(name, values["object_id"]))

    return PLACEHOLDER.sub(replace, route)


def database_fingerprint():
    digest = hashlib.sha256()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in UNWATCHED:
            continue
        for row in model._default_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def foreign_world(partner_organization, django_user_model, coordinator):
    """Another organization with a published and a draft offer, a place, reports, requests and its own partner."""
    own_location = make_location(organization=partner_organization)
    make_offer(organization=partner_organization, locations=[own_location], title="Eigenes Angebot")
    organization = make_organization(name="Jobcenter Goslar", slug="jobcenter-goslar")
    location = make_location(organization=organization, name="Jobcenter Eingang")
    offer = make_offer(
        organization=organization, locations=[location], categories=[make_category()], title="Fremde Beratung",
        contacts=[{"name": "Herr Fremd", "phone": "05321 999", "email": "fremd@example.org"}],
    )  # fmt: skip
    draft = make_offer(organization=organization, status=Offer.Status.DRAFT, title="Fremder Entwurf")
    # A second version of each, so that the version pages have something to revert to.
    location.street = "Neue Straße 1"
    location.save()
    offer.title = "Fremde Beratung (neu)"
    offer.save()
    other_partner = django_user_model.objects.create_user("erin", "erin@example.org", "erin-password-123", is_staff=True)
    other_partner.groups.add(Group.objects.get(name="Partner-Redaktion"))
    profile = PartnerProfile.objects.create(user=other_partner, organization=organization)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    objects = {
        Offer: offer,
        Location: location,
        Report: Report.objects.create(offer=offer, message="Falsch"),
        ChangeRequest: ChangeRequest.objects.create(offer=offer, source=ChangeRequest.Source.PROVIDER, message="Neu"),
        ReviewRequest: ReviewRequest.objects.create(offer=offer, email="fremd@example.org"),
        PartnerProfile: profile,
        django_user_model: coordinator,
        Group: Group.objects.get(name="Koordination"),
        AccessAttempt: AccessAttempt.objects.create(username="alice", ip_address="192.0.2.1", failures_since_start=1),
        AccessLog: AccessLog.objects.create(username="alice", ip_address="192.0.2.1"),
        AccessFailureLog: AccessFailureLog.objects.create(username="alice", ip_address="192.0.2.1", locked_out=False),
    }
    objects[type(organization)] = organization
    return {"objects": objects, "draft": draft, "offer": offer, "location": location}


def target_for(model, world):
    """The object whose id goes into the URL: another organization's where the model has an owner."""
    objects = world["objects"]
    if model in objects:
        return objects[model]
    return model._default_manager.order_by("pk").first() if model is not None else world["offer"]


def ids_for(model, obj):
    values = {"object_id": obj.pk if obj is not None else 1, "id": obj.pk if obj is not None else 1}
    history = getattr(type(obj), "history", None) if obj is not None else None
    if history is not None and hasattr(history, "filter"):
        version = history.filter(id=obj.pk).order_by("history_id").first()
        values["version_id"] = version.history_id if version else 1
    values["content_type_id"] = ContentType.objects.get_for_model(obj if obj is not None else Offer).pk
    values["app_label"] = "directory"
    values["url"] = "directory/offer/"
    return values


def hostile_payload(model, obj, world):
    """Form data that would change the object if a view forgot its checks."""
    data = {"post": "yes", "_save": "1", "_change_history": "1", "next": "/admin/"}
    if obj is not None and model is not None:
        for name, value in model_to_dict(obj).items():
            if isinstance(value, list):
                data[name] = [getattr(item, "pk", item) for item in value]
            elif value is not None:
                data[name] = getattr(value, "pk", value)
        for name in ("name", "street", "title_de", "message", "note", "username"):
            if name in data:
                data[name] = "Gekapert"
    if model is Offer:
        data.update(offer_form_data(world["offer"], title_de="Gekapert", status="published"))
    for action in ("publish", "archive_selected", "delete_selected", "mark_in_progress"):
        data.setdefault("action", action)
    data["_selected_action"] = [world["offer"].pk, world["draft"].pk]
    data["form-TOTAL_FORMS"], data["form-INITIAL_FORMS"] = "1", "1"
    data["form-0-id"], data["form-0-position"], data["form-0-status"] = obj.pk if obj else 1, "99", "done"
    return data


def send(client, method, url, data):
    if method in ("GET", "HEAD", "OPTIONS"):
        return getattr(client, method.lower())(url)
    if method == "POST":
        return client.post(url, data)
    return getattr(client, method.lower())(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def test_every_admin_url_refuses_a_partner_everything_of_another_organization(partner_client, foreign_world):
    urls = admin_urls()
    assert len(urls) > 80  # every model's views, not a handful
    failures = []
    for model, route in urls:
        if route in ("/admin/logout/",):
            continue  # would end the walk's own session; it writes nothing but that
        obj = target_for(model, foreign_world)
        has_id = "object_id" in route or "([^/]+)" in route or "<id>" in route
        url = fill(route, ids_for(model, obj)) if has_id else route
        data = hostile_payload(model, obj, foreign_world)
        before = database_fingerprint()
        for method in METHODS:
            response = send(partner_client, method, url, data)
            if has_id and 200 <= response.status_code < 300 and not _may_view(model, obj, method):
                failures.append(f"{method} {url} answered {response.status_code}")
            if response.status_code >= 500:
                failures.append(f"{method} {url} answered {response.status_code}")
        if database_fingerprint() != before:
            failures.append(f"{url} wrote to the database")
    assert not failures, "\n".join(failures)


def _may_view(model, obj, method):
    """Reference data without an owner (categories, towns, …) is readable by partners (the write check still applies)."""
    shared = {"category", "language", "targetgroup", "town"}
    return method in ("GET", "HEAD", "OPTIONS", "POST") and model is not None and model._meta.model_name in shared


@pytest.mark.parametrize("bad", ["abc", "1x", "%00", "-1", "99999999999999999999999"])
def test_non_numeric_ids_in_admin_urls_are_404(client, foreign_world, bad, django_user_model):
    client.force_login(django_user_model.objects.get(username="alice"))  # the coordinator may reach everything
    offer, location = foreign_world["offer"], foreign_world["location"]
    version = offer.history.first().history_id
    for url in [
        f"/admin/directory/offer/{offer.pk}/history/{bad}/",
        f"/admin/directory/offer/{bad}/history/{version}/",
        f"/admin/directory/location/{location.pk}/history/{bad}/",
        f"/admin/directory/location/{bad}/history/1/",
        f"/admin/directory/offer/{bad}/geprueft/",
        f"/admin/directory/changerequest/{bad}/uebernehmen/",
    ]:
        for method in ("GET", "POST"):
            response = getattr(client, method.lower())(url)
            assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize(
    "query", ["bearbeitung=%00", "bearbeitung=%00offen", "q=%00", "status__exact=%00", "pruefung=%00", "o=%00"]
)
def test_nul_characters_in_admin_list_parameters_are_404(coordinator_client, foreign_world, query):
    for changelist in ("report", "changerequest", "offer", "location"):
        response = coordinator_client.get(f"/admin/directory/{changelist}/?{query}")
        assert response.status_code == 404, (changelist, query)


def test_nul_in_admin_form_data_is_refused_and_saves_nothing(coordinator_client, foreign_world):
    location = foreign_world["location"]
    data = {**model_to_dict(location), "street": "Markt\x00straße 1", "town": location.town_id,
            "organization": location.organization_id}  # fmt: skip
    data = {key: value for key, value in data.items() if value is not None}
    response = coordinator_client.post(f"/admin/directory/location/{location.pk}/change/", data)
    assert response.status_code == 400
    location.refresh_from_db()
    assert location.street == "Neue Straße 1"


@pytest.fixture
def own_place_in_use(partner_organization):
    """The partner's own place, used by their published offer, with an older version in its history."""
    location = make_location(organization=partner_organization, street="Alte Straße 1")
    make_offer(organization=partner_organization, locations=[location], title="Elterncafé")
    location.street = "Marktstraße 5"
    location.save()
    return location


def test_partner_cannot_revert_a_place_of_a_published_offer_through_its_history(partner_client, own_place_in_use):
    location = own_place_in_use
    old = location.history.order_by("history_id").first()
    url = f"/admin/directory/location/{location.pk}/history/{old.history_id}/"
    data = {**{k: v for k, v in model_to_dict(location).items() if v is not None}, "street": "Gekaperte Straße 9"}
    assert partner_client.post(url, data).status_code == 403
    location.refresh_from_db()
    assert location.street == "Marktstraße 5"
    # Looking at the old version stays possible, without a button to bring it back.
    page = partner_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_partner_previews_only_their_own_organizations_hidden_offers(partner_client, partner_organization):
    own_draft = make_offer(organization=partner_organization, status=Offer.Status.DRAFT, title="Eigener Entwurf")
    foreign_draft = make_offer(status=Offer.Status.DRAFT, title="Fremder Entwurf")
    foreign_archived = make_offer(status=Offer.Status.ARCHIVED, title="Fremdes Archiv")
    public = make_offer(title="Öffentlich")
    own = partner_client.get(own_draft.get_absolute_url())
    assert own.status_code == 200 and "Vorschau" in own.content.decode()
    assert partner_client.get(foreign_draft.get_absolute_url()).status_code == 404
    assert partner_client.get(foreign_archived.get_absolute_url()).status_code == 404
    assert partner_client.get(public.get_absolute_url()).status_code == 200


def test_staff_without_a_role_previews_nothing(client, django_user_model):
    draft = make_offer(status=Offer.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("dora", "d@example.org", "dora-password-123", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_view_on_site_does_not_reveal_another_organizations_draft(partner_client, foreign_world, partner_organization):
    draft = foreign_world["draft"]
    content_type = ContentType.objects.get_for_model(Offer)
    response = partner_client.get(f"/admin/r/{content_type.pk}/{draft.pk}/")
    assert response.status_code == 404
    assert draft.slug not in response.get("Location", "")
    own = make_offer(organization=partner_organization, status=Offer.Status.DRAFT, slug="eigener-entwurf")
    assert partner_client.get(f"/admin/r/{content_type.pk}/{own.pk}/")["Location"].endswith("/angebot/eigener-entwurf/")


def test_coordinator_still_jumps_to_any_offers_page(coordinator_client, foreign_world):
    draft = foreign_world["draft"]
    content_type = ContentType.objects.get_for_model(Offer)
    response = coordinator_client.get(f"/admin/r/{content_type.pk}/{draft.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(draft.get_absolute_url())
