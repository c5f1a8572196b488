"""From the programme file to the engine: rules, offers, populations, and the worked example."""

import dataclasses
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from mutualis.contributions import rules
from mutualis.contributions.schedule import PaidIn, compute_schedule
from mutualis.contributions.tests.test_schedule import sicoval_2024
from mutualis.programme.schema import parse_programme


@pytest.fixture(scope="module")
def spec():
    from django.conf import settings

    return parse_programme(settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8"))


def test_rules_built_from_the_programme_file_equal_the_sicoval_rules(spec):
    # An offer paid in euros owes no days (the test helper's rules carry both).
    expected = dataclasses.replace(sicoval_2024(), days_per_year=Decimal(0))
    assert rules.contribution_rules(spec, "advanced-without-it") == expected


def test_days_offer_is_paid_in_days_with_24_days_a_year(spec):
    built = rules.contribution_rules(spec, "advanced-with-it")
    assert built.days_per_year == Decimal("24")
    assert rules.paid_in(spec, "advanced-with-it") is PaidIn.DAYS
    assert rules.paid_in(spec, "advanced-without-it") is PaidIn.EUROS


def test_the_free_base_offer_and_an_unknown_offer_are_refused_in_french(spec):
    with pytest.raises(rules.OfferError, match="gratuite"):
        rules.contribution_rules(spec, "base")
    with pytest.raises(rules.OfferError, match="n'existe pas"):
        rules.contribution_rules(spec, "gold")


def test_default_offer_depends_on_the_it_department(spec):
    assert rules.default_offer(spec, has_it_department=False).code == "advanced-without-it"
    assert rules.default_offer(spec, has_it_department=True).code == "advanced-with-it"


def test_populations_follow_the_programme_basis():
    pops = [
        SimpleNamespace(vintage=2024, total=950, municipal=920),
        SimpleNamespace(vintage=2025, total=None, municipal=921),
    ]
    assert rules.populations_by_vintage(pops, "total") == {2024: 950}
    assert rules.populations_by_vintage(pops, "municipal") == {2024: 920, 2025: 921}


def test_simulation_reproduces_the_worked_example(spec):
    odars = {2024: 950, 2025: 951, 2026: 951}
    full = rules.simulate(
        spec=spec, offer_code="advanced-without-it", populations=odars, start=date(2024, 7, 1)
    )
    assert [p.amount for p in full.schedule.periods] == [
        Decimal("475.00"),
        Decimal("951.00"),
        Decimal("1141.20"),
    ]
    leaving = rules.simulate(
        spec=spec,
        offer_code="advanced-without-it",
        populations=odars,
        start=date(2024, 7, 1),
        exit_requested=date(2025, 6, 1),
    )
    assert [p.amount for p in leaving.schedule.periods] == [Decimal("475.00"), Decimal("479.41")]


@pytest.mark.parametrize("served", [1, 100, 184, 364, 365])
def test_prorated_amount_matches_the_engine(served):
    engine = compute_schedule(
        rules=sicoval_2024(),
        start=date(2025, 7, 1),
        paid_in=PaidIn.EUROS,
        populations={2025: 951},
        exit_requested=None,
    ).periods[0]
    expected = (Decimal(951) * Decimal("0.50") * served / 365).quantize(Decimal("0.01"))
    assert engine.amount == Decimal("475.50")
    assert (
        rules.prorated_amount(
            rate=Decimal("0.50"),
            population=951,
            days_served=served,
            days_in_period=365,
            quantum=Decimal("0.01"),
        )
        == expected
    )


def test_prorated_amount_of_the_worked_example_exit_is_479_41():
    assert rules.prorated_amount(
        rate=Decimal("1.00"),
        population=951,
        days_served=184,
        days_in_period=365,
        quantum=Decimal("0.01"),
    ) == Decimal("479.41")
