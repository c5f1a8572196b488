from django.conf import settings
from django.urls import path

from mutualis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("mot-de-passe/change/", views.password_reset_complete, name="password_reset_complete"),
    path("profil/", views.profile, name="profile"),
    path("profil/mes-donnees.json", views.my_data, name="my_data"),
    path("double-authentification/", views.two_factor, name="two_factor"),
    path("commune-active/", views.switch_commune, name="switch_commune"),
    path("invitations/", views.invitations, name="invitations"),
    path("communes/<str:insee_code>/personnes/", views.commune_people, name="commune_people"),
    path(
        "communes/<str:insee_code>/personnes/<int:role_id>/retirer/",
        views.commune_role_end,
        name="commune_role_end",
    ),
    path("invitation/<str:token>/", views.accept, name="accept_invitation"),
]

if settings.MUTUALIS_OIDC_ENABLED:  # ProConnect: routed only when configured
    from mutualis.accounts import proconnect_views

    urlpatterns += [
        path("proconnect/", proconnect_views.start, name="proconnect_start"),
        path("proconnect/retour/", proconnect_views.callback, name="proconnect_callback"),
        path("proconnect/sans-role/", proconnect_views.pending, name="proconnect_pending"),
        path("demandes-acces/", proconnect_views.access_requests, name="access_requests"),
        path(
            "demandes-acces/<int:access_request_id>/attribuer/",
            proconnect_views.grant,
            name="grant_access_request",
        ),
    ]
