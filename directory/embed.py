"""The embeddable category listing: the only pages other websites may show in a frame."""

from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt

from .links import absolute_url
from .views import CategoryOfferListView


def allow_any_frame_ancestor(response):
    """Partners embed these pages on their own sites, so any origin may frame them."""
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


@method_decorator(xframe_options_exempt, name="dispatch")
class CategoryEmbedView(CategoryOfferListView):
    """The category listing with its filters, without the site's header and footer.

    Links to offers open the full site in a new tab; filters and pages stay in the frame.
    """

    template_name = "directory/partners/embed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        querystring = self.filterset.querystring()
        context["full_url"] = absolute_url(self.category.get_absolute_url()) + ("" if querystring == "?" else querystring)
        context["embedded"] = True
        return context

    def render_to_response(self, context, **response_kwargs):
        return allow_any_frame_ancestor(super().render_to_response(context, **response_kwargs))
