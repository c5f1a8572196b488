"""Root URLs. Every view declares its access rule (see mutualis.core.access)."""

from django.contrib import admin
from django.urls import include, path

from mutualis.api.api import api
from mutualis.core import views as core_views
from mutualis.dashboards import views as dashboards_views
from mutualis.operations import views as operations_views

admin.site.site_header = "Mutualis — back-office"
admin.site.site_title = "Mutualis"

urlpatterns = [
    path("", dashboards_views.home, name="home"),
    path("healthz", operations_views.healthz, name="healthz"),
    path("mentions-legales/", core_views.legal_notice, name="legal_notice"),
    path("confidentialite/", core_views.privacy, name="privacy"),
    path("accessibilite/", core_views.accessibility, name="accessibility"),
    path("comptes/", include("mutualis.accounts.urls")),
    path("programme/", include("mutualis.programme.urls")),
    path("adhesions/", include("mutualis.membership.urls")),
    path("contributions/", include("mutualis.contributions.urls")),
    path("cybersecurite/", include("mutualis.cyber.urls")),
    path("sensibilisation/", include("mutualis.awareness.urls")),
    path("information/", include("mutualis.information.urls")),
    path("achats/", include("mutualis.purchasing.urls")),
    path("support/", include("mutualis.support.urls")),
    path("systeme-information/", include("mutualis.inventory.urls")),
    path("continuite/", include("mutualis.continuity.urls")),
    path("bilans/", include("mutualis.reviews.urls")),
    path("exploitation/", include("mutualis.operations.urls")),
    path("", include("mutualis.dashboards.urls")),
    path("api/", api.urls),
    path("back-office/", admin.site.urls),
]
