from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.OfferListView.as_view(), name="offer-list"),
    path("kategorie/<slug:slug>/", views.CategoryOfferListView.as_view(), name="category-detail"),
    path("angebot/<slug:slug>/", views.OfferDetailView.as_view(), name="offer-detail"),
]
