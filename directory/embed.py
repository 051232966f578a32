"""The embeddable category listing: the only pages other websites may show in a frame."""

from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import DetailView

from .links import FilterQueryTooLong, absolute_url, filter_query, with_query
from .models import Category, Offer


def allow_any_frame_ancestor(response):
    """Partners embed these pages on their own sites, so any origin may frame them."""
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


@method_decorator(xframe_options_exempt, name="dispatch")
class CategoryEmbedView(DetailView):
    model = Category
    template_name = "directory/partners/embed.html"
    context_object_name = "category"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers"] = Offer.objects.visible().filter(categories=self.object).select_related("organization")
        try:
            query = filter_query(self.request.GET, exclude=("kategorie",))
        except FilterQueryTooLong:
            query = ""
        context["full_url"] = with_query(absolute_url(self.object.get_absolute_url()), query)
        return context

    def render_to_response(self, context, **response_kwargs):
        return allow_any_frame_ancestor(super().render_to_response(context, **response_kwargs))
