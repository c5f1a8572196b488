"""Pages of the inventory app."""

from django.urls import path

from mutualis.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.home, name="home"),
    path("logiciels-metiers/", views.software_matrix, name="matrix"),
    path(
        "logiciels-metiers/<str:domain>/proposition.pdf", views.software_proposal, name="proposal"
    ),
    path("fins-de-support/", views.support_alerts, name="alerts"),
    path("communes/<str:insee_code>/", views.commune_page, name="commune"),
    path("communes/<str:insee_code>/inventaire.csv", views.inventory_export, name="export"),
    path("communes/<str:insee_code>/import/", views.inventory_import, name="import"),
    path("communes/<str:insee_code>/equipements/ajouter/", views.asset_add, name="asset_add"),
    path(
        "communes/<str:insee_code>/equipements/<int:asset_id>/", views.asset_edit, name="asset_edit"
    ),
    path(
        "communes/<str:insee_code>/equipements/<int:asset_id>/retirer/",
        views.asset_retire,
        name="asset_retire",
    ),
    path("communes/<str:insee_code>/logiciels/ajouter/", views.software_add, name="software_add"),
    path(
        "communes/<str:insee_code>/logiciels/<int:software_id>/",
        views.software_edit,
        name="software_edit",
    ),
]
