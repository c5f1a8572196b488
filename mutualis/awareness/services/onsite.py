"""On-site sessions of the advanced offers: scheduling, registering, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import User
from mutualis.awareness.models import Attendee, AwarenessModule, OnsiteSession
from mutualis.awareness.services._common import AwarenessError
from mutualis.core import audit
from mutualis.core.collation import french
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

# --- On-site sessions ------------------------------------------------------------------------


def in_advanced_offer(commune) -> bool:
    """Whether the commune is in one of the current programme's advanced offers (which include
    on-site awareness)."""
    programme = Programme.objects.for_commune(commune)
    if programme is None:
        return False
    advanced = [offer.code for offer in programme.spec.advanced_offers()]
    return (
        Membership.objects.in_offer()
        .filter(programme=programme, commune=commune, offer_code__in=advanced)
        .exists()
    )


def schedule_session(
    *,
    by: User,
    commune: Commune,
    title: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    facilitator: str,
    modules: Iterable[AwarenessModule] = (),
    in_advanced_offer: bool,
    outside_offer_reason: str = "",
) -> OnsiteSession:
    """Schedule an on-site session; a commune outside the advanced offers needs a stated reason."""
    if not in_advanced_offer and not outside_offer_reason.strip():
        raise AwarenessError(
            _(
                "%(commune)s n'a pas d'adhésion en cours à une offre avancée : indiquez pourquoi "
                "une session en présentiel y est organisée."
            )
            % {"commune": commune.name}
        )
    with transaction.atomic():
        session = OnsiteSession.objects.create(
            commune=commune,
            title=title.strip(),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place.strip(),
            facilitator=facilitator.strip(),
            outside_offer_reason="" if in_advanced_offer else outside_offer_reason.strip(),
            created_by=by,
        )
        session.modules.set(list(modules))
        audit.record(
            action="awareness.session_scheduled",
            obj=session,
            by=by,
            summary=_("Session « %(title)s » à %(commune)s le %(starts)s")
            % {
                "title": session.title,
                "commune": commune.name,
                "starts": timezone.localtime(starts_at).strftime("%d/%m/%Y %H:%M"),
            },
            commune_insee=commune.insee_code,
            reason=session.outside_offer_reason,
        )
    return session


def register_attendee(
    *, session: OnsiteSession, by: User, full_name: str = "", job_title: str = "", user=None
) -> Attendee:
    if not session.is_open_for_registration:
        raise AwarenessError(_("Les inscriptions à cette session sont closes."))
    if user is not None:
        full_name = full_name or user.get_full_name() or user.username
        if session.attendees.filter(user=user).exists():
            raise AwarenessError(_("%(name)s est déjà inscrit(e).") % {"name": full_name})
    if not full_name.strip():
        raise AwarenessError(_("Indiquez le nom du participant ou choisissez un agent."))
    with transaction.atomic():
        attendee = Attendee.objects.create(
            session=session,
            full_name=full_name.strip(),
            job_title=job_title.strip(),
            user=user,
            registered_by=by,
        )
        audit.record(
            action="awareness.attendee_registered",
            obj=attendee,
            by=by,
            summary=_("%(name)s inscrit(e) à la session « %(title)s »")
            % {"name": attendee.full_name, "title": session.title},
            commune_insee=session.commune.insee_code,
        )
    return attendee


def unregister_attendee(*, attendee: Attendee, by: User) -> None:
    """Take a registration back before attendance is recorded (a person entered by mistake)."""
    session = attendee.session
    if not session.is_open_for_registration:
        raise AwarenessError(_("Les présences sont relevées : la liste ne change plus."))
    with transaction.atomic():
        audit.record(
            action="awareness.attendee_unregistered",
            obj=session,
            by=by,
            summary=_("%(name)s désinscrit(e) de la session « %(title)s »")
            % {"name": attendee.full_name, "title": session.title},
            commune_insee=session.commune.insee_code,
        )
        attendee.delete()


def record_attendance(*, session: OnsiteSession, by: User, present_ids: Iterable[int]) -> None:
    """Mark who came (everyone else registered is absent); the figures count those present."""
    if session.cancelled_at:
        raise AwarenessError(_("Cette session est annulée."))
    if session.starts_at > timezone.now():
        raise AwarenessError(_("La session n'a pas encore eu lieu."))
    present_ids = set(present_ids)
    with transaction.atomic():
        attendees = list(session.attendees.select_for_update())
        for attendee in attendees:
            attendee.present = attendee.pk in present_ids
        Attendee.objects.bulk_update(attendees, ["present"])
        session.attendance_recorded_at = timezone.now()
        session.attendance_recorded_by = by
        session.save(update_fields=["attendance_recorded_at", "attendance_recorded_by"])
        count = sum(a.present for a in attendees)
        audit.record(
            action="awareness.attendance_recorded",
            obj=session,
            by=by,
            summary=ngettext(
                "Session « %(title)s » : %(count)d présent sur %(total)d",
                "Session « %(title)s » : %(count)d présents sur %(total)d",
                count,
            )
            % {"title": session.title, "count": count, "total": len(attendees)},
            commune_insee=session.commune.insee_code,
            changes={"present": sorted(a.full_name for a in attendees if a.present)},
        )


def cancel_session(*, session: OnsiteSession, by: User, reason: str) -> None:
    if not reason.strip():
        raise AwarenessError(_("Indiquez le motif de l'annulation."))
    if session.cancelled_at or session.attendance_recorded_at:
        raise AwarenessError(_("Cette session ne peut plus être annulée."))
    with transaction.atomic():
        session.cancelled_at = timezone.now()
        session.cancelled_by = by
        session.cancel_reason = reason.strip()
        session.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        audit.record(
            action="awareness.session_cancelled",
            obj=session,
            by=by,
            summary=_("Session « %(title)s » à %(commune)s annulée")
            % {"title": session.title, "commune": session.commune.name},
            reason=reason.strip(),
            commune_insee=session.commune.insee_code,
        )


def people_of(commune: Commune) -> list[User]:
    """The commune's people (active roles), by name."""
    return list(
        User.objects.filter(
            Q(commune_roles__commune=commune, commune_roles__ended_at__isnull=True),
            is_active=True,
        )
        .distinct()
        .order_by(french("last_name"), french("first_name"), french("username"))
    )
