"""An issued call is never edited: cancelled by a credit note and replaced; an exit credits the
part of a called period no longer served, by itself."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.contributions import services
from mutualis.contributions.models import Call, CreditNote
from mutualis.contributions.testing import AFTER_DEMO, advanced_member
from mutualis.core.models import AuditEvent


@pytest.fixture
def odars_called(odars, finance):
    membership = advanced_member(odars)
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    return membership


@pytest.mark.django_db
def test_a_cancelled_call_keeps_its_number_and_shows_its_credit_note(client, odars_called, finance):
    call = Call.objects.get(commune=odars_called.commune, period_start=date(2024, 7, 1))
    number = call.number
    result = services.cancel_call(
        call=call, reason="Erreur d'adresse", by=finance, on=date(2027, 7, 2)
    )

    call.refresh_from_db()
    assert call.number == number and call.is_cancelled
    assert call.cancel_reason == "Erreur d'adresse" and call.cancelled_by == finance
    note = result.credit_note
    assert note.number == f"AV-2027-{note.seq:04d}"
    assert (note.call, note.amount, note.kind) == (call, Decimal("475.00"), "cancellation")
    replacement = result.replacement
    assert replacement.replaces == call and replacement.number != number
    assert replacement.amount == Decimal("475.00") and replacement.issued_on == date(2027, 7, 2)
    assert AuditEvent.objects.filter(action="contributions.call_cancelled").exists()

    client.force_login(finance)
    page = client.get(f"/contributions/appels/{call.pk}/").content.decode()
    assert number in page and note.number in page and "annulé" in page
    assert replacement.number in page


@pytest.mark.django_db
def test_cancelling_requires_a_reason_and_happens_once(odars_called, finance):
    call = Call.objects.filter(commune=odars_called.commune).first()
    with pytest.raises(services.ContributionError, match="motif est obligatoire"):
        services.cancel_call(call=call, reason="  ", by=finance, on=date(2027, 7, 2))
    services.cancel_call(call=call, reason="Erreur", by=finance, on=date(2027, 7, 2))
    with pytest.raises(services.ContributionError, match="déjà annulé"):
        services.cancel_call(call=call, reason="Encore", by=finance, on=date(2027, 7, 2))


@pytest.mark.django_db
def test_a_paid_call_cannot_be_cancelled(odars_called, finance):
    call = Call.objects.filter(commune=odars_called.commune).first()
    services.record_payment(
        call=call, amount=Decimal("10.00"), paid_on=date(2026, 1, 1), reference="T", by=finance
    )
    with pytest.raises(services.ContributionError, match="déjà reçu des paiements"):
        services.cancel_call(call=call, reason="Erreur", by=finance, on=date(2027, 7, 2))
    assert not CreditNote.objects.filter(call=call).exists()


@pytest.mark.django_db
def test_an_exit_credits_the_part_of_called_periods_no_longer_served(odars_called, finance):
    membership = odars_called
    membership.exit_requested_on = date(2025, 6, 1)
    membership.status = "exit_requested"
    membership.save()

    notes = services.reconcile_calls_after_exit(
        membership=membership, by=finance, on=date(2027, 7, 2)
    )

    second = Call.objects.get(membership=membership, period_start=date(2025, 7, 1))
    third = Call.objects.get(membership=membership, period_start=date(2026, 7, 1))
    assert [(n.call, n.amount, n.kind) for n in notes] == [
        (second, Decimal("471.59"), "exit"),  # 951.00 − 951 × 184 / 365 (479.41)
        (third, Decimal("1141.20"), "exit"),  # not served at all
    ]
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.is_cancelled and not second.is_cancelled
    called = sum(c.amount for c in Call.objects.filter(membership=membership))
    credited = sum(n.amount for n in notes)
    assert called - credited == Decimal("954.41")  # PRODUCT.md's total with an exit in 2025
    assert "184 jours sur 365" in notes[0].reason

    again = services.reconcile_calls_after_exit(
        membership=membership, by=finance, on=date(2027, 7, 2)
    )
    assert again == []


@pytest.mark.django_db
def test_reconciling_without_exit_does_nothing(odars_called, finance):
    assert services.reconcile_calls_after_exit(membership=odars_called, by=finance) == []


@pytest.mark.django_db
def test_an_exit_after_the_free_exit_date_keeps_everything_owed(odars_called, finance):
    odars_called.exit_requested_on = date(2026, 3, 1)
    odars_called.save()
    assert services.reconcile_calls_after_exit(membership=odars_called, by=finance) == []
