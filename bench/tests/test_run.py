"""Smoke test of the bench: the figure registry runs end to end on tiny data (SQLite).

The figures' values mean nothing here (the suite runs beside it on the same cores); what is
checked is the report's shape and the met/target logic. The figures that need a France-sized
database, a server under load or the demo (queries, pages, soak, call PDF) take longer than a smoke test may: they
run in `bench/run.py --tiny` by hand, not here.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.figures import FIGURES

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "database", "value", "unit", "target", "better", "met"}


@pytest.fixture(scope="module")
def report():
    slow = {"queries_per_page", "pages_under_load", "soak", "calls"}
    only = [f.__name__ for f in FIGURES if f.__name__ not in slow]
    args = [sys.executable, "bench/run.py", "--tiny", "--json"]
    for name in only:
        args += ["--only", name]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), only


def test_report_has_the_cores_and_one_entry_per_figure(report):
    data, _only = report
    assert isinstance(data["cores"], int) and data["cores"] >= 1
    for figure in data["figures"]:
        assert set(figure) >= KEYS, figure
        assert figure["better"] in {"higher", "lower"}
        assert figure["database"] in {"sqlite", "postgresql", "none"}


def test_met_follows_the_target_and_a_missing_value_says_why(report):
    data, _only = report
    for figure in data["figures"]:
        if figure["target"] is None or figure["value"] is None:
            assert figure["met"] is None, figure
        elif figure["better"] == "higher":
            assert figure["met"] == (figure["value"] >= figure["target"]), figure
        else:
            assert figure["met"] == (figure["value"] <= figure["target"]), figure
        if figure["value"] is None:
            assert figure.get("note"), figure


def test_every_registered_figure_function_reported(report):
    data, only = report
    names = " ".join(f["name"] for f in data["figures"])
    expected = {
        "import_france": "import France",
        "schedules": "schedules",
        "queries_per_page": "queries:",
        "pages_under_load": "share of the trivial view",
        "soak": "soak:",
        "calls": "call PDF",
        "deliberation_reading": "deliberation reading",
    }
    for function in only:
        assert expected[function] in names, function
