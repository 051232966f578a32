"""The embeddable category listing: the only pages other websites may show in a frame."""

from django.utils.decorators import method_decorator

from .decorators import embeddable
from .links import absolute_url
from .views import CategoryOfferListView


# Partners embed these pages on their own sites: no X-Frame-Options and
# `frame-ancestors *`, while every other directive of the strict policy stays.
@method_decorator(embeddable, name="dispatch")
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
