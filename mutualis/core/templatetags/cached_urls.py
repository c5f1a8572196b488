"""`{% cached_url "name" arg… %}`: the `{% url %}` tag for the links every page renders, answered
from `core.urls_cached` (reversed once per process for each name, arguments and script prefix)."""

from django import template

from mutualis.core.urls_cached import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(name: str, *args) -> str:
    return cached_reverse(name, *args)
