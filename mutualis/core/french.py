"""French text helpers: « de » before a name (« d'Odars », « de Labège », « du Faget ») and
numbers as a French reader expects them (« 1 141,20 € », « +10,4 % »)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import numberformat

# A vowel sound at the start of the name (Y included: « d'Yssingeaux »).
ELIDING = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")
# Place names whose H is mute. Any other H keeps « de »: an aspirated h is the safer default
# (« de Honfleur », « de Hautefage ») and a wrong « d' » reads worse than a missing one.
MUTE_H = frozenset({"Hyères", "Hendaye", "Héric", "Hérouville-Saint-Clair"})


def de_name(name: str) -> str:
    """« de » contracted or elided before `name`: « d'Auzielle », « de Labège », « du Faget »
    (for « Le Faget »), « des Varennes » (for « Les Varennes »), « d'Hyères », « de Honfleur »."""
    name = (name or "").strip()
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    if name[:1].upper() in ELIDING or name in MUTE_H or name.split("-")[0] in MUTE_H:
        return f"d'{name}"
    return f"de {name}"


# --- Numbers as a French reader expects them ----------------------------------------------------

NARROW_NBSP = "\u202f"  # the thousands separator of French typography (« 1 141,20 € »)


def exact(value):
    """A figure's number as an exact Decimal (a float read back from JSON by its shortest repr:
    10.4 stays 10.4, never 10.399999999999999); ints, text and None unchanged."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def format_figure(value, unit: str = "", *, signed: bool = False, show_unit: bool = True) -> str:
    """« 1 141,20 € », « 10,4 % », « +3 communes »: French decimal comma and thousands
    separator; amounts in euros always with two decimals, other numbers without trailing zeros."""
    value = exact(value)
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return f"{value} {unit}".strip() if unit else str(value)
    if unit == "€":
        text = numberformat.format(
            Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            ",",
            decimal_pos=2,
            grouping=3,
            thousand_sep=NARROW_NBSP,
            force_grouping=True,
        )
    else:
        number = Decimal(value)
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
        else:
            number = number.normalize()
        text = numberformat.format(
            number, ",", grouping=3, thousand_sep=NARROW_NBSP, force_grouping=True
        )
    if signed and value > 0:
        text = f"+{text}"
    return f"{text}\u00a0{unit}" if unit and show_unit else text
