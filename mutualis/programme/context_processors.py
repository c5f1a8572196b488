"""The header's programme selector: shown only to people who may see several programmes."""

from mutualis.programme.selection import programme_for, visible_list


def programmes(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def choices():
        found = visible_list(request)
        return found if len(found) > 1 else []

    # Callables: the template reads them only where it shows the selector.
    return {"programme_choices": choices, "selected_programme": lambda: programme_for(request)}
