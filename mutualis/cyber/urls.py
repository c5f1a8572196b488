"""Pages of the cyber app: first advice, diagnostics, remediation plans, programme view."""

from django.urls import path

from mutualis.cyber.views import advice, diagnostics, plan, programme

app_name = "cyber"
urlpatterns = [
    path("", advice.home, name="home"),
    path("programme/", programme.programme, name="programme"),
    path("programme/maturite.csv", programme.programme_csv, name="programme_csv"),
    path("programme/mesures-manquantes.csv", programme.missing_csv, name="missing_csv"),
    path("communes/<str:insee_code>/", advice.commune, name="commune"),
    path(
        "communes/<str:insee_code>/premier-conseil/",
        advice.first_advice_new,
        name="first_advice_new",
    ),
    path(
        "communes/<str:insee_code>/diagnostics/nouveau/",
        diagnostics.diagnostic_new,
        name="diagnostic_new",
    ),
    path("premier-conseil/<int:advice_id>/", advice.first_advice_detail, name="first_advice"),
    path("diagnostics/<int:diagnostic_id>/", diagnostics.diagnostic, name="diagnostic"),
    path(
        "diagnostics/<int:diagnostic_id>/questionnaire/",
        diagnostics.questionnaire,
        name="questionnaire",
    ),
    path(
        "diagnostics/<int:diagnostic_id>/annuler/",
        diagnostics.diagnostic_cancel,
        name="diagnostic_cancel",
    ),
    path("diagnostics/<int:diagnostic_id>/rapport.pdf", diagnostics.report_pdf, name="report_pdf"),
    path("diagnostics/<int:diagnostic_id>/plan.csv", diagnostics.plan_csv, name="plan_csv"),
    path("mesures/<int:plan_measure_id>/", plan.plan_measure, name="plan_measure"),
    path("preuves/<int:evidence_id>/", plan.evidence, name="evidence"),
]
