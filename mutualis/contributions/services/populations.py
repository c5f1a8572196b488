"""Confirming the estimated population a call was computed on."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.contributions.models import PopulationConfirmation
from mutualis.contributions.services._common import ContributionError, _d
from mutualis.contributions.services.schedules import (
    DuePeriod,
    due_periods,
    period_label,
    schedule_for_membership,
)
from mutualis.core import audit
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

# --- Estimated populations -------------------------------------------------------------------


def confirm_population(
    *, membership: Membership, period_start: date, by, note: str = ""
) -> PopulationConfirmation:
    """A coordinator confirms that a period may be called on its estimated population."""
    commune = membership.commune
    period = next(
        (p for p in schedule_for_membership(membership).periods if p.start == period_start), None
    )
    if period is None or not period.population_estimated:
        raise ContributionError(
            _(
                "%(commune)s : la période commençant le %(start)s n'a pas de population estimée "
                "à confirmer."
            )
            % {"commune": commune.name, "start": _d(period_start)}
        )
    with transaction.atomic():
        confirmation, created = PopulationConfirmation.objects.get_or_create(
            membership=membership,
            period_start=period_start,
            defaults={
                "period_end": period.end,
                "population": period.population,
                "population_vintage": period.population_vintage,
                "confirmed_by": by,
                "note": note,
            },
        )
        if not created:
            raise ContributionError(
                _(
                    "%(commune)s, %(period)s : la population est déjà confirmée (%(population)s "
                    "habitants, millésime %(vintage)s)."
                )
                % {
                    "commune": commune.name,
                    "period": period_label(period.start, period.end),
                    "population": confirmation.population,
                    "vintage": confirmation.population_vintage,
                }
            )
        audit.record(
            action="contributions.population_confirmed",
            obj=confirmation,
            by=by,
            summary=_(
                "%(commune)s, %(period)s : population estimée confirmée (%(population)s hab., "
                "millésime %(vintage)s)"
            )
            % {
                "commune": commune.name,
                "period": period_label(period.start, period.end),
                "population": period.population,
                "vintage": period.population_vintage,
            },
            commune_insee=commune.insee_code,
            reason=note,
        )
    return confirmation


def waiting_confirmations(*, programme: Programme, on: date) -> list[DuePeriod]:
    return [d for d in due_periods(programme=programme, on=on) if d.needs_confirmation]
