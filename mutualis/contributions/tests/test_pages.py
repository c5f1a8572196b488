"""Contributions pages: the public simulator, list pages with a bounded number of queries, and
the finance officer's issue and cancel forms."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.contributions.models import Call, CreditNote, DayEntry, Payment
from mutualis.contributions.testing import advanced_member
from mutualis.territory.models import Commune

QUERY_BOUND = 20


@pytest.mark.django_db
def test_the_public_simulator_reproduces_the_worked_example(client):
    page = client.get("/contributions/simulateur/?commune=31402&start=2024-07-01")
    html = page.content.decode()
    assert page.status_code == 200
    schedule = page.context["simulation"].schedule
    assert [str(p.amount) for p in schedule.periods] == ["475.00", "951.00", "1141.20"]
    assert "1\u202f141,20 €" in html and "2\u202f567,20 €" in html
    leaving = (
        client.get(
            "/contributions/simulateur/?commune=31402&start=2024-07-01&exit_requested=2025-11-30"
        )
        .context["simulation"]
        .schedule
    )
    assert [str(p.amount) for p in leaving.periods] == ["475.00", "479.41"]


@pytest.mark.django_db
def test_the_simulator_refuses_a_start_outside_the_programme_and_lists_only_its_communes(client):
    page = client.get("/contributions/simulateur/?commune=31402&start=2028-01-01")
    assert "en dehors du programme" in page.content.decode()
    assert "simulation" not in page.context
    choices = dict(page.context["form"].fields["commune"].choices)
    assert len(choices) == 37  # the 36 Sicoval communes and the empty choice


@pytest.mark.django_db
def test_the_programme_page_links_to_the_simulator(client):
    assert "/contributions/simulateur/" in client.get("/programme/").content.decode()


@pytest.mark.django_db
def test_finance_issues_calls_from_the_page_and_a_second_run_says_nothing_new(
    client, finance, odars
):
    advanced_member(odars)
    client.force_login(finance)
    first = client.post("/contributions/appels/emettre/", {"on": "2027-07-01"}, follow=True)
    assert " émis au " in first.content.decode()
    count = Call.objects.count()
    second = client.post("/contributions/appels/emettre/", {"on": "2027-07-01"}, follow=True)
    assert "Rien de nouveau" in second.content.decode()
    assert Call.objects.count() == count


@pytest.mark.django_db
def test_finance_cancels_a_call_from_its_page(client, finance, odars):
    from mutualis.contributions.testing import call_of

    call = call_of(odars, by=finance)
    client.force_login(finance)
    response = client.post(f"/contributions/appels/{call.pk}/annuler/", {"reason": ""}, follow=True)
    assert "motif" in response.content.decode()
    response = client.post(
        f"/contributions/appels/{call.pk}/annuler/", {"reason": "Erreur de SIREN"}, follow=True
    )
    html = response.content.decode()
    assert "Avoir AV-" in html and "remplacement" in html
    call.refresh_from_db()
    assert call.is_cancelled


def _many_more_calls(count: int) -> None:
    """Calls, credit notes, payments and days straight in the database: only queries matter."""
    membership = advanced_member(Commune.objects.get(insee_code="31402"))
    base = date(2030, 1, 1)
    calls = Call.objects.bulk_create(
        Call(
            number=f"2030-{i + 1:04d}",
            year=2030,
            seq=i + 1,
            programme=membership.programme,
            membership=membership,
            commune=membership.commune,
            offer_code=membership.offer_code,
            debtor_name="Odars",
            period_start=base + timedelta(days=i),
            period_end=base + timedelta(days=i + 364),
            membership_year=1,
            population=950,
            population_vintage=2024,
            rate=Decimal("0.50"),
            days_served=365,
            days_in_period=365,
            amount=Decimal("475.00"),
            issued_on=base,
            due_on=base + timedelta(days=30),
            status="cancelled" if i % 5 == 0 else "issued",
            pdf=b"",
        )
        for i in range(count)
    )
    CreditNote.objects.bulk_create(
        CreditNote(
            number=f"AV-2030-{i + 1:04d}",
            year=2030,
            seq=i + 1,
            call=call,
            commune=call.commune,
            kind="cancellation",
            amount=Decimal("475.00"),
            reason="test",
            issued_on=base,
            pdf=b"",
        )
        for i, call in enumerate(calls[::5])
    )
    Payment.objects.bulk_create(
        Payment(
            call=call,
            commune=call.commune,
            amount=Decimal("100.00"),
            paid_on=base,
            reference=f"R{i}",
            source="manual",
        )
        for i, call in enumerate(calls[1::3])
    )


def _many_more_days(count: int) -> None:
    from mutualis.accounts.models import User

    labege = Commune.objects.get(insee_code="31254")
    membership = labege.memberships.get(offer_code="advanced-with-it")
    agent = User.objects.get(username="labege-it")
    DayEntry.objects.bulk_create(
        DayEntry(
            commune=labege,
            membership=membership,
            worked_on=date(2025, 1, 1) + timedelta(days=i),
            half_days=1,
            service_code="crisis-continuity",
            description="x",
            logged_by=agent,
        )
        for i in range(count)
    )


PAGES = [
    ("finance", "/contributions/appels/"),
    ("finance", "/contributions/appels/?annee=2030&status=issued"),
    ("finance", "/contributions/avoirs/"),
    ("finance", "/contributions/soldes/"),
    ("finance", "/contributions/impayes/"),
    ("finance", "/contributions/paiements/import/"),
    ("odars-manager", "/contributions/communes/31402/"),
    ("labege-it", "/contributions/communes/31254/jours/"),
    ("coordinator", "/contributions/jours/a-valider/"),
    ("coordinator", "/contributions/populations-a-confirmer/"),
    ("coordinator", "/contributions/previsions/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "url"), PAGES)
def test_list_pages_query_count_does_not_grow_with_data(client, username, url):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    _many_more_calls(5)
    _many_more_days(3)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _many_more_days(60)
    extra = 120
    # More calls, credit notes and payments for another year of the same commune.
    membership = Call.objects.filter(year=2030).first().membership
    Call.objects.bulk_create(
        Call(
            number=f"2031-{i + 1:04d}",
            year=2031,
            seq=i + 1,
            programme=membership.programme,
            membership=membership,
            commune=membership.commune,
            offer_code=membership.offer_code,
            debtor_name="Odars",
            period_start=date(2031, 1, 1) + timedelta(days=i),
            period_end=date(2031, 12, 31) + timedelta(days=i),
            membership_year=1,
            population=950,
            population_vintage=2024,
            rate=Decimal("0.50"),
            days_served=365,
            days_in_period=365,
            amount=Decimal("475.00"),
            issued_on=date(2031, 1, 1),
            due_on=date(2031, 1, 31),
            pdf=b"",
        )
        for i in range(extra)
    )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries), url
    assert len(after.captured_queries) <= QUERY_BOUND, url
