"""What the intercommunal staff's homes show: money for the finance office, what needs action
today for coordinators and the referent.

Every function runs a fixed number of queries whatever the number of communes or records (each
list is read in one query, and only its first few rows are named on the page).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.contributions.models import Call, Reminder, money

# How many items of a list are named on a home (the rest is behind the link).
FIRST_FEW = 5
# Support requests whose resolution is due within this time are shown as near their deadline.
SUPPORT_NEAR = timedelta(days=2)
# Completed diagnostics whose check-in (follow-up diagnostic) falls within this many days.
CHECKIN_NEAR = timedelta(days=30)


@dataclass
class Money:
    called: Decimal = Decimal(0)
    cashed: Decimal = Decimal(0)
    outstanding: Decimal = Decimal(0)
    overdue: Decimal = Decimal(0)
    calls: int = 0
    paid_calls: int = 0
    outstanding_calls: int = 0
    overdue_calls: list = field(default_factory=list)  # calls, oldest due first


def money_figures(*, today: date) -> Money:
    """Live calls (cancelled ones left out), net of credit notes: called, cashed, outstanding,
    overdue in euros and counts, and the overdue calls with their age and latest reminder."""
    figures = Money()
    calls = list(
        Call.objects.live()
        .with_balance()
        .select_related("commune")
        .only("number", "amount", "due_on", "issued_on", "commune__name", "commune__insee_code")
        .order_by("due_on", "seq")
    )
    for call in calls:
        called = money(call.amount) - money(call.credited)
        outstanding = money(call.outstanding)
        figures.called += called
        figures.cashed += money(call.paid)
        figures.calls += 1
        if outstanding > 0:
            figures.outstanding += outstanding
            figures.outstanding_calls += 1
            if call.due_on < today:
                call.days_late = (today - call.due_on).days
                call.balance = outstanding
                figures.overdue += outstanding
                figures.overdue_calls.append(call)
        elif called > 0:
            figures.paid_calls += 1
    latest: dict[int, Reminder] = {}
    for reminder in Reminder.objects.filter(
        call__in=[c.pk for c in figures.overdue_calls]
    ).order_by("sent_at"):
        latest[reminder.call_id] = reminder
    for call in figures.overdue_calls:
        call.last_reminder = latest.get(call.pk)
    return figures


@dataclass(frozen=True)
class Action:
    key: str
    title: str
    count: int
    text: str
    url: str
    link: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (name, url) of the first few

    @property
    def level(self) -> str:
        return "warn" if self.count else "ok"


def _applications(programme) -> Action:
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership

    waiting = list(
        Membership.objects.filter(programme=programme, status=Status.APPLIED)
        .select_related("commune")
        .only("offer_code", "commune__name", "commune__insee_code")
        .order_by("applied_on", "created_at")
    )
    return Action(
        "applications",
        _("Candidatures en attente"),
        len(waiting),
        ngettext(
            "%(n)d candidature attend une décision.",
            "%(n)d candidatures attendent une décision.",
            len(waiting),
        )
        % {"n": len(waiting)}
        if waiting
        else _("Aucune candidature en attente."),
        reverse("membership:applications"),
        _("Voir les candidatures"),
        [
            (m.commune.name, reverse("membership:commune", args=[m.commune.insee_code]))
            for m in waiting[:FIRST_FEW]
        ],
    )


def _queue(programme, today: date) -> Action:
    from mutualis.membership.capacity import pool_states

    states = pool_states(programme, on=today)
    queued = sum(len(s.queue) for s in states)
    lines = [
        (
            _("%(pool)s : %(queued)s en file, %(used)s / %(capacity)s jours engagés")
            % {
                "pool": s.pool.name,
                "queued": len(s.queue),
                "used": _days(s.used),
                "capacity": _days(s.capacity),
            },
            reverse("membership:capacity"),
        )
        for s in states
    ]
    return Action(
        "queue",
        _("File d'attente et capacité"),
        queued,
        ngettext("%(n)d commune en file d'attente.", "%(n)d communes en file d'attente.", queued)
        % {"n": queued}
        if queued
        else _("Personne en file d'attente."),
        reverse("membership:capacity"),
        _("Voir la capacité"),
        lines,
    )


def _days(value: Decimal) -> str:
    from django.utils.formats import number_format

    return number_format(value.normalize() if value == value.to_integral() else value)


def _deliberations(programme) -> Action:
    from mutualis.membership.models import Deliberation

    flagged = [
        d
        for d in Deliberation.objects.filter(commune__epci__programmes=programme)
        .exclude(findings=[])
        .select_related("commune")
        .only("number", "session_date", "findings", "commune__name")
        .order_by("-session_date", "-id")
        if d.errors or d.warnings
    ]
    return Action(
        "deliberations",
        _("Délibérations à vérifier"),
        len(flagged),
        ngettext(
            "%(n)d délibération porte des constats à vérifier.",
            "%(n)d délibérations portent des constats à vérifier.",
            len(flagged),
        )
        % {"n": len(flagged)}
        if flagged
        else _("Aucune délibération à vérifier."),
        reverse("membership:deliberations"),
        _("Voir les délibérations"),
        [
            (
                _("%(commune)s, n° %(number)s") % {"commune": d.commune.name, "number": d.number},
                reverse("membership:deliberation", args=[d.pk]),
            )
            for d in flagged[:FIRST_FEW]
        ],
    )


def _diagnostics(programme, today: date) -> Action:
    from mutualis.cyber.models import Diagnostic, DiagnosticStatus

    drafts = list(
        Diagnostic.objects.filter(
            commune__epci__programmes=programme, status=DiagnosticStatus.DRAFT
        )
        .select_related("commune")
        .only("started_at", "commune__name")
        .order_by("started_at")
    )
    latest = (
        Diagnostic.objects.filter(commune__epci__programmes=programme)
        .select_related("commune", "referential_version")
        .latest_completed_by_commune()
    )
    followed = set(
        Diagnostic.objects.filter(
            status__in=[DiagnosticStatus.DRAFT, DiagnosticStatus.COMPLETED],
            previous__isnull=False,
        ).values_list("previous_id", flat=True)
    )
    checkins = sorted(
        (
            d
            for d in latest.values()
            if d.pk not in followed and d.checkin_due_on() <= today + CHECKIN_NEAR
        ),
        key=lambda d: d.checkin_due_on(),
    )
    count = len(drafts) + len(checkins)
    items = [
        (
            _("%(commune)s : diagnostic en cours") % {"commune": d.commune.name},
            reverse("cyber:diagnostic", args=[d.pk]),
        )
        for d in drafts
    ] + [
        (
            _("%(commune)s : suivi prévu le %(day)s")
            % {"commune": d.commune.name, "day": d.checkin_due_on().strftime("%d/%m/%Y")},
            reverse("cyber:diagnostic", args=[d.pk]),
        )
        for d in checkins
    ]
    return Action(
        "diagnostics",
        _("Diagnostics et suivis"),
        count,
        " ".join(
            [
                ngettext("%(n)d diagnostic en cours.", "%(n)d diagnostics en cours.", len(drafts))
                % {"n": len(drafts)},
                ngettext(
                    "%(n)d suivi à faire sous 30 jours.",
                    "%(n)d suivis à faire sous 30 jours.",
                    len(checkins),
                )
                % {"n": len(checkins)},
            ]
        )
        if count
        else _("Aucun diagnostic en cours ni suivi à prévoir."),
        reverse("cyber:programme"),
        _("Voir la sécurité du programme"),
        items[:FIRST_FEW],
    )


def _support(programme, now: datetime) -> Action:
    from mutualis.support.models import SupportRequest

    near = list(
        SupportRequest.objects.open()
        .filter(commune__epci__programmes=programme, resolution_due__lte=now + SUPPORT_NEAR)
        .select_related("commune")
        .only("subject", "resolution_due", "commune__name")
        .order_by("resolution_due")
    )
    return Action(
        "support",
        _("Demandes de support proches de l'échéance"),
        len(near),
        ngettext(
            "%(n)d demande ouverte doit être résolue sous 48 heures (ou est en retard).",
            "%(n)d demandes ouvertes doivent être résolues sous 48 heures (ou sont en retard).",
            len(near),
        )
        % {"n": len(near)}
        if near
        else _("Aucune demande ouverte proche de son échéance."),
        reverse("support:requests") + "?hors_delai=1",
        _("Voir les demandes"),
        [
            (
                _("%(commune)s : %(subject)s") % {"commune": r.commune.name, "subject": r.subject},
                reverse("support:request", args=[r.pk]),
            )
            for r in near[:FIRST_FEW]
        ],
    )


def _contracts(programme, today: date) -> Action:
    from mutualis.purchasing.models import Contract

    window = programme.spec.purchasing.contract_alert_days
    near = [
        c
        for c in Contract.objects.running()
        .filter(commune__epci__programmes=programme)
        .select_related("commune", "supplier")
        if c.notice_alert(today, window)
    ]
    near.sort(key=lambda c: c.term(today).notice_deadline)
    return Action(
        "contracts",
        _("Contrats proches de leur préavis"),
        len(near),
        ngettext(
            "%(n)d contrat arrive à sa date limite de préavis sous %(days)d jours.",
            "%(n)d contrats arrivent à leur date limite de préavis sous %(days)d jours.",
            len(near),
        )
        % {"n": len(near), "days": window}
        if near
        else _("Aucun contrat proche de sa date de préavis."),
        reverse("purchasing:contracts"),
        _("Voir les contrats"),
        [
            (
                _("%(commune)s : %(subject)s (%(supplier)s)")
                % {"commune": c.commune.name, "subject": c.subject, "supplier": c.supplier.name},
                reverse("purchasing:contract", args=[c.pk]),
            )
            for c in near[:FIRST_FEW]
        ],
    )


def actions_today(programme, *, today: date | None = None) -> list[Action]:
    """What coordinators and the referent have to act on, most pressing kinds first."""
    today = today or timezone.localdate()
    return [
        _applications(programme),
        _queue(programme, today),
        _deliberations(programme),
        _diagnostics(programme, today),
        _support(programme, timezone.now()),
        _contracts(programme, today),
    ]
