"""Pages of the purchasing app: catalogue, campaigns, roadmaps, suppliers and contracts."""

from django.urls import path

from mutualis.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("offres/nouvelle/", views.offer_edit, name="offer_new"),
    path("offres/<int:offer_id>/", views.offer, name="offer"),
    path("offres/<int:offer_id>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:offer_id>/documents/", views.offer_document_add, name="offer_document_add"),
    path("offres/<int:offer_id>/retrait/", views.offer_withdraw, name="offer_withdraw"),
    path("documents/<int:document_id>/", views.offer_document, name="offer_document"),
    path("demandes/", views.join_requests, name="join_requests"),
    path("demandes/<int:join_request_id>/", views.join_request, name="join_request"),
    path("campagnes/", views.campaigns, name="campaigns"),
    path("campagnes/nouvelle/", views.campaign_new, name="campaign_new"),
    path("campagnes/<int:campaign_id>/", views.campaign, name="campaign"),
    path("campagnes/<int:campaign_id>/export.csv", views.campaign_csv_export, name="campaign_csv"),
    path(
        "campagnes/<int:campaign_id>/export.xlsx", views.campaign_xlsx_export, name="campaign_xlsx"
    ),
    path("campagnes/<int:campaign_id>/cloture/", views.campaign_close, name="campaign_close"),
    path(
        "campagnes/<int:campaign_id>/communes/<str:insee_code>/",
        views.campaign_answer,
        name="campaign_answer",
    ),
    path("feuilles-de-route/", views.roadmaps, name="roadmaps"),
    path(
        "communes/<str:insee_code>/feuille-de-route/",
        views.commune_roadmap,
        name="commune_roadmap",
    ),
    path("feuille-de-route/<int:roadmap_item_id>/", views.roadmap_item, name="roadmap_item"),
    path("fournisseurs/", views.suppliers, name="suppliers"),
    path("fournisseurs/nouveau/", views.supplier_edit, name="supplier_new"),
    path("fournisseurs/<int:supplier_id>/", views.supplier, name="supplier"),
    path("fournisseurs/<int:supplier_id>/modifier/", views.supplier_edit, name="supplier_edit"),
    path("contrats/", views.contracts, name="contracts"),
    path("communes/<str:insee_code>/contrats/", views.commune_contracts, name="commune_contracts"),
    path("contrats/<int:contract_id>/", views.contract, name="contract"),
]
