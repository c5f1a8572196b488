"""Reminders (« relances ») of overdue calls: a PDF letter emailed to the commune's managers,
recorded with who sent it and when, and written to the audit trail.

One reminder per call and day: a second one the same day is sent only when the sender confirms it
(a double click, or two people of the finance office, never sends two by accident).
"""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import CommuneRole
from mutualis.contributions import perms
from mutualis.contributions.models import Call, Reminder, money
from mutualis.core import audit
from mutualis.core.pdf import render_pdf


class ReminderRefused(ValueError):
    """A reminder that is not sent; the message says why, in French."""


class ReminderNeedsConfirmation(ReminderRefused):
    """This call was already reminded today: send again only if the sender confirms."""


def manager_emails(commune) -> list[str]:
    """The addresses of the commune's active managers, each once."""
    emails = CommuneRole.objects.active().filter(
        commune=commune, role=CommuneRoleKind.MANAGER, user__is_active=True
    )
    return sorted({e for e in emails.values_list("user__email", flat=True) if e})


def _euros(value) -> str:
    return f"{number_format(value, decimal_pos=2, force_grouping=True)} €"


def send_reminder(
    *, call: Call, by, confirmed: bool = False, today: date | None = None
) -> Reminder:
    """Email the commune's managers a reminder of an overdue call, with its PDF, and record it.

    Refused for anyone but the finance office and coordinators, for a call that is cancelled,
    paid or not yet due, for a commune without a manager's address, and — unless `confirmed` — for
    a call already reminded the same day.
    """
    if not perms.can_send_reminders(by):
        raise ReminderRefused(_("Seuls le service financier et les coordinateurs relancent."))
    today = today or timezone.localdate()
    with transaction.atomic():
        # The call's row is locked: two clicks at once are served one after the other, and the
        # second one sees the first reminder.
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("commune", "programme")
            .get(pk=call.pk)
        )
        balance = Call.objects.filter(pk=call.pk).with_balance().get()
        outstanding = money(balance.outstanding)
        if call.is_cancelled:
            raise ReminderRefused(_("Cet appel est annulé : il n'y a rien à relancer."))
        if outstanding <= 0:
            raise ReminderRefused(_("Cet appel est soldé : il n'y a rien à relancer."))
        if call.due_on >= today:
            raise ReminderRefused(
                _("Cet appel n'est pas encore échu (échéance le %(day)s).")
                % {"day": call.due_on.strftime("%d/%m/%Y")}
            )
        already = Reminder.objects.filter(call=call, sent_on=today).exists()
        if already and not confirmed:
            raise ReminderNeedsConfirmation(
                _(
                    "L'appel %(number)s a déjà été relancé aujourd'hui. Confirmez pour envoyer "
                    "une nouvelle relance."
                )
                % {"number": call.number}
            )
        recipients = manager_emails(call.commune)
        if not recipients:
            raise ReminderRefused(
                _("La commune de %(commune)s n'a aucun responsable avec une adresse électronique.")
                % {"commune": call.commune.name}
            )
        spec = call.programme.spec
        reminder = Reminder(
            call=call,
            commune=call.commune,
            sent_on=today,
            sent_by=by,
            recipients=recipients,
            outstanding=outstanding,
            confirmed_again=already,
        )
        reminder.pdf = render_pdf(
            "contributions/reminder_pdf.html",
            {
                "call": call,
                "commune": call.commune,
                "operator": spec.programme,
                "spec": spec,
                "outstanding": outstanding,
                "days_late": (today - call.due_on).days,
                "today": today,
            },
        )
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:  # the same reminder, recorded a moment ago by another request
            raise ReminderNeedsConfirmation(
                _("L'appel %(number)s vient d'être relancé.") % {"number": call.number}
            ) from None
        values = {
            "number": call.number,
            "commune": call.commune.name,
            "amount": _euros(outstanding),
            "due": call.due_on.strftime("%d/%m/%Y"),
            "operator": spec.programme.operator_name,
        }
        message = EmailMessage(
            subject=_("[Mutualis] Relance : appel de contribution %(number)s") % values,
            body=_(
                "Bonjour,\n\nL'appel de contribution %(number)s adressé à la commune de "
                "%(commune)s était payable au plus tard le %(due)s. Il reste %(amount)s à régler."
                "\n\nVous trouverez la lettre de relance en pièce jointe. Si le paiement est en "
                "cours, merci de ne pas tenir compte de ce message.\n\n— %(operator)s, via "
                "Mutualis\n"
            )
            % values,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        message.attach(f"relance-{call.number}.pdf", bytes(reminder.pdf), "application/pdf")
        message.send()
        audit.record(
            action="contributions.call_reminded",
            obj=call,
            by=by,
            commune_insee=call.commune.insee_code,
            summary=_("Relance de l'appel %(number)s (%(commune)s) : reste %(amount)s") % values,
        )
    return reminder
