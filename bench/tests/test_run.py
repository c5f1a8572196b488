"""Smoke test of the bench: the figure registry runs end to end on tiny data (SQLite).

The figures' values mean nothing here (the suite runs beside it on the same cores); what is
checked is the report's shape, the met/target logic, and that every figure still runs: the pages
answer under load with no error (no redirect to sign-in, no 429, no 503), the call is issued.
Every figure runs when wrk is installed (`bin/test` installs it), about two minutes; without wrk
the figures that need it are left out and the test that needs them says so.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.figures import FIGURES

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"name", "database", "value", "unit", "target", "better", "met"}
WRK = shutil.which("wrk")


@pytest.fixture(scope="module")
def report():
    needs_wrk = {"pages_under_load", "soak"}
    only = [f.__name__ for f in FIGURES if WRK or f.__name__ not in needs_wrk]
    args = [sys.executable, "bench/run.py", "--tiny", "--json"]
    for name in only:
        args += ["--only", name]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
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
        "calls": "call issue",
        "deliberation_reading": "deliberation reading",
    }
    for function in only:
        assert expected[function] in names, function
    if "pages_under_load" in only:
        assert "server CPU per request, times the trivial view's" in names


@pytest.mark.skipif(not WRK, reason="wrk is not installed (bin/test installs it as root)")
def test_the_pages_answer_under_load_without_error(report):
    data, _only = report
    errors = [f for f in data["figures"] if f["name"].endswith(": errors")]
    assert len(errors) >= 5, "four pages and the soak"
    for figure in errors:
        assert figure["value"] == 0, figure
