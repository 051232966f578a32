from django.urls import path

from . import embed, exports, feeds, hsds, legal, partners, printouts, qr, review, vcards, views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("angebote/", views.OfferListView.as_view(), name="offer-list"),
    path("angebote/flyer/", printouts.list_printout, name="offer-list-flyer"),
    path("kategorie/<slug:slug>/", views.CategoryOfferListView.as_view(), name="category-detail"),
    path("angebot/<slug:slug>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("angebot/<slug:slug>/melden/", review.report_offer, name="offer-report"),
    path("angebot/<slug:slug>/melden/danke/", review.report_thanks, name="offer-report-thanks"),
    path("pruefen/<str:token>/", review.review_offer, name="review"),
    path("impressum/", legal.legal_page, {"kind": "impressum"}, name="impressum"),
    path("datenschutz/", legal.legal_page, {"kind": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", legal.legal_page, {"kind": "barrierefreiheit"}, name="barrierefreiheit"),
    path("kategorie/<slug:slug>/qr.svg", qr.category_qr, {"kind": "svg"}, name="category-qr-svg"),
    path("kategorie/<slug:slug>/qr.png", qr.category_qr, {"kind": "png"}, name="category-qr-png"),
    path("angebot/<slug:slug>/qr.svg", qr.offer_qr, {"kind": "svg"}, name="offer-qr-svg"),
    path("angebot/<slug:slug>/qr.png", qr.offer_qr, {"kind": "png"}, name="offer-qr-png"),
    path("angebot/<slug:slug>/kontakt/<uuid:contact>.vcf", vcards.contact_vcard, name="offer-contact-vcard"),
    path("fuer-partner/", partners.PartnerPageView.as_view(), name="partners"),
    path("kategorie/<slug:slug>/flyer/", printouts.list_printout, name="category-flyer"),
    path("angebot/<slug:slug>/flyer/", printouts.offer_printout, name="offer-flyer"),
    path("angebot/<slug:slug>/karte/", printouts.offer_printout, {"card": True}, name="offer-card"),
    path("einbetten/kategorie/<slug:slug>/", embed.CategoryEmbedView.as_view(), name="category-embed"),
    path("feed/", feeds.OfferFeed(), name="feed"),
    path("kategorie/<slug:slug>/feed/", feeds.CategoryOfferFeed(), name="category-feed"),
    path("export/angebote.csv", exports.offers_csv, name="export-offers-csv"),
    path("api/hsds/", hsds.api_root, name="hsds-root"),
    path("api/hsds/services", hsds.services, name="hsds-services"),
    path("api/hsds/services/<str:id>", hsds.service_detail, name="hsds-service"),
    path("api/hsds/organizations", hsds.organizations, name="hsds-organizations"),
    path("api/hsds/organizations/<str:id>", hsds.organization_detail, name="hsds-organization"),
    path("api/hsds/taxonomies", hsds.taxonomies, name="hsds-taxonomies"),
    path("api/hsds/taxonomies/<str:id>", hsds.taxonomy_detail, name="hsds-taxonomy"),
    path("api/hsds/taxonomy_terms", hsds.taxonomy_terms, name="hsds-taxonomy_terms"),
    path("api/hsds/taxonomy_terms/<str:id>", hsds.taxonomy_term_detail, name="hsds-taxonomy_term"),
    path("api/hsds/service_at_locations", hsds.service_at_locations, name="hsds-service_at_locations"),
    path("api/hsds/service_at_locations/<str:id>", hsds.service_at_location_detail, name="hsds-service_at_location"),
]
