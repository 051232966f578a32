"""QR codes of category and offer pages, made locally with segno.

The code holds the absolute canonical address (settings.SITE_URL, the language
prefix of the request and, for categories, the allowed listing filters), so a
printed code opens the same view for every parent who scans it.
"""

import io

import segno
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .filters import OfferFilter
from .links import FilterQueryTooLong, absolute_url, filter_query, with_query
from .models import Category, Offer
from .query import filter_parameters, query_parameters

CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def qr_response(url, kind, filename):
    # Error correction "M" survives a crumpled handout; the 4-module quiet zone is the standard's.
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=10, border=4, xmldecl=False, title=url, svgclass=None, lineclass=None)
    else:
        code.save(buffer, kind="png", scale=10, border=4)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'inline; filename="{filename}.{kind}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


@query_parameters(*filter_parameters(OfferFilter))  # the listing filters the code carries
def category_qr(request, slug, kind):
    category = get_object_or_404(Category, slug=slug)
    try:
        query = filter_query(request.GET, category=category)
    except FilterQueryTooLong:
        return HttpResponseBadRequest(_("Zu viele Filter für einen QR-Code."), content_type="text/plain; charset=utf-8")
    url = with_query(absolute_url(category.get_absolute_url()), query)
    return qr_response(url, kind, f"qr-{category.slug}")


@query_parameters()
def offer_qr(request, slug, kind):
    offer = get_object_or_404(Offer.objects.visible(), slug=slug)
    return qr_response(absolute_url(offer.get_absolute_url()), kind, f"qr-{offer.slug}")
