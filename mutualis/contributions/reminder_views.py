"""The « Relancer » action of an overdue call, its confirmation page and the reminder's PDF."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.contributions import perms
from mutualis.contributions.models import Call, Reminder
from mutualis.contributions.reminders import (
    ReminderNeedsConfirmation,
    ReminderRefused,
    send_reminder,
)
from mutualis.core.access import access
from mutualis.core.pdf import pdf_response
from mutualis.core.submissions import new_token, submitted_once


@access(perms.can_send_reminders)
@require_POST
@submitted_once
def remind(request: HttpRequest, call_id: int) -> HttpResponse:
    call = Call.objects.filter(pk=call_id).select_related("commune").first()
    if call is None:
        raise Http404
    back = request.POST.get("next", "")
    if not (back and url_has_allowed_host_and_scheme(back, {request.get_host()})):
        back = ""
    try:
        reminder = send_reminder(
            call=call, by=request.user, confirmed=request.POST.get("confirm") == "1"
        )
    except ReminderNeedsConfirmation as exc:
        return render(
            request,
            "contributions/reminder_confirm.html",
            {"call": call, "reason": str(exc), "next": back, "submission": new_token()},
        )
    except ReminderRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Relance de l'appel %(number)s envoyée à %(to)s.")
            % {"number": call.number, "to": ", ".join(reminder.recipients)},
        )
    return redirect(back or "contributions:call", *([] if back else [call.pk]))


@access(perms.can_send_reminders)
def reminder_pdf(request: HttpRequest, reminder_id: int) -> HttpResponse:
    reminder = (
        Reminder.objects.filter(
            pk=reminder_id, call__commune__in=perms.finance_communes(request.user)
        )
        .select_related("call")
        .first()
    )
    if reminder is None:
        raise Http404
    return pdf_response(bytes(reminder.pdf), f"relance-{reminder.call.number}.pdf")
