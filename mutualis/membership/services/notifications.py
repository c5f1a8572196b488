"""Mail to the commune's managers and the coordinators at each step of a membership."""

import contextvars
import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.models import CommuneRole, User
from mutualis.membership import rules
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership

logger = logging.getLogger(__name__)


# --- notifications ------------------------------------------------------------------------------

_muted = contextvars.ContextVar("membership_notifications_muted", default=False)


@contextmanager
def notifications_muted():
    """For the demo loader: steps recorded in bulk send no mail."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def step_recipients(commune) -> list[str]:
    """The commune's active managers and the coordinators, each address once."""
    managers = CommuneRole.objects.active().filter(
        commune=commune, role=CommuneRoleKind.MANAGER, user__is_active=True
    )
    emails = list(managers.values_list("user__email", flat=True))
    emails += User.objects.filter(staff_role=StaffRole.COORDINATOR, is_active=True).values_list(
        "email", flat=True
    )
    return sorted({e for e in emails if e})


def notify_step(*, membership: Membership, step: str, by, detail: str = "") -> int:
    """Mail one lifecycle step to the commune's managers and the coordinators.

    The only function of the app that sends mail, so an outbox can take its place. A failing mail
    server never undoes the step already recorded: the failure is logged.
    """
    if _muted.get():
        return 0
    recipients = step_recipients(membership.commune)
    if not recipients:
        return 0
    commune = membership.commune
    subject = _("[Mutualis] %(commune)s — %(offer)s : %(step)s") % {
        "commune": commune.name,
        "offer": membership.offer_name(),
        "step": Status(step).label,
    }
    link = settings.MUTUALIS_SITE_URL + reverse("membership:commune", args=[commune.insee_code])
    body = _(
        "Bonjour,\n\nL'adhésion %(of_commune)s à l'offre « %(offer)s » a changé d'étape : "
        "%(step)s.\n%(detail)s\nEnregistré par : %(by)s.\n\nHistorique complet et actions "
        "possibles : %(link)s\n\n— Mutualis\n"
    ) % {
        "of_commune": rules.of_place(commune.name),
        "offer": membership.offer_name(),
        "step": Status(step).label,
        "detail": (detail + "\n") if detail else "",
        "by": str(by) if getattr(by, "pk", None) else _("le système"),
        "link": link,
    }
    try:
        return send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
    except Exception:
        logger.exception("notification of %s for membership %s failed", step, membership.pk)
        return 0
