"""The 3-2-1 backup rule and the cost of external backup options; pure Python, no database.

3-2-1: at least three copies of the data (the original and two backups), on at least two different
media, one of them off site; and, as ANSSI and cybermalveillance.gouv.fr insist against ransomware,
one copy offline or immutable.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True, slots=True)
class Copy:
    name: str
    medium: str  # e.g. "nas", "usb_disk", "tape", "cloud"
    frequency_days: int
    offsite: bool
    offline: bool


@dataclass(frozen=True, slots=True)
class RuleCheck:
    code: str
    passed: bool
    message: str


def check_321(copies: list[Copy]) -> list[RuleCheck]:
    backups = len(copies)
    media = {c.medium for c in copies}
    offsite = [c for c in copies if c.offsite]
    offline = [c for c in copies if c.offline]
    weekly = [c for c in copies if c.frequency_days <= 7]
    return [
        RuleCheck(
            "three_copies",
            backups >= 2,
            (
                ngettext(
                    "%(copies)s exemplaires des données (l'original et %(backups)s sauvegarde) : "
                    "3 au moins.",
                    "%(copies)s exemplaires des données (l'original et %(backups)s sauvegardes) : "
                    "3 au moins.",
                    backups,
                )
                if backups
                else _("1 exemplaire des données (l'original seul) : 3 au moins.")
            )
            % {"copies": backups + 1, "backups": backups},
        ),
        RuleCheck(
            "two_media",
            len(media) >= 2,
            ngettext(
                "%(count)s support différent pour les sauvegardes : 2 au moins.",
                "%(count)s supports différents pour les sauvegardes : 2 au moins.",
                len(media),
            )
            % {"count": len(media)},
        ),
        RuleCheck(
            "one_offsite",
            bool(offsite),
            ngettext(
                "%(count)s copie hors site : 1 au moins.",
                "%(count)s copies hors site : 1 au moins.",
                len(offsite),
            )
            % {"count": len(offsite)},
        ),
        RuleCheck(
            "one_offline",
            bool(offline),
            ngettext(
                "%(count)s copie déconnectée ou immuable : 1 au moins, contre les rançongiciels.",
                "%(count)s copies déconnectées ou immuables : 1 au moins, contre les "
                "rançongiciels.",
                len(offline),
            )
            % {"count": len(offline)},
        ),
        RuleCheck(
            "recent",
            bool(weekly),
            ngettext(
                "%(count)s sauvegarde au moins hebdomadaire : 1 au moins.",
                "%(count)s sauvegardes au moins hebdomadaires : 1 au moins.",
                len(weekly),
            )
            % {"count": len(weekly)},
        ),
    ]


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    name: str
    provider: str
    price_per_gb_month: Decimal
    monthly_minimum: Decimal
    setup_fee: Decimal
    offsite: bool
    offline: bool


@dataclass(frozen=True, slots=True)
class Quote:
    option: Option
    volume_gb: Decimal
    monthly: Decimal
    first_year: Decimal
    fixes: tuple[str, ...]


CENT = Decimal("0.01")


def quote(
    option: Option, *, volume_gb: Decimal, failing: set[str], growth: Decimal = Decimal("1.2")
) -> Quote:
    """Yearly cost for the volume plus 20 % headroom, and which failed checks the option fixes."""
    volume = (volume_gb * growth).quantize(Decimal("1"), ROUND_HALF_UP)
    monthly = max(option.price_per_gb_month * volume, option.monthly_minimum).quantize(
        CENT, ROUND_HALF_UP
    )
    fixes = []
    if option.offsite and "one_offsite" in failing:
        fixes.append("one_offsite")
    if option.offline and "one_offline" in failing:
        fixes.append("one_offline")
    if "two_media" in failing:
        fixes.append("two_media")
    if "three_copies" in failing:
        fixes.append("three_copies")
    return Quote(
        option, volume, monthly, (monthly * 12 + option.setup_fee).quantize(CENT), tuple(fixes)
    )


def proposal(options: list[Option], *, volume_gb: Decimal, copies: list[Copy]) -> list[Quote]:
    """Options ranked: most failed checks fixed first, then cheapest over the first year."""
    failing = {c.code for c in check_321(copies) if not c.passed}
    quotes = [quote(option, volume_gb=volume_gb, failing=failing) for option in options]
    return sorted(quotes, key=lambda q: (-len(q.fixes), q.first_year, q.option.name))
