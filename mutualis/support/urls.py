"""Pages of the support app: requests and the follow-up of communes' IT support providers."""

from django.urls import path

from mutualis.support import views

app_name = "support"
urlpatterns = [
    path("", views.requests, name="requests"),
    path("nouvelle/", views.request_new, name="request_new"),
    path("demandes/<int:request_id>/", views.request_detail, name="request"),
    path("demandes/<int:request_id>/message/", views.request_message, name="request_message"),
    path("demandes/<int:request_id>/affectation/", views.request_assign, name="request_assign"),
    path(
        "demandes/<int:request_id>/transmission/", views.request_escalate, name="request_escalate"
    ),
    path("demandes/<int:request_id>/cloture/", views.request_close, name="request_close"),
    path("demandes/<int:request_id>/evaluation/", views.request_rate, name="request_rate"),
    path("pieces-jointes/<int:attachment_id>/", views.attachment, name="attachment"),
    path("prestataires/", views.providers, name="providers"),
    path("prestataires/<int:supplier_id>/", views.provider, name="provider"),
]
