"""French in templates: `{{ commune.name|de }}` (« d'Odars ») and `{{ value|figure:unit }}`
(« 1 141,20 € », « 10,4 % »); see `core.french`."""

from django import template

from mutualis.core.french import de_name, format_figure

register = template.Library()


@register.filter(name="de")
def de(name) -> str:
    return de_name(str(name))


@register.filter
def figure(value, unit: str = "") -> str:
    """`{{ row.value|figure:row.unit }}` → « 1 141,20 € », « 10,4 % »."""
    return format_figure(value, unit)


@register.filter
def signed_figure(value, unit: str = "") -> str:
    """`{{ row.delta|signed_figure:row.unit }}` → « +10,4 % »."""
    return format_figure(value, unit, signed=True)
