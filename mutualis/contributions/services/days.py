"""Days in kind: logging the days worked for a commune and reviewing them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.enums import DayStatus
from mutualis.contributions.models import DayEntry
from mutualis.contributions.schedule import PaidIn, Period
from mutualis.contributions.services._common import ContributionError, _d
from mutualis.contributions.services.schedules import OWING_STATES, schedule_for_membership
from mutualis.core import audit
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

# --- Days in kind -----------------------------------------------------------------------------


def days_membership(*, commune, programme: Programme, on: date) -> Membership | None:
    """The commune's membership paid in days that covers `on` (started, not yet left)."""
    spec = programme.spec
    candidates = (
        Membership.objects.filter(
            programme=programme,
            commune=commune,
            status__in=OWING_STATES,
            start_date__isnull=False,
            start_date__lte=on,
        )
        .select_related("programme", "commune")
        .order_by("-start_date")
    )
    for membership in candidates:
        if not contribution_rules.is_paid(spec, membership.offer_code):
            continue
        if contribution_rules.paid_in(spec, membership.offer_code) is not PaidIn.DAYS:
            continue
        periods = schedule_for_membership(membership).periods
        if periods and periods[0].start <= on <= periods[-1].end:
            return membership
    return None


def log_days(
    *,
    commune,
    programme: Programme,
    worked_on: date,
    half_days: int,
    service_code: str,
    description: str,
    by,
    today: date | None = None,
) -> DayEntry:
    """An IT agent logs time given to the shared service; it counts once a coordinator validates."""
    today = today or timezone.localdate()
    where = _("%(commune)s, %(date)s") % {"commune": commune.name, "date": _d(worked_on)}
    if worked_on > today:
        raise ContributionError(
            _("%(where)s : on ne déclare pas un temps à venir.") % {"where": where}
        )
    if half_days not in (1, 2):
        raise ContributionError(
            _("%(where)s : une journée compte une ou deux demi-journées.") % {"where": where}
        )
    if not description.strip():
        raise ContributionError(_("%(where)s : décrivez le travail effectué.") % {"where": where})
    membership = days_membership(commune=commune, programme=programme, on=worked_on)
    if membership is None:
        raise ContributionError(
            _(
                "%(where)s : la commune n'a pas d'adhésion en cours à une offre contribuée en "
                "jours à cette date."
            )
            % {"where": where}
        )
    offer = programme.spec.offer(membership.offer_code)
    services = {s.code for axis in offer.axes for s in axis.services}
    if service_code not in services:
        raise ContributionError(
            _("%(where)s : le service « %(service)s » n'est pas de cette offre.")
            % {"where": where, "service": service_code}
        )
    with transaction.atomic():
        already = (
            DayEntry.objects.counted()
            .filter(logged_by=by, worked_on=worked_on)
            .aggregate(s=Sum("half_days"))["s"]
            or 0
        )
        if already + half_days > 2:
            raise ContributionError(
                ngettext(
                    "%(where)s : vous avez déjà déclaré %(already)s demi-journée ce jour-là ; "
                    "une journée n'en compte que deux.",
                    "%(where)s : vous avez déjà déclaré %(already)s demi-journées ce jour-là ; "
                    "une journée n'en compte que deux.",
                    already,
                )
                % {"where": where, "already": already}
            )
        entry = DayEntry.objects.create(
            commune=commune,
            membership=membership,
            worked_on=worked_on,
            half_days=half_days,
            service_code=service_code,
            description=description.strip(),
            logged_by=by,
        )
        audit.record(
            action="contributions.days_logged",
            obj=entry,
            by=by,
            # One or two half days: at most one day, singular in French.
            summary=_("%(commune)s : %(days)s jour déclaré le %(date)s")
            % {"commune": commune.name, "days": entry.days, "date": _d(worked_on)},
            commune_insee=commune.insee_code,
        )
    return entry


def review_day_entry(*, entry: DayEntry, validate: bool, by, note: str = "") -> DayEntry:
    """A coordinator validates (or refuses, with a reason) time logged by an IT agent."""
    where = _("%(commune)s, %(date)s") % {
        "commune": entry.commune.name,
        "date": _d(entry.worked_on),
    }
    if not validate and not note.strip():
        raise ContributionError(
            _("%(where)s : indiquez pourquoi ce temps est refusé.") % {"where": where}
        )
    with transaction.atomic():
        entry = DayEntry.objects.select_for_update().select_related("commune").get(pk=entry.pk)
        if entry.status != DayStatus.SUBMITTED:
            raise ContributionError(
                _("%(where)s : ce temps a déjà été examiné.") % {"where": where}
            )
        entry.status = DayStatus.VALIDATED if validate else DayStatus.REJECTED
        entry.reviewed_by = by
        entry.reviewed_at = timezone.now()
        entry.review_note = note.strip()
        entry.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit.record(
            action=f"contributions.days_{entry.status}",
            obj=entry,
            by=by,
            # One or two half days: at most one day, singular in French.
            summary=_("%(where)s : %(days)s jour %(status)s")
            % {"where": where, "days": entry.days, "status": entry.get_status_display().lower()},
            commune_insee=entry.commune.insee_code,
            reason=entry.review_note,
        )
    return entry


@dataclass(frozen=True)
class DaysSummary:
    membership: Membership
    period: Period
    owed: Decimal
    given: Decimal
    validated: Decimal
    expected_by_now: Decimal
    past_mid_year: bool

    @property
    def behind(self) -> bool:
        """Past the middle of the membership year and below the linear pace."""
        return self.past_mid_year and self.given < self.expected_by_now

    @property
    def percent_validated(self) -> int:
        return int(self.validated * 100 / self.owed) if self.owed else 100


def days_summary(*, commune, programme: Programme, today: date | None = None) -> DaysSummary | None:
    """Days owed, given and validated for the current membership year, with the linear pace."""
    today = today or timezone.localdate()
    membership = days_membership(commune=commune, programme=programme, on=today)
    if membership is None:
        return None
    period = next(
        p for p in schedule_for_membership(membership).periods if p.start <= today <= p.end
    )
    entries = DayEntry.objects.filter(
        membership=membership, worked_on__gte=period.start, worked_on__lte=period.end
    )
    totals = {
        status: Decimal(total or 0) / 2
        for status, total in entries.values("status")
        .annotate(total=Sum("half_days"))
        .values_list("status", "total")
    }
    validated = totals.get(DayStatus.VALIDATED, Decimal(0))
    given = validated + totals.get(DayStatus.SUBMITTED, Decimal(0))
    elapsed = (today - period.start).days + 1
    expected = (period.days_owed * elapsed / period.days_served).quantize(Decimal("0.1"))
    return DaysSummary(
        membership=membership,
        period=period,
        owed=period.days_owed,
        given=given,
        validated=validated,
        expected_by_now=expected,
        past_mid_year=elapsed * 2 > period.days_in_period,
    )
