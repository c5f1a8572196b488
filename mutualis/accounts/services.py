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
from mutualis.accounts.models import CommuneRole, Invitation, User
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
