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
