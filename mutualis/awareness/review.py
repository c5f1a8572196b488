"""Awareness figures for the six-monthly review, as of the period end: modules passed, average
quiz score (each learner's best score per module, from attempts sent by the end), agents trained
(online or present at an on-site session) and on-site sessions held and attended."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from mutualis.awareness.models import Attendee, OnsiteSession, Progress, QuizAttempt
from mutualis.core.figures import Chart, Figure, Section


def _share(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal, exact (half-up)."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def figures(ctx):
    end = ctx.end_moment
    passes = list(
        Progress.objects.filter(
            commune__epci__programmes=ctx.programme, passed_at__lte=end
        ).values_list("commune__insee_code", "user_id", "passed_at")
    )
    best = list(
        QuizAttempt.objects.filter(
            progress__commune__epci__programmes=ctx.programme, submitted_at__lte=end
        )
        .values("progress_id", "progress__commune__insee_code")
        .annotate(best=Max("percentage"))
        .values_list("progress__commune__insee_code", "best")
    )
    sessions = OnsiteSession.objects.filter(
        commune__epci__programmes=ctx.programme, starts_at__lte=end
    ).filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=end))
    held = dict(
        (insee, n)
        for insee, n in _count_by(sessions.values_list("commune__insee_code", flat=True)).items()
    )
    present = list(
        Attendee.objects.filter(session__in=sessions, present=True).values_list(
            "session__commune__insee_code", "user_id", "pk", "session__starts_at"
        )
    )

    passed_by: dict[str, int] = defaultdict(int)
    passed_in_period: dict[str, int] = defaultdict(int)
    trained: dict[str, set] = defaultdict(set)
    for insee, user_id, passed_at in passes:
        passed_by[insee] += 1
        trained[insee].add(("user", user_id))
        if passed_at.date() >= ctx.start:
            passed_in_period[insee] += 1
    attended: dict[str, int] = defaultdict(int)
    for insee, user_id, pk, _starts in present:
        attended[insee] += 1
        # A person counts once, online, on site or both; an attendee without an account is one
        # person of the commune for that session.
        trained[insee].add(("user", user_id) if user_id else ("attendee", pk))
    # « Repérez le piège »: each person's latest try at each exercise of a module started by the
    # period end, per commune the person acted for.
    trap_attempts: dict[str, int] = defaultdict(int)
    traps_found: dict[str, int] = defaultdict(int)
    traps_shown: dict[str, int] = defaultdict(int)
    for insee, answers in Progress.objects.filter(
        commune__epci__programmes=ctx.programme, started_at__lte=end
    ).values_list("commune__insee_code", "exercise_answers"):
        for answer in answers.values():
            trap_attempts[insee] += 1
            traps_found[insee] += answer.get("found", 0)
            traps_shown[insee] += answer.get("signs", 0)
    scores: dict[str, list[int]] = defaultdict(list)
    for insee, score in best:
        scores[insee].append(score)
    all_scores = [s for values in scores.values() for s in values]

    def mean(values):
        return round(sum(values) / len(values), 1) if values else None

    result = [
        Figure(
            key="modules_passed",
            unit=_("modules"),
            label=_("Modules réussis depuis le début"),
            value=sum(passed_by.values()),
            communes=len(passed_by),
            by_commune=dict(passed_by),
        ),
        Figure(
            key="modules_passed_in_period",
            unit=_("modules"),
            label=_("Modules réussis pendant la période"),
            value=sum(passed_in_period.values()),
            communes=len(passed_in_period),
            by_commune=dict(passed_in_period),
        ),
        Figure(
            key="quiz_average",
            label=_("Score moyen aux quiz (meilleur score par module)"),
            value=mean(all_scores),
            unit="%",
            communes=len(scores),
            by_commune={insee: mean(values) for insee, values in scores.items()},
        ),
        Figure(
            key="agents_trained",
            unit=_("personnes"),
            label=_("Agents formés (en ligne ou sur site)"),
            # Distinct persons: someone trained for two communes is one person of the programme.
            value=len(set().union(*trained.values())),
            communes=len(trained),
            by_commune={insee: len(people) for insee, people in trained.items()},
        ),
        Figure(
            key="trap_attempts",
            label=_("« Repérez le piège » : essais"),
            value=sum(trap_attempts.values()),
            unit=_("essais"),
            communes=len(trap_attempts),
            by_commune=dict(trap_attempts),
        ),
        Figure(
            key="traps_found_share",
            label=_("« Repérez le piège » : part des pièges repérés"),
            value=_share(sum(traps_found.values()), sum(traps_shown.values())),
            unit="%",
            communes=len(traps_shown),
            by_commune={i: _share(traps_found[i], n) for i, n in traps_shown.items() if n},
        ),
        Figure(
            key="onsite_sessions",
            unit=_("séances"),
            label=_("Séances sur site tenues"),
            value=sum(held.values()),
            communes=len(held),
            by_commune=held,
        ),
        Figure(
            key="onsite_attendance",
            unit=_("présences"),
            label=_("Présences aux séances sur site"),
            value=sum(attended.values()),
            communes=len(attended),
            by_commune=dict(attended),
        ),
    ]
    chart = Chart(
        kind="bar",
        title=_("Sensibilisation en fin de période"),
        categories=[_("Modules réussis"), _("Agents formés"), _("Présences sur site")],
        series={_("Nombre"): [result[0].value, result[3].value, result[5].value]},
    )
    return Section(key="awareness", title=_("Sensibilisation"), figures=result, charts=[chart])


def _count_by(values) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return dict(counts)
