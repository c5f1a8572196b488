"""The programme's membership rules that need no database: priority, loads, start and exit dates.

Pure functions over dates, decimals and the programme file's settings; tested without Django.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from mutualis.core.french import de_name

LOAD_QUANTUM = Decimal("0.1")


def has_priority(
    *,
    co_construction: bool,
    commitment_letter_date: date | None,
    decided_on: date,
    priority_decided_until: date,
    commitment_letter_deadline: date,
) -> bool:
    """Admissions decided up to the priority date put co-builders with an early letter first."""
    if decided_on > priority_decided_until:
        return False
    return bool(
        co_construction
        and commitment_letter_date is not None
        and commitment_letter_date <= commitment_letter_deadline
    )


def estimated_load(
    *, base_load_days: Decimal, load_per_1000_inhabitants: Decimal, population: int | None
) -> Decimal:
    """Days per year a commune adds to its pool: a base plus a share per 1,000 inhabitants."""
    share = load_per_1000_inhabitants * Decimal(population or 0) / Decimal(1000)
    return (Decimal(base_load_days) + share).quantize(LOAD_QUANTUM, rounding=ROUND_HALF_UP)


def membership_start(*, signed_on: date, rule: str, programme_start: date) -> date:
    """The start date written on a convention by default, never before the programme starts."""
    if rule == "first_day_of_next_month":
        year, month = (
            (signed_on.year + 1, 1)
            if signed_on.month == 12
            else (signed_on.year, signed_on.month + 1)
        )
        start = date(year, month, 1)
    elif rule == "signature_date":
        start = signed_on
    else:
        raise ValueError(_("règle de début d'adhésion inconnue : %(rule)s") % {"rule": rule})
    return max(start, programme_start)


@dataclass(frozen=True)
class ExitTerms:
    """What asking to leave on a given day means, said before the person confirms."""

    kind: str  # "withdrawal", "free", "committed", "immediate"
    effective: date | None
    explanation: str


def exit_terms(
    *,
    asked_on: date,
    started: bool,
    is_base: bool,
    free_exit_date: date | None,
    programme_end: date,
) -> ExitTerms:
    """PRODUCT.md's exit rule: free on the free-exit date when asked by then, else committed."""
    if is_base:
        return ExitTerms(
            "immediate",
            asked_on,
            _("La sortie du socle de base, gratuit, prend effet le jour même (%(date)s).")
            % {"date": asked_on.strftime("%d/%m/%Y")},
        )
    if not started:
        return ExitTerms(
            "withdrawal",
            None,
            _("L'adhésion n'a pas commencé : la demande retire la candidature, rien n'est dû."),
        )
    if free_exit_date and asked_on <= free_exit_date:
        return ExitTerms(
            "free",
            free_exit_date,
            _(
                "Sortie sans frais : elle prend effet le %(date)s ; la période en cours est "
                "calculée au prorata jusqu'à cette date et rien de plus n'est dû."
            )
            % {"date": free_exit_date.strftime("%d/%m/%Y")},
        )
    return ExitTerms(
        "committed",
        programme_end,
        (
            _(
                "La date de sortie sans frais (%(free_exit)s) est passée : la commune reste "
                "engagée jusqu'au %(end)s, fin du programme, et sa contribution reste due "
                "jusqu'à cette date."
            )
            if free_exit_date
            else _(
                "La date de sortie sans frais est passée : la commune reste engagée jusqu'au "
                "%(end)s, fin du programme, et sa contribution reste due jusqu'à cette date."
            )
        )
        % {
            "free_exit": free_exit_date.strftime("%d/%m/%Y") if free_exit_date else "",
            "end": programme_end.strftime("%d/%m/%Y"),
        },
    )


# « d'Odars », « de Labège »: the one elision helper lives in core (templates: `|de`).
of_place = de_name
