"""Workflows on accounts: invitations, granting and ending commune roles."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import AccessRequest, CommuneRole, Invitation, User
from mutualis.core import audit


def invite_user(
    *, email: str, by: User, staff_role: str = "", commune=None, commune_role: str = ""
) -> Invitation:
    if bool(staff_role) == bool(commune and commune_role):
        raise ValueError(
            _("Choisissez soit un rôle intercommunal, soit une commune et un rôle communal.")
        )
    # A role is always granted by someone allowed to grant it: a commune's manager invites only
    # the commune's agents; coordinators every role.
    if staff_role and not perms.is_coordinator(by):
        raise PermissionDenied(_("Seule la coordination invite au titre d'un rôle intercommunal."))
    if commune and commune_role not in perms.commune_roles_grantable(by, commune):
        raise PermissionDenied(
            _("Vous ne pouvez pas inviter au rôle « %(role)s » dans cette commune.")
            % {"role": CommuneRoleKind(commune_role).label}
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.strip().lower(),
            staff_role=staff_role,
            commune=commune,
            commune_role=commune_role,
            invited_by=by,
        )
        audit.record(
            action="accounts.invited",
            obj=invitation,
            by=by,
            summary=_("Invitation envoyée à %(email)s (%(role)s)")
            % {"email": invitation.email, "role": invitation.role_label()},
            commune_insee=commune.insee_code if commune else "",
        )
        # Inside the transaction: with the outbox, the invitation and its mail commit together.
        _send_invitation(invitation, by)
    return invitation


def _send_invitation(invitation: Invitation, by: User) -> None:
    link = settings.MUTUALIS_SITE_URL + reverse(
        "accounts:accept_invitation", args=[invitation.token]
    )
    send_mail(
        subject=_("Invitation à Mutualis"),
        message=_(
            "Bonjour,\n\n%(who)s vous invite à rejoindre Mutualis en tant que %(role)s.\n"
            "Créez votre compte avant le %(until)s en suivant ce lien :\n%(link)s\n"
        )
        % {
            "who": str(by),
            "role": invitation.role_label(),
            "until": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y"),
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


def accept_invitation(
    *, invitation: Invitation, username: str, password: str, first_name: str, last_name: str
) -> User:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable():
            raise ValueError(_("Cette invitation a expiré ou a déjà été utilisée."))
        user = User.objects.create_user(
            username=username,
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            staff_role=invitation.staff_role,
        )
        if invitation.commune_id:
            grant_commune_role(
                user=user,
                commune=invitation.commune,
                role=invitation.commune_role,
                by=invitation.invited_by,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            action="accounts.invitation_accepted",
            obj=invitation,
            by=user,
            summary=_("Compte %(username)s créé") % {"username": username},
        )
    return user


def grant_commune_role(*, user: User, commune, role: str, by) -> CommuneRole:
    existing = CommuneRole.objects.active().filter(user=user, commune=commune, role=role).first()
    if existing:
        return existing
    commune_role = CommuneRole.objects.create(user=user, commune=commune, role=role, granted_by=by)
    audit.record(
        action="accounts.role_granted",
        obj=commune_role,
        by=by,
        summary=_("%(user)s : %(role)s à %(commune)s")
        % {"user": user, "role": commune_role.get_role_display(), "commune": commune.name},
        commune_insee=commune.insee_code,
    )
    return commune_role


def end_commune_role(
    *, commune_role: CommuneRole, by: User, reason: str, check: bool = False
) -> None:
    """End a commune role (never deleted: who, when, why are kept). `check`: refuse when `by`
    may not end it (a manager ends only the commune's agents), for requests made by a person."""
    if check and not perms.can_end_commune_role(by, commune_role):
        raise PermissionDenied(_("Vous ne pouvez pas retirer ce rôle."))
    if commune_role.ended_at:
        return
    commune_role.ended_at = timezone.now()
    commune_role.ended_by = by
    commune_role.end_reason = reason
    commune_role.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit.record(
        action="accounts.role_ended",
        obj=commune_role,
        by=by,
        summary=_("%(user)s n'est plus %(role)s à %(commune)s")
        % {
            "user": commune_role.user,
            "role": commune_role.get_role_display(),
            "commune": commune_role.commune.name,
        },
        commune_insee=commune_role.commune.insee_code,
        reason=reason,
    )


# --- ProConnect --------------------------------------------------------------------------------


def record_sign_in(*, user: User, method: str, strong: bool = False) -> None:
    """Every sign-in goes to the audit trail with its method (`password` or `proconnect`)."""
    labels = {"password": _("mot de passe"), "proconnect": _("ProConnect")}
    audit.record(
        action="accounts.signed_in",
        obj=user,
        by=user,
        summary=_("Connexion de %(user)s (%(method)s)")
        % {"user": user, "method": labels.get(method, method)},
        changes={"method": method, "strong_authentication": strong},
    )


def _free_username(email: str) -> str:
    base = email.split("@", 1)[0][:140] or "agent"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _user_from_identity(identity) -> User:
    user = User(
        username=_free_username(identity.email),
        email=identity.email,
        first_name=identity.given_name[:150],
        last_name=identity.usual_name[:150],
    )
    user.set_unusable_password()  # signs in with ProConnect; may set a password by reset
    user.save()
    return user


def _remember_identity(user: User, identity) -> None:
    user.proconnect_sub = identity.sub
    user.siret = identity.siret
    user.proconnect_seen_at = timezone.now()
    user.save(update_fields=["proconnect_sub", "siret", "proconnect_seen_at"])


def match_proconnect_identity(*, identity) -> User | AccessRequest:
    """The active account the provider's email vouches for, if it holds a role; else a pending
    invitation to that address, accepted now; else the person's access request (recorded or
    refreshed), for a coordinator or their commune's manager to grant a role."""
    with transaction.atomic():
        users = list(User.objects.filter(email__iexact=identity.email, is_active=True)[:2])
        if len(users) > 1:
            raise ProConnectRefused(
                _(
                    "Plusieurs comptes portent l'adresse %(email)s : demandez aux coordinateurs "
                    "de les regrouper."
                )
                % {"email": identity.email}
            )
        user = users[0] if users else None
        if user is not None and user.has_any_role():
            _remember_identity(user, identity)
            return user
        invitation = (
            Invitation.objects.select_for_update()
            .filter(email__iexact=identity.email, accepted_at__isnull=True)
            .filter(expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if invitation is not None:
            return _accept_invitation_with_proconnect(invitation, identity, user)
        return _record_access_request(identity, user)


class ProConnectRefused(ValueError):
    """A sign-in the platform refuses; its message is French and shown to the person."""


def _accept_invitation_with_proconnect(invitation: Invitation, identity, user) -> User:
    created = user is None
    if created:
        user = _user_from_identity(identity)
    if invitation.staff_role and not user.staff_role:
        user.staff_role = invitation.staff_role
        user.save(update_fields=["staff_role"])
    if invitation.commune_id:
        grant_commune_role(
            user=user,
            commune=invitation.commune,
            role=invitation.commune_role,
            by=invitation.invited_by,
        )
    _remember_identity(user, identity)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    AccessRequest.objects.pending().filter(email__iexact=identity.email).update(
        granted_at=invitation.accepted_at, granted_by=invitation.invited_by
    )
    audit.record(
        action="accounts.invitation_accepted",
        obj=invitation,
        by=user,
        summary=_("Invitation acceptée avec ProConnect par %(username)s")
        % {"username": user.username},
        commune_insee=invitation.commune.insee_code if invitation.commune_id else "",
    )
    return user


def _record_access_request(identity, user) -> AccessRequest:
    from mutualis.territory.models import Commune

    commune = (
        Commune.objects.filter(siren=identity.siret[:9]).first()
        if len(identity.siret) >= 9
        else None
    )
    now = timezone.now()
    access_request, created = AccessRequest.objects.select_for_update().get_or_create(
        email=identity.email.lower(),
        defaults={"proconnect_sub": identity.sub, "first_seen_at": now},
    )
    access_request.first_name = identity.given_name[:150]
    access_request.last_name = identity.usual_name[:150]
    access_request.siret = identity.siret
    access_request.proconnect_sub = identity.sub
    access_request.commune = commune
    access_request.user = user
    access_request.last_seen_at = now
    access_request.granted_at = access_request.granted_by = None
    access_request.save()
    if created:
        audit.record(
            action="accounts.access_requested",
            obj=access_request,
            by=user,
            summary=_("Demande d'accès ProConnect de %(email)s (SIRET %(siret)s)")
            % {"email": access_request.email, "siret": identity.siret or "—"},
            commune_insee=commune.insee_code if commune else "",
        )
        _tell_who_can_grant(access_request)
    return access_request


def _tell_who_can_grant(access_request: AccessRequest) -> None:
    """Once per person: the coordinators, and the managers of the commune the SIRET points to."""
    from mutualis.accounts.enums import CommuneRoleKind, StaffRole

    people = User.objects.filter(is_active=True).exclude(email="")
    recipients = set(
        people.filter(staff_role=StaffRole.COORDINATOR).values_list("email", flat=True)
    )
    if access_request.commune_id:
        recipients |= set(
            people.filter(
                commune_roles__commune_id=access_request.commune_id,
                commune_roles__role=CommuneRoleKind.MANAGER,
                commune_roles__ended_at__isnull=True,
            ).values_list("email", flat=True)
        )
    if not recipients:
        return
    link = settings.MUTUALIS_SITE_URL + reverse("accounts:access_requests")
    send_mail(
        subject=_("Demande d'accès à Mutualis : %(person)s") % {"person": access_request},
        message=_(
            "Bonjour,\n\n%(person)s (%(email)s) s'est connecté(e) avec ProConnect mais n'a aucun "
            "rôle dans Mutualis. Organisation : SIRET %(siret)s%(commune)s.\n"
            "Si vous connaissez cette personne, attribuez-lui un rôle en un clic :\n%(link)s\n"
        )
        % {
            "person": access_request,
            "email": access_request.email,
            "siret": access_request.siret or "—",
            "commune": (" (" + access_request.commune.name + ")") if access_request.commune else "",
            "link": link,
        },
        from_email=None,
        recipient_list=sorted(recipients),
    )


def grant_access_request(
    *, access_request: AccessRequest, commune, role: str, by: User
) -> CommuneRole:
    """One step: the person's account (made from their ProConnect identity if they have none)
    gets the role; their next ProConnect sign-in lets them in."""
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if access_request.granted_at is not None:
            raise ValueError(_("Un rôle a déjà été attribué à cette personne."))
        user = (
            access_request.user
            or User.objects.filter(email__iexact=access_request.email, is_active=True).first()
        )
        if user is None:
            user = User(
                username=_free_username(access_request.email),
                email=access_request.email,
                first_name=access_request.first_name,
                last_name=access_request.last_name,
                proconnect_sub=access_request.proconnect_sub,
                siret=access_request.siret,
            )
            user.set_unusable_password()
            user.save()
        commune_role = grant_commune_role(user=user, commune=commune, role=role, by=by)
        access_request.user = user
        access_request.granted_at = timezone.now()
        access_request.granted_by = by
        access_request.save(update_fields=["user", "granted_at", "granted_by"])
    return commune_role
