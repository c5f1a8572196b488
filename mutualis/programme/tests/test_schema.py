"""The programme file is validated whole: every corruption is refused with key path and problem."""

from pathlib import Path

import pytest

from mutualis.programme.schema import ProgrammeFileError, parse_programme

SICOVAL = (Path(__file__).resolve().parents[3] / "programmes" / "sicoval-2024.toml").read_text()


def _refused(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ProgrammeFileError) as error:
        parse_programme(text, source="test.toml")
    return error.value.problems


def test_the_shipped_sicoval_programme_is_valid():
    spec = parse_programme(SICOVAL)
    assert spec.programme.start.isoformat() == "2024-07-01"
    assert spec.programme.end.isoformat() == "2027-06-30"
    assert spec.programme.free_exit_date.isoformat() == "2025-12-31"
    assert spec.programme.review_period_months == 6
    assert [o.code for o in spec.offers] == ["base", "advanced-without-it", "advanced-with-it"]
    assert [str(r) for r in spec.offer("advanced-without-it").contribution.rates] == [
        "0.50",
        "1.00",
        "1.20",
    ]
    assert spec.offer("advanced-with-it").contribution.days_per_year == 24
    assert len(spec.base_offer.axes) == 4
    assert spec.offer("advanced-with-it").is_open_to(has_it_department=True)
    assert not spec.offer("advanced-with-it").is_open_to(has_it_department=False)


def test_wrong_type_is_refused_with_its_key_path():
    problems = _refused(SICOVAL.replace("review_period_months = 6", 'review_period_months = "six"'))
    assert problems == [
        ("programme.review_period_months", "un nombre entier est attendu (valeur lue : 'six')")
    ]


def test_missing_key_is_refused():
    problems = _refused(SICOVAL.replace('operator_name = "Sicoval"\n', ""))
    assert problems == [("programme.operator_name", "clé obligatoire absente")]


def test_empty_rate_schedule_is_refused():
    problems = _refused(SICOVAL.replace('rates = ["0.50", "1.00", "1.20"]', "rates = []"))
    assert problems[0][0] == "offers[1].contribution.rates"
    assert "ne doit pas être vide" in problems[0][1]


def test_negative_rate_is_refused():
    problems = _refused(SICOVAL.replace('"1.00", "1.20"]', '"-1.00", "1.20"]'))
    assert problems[0][0] == "offers[1].contribution.rates[1]"
    assert "négative" in problems[0][1]


def test_end_date_before_start_is_refused():
    problems = _refused(SICOVAL.replace("end = 2027-06-30", "end = 2023-06-30"))
    assert problems == [
        ("programme", "la date de fin (end) doit être postérieure à la date de début (start)")
    ]


def test_unknown_key_is_refused():
    problems = _refused(
        SICOVAL.replace("review_period_months = 6", "review_period_months = 6\nreview_every = 3")
    )
    assert problems == [("programme.review_every", "clé inconnue (valeur lue : 3)")]


def test_unknown_capacity_pool_reference_is_refused():
    problems = _refused(SICOVAL.replace('capacity_pool = "team"', 'capacity_pool = "nobody"'))
    assert "vivier de capacité" in problems[0][1]


def test_unreadable_toml_is_refused():
    problems = _refused("[programme\nslug=")
    assert problems[0][1].startswith("TOML illisible")
