"""The information platform's own tab bar, showing each tab to those it is for."""

from django import template

from mutualis.accounts import perms
from mutualis.information.models import can_read_experience

register = template.Library()


@register.inclusion_tag("information/_tabs.html", takes_context=True)
def information_tabs(context, tab: str) -> dict:
    user = context["request"].user
    return {
        "tab": tab,
        "perms_experience": can_read_experience(user),
        "perms_publish": perms.can_publish_information(user),
    }
