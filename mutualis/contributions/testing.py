"""Test helpers: an advanced membership and its calls for any commune (Odars stays on the base
offer in the demo, so tests that need Odars' calls make them here, inside their transaction)."""

from datetime import date

from mutualis.contributions.models import Call
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

# Later than any document the demo issues (its calls are dated at period starts, up to the
# programme's end), so that numbering stays in date order.
AFTER_DEMO = date(2027, 7, 1)


def advanced_member(
    commune,
    *,
    start: date = date(2024, 7, 1),
    offer: str = "advanced-without-it",
    status: str = Status.ACTIVE,
    exit_requested: date | None = None,
) -> Membership:
    membership = (
        Membership.objects.open()
        .filter(commune=commune, offer_code=offer)
        .select_related("commune", "programme")
        .first()
    )
    if membership is None:
        membership = Membership.objects.create(
            programme=Programme.objects.for_commune(commune),
            commune=commune,
            offer_code=offer,
            status=status,
            start_date=start,
            exit_requested_on=exit_requested,
        )
    elif membership.status != status or membership.start_date is None:
        # A demo application still in the queue: make it the signed membership the test needs.
        membership.status = status
        membership.start_date = start
        membership.exit_requested_on = exit_requested
        membership.save(update_fields=["status", "start_date", "exit_requested_on"])
    return membership


def call_of(commune, *, by=None, on: date = AFTER_DEMO) -> Call:
    """The first call of the commune's advanced membership, issued if need be."""
    from mutualis.contributions.services import issue_call

    existing = Call.objects.filter(commune=commune).order_by("pk").first()
    if existing:
        return existing
    membership = advanced_member(commune)
    return issue_call(membership=membership, period_start=membership.start_date, on=on, by=by)


def credit_note_of(commune, *, by=None):
    from mutualis.contributions.services import cancel_call

    call = call_of(commune, by=by)
    note = call.credit_notes.order_by("pk").first()
    if note is None:
        note = cancel_call(call=call, reason="Test", by=by, on=AFTER_DEMO).credit_note
    return note


def reminder_of(commune):
    """A reminder of the commune's first call, sent by the finance office the day after it fell
    due (the commune needs a manager with an address: Odars has one in the demo)."""
    from datetime import timedelta

    from mutualis.accounts.models import User
    from mutualis.contributions.reminders import send_reminder

    call = call_of(commune)
    existing = call.reminders.order_by("pk").first()
    if existing:
        return existing
    finance = User.objects.get(username="finance")
    return send_reminder(call=call, by=finance, today=call.due_on + timedelta(days=1))
