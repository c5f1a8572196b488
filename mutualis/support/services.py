"""Support workflows (open, answer, assign, escalate, close, rate) and provider follow-up; each
state change writes its event and its audit entry."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import mean

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import audit, submissions
from mutualis.core.collation import sort_key
from mutualis.core.french import de_name
from mutualis.core.uploads import DOCUMENT_KINDS, discard, store_upload
from mutualis.programme.models import Programme
from mutualis.purchasing import audience
from mutualis.purchasing.models import Supplier
from mutualis.support.calendar import WorkingCalendar, add_working_hours, working_hours_between
from mutualis.support.enums import BASE_CATEGORIES, Category, EventKind, Status
from mutualis.support.models import (
    ProviderLink,
    ProviderReview,
    SupportAttachment,
    SupportEvent,
    SupportRequest,
)

# Used when a programme file has no [support] section.
DEFAULT_CALENDAR = WorkingCalendar.from_settings(
    working_days=[1, 2, 3, 4, 5], working_hours=["09:00", "12:00", "14:00", "17:00"]
)


class Refused(ValueError):
    """A support step refused; the message says why, in French."""


def working_calendar(programme: Programme | None) -> WorkingCalendar:
    support = programme.spec.support if programme else None
    if support is None:
        return DEFAULT_CALENDAR
    return WorkingCalendar.from_settings(
        working_days=support.working_days,
        working_hours=support.working_hours,
        country=support.holidays_country,
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def due_dates(
    opened_at: datetime, urgency: str, programme: Programme | None
) -> tuple[datetime | None, datetime | None]:
    """Response and resolution deadlines, counted in working hours of the programme's calendar."""
    support = programme.spec.support if programme else None
    target = support.target(urgency) if support else None
    if target is None:
        return None, None
    calendar = working_calendar(programme)
    start = _local(opened_at)
    return (
        timezone.make_aware(add_working_hours(start, target.response_hours, calendar)),
        timezone.make_aware(add_working_hours(start, target.resolution_hours, calendar)),
    )


def working_hours(
    start: datetime | None, end: datetime | None, calendar: WorkingCalendar
) -> Decimal | None:
    """Working hours between two moments, in a programme's calendar (`working_calendar`)."""
    if start is None or end is None:
        return None
    return working_hours_between(_local(start), _local(end), calendar)


def allowed_categories(commune, programme: Programme | None = None) -> list[Category]:
    """Advanced-offer communes ask about anything; base-offer communes only about purchasing and
    the platform; communes outside the programme not at all."""
    offers = audience.commune_offers(commune, programme)
    if not offers:
        return []
    if audience.is_advanced(commune, programme):
        return list(Category)
    return [c for c in Category if c in BASE_CATEGORIES]


def _attach(request: SupportRequest, files, by) -> list[str]:
    """Store the files for a request; returns the stored names (to discard on failure)."""
    names = []
    try:
        for upload in files:
            stored = store_upload(upload, prefix="support/attachments", kinds=DOCUMENT_KINDS)
            names.append(stored.name)
            SupportAttachment.objects.create(
                request=request,
                file=stored.name,
                original_name=stored.original_name,
                kind=stored.kind,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=by,
            )
    except BaseException:
        for name in names:
            discard(name)
        raise
    return names


def _event(request, kind, by, body="", at=None) -> SupportEvent:
    return SupportEvent.objects.create(
        request=request, kind=kind, by=by, body=body, at=at or timezone.now()
    )


def _audit(request, action: str, by, summary: str, reason: str = "") -> None:
    audit.record(
        action=f"support.{action}",
        obj=request,
        by=by,
        summary=_("Demande #%(number)s (%(commune)s) : %(summary)s")
        % {"number": request.pk, "commune": request.commune.name, "summary": summary},
        commune_insee=request.commune.insee_code,
        reason=reason,
    )


def open_request(
    *,
    commune,
    by,
    category: str,
    urgency: str,
    subject: str,
    description: str,
    files=(),
    opened_at: datetime | None = None,
    submission: str = "",
) -> SupportRequest:
    if category not in allowed_categories(commune):
        raise Refused(
            _(
                "%(commune)s ne peut pas ouvrir de demande « %(category)s » : les communes du "
                "socle de base posent leurs questions sur les achats et la plateforme ; le "
                "support informatique est un service des offres avancées."
            )
            % {"commune": commune.name, "category": Category(category).label}
        )
    opened_at = opened_at or timezone.now()
    response_due, resolution_due = due_dates(
        opened_at, urgency, Programme.objects.for_commune(commune)
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            submissions.claim(submission)
            request = SupportRequest.objects.create(
                commune=commune,
                category=category,
                urgency=urgency,
                subject=subject,
                description=description,
                opened_by=by,
                opened_at=opened_at,
                on_behalf=perms.is_coordinator_or_referent(by),
                response_due=response_due,
                resolution_due=resolution_due,
            )
            _event(request, EventKind.OPENED, by, description, at=opened_at)
            stored = _attach(request, files, by)
            _audit(request, "request_opened", by, subject)
    except BaseException:
        for name in stored:
            discard(name)
        raise
    return request


def _require_open(request: SupportRequest) -> None:
    if not request.is_open:
        raise Refused(
            _("La demande #%(number)s est clôturée : ouvrez une nouvelle demande.")
            % {"number": request.pk}
        )


def add_message(
    *,
    request: SupportRequest,
    by,
    body: str,
    files=(),
    at: datetime | None = None,
    submission: str = "",
) -> SupportEvent:
    """A message on the request. From the referent or a coordinator it is an answer: the first
    one stops the response clock, and a new request moves to "taken in charge"."""
    _require_open(request)
    at = at or timezone.now()
    staff = perms.is_coordinator_or_referent(by)
    stored: list[str] = []
    try:
        with transaction.atomic():
            submissions.claim(submission)
            event = _event(request, EventKind.ANSWER if staff else EventKind.MESSAGE, by, body, at)
            stored = _attach(request, files, by)
            if staff:
                _mark_responded(request, at)
            _audit(request, "answered" if staff else "message", by, body[:80])
    except BaseException:
        for name in stored:
            discard(name)
        raise
    return event


def _mark_responded(request: SupportRequest, at: datetime) -> None:
    fields = []
    if request.first_response_at is None:
        request.first_response_at = at
        fields.append("first_response_at")
    if request.status == Status.NEW:
        request.status = Status.IN_PROGRESS
        fields.append("status")
    if fields:
        request.save(update_fields=fields)


def assign_request(*, request: SupportRequest, assignee, by) -> None:
    _require_open(request)
    if not perms.is_coordinator_or_referent(assignee):
        raise Refused(_("Une demande s'affecte au référent ou à un coordinateur."))
    with transaction.atomic():
        request.assignee = assignee
        request.save(update_fields=["assignee"])
        _event(request, EventKind.ASSIGNED, by, str(assignee))
        _audit(request, "assigned", by, _("affectée à %(assignee)s") % {"assignee": assignee})


def current_provider(commune) -> Supplier | None:
    link = ProviderLink.objects.current().filter(commune=commune).select_related("supplier").first()
    return link.supplier if link else None


def escalate_request(
    *, request: SupportRequest, by, note: str, provider_reference: str = "", at=None
) -> None:
    """Hand the request to the commune's IT support provider (its current provider link)."""
    _require_open(request)
    if request.status == Status.ESCALATED:
        raise Refused(_("La demande #%(number)s est déjà transmise.") % {"number": request.pk})
    provider = current_provider(request.commune)
    if provider is None:
        raise Refused(
            _("%(commune)s n'a pas de prestataire de support enregistré : rattachez-en un d'abord.")
            % {"commune": request.commune.name}
        )
    at = at or timezone.now()
    with transaction.atomic():
        request.status, request.provider, request.escalated_at = Status.ESCALATED, provider, at
        request.provider_reference = provider_reference
        request.save(update_fields=["status", "provider", "escalated_at", "provider_reference"])
        if request.first_response_at is None:
            request.first_response_at = at
            request.save(update_fields=["first_response_at"])
        _event(request, EventKind.ESCALATED, by, f"{provider} — {note}", at)
        _audit(
            request,
            "escalated",
            by,
            _("transmise à %(provider)s") % {"provider": provider},
            reason=note,
        )


def close_request(*, request: SupportRequest, by, resolution: str, at=None) -> None:
    _require_open(request)
    if not resolution.strip():
        raise Refused(_("Décrivez la résolution avant de clôturer la demande."))
    at = at or timezone.now()
    with transaction.atomic():
        request.status, request.closed_at, request.closed_by = Status.CLOSED, at, by
        request.resolution = resolution
        if request.first_response_at is None:
            request.first_response_at = at
        request.save(
            update_fields=["status", "closed_at", "closed_by", "resolution", "first_response_at"]
        )
        _event(request, EventKind.CLOSED, by, resolution, at)
        _audit(request, "closed", by, _("clôturée"), reason=resolution)


def rate_request(*, request: SupportRequest, by, score: int, comment: str = "") -> None:
    """The commune rates a closed request once, 1 (very unsatisfied) to 5 (very satisfied)."""
    if request.is_open:
        raise Refused(_("Une demande s'évalue une fois clôturée."))
    if request.satisfaction is not None:
        raise Refused(_("La demande #%(number)s est déjà évaluée.") % {"number": request.pk})
    if not 1 <= int(score) <= 5:
        raise Refused(_("La note va de 1 à 5."))
    with transaction.atomic():
        request.satisfaction, request.satisfaction_comment = int(score), comment
        request.rated_at = timezone.now()
        request.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
        _event(request, EventKind.RATED, by, f"{score}/5 {comment}".strip())
        _audit(request, "rated", by, _("satisfaction %(score)s/5") % {"score": score})


def link_provider(*, commune, supplier: Supplier, since: date, by) -> ProviderLink:
    """Make the supplier the commune's IT support provider; the previous link ends the day before."""
    with transaction.atomic():
        previous = ProviderLink.objects.current().filter(commune=commune).first()
        if previous and previous.supplier_id == supplier.pk:
            raise Refused(
                _("%(supplier)s est déjà le prestataire %(of_commune)s.")
                % {"supplier": supplier.name, "of_commune": de_name(commune.name)}
            )
        if previous:
            if since <= previous.since:
                raise Refused(
                    _("Le nouveau prestataire doit commencer après le précédent (depuis le %(d)s).")
                    % {"d": previous.since.strftime("%d/%m/%Y")}
                )
            previous.until = since - timedelta(days=1)
            previous.save(update_fields=["until"])
        try:
            link = ProviderLink.objects.create(
                commune=commune, supplier=supplier, since=since, created_by=by
            )
        except IntegrityError as error:
            raise Refused(
                _("Un autre prestataire vient d'être rattaché : rechargez la page.")
            ) from error
        audit.record(
            action="support.provider_linked",
            obj=link,
            by=by,
            summary=_("%(supplier)s prestataire de support %(of_commune)s")
            % {"supplier": supplier.name, "of_commune": de_name(commune.name)},
            commune_insee=commune.insee_code,
        )
    return link


def add_provider_review(
    *, supplier: Supplier, period_start: date, period_end: date, notes: str, by
) -> ProviderReview:
    if period_end < period_start:
        raise Refused(_("La fin de la période précède son début."))
    review = ProviderReview.objects.create(
        supplier=supplier,
        period_start=period_start,
        period_end=period_end,
        notes=notes,
        written_by=by,
    )
    audit.record(
        action="support.provider_reviewed",
        obj=review,
        by=by,
        summary=_("Revue %(of_supplier)s (%(start)s – %(end)s)")
        % {
            "of_supplier": de_name(supplier.name),
            "start": period_start.strftime("%d/%m/%Y"),
            "end": period_end.strftime("%d/%m/%Y"),
        },
    )
    return review


@dataclass
class ProviderScore:
    supplier: Supplier
    communes: list[str]
    escalations: int
    open_escalations: int
    resolved: int
    mean_resolution_hours: Decimal | None
    within_target: int
    ratings: int
    mean_satisfaction: Decimal | None
    last_review: date | None

    @property
    def within_target_share(self) -> int | None:
        return round(100 * self.within_target / self.resolved) if self.resolved else None


def _mean(values) -> Decimal | None:
    values = list(values)
    return Decimal(str(round(mean(values), 1))) if values else None


def provider_scorecard(
    *, programme: Programme | None, now: datetime | None = None
) -> list[ProviderScore]:
    """Per provider, across the communes it serves: escalations, working hours from escalation to
    closing, share closed within the resolution target, satisfaction. Four queries in all."""
    now = now or timezone.now()
    calendar = working_calendar(programme)
    links = ProviderLink.objects.current().select_related("supplier", "commune")
    served: dict[int, tuple[Supplier, list[str]]] = {}
    for link in links:
        served.setdefault(link.supplier_id, (link.supplier, []))[1].append(link.commune.name)
    escalated = SupportRequest.objects.filter(provider__isnull=False).select_related("provider")
    per_provider: dict[int, list[SupportRequest]] = {}
    for request in escalated:
        per_provider.setdefault(request.provider_id, []).append(request)
        served.setdefault(request.provider_id, (request.provider, []))
    reviews = dict(
        ProviderReview.objects.order_by("supplier_id", "period_end").values_list(
            "supplier_id", "period_end"
        )
    )
    scores = []
    for supplier_id, (supplier, communes) in served.items():
        requests = per_provider.get(supplier_id, [])
        closed = [r for r in requests if r.closed_at]
        rated = [r.satisfaction for r in requests if r.satisfaction is not None]
        scores.append(
            ProviderScore(
                supplier=supplier,
                communes=sorted(communes),
                escalations=len(requests),
                open_escalations=len(requests) - len(closed),
                resolved=len(closed),
                mean_resolution_hours=_mean(
                    float(working_hours(r.escalated_at, r.closed_at, calendar)) for r in closed
                ),
                within_target=sum(1 for r in closed if not r.resolution_breached(now)),
                ratings=len(rated),
                mean_satisfaction=_mean(rated),
                last_review=reviews.get(supplier_id),
            )
        )
    return sorted(scores, key=lambda s: sort_key(s.supplier.name))
