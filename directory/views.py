"""The public pages: start, listings, offer, 404. Thin views; the query logic lives in
`OfferQuerySet` and `OfferFilter`, and every public queryset starts at `visible()`."""

from django.conf import settings
from django.contrib import admin
from django.db import DatabaseError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, get_language_bidi
from django.views.generic import DetailView
from django_filters.views import FilterView

from . import cards, errors, i18n, places, search, search_stats
from .cards import slots_with_language
from .filters import OfferFilter, Vocabulary, requested_page
from .links import absolute_url, with_query
from .models import Category, Location, Offer
from .query import links_carry, query_parameters

OFFERS_PER_PAGE = 20


def locations_with_town():
    return Prefetch("locations", queryset=Location.objects.select_related("town"))


@query_parameters()
def home(request):
    categories = Category.objects.filter(archived=False).annotate(
        offer_count=Count("offers", filter=Q(offers__in=Offer.objects.visible()), distinct=True)
    )
    # The browser's preferred language is offered as a link, never a redirect: a shared
    # link shows the same language to everyone.
    suggestion = i18n.suggested_language(request)
    response = render(request, "directory/home.html", {"categories": categories, "suggestion": suggestion})
    patch_vary_headers(response, ["Accept-Language"])
    return response


class OfferListView(FilterView):
    """All offers, filterable by GET parameters (see OfferFilter)."""

    filterset_class = OfferFilter
    template_name = "directory/offer_list.html"
    context_object_name = "offers"
    paginate_by = OFFERS_PER_PAGE
    strict = False
    category = None
    # An archived category's page sends parents here with its slug, to say why all offers show.
    extra_query_parameters = ("archiviert",)

    def get(self, request, *args, **kwargs):
        self.vocabulary = Vocabulary.current()
        self.category = self.get_category()
        return super().get(request, *args, **kwargs)

    def get_category(self):
        return None

    def get_queryset(self):
        return cards.card_offers(Offer.objects.visible())

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        kwargs.update(vocabulary=self.vocabulary, category=self.category, visible_only=True)
        return kwargs

    def paginate_queryset(self, queryset, page_size):
        """A page number that is not a number shows the first page; one beyond the end the last
        page, with a note (an old link to a list that has become shorter)."""
        paginator = self.get_paginator(queryset, page_size)
        number = requested_page(self.request.GET.get("page", "1"))
        self.page_beyond_end = number > paginator.num_pages and paginator.count > 0
        page = paginator.page(min(max(number, 1), paginator.num_pages))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        town = self.filterset.town
        near = self.filterset.place
        cards.add_languages_and_towns(context["offers"], self.vocabulary)
        for offer in context["offers"]:
            # Shown in a town's listing only because it is offered by phone or video.
            offer.serves_district = town is not None and town.pk not in {t.pk for t in offer.towns}
            if near is not None:
                offer.reachable_anywhere = offer.format_phone or offer.format_video
                offer.distance_km = places.rounded_km(getattr(offer, "physical_km", None))
        context.update(
            # Offer links carry this list's address, so the offer page leads back to it, filters kept.
            list_path=with_query(self.request.path, links_carry(self.request, self.link_parameters(context))),
            page_beyond_end=getattr(self, "page_beyond_end", False),
            category=self.category,
            vocabulary=self.vocabulary,
            formats=Offer.Format.choices,
            places=places.gazetteer(),
        )
        if not context["offers"]:
            context["suggestion"] = self.filterset.suggestion()
        if "archiviert" in self.request.GET:
            # Came from an archived category's page (CategoryOfferListView): say why it shows all offers.
            slug = search.without_controls(self.request.GET["archiviert"][:100])
            context["archived_category"] = Category.objects.filter(slug=slug, archived=True).first()
        return context

    def link_parameters(self, context):
        """What links to this list carry: the cleaned filters (a very long search cut, unknown
        values left out), the page shown and the archived category's note."""
        pairs = self.filterset.parameters()
        page = context.get("page_obj")
        if page is not None and page.number > 1:
            pairs.append(("page", page.number))
        if "archiviert" in self.request.GET:
            pairs.append(("archiviert", search.without_controls(self.request.GET["archiviert"][:100])))
        return pairs

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        query = self.filterset.selected.get("q")
        results = context["paginator"].count if context.get("paginator") else len(context["offers"])
        # Only what the words alone found: other filters or a category would blur the count.
        alone = self.category is None and [name for name, _value in self.filterset.parameters()] == ["q"]
        if query and alone and results <= search_stats.FEW_RESULTS:
            search_stats.record(query, (get_language() or "de").split("-")[0], results)
            # Served from the page cache, a repeated search would not be counted.
            patch_cache_control(response, private=True)
        return response


class CategoryOfferListView(OfferListView):
    """One category's offers: the page partners link to and print."""

    template_name = "directory/offer_list.html"
    fixed_query_parameters = ("kategorie",)  # the address names the category; the parameter is ignored

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except CategoryArchived:
            # Temporary: the coordinator may bring it back; printed QR codes then work again as before.
            return redirect(f"{reverse('directory:offer-list')}?{urlencode({'archiviert': self.kwargs['slug']})}")

    def get_category(self):
        category = self.vocabulary.category(self.kwargs["slug"])
        if category is None:
            if Category.objects.filter(slug=self.kwargs["slug"], archived=True).exists():
                raise CategoryArchived
            raise Http404("unknown category")
        return category


class CategoryArchived(Exception):
    pass


class OfferDetailView(DetailView):
    """One offer. The coordination also sees drafts, archived and expired offers, with a preview
    banner; a partner editor sees them only for their own organization."""

    template_name = "directory/offer_detail.html"
    context_object_name = "offer"
    query_parameters = ("von",)  # the list a parent came from, for the way back

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["share"] = share_text(self.object)
        context["back"] = back_to_list(self.request)
        return context

    def get_queryset(self):
        offers = Offer.objects.previewable_by(self.request.user)
        return offers.select_related("organization").prefetch_related(
            "categories", "languages", "target_groups", "contacts", locations_with_town(), slots_with_language(), "closures"
        )


def back_to_list(request):
    """The listing a parent came from (`?von=`), if it is one of ours: {"url", "category_slug"}, else None.

    Only a local path of a listing is accepted, so the link cannot lead anywhere else.
    """
    value = request.GET.get("von", "")
    if not value.startswith("/") or value.startswith("//") or len(value) > 1000 or "\\" in value:
        return None
    path, _sep, query = value.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name not in ("directory:offer-list", "directory:category-detail"):
        return None
    query = QueryDict(query).urlencode()
    return {"url": f"{path}?{query}" if query else path, "category_slug": match.kwargs.get("slug")}


def share_text(offer):
    """Title, phone, address and link: what a parent pastes into a message (no tracking parameters)."""
    url = absolute_url(offer.get_absolute_url())
    contacts = [contact for contact in offer.contacts.all() if contact.phone]
    phone = contacts[0].phone if contacts else offer.organization.phone
    locations = list(offer.locations.all())
    lines = [offer.title]
    if phone:
        # In right-to-left text the digit groups would be shown, and copied, in reverse order.
        lines.append(f"☎ \u2066{phone}\u2069" if get_language_bidi() else f"☎ {phone}")
    if locations:
        location = locations[0]
        lines.append(f"{location.street}, {location.postal_code} {location.town.name}")
    lines.append(url)
    return {"title": offer.title, "url": url, "text": "\n".join(lines), "lines": len(lines) + 1}


def page_not_found(request, exception=None):
    """A helpful 404: search box and categories – and still a page when the database is down."""
    if errors.is_api_request(request):
        return errors.api_error(404)
    try:
        categories = list(Category.objects.filter(archived=False))
    except DatabaseError:
        categories = []
    return render(request, "404.html", {"categories": categories}, status=404)


def permission_denied(request, exception=None):
    """A 403 in the layout the reader came from: the admin's (German, with a way back to its start page) or the site's."""
    if errors.is_api_request(request):
        return errors.api_error(403)
    if request.path_info.startswith("/admin/"):
        with translation.override(settings.LANGUAGE_CODE):
            return TemplateResponse(request, "admin/403.html", admin.site.each_context(request), status=403).render()
    return render(request, "403.html", status=403)


# Form fields that are no typed text: tokens, passwords, the honeypot, the admin's bookkeeping.
NOT_TYPED = ("csrfmiddlewaretoken", "homepage", "next")
NOT_TYPED_ENDINGS = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def typed_texts(request):
    """What the refused form carried, to copy back into a fresh one: texts only, never passwords."""
    try:
        posted = list(request.POST.lists())
    except Exception:  # noqa: BLE001 – a body too large or broken: the page still explains what happened
        return []
    texts = []
    for name, values in posted:
        if name in NOT_TYPED or name.startswith("_") or "password" in name or name.endswith(NOT_TYPED_ENDINGS):
            continue
        for value in values:
            value = value.strip()
            if len(value) >= 3 and not value.isdigit():
                texts.append({"name": name, "text": value[:20000]})
    return texts[:40]


def csrf_failure(request, reason=""):
    """A refused form (CSRF_FAILURE_VIEW) in the site's layout and language: why, what she typed, the way back."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("admin:index") if request.path.startswith(reverse("admin:index")) else reverse("directory:home")
    context = {"back_url": back, "texts": typed_texts(request)}
    response = render(request, "403_csrf.html", context, status=403)
    patch_cache_control(response, no_store=True)
    return response
