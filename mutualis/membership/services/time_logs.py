"""Logging the time spent for a commune."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.membership.enums import CAPACITY_HOLDING
from mutualis.membership.models import Membership, TimeLog
from mutualis.membership.services.transitions import TransitionRefused, _today


def log_time(*, commune, on: date, days: Decimal, by, note: str = "") -> TimeLog:
    """The referent (or the team) records time spent for an admitted commune."""
    if not Decimal(0) < days <= Decimal(31):
        raise TransitionRefused(_("Le temps passé doit être compris entre 0 et 31 jours."))
    if on > _today():
        raise TransitionRefused(_("Le temps passé ne peut pas être saisi pour une date future."))
    membership = (
        Membership.objects.filter(commune=commune, status__in=CAPACITY_HOLDING)
        .order_by("-created_at")
        .first()
    )
    if membership is None:
        raise TransitionRefused(
            _("%(commune)s n'est admise à aucune offre de services avancés : pas de temps à noter.")
            % {"commune": commune.name}
        )
    with transaction.atomic():
        log = TimeLog.objects.create(
            commune=commune, membership=membership, on=on, days=days, note=note, by=by
        )
        audit.record(
            action="membership.time_logged",
            obj=log,
            by=by,
            summary=_("%(commune)s — %(days)s j passés le %(date)s")
            % {"commune": commune.name, "days": days, "date": on.strftime("%d/%m/%Y")},
            commune_insee=commune.insee_code,
        )
    return log
