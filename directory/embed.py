"""The embeddable category listing: the only pages other websites may show in a frame."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator

from .decorators import embeddable
from .links import absolute_url
from .views import CategoryArchived, CategoryOfferListView


# Partners embed these pages on their own sites: no X-Frame-Options and
# `frame-ancestors *`, while every other directive of the strict policy stays.
@method_decorator(embeddable, name="dispatch")
class CategoryEmbedView(CategoryOfferListView):
    """The category listing with its filters, without the site's header and footer.

    Links to offers open the full site in a new tab; filters and pages stay in the frame.
    """

    template_name = "directory/partners/embed.html"

    def get(self, request, *args, **kwargs):
        try:
            return super(CategoryOfferListView, self).get(request, *args, **kwargs)
        except CategoryArchived:
            # Inside a partner's frame a redirect to the full site would be refused (it may not be
            # framed): say here that the category is gone, with the way to the directory.
            context = {"full_url": absolute_url(reverse("directory:offer-list"))}
            return render(request, "directory/partners/embed_gone.html", context, status=410)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        querystring = self.filterset.querystring()
        context["full_url"] = absolute_url(self.category.get_absolute_url()) + ("" if querystring == "?" else querystring)
        context["embedded"] = True
        return context
