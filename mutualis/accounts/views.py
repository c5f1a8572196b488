"""Sign-in, commune switching, invitations, profile and two-factor authentication."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.accounts import perms, proconnect
from mutualis.accounts.forms import (
    AcceptInvitationForm,
    CommuneInvitationForm,
    EndRoleForm,
    InvitationForm,
    TokenForm,
)
from mutualis.accounts.models import CommuneRole, Invitation
from mutualis.accounts.services import (
    accept_invitation,
    end_commune_role,
    invite_user,
    record_sign_in,
)
from mutualis.core.access import PUBLIC, access
from mutualis.core.collation import french
from mutualis.core.models import AuditEvent
from mutualis.core.submissions import submitted_once


class LoginView(auth_views.LoginView):
    """Django's sign-in form; the sign-in goes to the audit trail, with its method."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[proconnect.METHOD_SESSION_KEY] = "password"
        record_sign_in(user=form.get_user(), method="password")
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": settings.MUTUALIS_OIDC_ENABLED}


login_view = access(PUBLIC)(LoginView.as_view())


@access(PUBLIC)
def logout_view(request: HttpRequest) -> HttpResponse:
    """Django's logout; after a ProConnect sign-in, the provider's session ends too."""
    id_token = request.session.get("oidc_id_token", "")
    provider_logout = proconnect.end_session_url(request, id_token) if id_token else ""
    response = auth_views.LogoutView.as_view()(request)
    if provider_logout and response.status_code == 302:
        return redirect(provider_logout)
    return response


password_reset = access(PUBLIC)(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = access(PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = access(PUBLIC)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = access(PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@access(perms.is_commune_member)
@require_POST
def switch_commune(request: HttpRequest) -> HttpResponse:
    try:
        wanted = int(request.POST.get("commune_id", ""))
    except ValueError:
        raise Http404 from None
    if wanted not in {c.pk for c in request.user.communes()}:
        raise Http404
    request.session["commune_id"] = wanted
    return redirect(_safe_next(request))


@access(perms.is_signed_in)
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": user.active_commune_roles(),
            "has_device": user_has_device(user),
        },
    )


@access(perms.is_signed_in)
def my_data(request: HttpRequest) -> JsonResponse:
    """Everything the platform holds about the signed-in person, as a download."""
    user = request.user
    data = {
        "identifiant": user.username,
        "prénom": user.first_name,
        "nom": user.last_name,
        "adresse_électronique": user.email,
        "rôle_intercommunal": user.get_staff_role_display(),
        "créé_le": user.date_joined.isoformat(),
        "dernière_connexion": user.last_login.isoformat() if user.last_login else None,
        "siret_proconnect": user.siret,
        "dernière_connexion_proconnect": (
            user.proconnect_seen_at.isoformat() if user.proconnect_seen_at else None
        ),
        "rôles_communaux": [
            {
                "commune": r.commune.name,
                "rôle": r.get_role_display(),
                "attribué_le": r.granted_at.isoformat(),
                "retiré_le": r.ended_at.isoformat() if r.ended_at else None,
            }
            for r in user.commune_roles.select_related("commune")
        ],
        "actions": [
            {"date": e.at.isoformat(), "action": e.action, "résumé": e.summary}
            for e in AuditEvent.objects.filter(actor=user)[:5000]
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-mutualis.json"'
    return response


@access(perms.is_signed_in)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device (first time) or verify the code of the enrolled one."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="Mutualis", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("La double authentification est activée."))
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "token", _("Code incorrect ou expiré. Réessayez avec le code affiché maintenant.")
        )
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = BytesIO()
        image.save(buffer)
        context["qr_data_uri"] = (
            "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        )
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/two_factor.html", context)


@access(perms.is_coordinator)
@submitted_once
def invitations(request: HttpRequest) -> HttpResponse:
    communes = perms.visible_communes(request.user).active().order_by(french("name"))
    form = InvitationForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = invite_user(
            email=data["email"],
            by=request.user,
            staff_role=data["staff_role"],
            commune=data["commune"] if data["commune_role"] else None,
            commune_role=data["commune_role"],
        )
        messages.success(
            request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
        )
        return redirect("accounts:invitations")
    # Another programme's communes' invitations stay with that programme's coordinators; staff
    # invitations (no commune) are seen by every coordinator.
    recent = Invitation.objects.filter(
        Q(commune__isnull=True) | Q(commune__in=perms.visible_communes(request.user))
    ).select_related("commune", "invited_by")[:100]
    return render(request, "accounts/invitations.html", {"form": form, "invitations": recent})


def _managed_commune(request: HttpRequest, insee_code: str):
    """The commune whose people the user manages (coordinator or its manager), else 404."""
    commune = perms.get_commune_for_user(request.user, insee_code)
    if not perms.can_invite_to_commune(request.user, commune):
        raise Http404
    return commune


@access(perms.is_signed_in)
def commune_people(request: HttpRequest, insee_code: str) -> HttpResponse:
    """A commune's people: its manager invites and removes its agents; coordinators anyone."""
    commune = _managed_commune(request, insee_code)
    form = CommuneInvitationForm(
        request.POST or None, roles=perms.commune_roles_grantable(request.user, commune)
    )
    if request.method == "POST" and form.is_valid():
        invitation = invite_user(
            email=form.cleaned_data["email"],
            by=request.user,
            commune=commune,
            commune_role=form.cleaned_data["commune_role"],
        )
        messages.success(
            request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
        )
        return redirect("accounts:commune_people", insee_code=commune.insee_code)
    roles = CommuneRole.objects.active().filter(commune=commune).select_related("user")
    rows = [(r, perms.can_end_commune_role(request.user, r)) for r in roles.order_by("role")]
    pending = Invitation.objects.filter(commune=commune, accepted_at__isnull=True)
    return render(
        request,
        "accounts/commune_people.html",
        {"commune": commune, "form": form, "rows": rows, "pending": pending[:50]},
    )


@access(perms.is_signed_in)
@require_POST
def commune_role_end(request: HttpRequest, insee_code: str, role_id: int) -> HttpResponse:
    commune = _managed_commune(request, insee_code)
    role = get_object_or_404(CommuneRole.objects.active(), pk=role_id, commune=commune)
    form = EndRoleForm(request.POST)
    if not perms.can_end_commune_role(request.user, role):
        raise Http404
    if form.is_valid():
        end_commune_role(
            commune_role=role, by=request.user, reason=form.cleaned_data["reason"], check=True
        )
        messages.success(request, _("%(user)s n'a plus accès à la commune.") % {"user": role.user})
    else:
        messages.error(request, _("Indiquez le motif du retrait."))
    return redirect("accounts:commune_people", insee_code=commune.insee_code)


@access(PUBLIC)
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, token=token)
    if not invitation.is_usable():
        return render(request, "accounts/invitation_unusable.html", status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = accept_invitation(invitation=invitation, **form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue ! Votre compte est créé."))
        return redirect("home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation, "proconnect": settings.MUTUALIS_OIDC_ENABLED},
    )
