"""Recording payments, one by hand or many from the accountant's statement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.contributions.enums import PaymentSource
from mutualis.contributions.models import Call, Payment, PaymentStatement, money
from mutualis.contributions.services._common import ContributionError, _d, _euros
from mutualis.contributions.services.schedules import period_label
from mutualis.contributions.statement import StatementError, StatementRow, parse_statement
from mutualis.core import audit
from mutualis.core.validators import date_problem

# --- Payments ---------------------------------------------------------------------------------


def _payment_problem(
    *, call: Call, amount: Decimal, paid_on: date, outstanding: Decimal, today: date
) -> str | None:
    label = _("appel %(number)s (%(commune)s, %(period)s)") % {
        "number": call.number,
        "commune": call.commune.name,
        "period": period_label(call.period_start, call.period_end),
    }
    if amount <= 0:
        return _("%(label)s : le montant d'un paiement doit être positif (%(amount)s saisi).") % {
            "label": label,
            "amount": _euros(amount),
        }
    if amount.as_tuple().exponent < -2:
        return _("%(label)s : le montant a plus de deux décimales (%(amount)s).") % {
            "label": label,
            "amount": amount,
        }
    if call.is_cancelled:
        return _("%(label)s : l'appel est annulé, il ne peut plus recevoir de paiement.") % {
            "label": label
        }
    if problem := date_problem(paid_on):
        return _("%(label)s : %(problem)s") % {"label": label, "problem": problem}
    if paid_on > today:
        return _("%(label)s : la date de paiement (%(paid_on)s) est dans le futur.") % {
            "label": label,
            "paid_on": _d(paid_on),
        }
    if amount > outstanding:
        return _("%(label)s : le paiement (%(amount)s) dépasse le reste dû (%(outstanding)s).") % {
            "label": label,
            "amount": _euros(amount),
            "outstanding": _euros(outstanding),
        }
    return None


def record_payment(
    *,
    call: Call,
    amount: Decimal,
    paid_on: date,
    reference: str,
    by,
    today: date | None = None,
) -> Payment:
    """Record money received against a call (finance office). Refused with a message naming the
    commune and the period when negative, too large, in the future or on a cancelled call."""
    today = today or timezone.localdate()
    reference = reference.strip()
    with transaction.atomic():
        call = (
            Call.objects.select_for_update()
            .select_related("commune")
            .with_balance()
            .get(pk=call.pk)
        )
        problem = _payment_problem(
            call=call,
            amount=amount,
            paid_on=paid_on,
            outstanding=money(call.outstanding),
            today=today,
        )
        if problem is None and not reference:
            problem = _("appel %(number)s (%(commune)s) : la référence est obligatoire.") % {
                "number": call.number,
                "commune": call.commune.name,
            }
        if problem:
            raise ContributionError(_("Paiement refusé, %(problem)s") % {"problem": problem})
        payment = Payment.objects.create(
            call=call,
            commune=call.commune,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            source=PaymentSource.MANUAL,
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        audit.record(
            action="contributions.payment_recorded",
            obj=payment,
            by=by,
            summary=_(
                "Paiement de %(amount)s reçu le %(paid_on)s sur l'appel %(call)s (%(commune)s)"
            )
            % {
                "amount": _euros(amount),
                "paid_on": _d(paid_on),
                "call": call.number,
                "commune": call.commune.name,
            },
            commune_insee=call.commune.insee_code,
            reason=reference,
        )
    return payment


@dataclass(frozen=True)
class StatementResult:
    statement: PaymentStatement
    recorded: int
    skipped: int

    def message(self) -> str:
        text = ngettext(
            "Relevé « %(file)s » : %(recorded)s paiement enregistré",
            "Relevé « %(file)s » : %(recorded)s paiements enregistrés",
            self.recorded,
        ) % {"file": self.statement.filename, "recorded": self.recorded}
        if self.skipped:
            text += ngettext(
                ", %(skipped)s déjà enregistré ignoré",
                ", %(skipped)s déjà enregistrés ignorés",
                self.skipped,
            ) % {"skipped": self.skipped}
        return text + "."


def import_statement(*, text: str, filename: str, by, today: date | None = None) -> StatementResult:
    """Record the payments of a public accountant's statement (format: statement.py).

    Every row is checked first; any bad row refuses the whole file, with every problem listed by
    line, and nothing is written. A row already recorded (same call, reference, amount and date)
    is skipped, so importing the same statement twice records nothing more."""
    import hashlib

    today = today or timezone.localdate()
    rows = parse_statement(text)
    calls = {
        c.number: c
        for c in Call.objects.filter(number__in={r.call_number for r in rows})
        .select_related("commune")
        .with_balance()
    }
    existing = set(
        Payment.objects.filter(call__in=calls.values()).values_list(
            "call_id", "reference", "amount", "paid_on"
        )
    )
    remaining = {c.pk: money(c.outstanding) for c in calls.values()}
    errors: list[str] = []
    accepted: list[tuple[StatementRow, Call]] = []
    skipped = 0
    for row in rows:
        call = calls.get(row.call_number)
        if call is None:
            errors.append(
                _("ligne %(line)s : aucun appel ne porte le numéro %(number)s.")
                % {"line": row.line, "number": row.call_number}
            )
            continue
        if row.debtor_siren and call.debtor_siren and row.debtor_siren != call.debtor_siren:
            errors.append(
                _(
                    "ligne %(line)s : le SIREN %(siren)s n'est pas celui du débiteur de l'appel "
                    "%(call)s (%(commune)s, %(debtor_siren)s)."
                )
                % {
                    "line": row.line,
                    "siren": row.debtor_siren,
                    "call": call.number,
                    "commune": call.commune.name,
                    "debtor_siren": call.debtor_siren,
                }
            )
            continue
        if (call.pk, row.reference, row.amount, row.paid_on) in existing:
            skipped += 1
            continue
        problem = _payment_problem(
            call=call,
            amount=row.amount,
            paid_on=row.paid_on,
            outstanding=remaining[call.pk],
            today=today,
        )
        if problem:
            errors.append(
                _("ligne %(line)s : %(problem)s") % {"line": row.line, "problem": problem}
            )
            continue
        remaining[call.pk] -= row.amount
        existing.add((call.pk, row.reference, row.amount, row.paid_on))
        accepted.append((row, call))
    if errors:
        raise StatementError(errors)
    actor = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        statement = PaymentStatement.objects.create(
            filename=filename[:300],
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            imported_by=actor,
            rows=len(rows),
            recorded=len(accepted),
            skipped=skipped,
        )
        for row, call in accepted:
            payment = Payment.objects.create(
                call=call,
                commune=call.commune,
                amount=row.amount,
                paid_on=row.paid_on,
                reference=row.reference,
                source=PaymentSource.STATEMENT,
                statement=statement,
                recorded_by=actor,
            )
            audit.record(
                action="contributions.payment_recorded",
                obj=payment,
                by=by,
                summary=_(
                    "Paiement de %(amount)s reçu le %(paid_on)s sur l'appel %(call)s "
                    "(%(commune)s), relevé %(file)s"
                )
                % {
                    "amount": _euros(row.amount),
                    "paid_on": _d(row.paid_on),
                    "call": call.number,
                    "commune": call.commune.name,
                    "file": statement.filename,
                },
                commune_insee=call.commune.insee_code,
                reason=row.reference,
            )
        audit.record(
            action="contributions.statement_imported",
            obj=statement,
            by=by,
            summary=_("Relevé %(file)s : %(recorded)s, %(skipped)s")
            % {
                "file": statement.filename,
                "recorded": ngettext("%(n)d paiement", "%(n)d paiements", len(accepted))
                % {"n": len(accepted)},
                "skipped": ngettext("%(n)d déjà enregistré", "%(n)d déjà enregistrés", skipped)
                % {"n": skipped},
            },
        )
    return StatementResult(statement=statement, recorded=len(accepted), skipped=skipped)
