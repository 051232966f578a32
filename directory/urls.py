from django.urls import path

from . import qr, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("kategorie/<slug:slug>/", views.CategoryDetailView.as_view(), name="category-detail"),
    path("angebot/<slug:slug>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("kategorie/<slug:slug>/qr.svg", qr.category_qr, {"kind": "svg"}, name="category-qr-svg"),
    path("kategorie/<slug:slug>/qr.png", qr.category_qr, {"kind": "png"}, name="category-qr-png"),
    path("angebot/<slug:slug>/qr.svg", qr.offer_qr, {"kind": "svg"}, name="offer-qr-svg"),
    path("angebot/<slug:slug>/qr.png", qr.offer_qr, {"kind": "png"}, name="offer-qr-png"),
]
