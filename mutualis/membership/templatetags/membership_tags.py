"""Template helpers of the membership pages and documents."""

from django import template

from mutualis.membership.rules import of_place

register = template.Library()


@register.filter
def de(name: str) -> str:
    """« d'Odars », « de Labège »: the French preposition before a commune's name."""
    return of_place(str(name))
