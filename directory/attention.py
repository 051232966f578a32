"""What needs the coordinator's attention: shared by the admin dashboard and the digest."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .checks import legal_pages_with_placeholders
from .models import ChangeRequest, LegalPage, Offer, Report


@dataclass
class Item:
    key: str
    label: str
    queryset: object
    url: str

    @property
    def count(self):
        return self.queryset.count()


def legal_pages_item():
    """Legal pages that still hold the template's "[…]" placeholders: required by law, so they must be complete."""
    incomplete = legal_pages_with_placeholders()
    changelist = reverse("admin:directory_legalpage_changelist")
    url = reverse("admin:directory_legalpage_change", args=[incomplete[0].pk]) if len(incomplete) == 1 else changelist
    return Item(
        "legal_placeholders",
        _("Rechtliche Seiten mit Platzhaltern „[…]“, die noch ausgefüllt werden müssen"),
        LegalPage.objects.filter(pk__in=[page.pk for page in incomplete]),
        url,
    )


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
            legal_pages_item(),
        ]
    return items
