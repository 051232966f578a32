from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView

from .models import Category, Offer


def home(request):
    categories = Category.objects.all()
    return render(request, "directory/home.html", {"categories": categories})


class CategoryDetailView(DetailView):
    model = Category
    template_name = "directory/category_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["offers"] = Offer.objects.visible().filter(categories=self.object).select_related("organization")
        return context


class OfferDetailView(DetailView):
    template_name = "directory/offer_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Offer.objects.visible().select_related("organization"), slug=self.kwargs["slug"])
