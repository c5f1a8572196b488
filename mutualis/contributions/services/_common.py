"""Shared by the contribution workflows: the refusal error and French date and amount formats."""

from datetime import date
from decimal import Decimal


class ContributionError(ValueError):
    """A refused contribution workflow; the message (French) names the commune and the period."""


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _euros(value: Decimal) -> str:
    return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")
