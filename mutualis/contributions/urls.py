"""Pages of the contributions app."""

from django.urls import path

from mutualis.contributions import reminder_views, views

app_name = "contributions"
urlpatterns = [
    path("", views.home, name="home"),
    path("simulateur/", views.simulator, name="simulator"),
    path("appels/", views.calls, name="calls"),
    path("appels/emettre/", views.issue, name="issue"),
    path("appels/export/", views.export_calls, name="export_calls"),
    path("appels/<int:call_id>/", views.call_detail, name="call"),
    path("appels/<int:call_id>/pdf/", views.call_pdf, name="call_pdf"),
    path("appels/<int:call_id>/annuler/", views.call_cancel, name="call_cancel"),
    path("appels/<int:call_id>/paiement/", views.call_payment, name="call_payment"),
    path("appels/<int:call_id>/relancer/", reminder_views.remind, name="call_remind"),
    path("relances/<int:reminder_id>/pdf/", reminder_views.reminder_pdf, name="reminder_pdf"),
    path("avoirs/", views.credit_notes, name="credit_notes"),
    path("avoirs/export/", views.export_credit_notes, name="export_credit_notes"),
    path("soldes/export/", views.export_balances, name="export_balances"),
    path("avoirs/<int:credit_note_id>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("soldes/", views.balances, name="balances"),
    path("impayes/", views.overdue, name="overdue"),
    path("paiements/import/", views.import_statement, name="import_statement"),
    path("populations-a-confirmer/", views.confirmations, name="confirmations"),
    path("jours/a-valider/", views.days_review, name="days_review"),
    path("previsions/", views.forecast, name="forecast"),
    path("previsions.csv", views.forecast_csv, name="forecast_csv"),
    path("communes/<str:insee_code>/", views.commune, name="commune"),
    path("communes/<str:insee_code>/jours/", views.commune_days, name="commune_days"),
]
