"""Pages for partner institutions: how to link, print and embed the directory."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from .links import absolute_url
from .models import Category, Contact, Language, Offer

SECOND_LANGUAGE_PARAMETER = "sprache2"


class PartnerPageView(TemplateView):
    """`/fuer-partner/`: every category's stable link, QR codes, flyer and embed snippet."""

    template_name = "directory/partners/partners.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = list(Category.objects.all())
        for category in categories:
            category.public_url = absolute_url(category.get_absolute_url())
            category.embed_url = absolute_url(reverse("directory:category-embed", kwargs={"slug": category.slug}))
        context["categories"] = categories
        context["example"] = self.filtered_link_example(categories)
        context["data_license"] = settings.DATA_LICENSE
        context["data_license_url"] = settings.DATA_LICENSE_URL
        context["site_url"] = settings.SITE_URL
        return context

    def filtered_link_example(self, categories):
        """A worked example from the real data: career offers in Ukrainian, if both exist."""
        if not categories:
            return None
        category = next((c for c in categories if c.slug == "ausbildung-beruf"), categories[0])
        language = Language.objects.filter(code="uk").first() or Language.objects.first()
        interface = language.code if language and language.code in dict(settings.LANGUAGES) else "en"
        path = category.get_absolute_url()
        query = f"?sprache={language.code}" if language else ""
        return {
            "category": category,
            "language": language,
            "interface_language": dict(settings.LANGUAGES)[interface],
            "filtered_url": absolute_url(path) + query,
            "language_url": absolute_url(f"/{interface}{path}"),
            "both_url": absolute_url(f"/{interface}{path}") + query,
            "qr_url": absolute_url(f"/{interface}{path}qr.png") + query,
        }


class CategoryFlyerView(DetailView):
    """`/kategorie/<slug>/flyer/`: an A4 handout with QR code and phone numbers, optionally bilingual."""

    model = Category
    template_name = "directory/partners/flyer.html"
    context_object_name = "category"
    query_parameters = (SECOND_LANGUAGE_PARAMETER,)

    def second_language(self):
        code = self.request.GET.get(SECOND_LANGUAGE_PARAMETER, "").strip()
        languages = dict(settings.LANGUAGES)
        if code and code != settings.LANGUAGE_CODE and code in languages:
            return code, None
        if code:
            return None, _("Die zweite Sprache „%(code)s“ gibt es nicht; der Handzettel ist nur auf Deutsch.") % {
                "code": code[:20]
            }
        return None, None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        second, problem = self.second_language()
        context["second_language"] = second
        context["second_language_problem"] = problem
        context["second_language_bidi"] = second in settings.LANGUAGES_BIDI if second else False
        offers = list(
            Offer.objects.visible()
            .filter(categories=self.object)
            .select_related("organization")
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("position", "pk")))
            .order_by("title_de", "pk")
        )
        if second:
            # Only real translations: repeating the German text in the second column helps nobody.
            field = second.replace("-", "_")
            self.object.second_name = getattr(self.object, f"name_{field}", "")
            for offer in offers:
                offer.second_title = getattr(offer, f"title_{field}", "")
                offer.second_summary = getattr(offer, f"summary_{field}", "")
        context["offers"] = offers
        # Parents who read the second language scan the code, so it opens the page in that language.
        with translation.override(second or translation.get_language()):
            context["page_url"] = absolute_url(self.object.get_absolute_url())
            context["qr_path"] = reverse("directory:category-qr-svg", kwargs={"slug": self.object.slug})
        context["languages"] = [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        return context
