"""The coordination hears of new reports and change requests at once or daily; the report page shows the offer."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from directory.models import ChangeRequest, NotificationSetting, Report

from .conftest import make_category, make_offer, offer_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return make_offer(title="Elterncafé", slug="elterncafe", summary="Treffen für Eltern.", categories=[make_category()],
                      contacts=[{"name": "Frau Kaya", "phone": "05381 100"}])  # fmt: skip


@pytest.fixture
def second_coordinator(django_user_model):
    user = django_user_model.objects.create_user("dana", "dana@example.org", "dana-password-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Koordination"))
    return user


def report(client, offer, message="Die Telefonnummer stimmt nicht mehr."):
    return client.post(reverse("directory:offer-report", args=[offer.slug]), {"message": message})


def test_a_new_report_reaches_the_coordination_at_once_with_a_link(
    client, offer, coordinator, partner, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://wegweiser.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        report(client, offer)
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]  # the partner (bob) is not told
    assert "Elterncafé" in message.subject
    assert "Die Telefonnummer stimmt nicht mehr." in message.body
    item = Report.objects.get()
    assert f"https://wegweiser.example.org/admin/directory/report/{item.pk}/change/" in message.body


def test_daily_choice_means_no_mail_now_but_the_item_in_the_digest(
    client, offer, coordinator, second_coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://wegweiser.example.org"
    NotificationSetting.objects.create(user=coordinator, frequency=NotificationSetting.Frequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        report(client, offer)
    assert [m.to for m in mail.outbox] == [["dana@example.org"]]  # Dana kept "sofort"

    mail.outbox.clear()
    call_command("review_digest", "--send", stdout=open("/dev/null", "w"))
    [digest] = mail.outbox
    assert "alice@example.org" in digest.to and "dana@example.org" not in digest.to
    assert "Neue Meldung zu „Elterncafé“" in digest.body
    assert f"/admin/directory/report/{Report.objects.get().pk}/change/" in digest.body


def test_never_means_never(client, offer, coordinator, django_capture_on_commit_callbacks):
    NotificationSetting.objects.create(user=coordinator, frequency=NotificationSetting.Frequency.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        report(client, offer)
    assert not mail.outbox


def test_a_partners_change_request_is_announced(
    partner_client, partner_organization, coordinator, django_capture_on_commit_callbacks
):
    own = make_offer(title="Eigenes Angebot", organization=partner_organization, categories=[make_category()])
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("admin:directory_offer_change", args=[own.pk]), offer_form_data(own, summary_de="Neu."))
    [message] = mail.outbox
    assert "Neuer Änderungswunsch zu „Eigenes Angebot“" in message.subject
    assert f"/admin/directory/changerequest/{ChangeRequest.objects.get().pk}/change/" in message.body


def test_a_failing_mail_server_loses_no_report(client, offer, coordinator, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = report(client, offer)
    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_each_coordinator_chooses_for_herself(coordinator_client, coordinator):
    response = coordinator_client.get(reverse("admin:directory_notificationsetting_changelist"), follow=True)
    assert "Meine Benachrichtigungen" in response.content.decode()
    setting = NotificationSetting.objects.get(user=coordinator)
    coordinator_client.post(reverse("admin:directory_notificationsetting_change", args=[setting.pk]), {"frequency": "daily"})
    setting.refresh_from_db()
    assert setting.frequency == NotificationSetting.Frequency.DAILY


def test_report_page_shows_the_offer_now_and_saving_the_offer_returns_there(coordinator_client, offer):
    item = Report.objects.create(offer=offer, message="Telefon falsch")
    page = coordinator_client.get(reverse("admin:directory_report_change", args=[item.pk])).content.decode()
    assert "Das Angebot jetzt" in page and "Treffen für Eltern." in page and "05381 100" in page
    assert f"?next=%2Fadmin%2Fdirectory%2Freport%2F{item.pk}%2Fchange%2F" in page  # "Angebot bearbeiten"
    edit_url = f"{reverse('admin:directory_offer_change', args=[offer.pk])}?next=/admin/directory/report/{item.pk}/change/"

    data = offer_form_data(offer, **{"contacts-0-phone": "05381 200"})
    response = coordinator_client.post(edit_url, data)
    assert response.status_code == 302 and response.url == f"/admin/directory/report/{item.pk}/change/"
    offer.refresh_from_db()
    assert offer.contacts.get().phone == "05381 200"


def test_next_never_leads_off_the_admin(coordinator_client, offer):
    url = f"{reverse('admin:directory_offer_change', args=[offer.pk])}?next=https://evil.example/"
    response = coordinator_client.post(url, offer_form_data(offer))
    assert response.url == reverse("admin:directory_offer_changelist")
