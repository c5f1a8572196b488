"""Pages of the awareness app."""

from django.urls import path

from mutualis.awareness.views import campaigns, results, sessions, taking

app_name = "awareness"
urlpatterns = [
    path("", taking.home, name="home"),
    path("modules/<slug:module_slug>/", taking.module, name="module"),
    path("modules/<slug:module_slug>/etapes/<int:step>/", taking.step, name="step"),
    path(
        "modules/<slug:module_slug>/quiz/<int:attempt_id>/",
        taking.quiz_result,
        name="quiz_result",
    ),
    path("attestations/<str:attestation_number>/", taking.attestation, name="attestation"),
    path("verification/", taking.verify, name="verify"),
    path("campagnes/", campaigns.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", campaigns.campaign_new, name="campaign_new"),
    path("campagnes/<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("campagnes/<int:campaign_id>/annuler/", campaigns.campaign_cancel, name="campaign_cancel"),
    path("resultats/", results.overview, name="results"),
    path("resultats/export.csv", results.overview_csv, name="results_csv"),
    path("resultats/<str:insee_code>/", results.commune_results, name="commune_results"),
    path(
        "resultats/<str:insee_code>/export.csv",
        results.commune_results_csv,
        name="commune_results_csv",
    ),
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/nouvelle/", sessions.session_new, name="session_new"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<int:session_id>/emargement.pdf", sessions.sign_in_sheet, name="sign_in_sheet"),
    path("sessions/<int:session_id>/presences/", sessions.session_attendance, name="attendance"),
    path("sessions/<int:session_id>/annuler/", sessions.session_cancel, name="session_cancel"),
    path(
        "sessions/<int:session_id>/participants/<int:attendee_id>/retirer/",
        sessions.attendee_remove,
        name="attendee_remove",
    ),
]
