"""An exit request recorded by the membership workflow credits the calls already issued by
itself; a paid call credited shows what is owed back (« à rembourser ») everywhere; the ledger
then owes exactly what the simulator says."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions import services
from mutualis.contributions.models import Call, CreditNote
from mutualis.contributions.testing import AFTER_DEMO, advanced_member
from mutualis.membership import services as membership_services
from mutualis.territory.models import Commune, Population


@pytest.fixture
def odars_called(odars, finance):
    membership = advanced_member(odars)
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    return membership


def _ledger(membership) -> Decimal:
    called = Call.objects.filter(membership=membership).aggregate(s=Sum("amount"))["s"]
    credited = CreditNote.objects.filter(call__membership=membership).aggregate(s=Sum("amount"))
    return (called or Decimal(0)) - (credited["s"] or Decimal(0))


@pytest.mark.django_db
def test_an_exit_request_credits_the_issued_calls_by_itself(odars_called, coordinator):
    membership_services.request_exit(
        membership=odars_called, by=coordinator, on=date(2025, 11, 1), reason="Conseil"
    )

    notes = CreditNote.objects.filter(call__membership=odars_called).order_by("call__period_start")
    assert [(n.call.period_start, n.amount, n.kind) for n in notes] == [
        (date(2025, 7, 1), Decimal("471.59"), "exit"),
        (date(2026, 7, 1), Decimal("1141.20"), "exit"),
    ]
    assert all(n.number.startswith(f"AV-{n.year}-") for n in notes)
    assert _ledger(odars_called) == Decimal("954.41")  # 475.00 + 479.41, PRODUCT.md


@pytest.mark.django_db
def test_the_exit_page_credits_the_issued_calls(client, odars_called, odars_manager, monkeypatch):
    # The page records the exit asked today: make today the last day of free exit.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2025, 12, 31))
    client.force_login(odars_manager)
    response = client.post(
        f"/adhesions/{odars_called.pk}/sortie/", {"reason": "Décision du conseil", "confirm": "on"}
    )
    assert response.status_code == 302
    odars_called.refresh_from_db()
    assert odars_called.status == "exit_requested"
    assert CreditNote.objects.filter(call__membership=odars_called, kind="exit").exists()


@pytest.mark.django_db
def test_a_credited_paid_call_shows_what_is_owed_back(client, odars_called, finance, coordinator):
    for call in Call.objects.filter(membership=odars_called):
        services.record_payment(
            call=call, amount=call.amount, paid_on=date(2026, 1, 1), reference="T", by=finance
        )
    odars_called.exit_requested_on = date(2025, 11, 1)
    odars_called.save(update_fields=["exit_requested_on"])
    services.reconcile_calls_after_exit(membership=odars_called, by=finance)
    # paid 2,567.20, owed 954.41: 1,612.79 to refund
    client.force_login(finance)

    page = client.get("/contributions/communes/31402/").content.decode()
    assert "À rembourser" in page and "1\u202f612,79" in page.replace("\xa0", "\u202f")
    balances = client.get("/contributions/soldes/").content.decode()
    assert "À rembourser" in balances and "1\u202f612,79" in balances.replace("\xa0", "\u202f")
    export = client.get("/contributions/soldes/export/?format=csv").content.decode("utf-8-sig")
    odars_line = next(line for line in export.splitlines() if "31402" in line)
    assert "À rembourser" in export.splitlines()[0] and "1612,79" in odars_line
    api = client.get("/api/contributions/balances").json()
    assert next(b for b in api if b["insee_code"] == "31402")["to_refund"] == "1612.79"

    # Idempotent: a second run credits nothing more.
    assert services.reconcile_calls_after_exit(membership=odars_called, by=finance) == []


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pick=st.integers(0, 35),
    start=st.dates(date(2024, 7, 1), date(2027, 6, 30)),
    asked_after=st.integers(0, 800),
    called_after_asked=st.integers(-300, 600),
    populations=st.lists(st.integers(1, 20_000), min_size=4, max_size=4),
)
@example(  # PRODUCT.md's worked example: 475.00 + 479.41 = 954.41
    pick=0,
    start=date(2024, 7, 1),
    asked_after=488,  # 2025-11-01
    called_after_asked=300,
    populations=[950, 951, 951, 951],
)
def test_calls_less_credit_notes_equal_the_simulator(
    finance, coordinator, pick, start, asked_after, called_after_asked, populations
):
    """For communes, starts, exit requests and populations drawn at random: once the exit is
    recorded (by the membership workflow) and the periods still owed are called, the calls less
    the credit notes equal the simulator's total to the cent. Calls may have been issued before
    the exit was recorded, up to `called_up_to` (later than the request when it is recorded late).
    """
    asked = min(start + timedelta(days=asked_after), date(2027, 6, 29))
    called_up_to = asked + timedelta(days=called_after_asked)
    with transaction.atomic():
        # Communes without an advanced membership in the demo: their ledger is the test's own.
        communes = list(
            Commune.objects.exclude(memberships__offer_code__startswith="advanced").order_by("pk")
        )
        commune = communes[pick % len(communes)]
        by_vintage = dict(zip(range(2024, 2028), populations, strict=True))
        for vintage, total in by_vintage.items():
            Population.objects.update_or_create(
                commune=commune, vintage=vintage, defaults={"total": total, "source": "csv"}
            )
        membership = advanced_member(commune, start=start)
        # The calls finance had issued when the exit was recorded (periods started by then).
        for period in services.schedule_for_membership(membership).periods:
            if period.start <= called_up_to:
                services.issue_call(
                    membership=membership, period_start=period.start, on=AFTER_DEMO, by=finance
                )
        if asked >= start:
            membership_services.request_exit(membership=membership, by=coordinator, on=asked)
            membership.refresh_from_db()
            # The periods still owed and not yet called are called later, as `issue_calls` does.
            called = set(
                Call.objects.live().filter(membership=membership).values_list("period_start")
            )
            for period in services.schedule_for_membership(membership).periods:
                if (period.start,) not in called:
                    services.issue_call(
                        membership=membership,
                        period_start=period.start,
                        on=AFTER_DEMO,
                        by=finance,
                    )
            simulated = contribution_rules.simulate(
                spec=membership.programme.spec,
                offer_code=membership.offer_code,
                populations=by_vintage,
                start=start,
                exit_requested=asked,
            )
            assert _ledger(membership) == simulated.schedule.total_amount
        transaction.set_rollback(True)
