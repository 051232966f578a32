from django.urls import path

from . import legal, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.OfferListView.as_view(), name="offer-list"),
    path("kategorie/<slug:slug>/", views.CategoryOfferListView.as_view(), name="category-detail"),
    path("angebot/<slug:slug>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("impressum/", legal.legal_page, {"kind": "impressum"}, name="impressum"),
    path("datenschutz/", legal.legal_page, {"kind": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", legal.legal_page, {"kind": "barrierefreiheit"}, name="barrierefreiheit"),
]
