from django.urls import path

from . import legal, review, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.OfferListView.as_view(), name="offer-list"),
    path("kategorie/<slug:slug>/", views.CategoryOfferListView.as_view(), name="category-detail"),
    path("angebot/<slug:slug>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("angebot/<slug:slug>/melden/", review.report_offer, name="offer-report"),
    path("angebot/<slug:slug>/melden/danke/", review.report_thanks, name="offer-report-thanks"),
    path("pruefen/<str:token>/", review.review_offer, name="review"),
    path("impressum/", legal.legal_page, {"kind": "impressum"}, name="impressum"),
    path("datenschutz/", legal.legal_page, {"kind": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", legal.legal_page, {"kind": "barrierefreiheit"}, name="barrierefreiheit"),
]
