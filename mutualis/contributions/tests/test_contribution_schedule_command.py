"""mutualis contribution_schedule: the simulator on the command line, as the issue specifies."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutualis.contributions.models import Call


def run(*args) -> dict:
    out = StringIO()
    call_command("contribution_schedule", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_worked_example_as_json():
    data = json.loads(run("--insee", "31402", "--start", "2024-07-01", "--json"))
    assert data["insee_code"] == "31402"
    assert data["offer"] == "advanced-without-it"
    assert [p["amount"] for p in data["periods"]] == ["475.00", "951.00", "1141.20"]
    assert [p["rate"] for p in data["periods"]] == ["0.50", "1.00", "1.20"]
    assert data["periods"][0] == {
        "start": "2024-07-01",
        "end": "2025-06-30",
        "membership_year": 1,
        "population": 950,
        "population_vintage": 2024,
        "population_estimated": False,
        "rate": "0.50",
        "days_served": 365,
        "days_in_period": 365,
        "amount": "475.00",
        "days_owed": None,
    }
    assert data["total_amount"] == "2567.20"
    assert data["total_days_owed"] is None


@pytest.mark.django_db
def test_worked_example_with_an_exit_asked_in_2025():
    data = json.loads(
        run("--insee", "31402", "--start", "2024-07-01", "--exit-requested", "2025-09-15", "--json")
    )
    assert [p["amount"] for p in data["periods"]] == ["475.00", "479.41"]
    assert data["periods"][1]["days_served"] == 184
    assert data["total_amount"] == "954.41"


@pytest.mark.django_db
def test_commune_with_it_department_owes_days_not_euros():
    data = json.loads(run("--insee", "31254", "--start", "2024-09-01", "--json"))
    assert data["offer"] == "advanced-with-it"
    assert [p["days_owed"] for p in data["periods"]] == ["24.0", "24.0", "20.0"]
    assert all(p["amount"] is None for p in data["periods"])
    assert data["total_amount"] is None
    assert data["total_days_owed"] == "68.0"


@pytest.mark.django_db
def test_an_explicit_offer_and_programme_are_honoured():
    data = json.loads(
        run(
            "--insee",
            "31254",
            "--start",
            "2026-07-01",
            "--offer",
            "advanced-without-it",
            "--programme",
            "sicoval-2024",
            "--json",
        )
    )
    assert data["offer"] == "advanced-without-it"
    assert data["periods"][0]["amount"] == "2223.50"  # 4447 × 0.50


@pytest.mark.django_db
def test_a_start_outside_the_programme_is_refused_with_a_message():
    with pytest.raises(CommandError, match=r"Odars.*en dehors du programme"):
        run("--insee", "31402", "--start", "2023-07-01", "--json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--insee", "99999", "--start", "2024-07-01"], "Aucune commune"),
        (["--insee", "31402", "--start", "juillet"], "n'est pas une date"),
        (["--insee", "31402", "--start", "2024-07-01", "--offer", "base"], "gratuite"),
        (["--insee", "31402", "--start", "2024-07-01", "--programme", "nope"], "inconnu"),
    ],
)
def test_bad_arguments_are_refused_in_french(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_the_simulator_writes_nothing():
    before = Call.objects.count()
    text = run("--insee", "31402", "--start", "2024-07-01")
    assert "475.00 €" in text and "total : 2567.20 €" in text
    assert Call.objects.count() == before
