"""Pages of the continuity app."""

from django.urls import path

from mutualis.continuity import views

app_name = "continuity"
urlpatterns = [
    path("", views.home, name="home"),
    path("communes/<str:insee_code>/", views.commune_page, name="commune"),
    path("communes/<str:insee_code>/ajouter/<str:what>/", views.add_record, name="add"),
    path("communes/<str:insee_code>/fiche-reflexe.pdf", views.crisis_sheet, name="sheet"),
    path("communes/<str:insee_code>/plan/", views.plan, name="plan"),
    path("communes/<str:insee_code>/exercices/<int:exercise_id>/", views.exercise, name="exercise"),
    path("communes/<str:insee_code>/crises/ouvrir/", views.log_open, name="log_open"),
    path("communes/<str:insee_code>/crises/<int:log_id>/", views.log, name="log"),
    path("communes/<str:insee_code>/sauvegarde/", views.backup_study, name="backup"),
    path("communes/<str:insee_code>/sauvegarde/etude.pdf", views.backup_pdf, name="backup_pdf"),
]
