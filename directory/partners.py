"""Pages for partner institutions: how to link, print and embed the directory."""

from django.conf import settings
from django.urls import reverse
from django.views.generic import TemplateView

from .links import absolute_url
from .models import Category, Language


class PartnerPageView(TemplateView):
    """`/fuer-partner/`: every category's stable link, QR codes, flyer and embed snippet."""

    template_name = "directory/partners/partners.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        categories = list(Category.objects.filter(archived=False))
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
