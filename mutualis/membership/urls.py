"""Pages of the membership app."""

from django.urls import path

from mutualis.membership import renewal_views, views

app_name = "membership"
urlpatterns = [
    path("candidatures/", views.applications, name="applications"),
    path("renouvellements/", renewal_views.renewals, name="renewals"),
    path("renouvellements/renouveler/", renewal_views.renew, name="renew"),
    path("renouvellements/refuser/", renewal_views.refuse, name="refuse_renewal"),
    path("capacite/", views.capacity_page, name="capacity"),
    path("temps/", views.time_logs, name="time_logs"),
    path("deliberations/", views.deliberations, name="deliberations"),
    path("deliberations/<int:deliberation_id>/", views.deliberation, name="deliberation"),
    path(
        "deliberations/<int:deliberation_id>/document.pdf",
        views.deliberation_pdf,
        name="deliberation_pdf",
    ),
    path("deliberations/lectures/<int:scan_id>/", views.scan_reading, name="scan_reading"),
    path("communes/<str:insee_code>/", views.commune, name="commune"),
    path("communes/<str:insee_code>/candidature/", views.apply, name="apply"),
    path("communes/<str:insee_code>/socle/", views.join_base, name="join_base"),
    path(
        "communes/<str:insee_code>/deliberations/projet-adhesion/",
        views.draft_deliberation,
        name="draft_deliberation",
    ),
    path(
        "communes/<str:insee_code>/deliberations/projet-adhesion.pdf",
        views.draft_deliberation_pdf,
        name="draft_deliberation_pdf",
    ),
    path(
        "communes/<str:insee_code>/deliberations/projet-adhesion.docx",
        views.draft_deliberation_docx,
        name="draft_deliberation_docx",
    ),
    path(
        "communes/<str:insee_code>/deliberations/nouvelle/",
        views.record_deliberation,
        name="record_deliberation",
    ),
    path("<int:membership_id>/file/", views.queue, name="queue"),
    path("<int:membership_id>/admission/", views.admit, name="admit"),
    path("<int:membership_id>/rang/", views.move, name="move"),
    path("<int:membership_id>/convention/", views.issue_convention, name="issue_convention"),
    path("<int:membership_id>/sortie/", views.request_exit, name="request_exit"),
    path("<int:membership_id>/retrait/", views.withdraw, name="withdraw"),
    path(
        "conventions/<int:convention_id>/document.pdf", views.convention_pdf, name="convention_pdf"
    ),
    path(
        "conventions/<int:convention_id>/signee.pdf",
        views.convention_signed_pdf,
        name="convention_signed_pdf",
    ),
    path("conventions/<int:convention_id>/signer/", views.sign_convention, name="sign_convention"),
    path("conventions/<int:convention_id>/avenant/", views.issue_amendment, name="issue_amendment"),
    path("avenants/<int:amendment_id>/document.pdf", views.amendment_pdf, name="amendment_pdf"),
    path(
        "avenants/<int:amendment_id>/signe.pdf",
        views.amendment_signed_pdf,
        name="amendment_signed_pdf",
    ),
    path("avenants/<int:amendment_id>/signer/", views.sign_amendment, name="sign_amendment"),
]
