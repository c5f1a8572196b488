from django.urls import path

from mutualis.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("courriels/", views.outbox, name="outbox"),
    path("courriels/<int:email_id>/renvoyer/", views.outbox_retry, name="outbox_retry"),
    path("comptes/", views.accounts, name="accounts"),
    path("comptes/<int:user_id>/desactiver/", views.deactivate, name="deactivate"),
    path("archives/", views.archives, name="archives"),
    path("archives/<str:insee_code>.zip", views.commune_archive, name="commune_archive"),
]
