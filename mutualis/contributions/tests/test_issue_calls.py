"""issue_calls: idempotent, numbered without gaps by year of issue, refused whole on bad data."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutualis.contributions import services
from mutualis.contributions.models import Call, PopulationConfirmation
from mutualis.contributions.testing import AFTER_DEMO, advanced_member
from mutualis.core.models import AuditEvent, DocumentCounter
from mutualis.territory.models import Commune, Population


def issue(on=AFTER_DEMO) -> str:
    out = StringIO()
    call_command("issue_calls", "--on", on.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_worked_example_is_called_period_by_period(odars):
    advanced_member(odars)
    issue()
    calls = list(Call.objects.filter(commune=odars).order_by("period_start"))
    assert [c.amount for c in calls] == [Decimal("475.00"), Decimal("951.00"), Decimal("1141.20")]
    assert [(c.population, c.population_vintage) for c in calls] == [
        (950, 2024),
        (951, 2025),
        (951, 2026),
    ]
    first = calls[0]
    assert (first.period_start, first.period_end) == (date(2024, 7, 1), date(2025, 6, 30))
    assert first.issued_on == AFTER_DEMO
    assert first.due_on == date(2027, 7, 31)  # 30 days, from the programme file
    assert (first.debtor_name, first.debtor_siren) == ("Odars", "213104029")
    assert bytes(first.pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="contributions.call_issued", object_id=str(first.pk), commune_insee="31402"
    ).exists()


@pytest.mark.django_db
def test_running_twice_on_the_same_date_issues_once(odars):
    advanced_member(odars)
    first = issue()
    count = Call.objects.count()
    second = issue()
    assert " émis au " in first
    assert "Rien de nouveau à appeler" in second
    assert Call.objects.count() == count


@pytest.mark.django_db
def test_numbers_follow_an_unbroken_sequence_per_year_of_issue(odars, labege):
    advanced_member(odars)
    advanced_member(labege, offer="advanced-without-it", start=date(2025, 1, 1))
    issue()
    issued = list(Call.objects.filter(year=2027).order_by("seq"))
    assert [c.seq for c in issued] == list(range(1, len(issued) + 1))
    assert all(c.number == f"2027-{c.seq:04d}" for c in issued)
    for year in Call.objects.values_list("year", flat=True).distinct():
        seqs = sorted(Call.objects.filter(year=year).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert DocumentCounter.objects.get(series="call", year=year).last == len(seqs)


@pytest.mark.django_db
def test_a_period_is_called_only_once_it_has_started(odars):
    advanced_member(odars, start=date(2027, 3, 1))
    run = services.issue_calls(
        programme=odars.memberships.first().programme, on=date(2027, 2, 28), by=None
    )
    assert not [c for c in run.issued if c.commune == odars]


@pytest.mark.django_db
def test_a_commune_without_population_refuses_the_run_naming_commune_and_period(programme):
    sicoval = Commune.objects.get(insee_code="31402").epci
    ghost = Commune.objects.create(insee_code="31999", name="Villeneuve-Fantôme", epci=sicoval)
    advanced_member(ghost)
    advanced_member(Commune.objects.get(insee_code="31402"))
    calls, sequences = (
        Call.objects.count(),
        list(DocumentCounter.objects.order_by("pk").values_list("last")),
    )
    with pytest.raises(CommandError) as error:
        issue()
    message = str(error.value)
    assert "Villeneuve-Fantôme" in message
    assert "01/07/2024" in message and "30/06/2025" in message
    assert "Rien n'a été émis" in message
    assert Call.objects.count() == calls
    assert list(DocumentCounter.objects.order_by("pk").values_list("last")) == sequences


@pytest.mark.django_db
def test_a_period_already_called_is_refused_with_a_message(odars, finance):
    membership = advanced_member(odars)
    services.issue_call(
        membership=membership, period_start=date(2024, 7, 1), on=AFTER_DEMO, by=finance
    )
    count = Call.objects.count()
    with pytest.raises(services.ContributionError) as error:
        services.issue_call(
            membership=membership, period_start=date(2024, 7, 1), on=AFTER_DEMO, by=finance
        )
    assert "Odars" in str(error.value)
    assert "période du 01/07/2024 au 30/06/2025" in str(error.value)
    assert "déjà appelée" in str(error.value)
    assert Call.objects.count() == count


@pytest.mark.django_db
def test_issuing_before_documents_already_issued_that_year_is_refused(odars, labege):
    advanced_member(odars)
    issue(date(2027, 7, 2))
    advanced_member(labege, offer="advanced-without-it", start=date(2025, 1, 1))
    count = Call.objects.count()
    with pytest.raises(CommandError, match="date antérieure"):
        issue(date(2027, 7, 1))
    assert Call.objects.count() == count


@pytest.mark.django_db
def test_an_estimated_population_waits_for_a_coordinators_confirmation(odars, coordinator):
    # Odars' 2026 legal population is not loaded: the 2025 one stands in for the third period.
    Population.objects.filter(commune=odars, vintage=2026).delete()
    membership = advanced_member(odars)
    run = services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=None)
    odars_calls = Call.objects.filter(commune=odars)
    assert odars_calls.count() == 2
    waiting = [d for d in run.waiting if d.commune == odars]
    assert [(d.period.start, d.period.population_vintage) for d in waiting] == [
        (date(2026, 7, 1), 2025)
    ]
    assert "confirmation" in run.message() and "Odars" in run.message()

    services.confirm_population(
        membership=membership, period_start=date(2026, 7, 1), by=coordinator, note="INSEE en retard"
    )
    assert PopulationConfirmation.objects.filter(membership=membership).count() == 1
    assert AuditEvent.objects.filter(action="contributions.population_confirmed").exists()
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=None)
    third = odars_calls.get(period_start=date(2026, 7, 1))
    assert third.population_estimated and third.population == 951
    assert third.population_vintage == 2025
    assert third.amount == Decimal("1141.20")
    assert third.population_confirmation.confirmed_by == coordinator


@pytest.mark.django_db
def test_a_period_with_its_real_population_needs_no_confirmation(odars, coordinator):
    membership = advanced_member(odars)
    with pytest.raises(services.ContributionError, match="pas de population estimée"):
        services.confirm_population(
            membership=membership, period_start=date(2024, 7, 1), by=coordinator
        )


@pytest.mark.django_db
def test_exited_membership_is_still_called_for_the_periods_it_was_served(odars):
    advanced_member(odars, status="exited", exit_requested=date(2025, 3, 1))
    issue()
    assert list(
        Call.objects.filter(commune=odars).order_by("period_start").values_list("amount", flat=True)
    ) == [Decimal("475.00"), Decimal("479.41")]


@pytest.mark.django_db
def test_a_commune_paying_in_days_gets_no_call(labege):
    before = Call.objects.filter(commune=labege).count()
    issue()
    assert Call.objects.filter(commune=labege).count() == before == 0
