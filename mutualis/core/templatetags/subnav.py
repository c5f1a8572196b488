"""`{% subnav_link 'app:name' "Label" %}`: one entry of a capability's sub-navigation
(core/_subnav.html), marked as the current page when the request is for it, and left out when the
person may not open the page (the rule its view declares with `@access`)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from mutualis.core.access import may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def subnav_link(context, url_name: str, label: str, *args) -> str:
    url = reverse(url_name, args=args)
    request = context.get("request")
    if not may_open(context.get("user"), url):
        return ""
    current = request is not None and request.path == url
    if current:
        return format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a href="{}">{}</a></li>', url, label)


@register.simple_tag
def crumbs(*pairs) -> list[tuple[str, str]]:
    """`{% crumbs "Contributions" home_url "Appels" calls_url "Appel 2025-0001" "" as trail %}`:
    label and url pairs for core/_breadcrumbs.html, the page itself last with an empty url."""
    return [(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
