"""The information platform's own tab bar, showing each tab to those it is for."""

from django import template

from mutualis.information import perms as information_perms

register = template.Library()


@register.inclusion_tag("information/_tabs.html", takes_context=True)
def information_tabs(context, tab: str) -> dict:
    user = context["request"].user
    return {
        "tab": tab,
        "perms_experience": information_perms.can_read_experience(user),
        "perms_publish": information_perms.can_publish_information(user),
    }
