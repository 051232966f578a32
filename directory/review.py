"""Keeping entries true: provider review links and reports from the public.

Providers get a signed, expiring link (no account) to confirm an offer or say what
changed; the public can report a wrong entry. Both end up in front of the coordinator.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import ratelimit
from .forms import ProviderChangeForm, ReportForm
from .models import ChangeRequest, Offer, ReviewRequest
from .query import query_parameters
from .validators import strip_invisible

REVIEW_SALT = "directory.review-request"


# --- Review requests ------------------------------------------------------------------------


def review_token(review_request):
    return signing.dumps(review_request.pk, salt=REVIEW_SALT)


def review_url(review_request):
    # Always the German address: the link goes out by e-mail, independent of the admin's language.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("directory:review", kwargs={"token": review_token(review_request)})
    return settings.SITE_URL + path


def contact_email(offer):
    """The address a review request goes to: the offer's first contact with an e-mail."""
    for contact in offer.contacts.all():
        if contact.email:
            return contact.email
    return ""


def send_review_requests(offers, sent_by=None):
    """E-mail a review link for each offer that has a contact e-mail. Returns (sent, skipped) offers."""
    sent, skipped, emails = [], [], []
    for offer in offers.prefetch_related("contacts").select_related("organization"):
        email = contact_email(offer)
        if not email:
            skipped.append(offer)
            continue
        review_request = ReviewRequest.objects.create(offer=offer, email=email, sent_by=sent_by)
        context = {
            "offer": offer,
            "link": review_url(review_request),
            "days": settings.REVIEW_LINK_MAX_AGE_DAYS,
            "SITE_NAME": settings.SITE_NAME,
            "SITE_NETWORK": settings.SITE_NETWORK,
            "COORDINATOR_NAME": settings.COORDINATOR_NAME,
            "COORDINATOR_EMAIL": settings.COORDINATOR_EMAIL,
            "COORDINATOR_PHONE": settings.COORDINATOR_PHONE,
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Bitte prüfen: Ihr Angebot „%(title)s“ im %(site)s") % {"title": offer.title, "site": settings.SITE_NAME}
            body = render_to_string("directory/review/request_email.txt", context)
        emails.append(EmailMessage(subject, body, to=[email], reply_to=[settings.COORDINATOR_EMAIL]))
        sent.append(offer)
    if emails:
        get_connection().send_messages(emails)
    return sent, skipped


def _review_request_from_token(token):
    """(review request or None, state) where state is ok, used, expired or invalid."""
    max_age = timedelta(days=settings.REVIEW_LINK_MAX_AGE_DAYS)
    try:
        pk = signing.loads(token, salt=REVIEW_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    review_request = ReviewRequest.objects.select_related("offer__organization").filter(pk=pk).first()
    if review_request is None or review_request.offer.status == Offer.Status.ARCHIVED:
        return None, "invalid"
    if review_request.used:
        return review_request, "used"
    return review_request, "ok"


@query_parameters()
@never_cache  # the form's CSRF token belongs to one visitor: no shared or browser cache may keep it
@require_http_methods(["GET", "POST"])
def review_offer(request, token):
    """The provider's page: the entry as it is published, "Alles stimmt noch" or "Das hat sich geändert"."""
    review_request, state = _review_request_from_token(token)
    if state == "used" and request.method == "POST":
        # A second tab or a double click: say so, and hand back what was typed.
        return _already_answered(request, strip_invisible(request.POST.get("message", "")).strip()[:4000], status=410)
    if state != "ok":
        status = 410 if state in ("used", "expired") else 404
        return render(request, "directory/review/link_unusable.html", {"state": state}, status=status)
    offer = review_request.offer
    form = ProviderChangeForm()
    if request.method == "POST":
        form = ProviderChangeForm(request.POST)
        # A change typed in is never dropped for a confirmation sent along with it.
        wrote_something = bool(strip_invisible(request.POST.get("message", "")).strip())
        if "confirm" in request.POST and not wrote_something:
            if not _confirm(review_request):
                return _already_answered(request, "")
            return render(request, "directory/review/done.html", {"offer": offer, "outcome": "confirmed"})
        if form.is_valid():
            if not _record_change(review_request, form.cleaned_data["message"]):
                return _already_answered(request, form.cleaned_data["message"])
            return render(request, "directory/review/done.html", {"offer": offer, "outcome": "changed"})
    return render(request, "directory/review/review.html", {"offer": offer, "form": form, "review_request": review_request})


def _already_answered(request, unsaved_message, status=409):
    """Another submit (a second tab, a double click) claimed the link first: say so, and hand back
    the text that could not be saved so that it can go to the coordination by e-mail."""
    context = {"state": "used", "unsaved_message": unsaved_message}
    return render(request, "directory/review/link_unusable.html", context, status=status)


def _mark_used(review_request, outcome):
    """Claim the link once; a second submit (double click, two tabs) finds it used."""
    claimed = ReviewRequest.objects.filter(pk=review_request.pk, used__isnull=True).update(used=timezone.now(), outcome=outcome)
    return bool(claimed)


def _confirm(review_request):
    """Note the provider's "Alles stimmt noch"; False when the link was used meanwhile."""
    with transaction.atomic():
        if not _mark_used(review_request, ReviewRequest.Outcome.CONFIRMED):
            return False
        offer = Offer.objects.select_for_update().get(pk=review_request.offer_id)
        offer.last_reviewed = timezone.localdate()
        offer._change_reason = _("Vom Anbieter bestätigt (%(email)s)") % {"email": review_request.email}
        offer.save()
    return True


def _record_change(review_request, message):
    """Store the provider's change for the coordination; False when the link was used meanwhile."""
    with transaction.atomic():
        if not _mark_used(review_request, ReviewRequest.Outcome.CHANGED):
            return False
        ChangeRequest.objects.create(
            offer_id=review_request.offer_id,
            source=ChangeRequest.Source.PROVIDER,
            message=message,
            submitted_email=review_request.email,
        )
    return True


# --- Reports from the public -----------------------------------------------------------------


REPORT_SCOPE = "report"


def _rate_limited(request):
    return ratelimit.exhausted(REPORT_SCOPE, request, settings.REPORT_RATE_LIMIT, settings.REPORT_RATE_WINDOW_SECONDS)


def _count_report(request):
    """Count an accepted report (honeypot catches too); False when the limit was reached meanwhile."""
    return ratelimit.take(REPORT_SCOPE, request, settings.REPORT_RATE_LIMIT, settings.REPORT_RATE_WINDOW_SECONDS)


@query_parameters()
@never_cache  # the form's CSRF token belongs to one visitor: no shared or browser cache may keep it
@require_http_methods(["GET", "POST"])
def report_offer(request, slug):
    offer = get_object_or_404(Offer.objects.visible().select_related("organization"), slug=slug)
    form = ReportForm()
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        too_many = _("Sie haben in kurzer Zeit viele Meldungen geschickt. Bitte versuchen Sie es später noch einmal.")
        if _rate_limited(request):
            form.add_error(None, too_many)
            status = 429
        elif not form.is_valid():
            status = 400
        elif not _count_report(request):
            form.add_error(None, too_many)  # another worker took the last one meanwhile
            status = 429
        else:
            if not form.is_spam():
                form.instance.offer = offer
                form.save()
            return redirect("directory:offer-report-thanks", slug=offer.slug)
    context = {"offer": offer, "form": form, "retention_days": settings.REPORT_RETENTION_DAYS}
    return render(request, "directory/review/report_form.html", context, status=status)


@query_parameters()
def report_thanks(request, slug):
    offer = get_object_or_404(Offer.objects.visible(), slug=slug)
    return render(request, "directory/review/report_thanks.html", {"offer": offer})
