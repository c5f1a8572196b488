"""Mail preferences: stop or resume non-critical mail, signed in or from an emailed link."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import PUBLIC, access
from mutualis.information import services


@access(perms.is_signed_in)
def mail_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        subscribed = request.POST.get("subscribed") == "1"
        services.set_subscription(user=request.user, subscribed=subscribed, by=request.user)
        messages.success(
            request,
            _("Vous recevrez la lettre hebdomadaire et les alertes.")
            if subscribed
            else _("Vous ne recevrez plus la lettre hebdomadaire ni les alertes non critiques."),
        )
        return redirect("information:mail_preferences")
    return render(
        request,
        "information/mail_preferences.html",
        {"unsubscribed": services.is_unsubscribed(request.user)},
    )


@access(PUBLIC)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in a non-critical email, without signing in: the signed token names the
    person. A GET only asks (mail scanners follow links); the button confirms."""
    user = services.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "information/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.set_subscription(user=user, subscribed=False, by=None)
        done = True
    return render(request, "information/unsubscribe.html", {"done": done, "token": token})
