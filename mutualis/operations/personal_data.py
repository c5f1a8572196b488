"""Personal data: deactivating an account, and erasing its contact details after the delay.

A deactivated account can no longer sign in; its commune roles end and its API tokens are
revoked at once. After MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS, `erase_deactivated_accounts`
(a scheduled job) replaces its name, username and address by the pseudonym `ancien-compte-<n>`
everywhere the platform shows the person. Issued documents (PDF files, numbered calls) are not
rewritten: they keep the names printed on them, as paper would.
"""

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.accounts.models import AccessRequest, ApiToken, Invitation, User
from mutualis.accounts.services import end_commune_role
from mutualis.core import audit
from mutualis.operations.models import AccountDeactivation, OutgoingEmail


class DeactivationRefused(ValueError):
    pass


def pseudonym(user: User) -> str:
    return f"ancien-compte-{user.pk}"


def deactivate_account(*, user: User, by: User, reason: str) -> AccountDeactivation:
    reason = reason.strip()
    if not reason:
        raise DeactivationRefused(_("Indiquez le motif de la désactivation."))
    if user.pk == by.pk:
        raise DeactivationRefused(_("Vous ne pouvez pas désactiver votre propre compte."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if AccountDeactivation.objects.filter(user=user).exists():
            raise DeactivationRefused(
                _("Le compte « %(user)s » est déjà désactivé.") % {"user": user}
            )
        user.is_active = False
        user.save(update_fields=["is_active"])
        for role in user.commune_roles.active().select_related("commune"):
            end_commune_role(commune_role=role, by=by, reason=reason)
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        deactivation = AccountDeactivation.objects.create(
            user=user, deactivated_by=by, reason=reason
        )
        audit.record(
            action="accounts.deactivated",
            obj=user,
            by=by,
            summary=_("Compte n° %(pk)s désactivé ; coordonnées effacées à partir du %(date)s")
            % {
                "pk": user.pk,
                "date": timezone.localtime(deactivation.erase_after).strftime("%d/%m/%Y"),
            },
            reason=reason,
        )
    return deactivation


def erase_contact_details(
    *, deactivation: AccountDeactivation, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        deactivation = AccountDeactivation.objects.select_for_update().get(pk=deactivation.pk)
        if deactivation.erased_at:
            return
        user = deactivation.user
        old_username, old_email = user.username, user.email
        user.username = pseudonym(user)
        user.first_name = user.last_name = user.email = ""
        user.proconnect_sub = user.siret = ""
        user.set_unusable_password()
        user.pseudonymised_at = now
        user.save()
        TOTPDevice.objects.filter(user=user).delete()
        AccessRequest.objects.filter(user=user).delete()
        if old_email:
            Invitation.objects.filter(email__iexact=old_email).update(email="")
            AccessRequest.objects.filter(email__iexact=old_email).delete()
            OutgoingEmail.objects.filter(recipients__icontains=old_email).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=old_username).delete()
        deactivation.erased_at = now
        deactivation.save(update_fields=["erased_at"])
        audit.record(
            action="accounts.contact_details_erased",
            obj=user,
            by=None,
            summary=_(
                "Coordonnées du compte n° %(pk)s effacées : il apparaît désormais comme "
                "« %(username)s »"
            )
            % {"pk": user.pk, "username": user.username},
        )


def erase_due_accounts(*, now: datetime | None = None) -> int:
    due = list(AccountDeactivation.objects.due_for_erasure(now).select_related("user"))
    for deactivation in due:
        erase_contact_details(deactivation=deactivation, now=now)
    return len(due)
