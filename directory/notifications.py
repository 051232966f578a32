"""The coordination is told when a report or a change request comes in: at once or in the daily digest.

Each person of the coordination with an e-mail address chooses (NotificationSetting);
without a choice it is "sofort". Partners are never notified: the inbox is not theirs.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ChangeRequest, NotificationSetting, Report
from .roles import COORDINATION_GROUP

Frequency = NotificationSetting.Frequency


def coordination_with_email():
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=COORDINATION_GROUP))
        .exclude(email="")
        .select_related("notification_setting")
        .distinct()
    )


def frequency_of(user):
    setting = getattr(user, "notification_setting", None)
    return setting.frequency if setting else Frequency.IMMEDIATELY


def recipients(frequency):
    return sorted({user.email for user in coordination_with_email() if frequency_of(user) == frequency})


def admin_url(item):
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(f"admin:directory_{item._meta.model_name}_change", args=[item.pk])


def describe(item):
    """(subject line, text) for one new report or change request."""
    if isinstance(item, Report):
        subject = _("Neue Meldung zu „%(offer)s“") % {"offer": item.offer}
        text = item.message
    else:
        subject = _("Neuer Änderungswunsch zu „%(offer)s“") % {"offer": item.offer}
        text = item.message or _("Vorgeschlagene Änderungen an %(count)d Feld(ern).") % {
            "count": len((item.proposal or {}).get("fields", {})) + len((item.proposal or {}).get("m2m", {}))
            + (1 if "contacts" in (item.proposal or {}) else 0)
        }
    return subject, text


def notify_now(item):
    """E-mail one new item to everyone who wants to hear at once."""
    to = recipients(Frequency.IMMEDIATELY)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = describe(item)
        body = render_to_string(
            "admin/directory/notification_email.txt",
            {"subject": subject, "text": text, "link": admin_url(item), "item": item, "SITE_NAME": settings.SITE_NAME,
             "settings_link": settings.SITE_URL + reverse("admin:directory_notificationsetting_changelist")},
        )  # fmt: skip
    messages = [EmailMessage(f"{settings.SITE_NAME}: {subject}", body, to=[address]) for address in to]
    return get_connection().send_messages(messages)


@receiver(post_save, sender=Report)
@receiver(post_save, sender=ChangeRequest)
def item_arrived(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        # After the commit: a report that was rolled back is no news; a mail server that fails does not lose it.
        transaction.on_commit(lambda: _send_quietly(instance))


def _send_quietly(item):
    try:
        notify_now(item)
    except Exception:  # the item is saved and on the dashboard; a failing mail server must not turn it into a 500
        logging.getLogger(__name__).exception("Could not send the notification for %s", item)
