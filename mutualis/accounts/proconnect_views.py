"""ProConnect pages: the sign-in start and callback, whom to ask for a role, and the access
requests a coordinator or a commune's manager answers in one step."""

import logging

import requests
from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from mutualis.accounts import perms, proconnect
from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import AccessRequest
from mutualis.accounts.services import ProConnectRefused, grant_access_request, record_sign_in
from mutualis.core.access import PUBLIC, access
from mutualis.core.collation import french
from mutualis.territory.models import Commune

logger = logging.getLogger(__name__)


def _failure(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "accounts/proconnect_failure.html", {"message": message}, status=status)


class CallbackView(OIDCAuthenticationCallbackView):
    """mozilla-django-oidc's callback; every refusal answers a French page, never a 500."""

    def get(self, request):
        try:
            return super().get(request)
        except ProConnectRefused as error:
            return _failure(request, str(error), status=403)
        except (SuspiciousOperation, proconnect.UnverifiedAnswer) as error:  # state, signature…
            logger.warning("ProConnect sign-in refused: %s", error)
            return _failure(
                request,
                _(
                    "La réponse reçue de ProConnect n'a pas pu être vérifiée (lien déjà utilisé, "
                    "expiré ou altéré). Recommencez la connexion depuis la page de connexion."
                ),
            )
        except requests.RequestException as error:
            logger.warning("ProConnect unreachable or refused the code: %s", error)
            return _failure(
                request,
                _("ProConnect n'a pas répondu comme prévu. Réessayez dans quelques minutes."),
                status=502,
            )

    def login_failure(self):
        if self.request.session.get(proconnect.PENDING_SESSION_KEY):
            return redirect("accounts:proconnect_pending")
        if self.request.GET.get("error"):
            message = _("La connexion a été interrompue ou refusée par ProConnect.")
        else:
            message = _(
                "La connexion avec ProConnect n'a pas abouti (session expirée ou lien déjà "
                "utilisé). Recommencez depuis la page de connexion."
            )
        return _failure(self.request, message)

    def login_success(self):
        session = self.request.session
        strong = bool(session.get(proconnect.STRONG_SESSION_KEY))
        id_token = session.get("oidc_id_token", "")
        response = super().login_success()
        # Django's login may have flushed another person's session: write ours again.
        session = self.request.session
        session[proconnect.STRONG_SESSION_KEY] = strong
        session[proconnect.METHOD_SESSION_KEY] = "proconnect"
        session["oidc_id_token"] = id_token
        record_sign_in(user=self.user, method="proconnect", strong=strong)
        return response


start = access(PUBLIC)(OIDCAuthenticationRequestView.as_view())
callback = access(PUBLIC)(CallbackView.as_view())


@access(PUBLIC)
def pending(request: HttpRequest) -> HttpResponse:
    """Signed in with ProConnect, but no role yet: whom to ask."""
    pk = request.session.get(proconnect.PENDING_SESSION_KEY)
    access_request = (
        AccessRequest.objects.select_related("commune__epci").filter(pk=pk).first() if pk else None
    )
    if access_request is None:
        return redirect("accounts:login")
    return render(request, "accounts/proconnect_pending.html", {"access_request": access_request})


class GrantForm(forms.Form):
    commune = forms.ModelChoiceField(label=gettext_lazy("Commune"), queryset=Commune.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Rôle"), choices=CommuneRoleKind.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = _grantable_communes(user)
        if not perms.is_coordinator(user):  # a commune's manager grants agents' roles
            self.fields["role"].choices = [
                c for c in CommuneRoleKind.choices if c[0] != CommuneRoleKind.MANAGER
            ]


def _grantable_communes(user):
    if perms.is_coordinator(user):
        return Commune.objects.active().order_by(french("name"))
    managed = [r.commune_id for r in user.active_commune_roles() if r.role == "manager"]
    return Commune.objects.filter(pk__in=managed).order_by(french("name"))


def _visible_requests(user):
    """Coordinators see every pending request; a manager those pointing to their commune."""
    pending_requests = AccessRequest.objects.pending().select_related("commune", "user")
    if perms.is_coordinator(user):
        return pending_requests
    return pending_requests.filter(commune__in=_grantable_communes(user))


@access(perms.can_answer_access_requests)
def access_requests(request: HttpRequest) -> HttpResponse:
    rows = [
        (
            row,
            GrantForm(
                user=request.user,
                prefix=f"r{row.pk}",
                initial={"commune": row.commune_id, "role": CommuneRoleKind.AGENT},
            ),
        )
        for row in _visible_requests(request.user)[:200]
    ]
    return render(request, "accounts/access_requests.html", {"rows": rows})


@access(perms.can_answer_access_requests)
@require_POST
def grant(request: HttpRequest, access_request_id: int) -> HttpResponse:
    access_request = get_object_or_404(_visible_requests(request.user), pk=access_request_id)
    form = GrantForm(request.POST, user=request.user, prefix=f"r{access_request.pk}")
    if not form.is_valid():
        messages.error(request, _("Choisissez une commune et un rôle."))
        return redirect("accounts:access_requests")
    try:
        role = grant_access_request(
            access_request=access_request,
            commune=form.cleaned_data["commune"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
    except ValueError as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request,
            _("%(person)s est désormais %(role)s à %(commune)s.")
            % {
                "person": access_request,
                "role": role.get_role_display().lower(),
                "commune": role.commune.name,
            },
        )
    return redirect("accounts:access_requests")
