from django.urls import path

from mutualis.dashboards import homes, programme_views, views

app_name = "dashboards"
urlpatterns = [
    path("accueil/finances/", homes.home_finance, name="home_finance"),
    path("accueil/a-faire/", homes.home_actions, name="home_actions"),
    path("tableau-de-bord/", views.communes, name="communes"),
    path("communes-membres/", views.members, name="members"),
    path("ma-commune/", views.my_commune, name="my_commune"),
    path("communes/<str:insee_code>/", views.commune, name="commune"),
    path("communes/<str:insee_code>/modifier/", views.commune_edit, name="commune_edit"),
    path("communes/<str:insee_code>/historique/", views.commune_history, name="commune_history"),
    path("programmes/suivant/", programme_views.successor, name="programme_successor"),
    path("programmes/ouvrir/", programme_views.open_draft, name="programme_open"),
]
