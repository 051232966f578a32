"""What needs the coordinator's attention: shared by the admin dashboard and the digest."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest, Offer, Report


@dataclass
class Item:
    key: str
    label: str
    queryset: object
    url: str

    @property
    def count(self):
        return self.queryset.count()


def attention_items(offers=None, include_inbox=True):
    """The dashboard's lines, each a queryset and the admin list that shows exactly it."""
    offers = Offer.objects.all() if offers is None else offers
    changelist = reverse("admin:directory_offer_changelist")
    items = [
        Item(
            "stale",
            _("Prüfung fällig: nie oder seit über 12 Monaten nicht geprüft"),
            offers.needs_review(),
            f"{changelist}?pruefung=faellig",
        ),
        Item("expiring", _("Gültigkeit endet in den nächsten 30 Tagen"), offers.expiring(), f"{changelist}?pruefung=laeuft-ab"),
        Item("drafts", _("Entwürfe"), offers.filter(status=Offer.Status.DRAFT), f"{changelist}?status__exact=draft"),
    ]
    if include_inbox:
        items += [
            Item(
                "change_requests",
                _("Offene Änderungswünsche"),
                ChangeRequest.objects.filter(status=ChangeRequest.Status.OPEN),
                reverse("admin:directory_changerequest_changelist") + "?bearbeitung=offen",
            ),
            Item(
                "reports",
                _("Offene Meldungen aus der Öffentlichkeit"),
                Report.objects.filter(status__in=[Report.Status.NEW, Report.Status.IN_PROGRESS]),
                reverse("admin:directory_report_changelist") + "?bearbeitung=offen",
            ),
        ]
    return items
