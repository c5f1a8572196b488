"""The scheduler: due jobs run once per period, failures are recorded, servers may overlap."""

import io
import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.test import override_settings
from django.utils import timezone

from mutualis.contributions.models import Call
from mutualis.information.models import DigestSent, Post
from mutualis.information.services import watch as information_watch
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.operations import scheduler
from mutualis.operations.models import JobState, OutgoingEmail
from mutualis.operations.scheduler import JOBS, Job, run_due
from mutualis.operations.testing import ROOT, instance_env, mutualis
from mutualis.reviews.models import Review

CLAIM_SCRIPT = """
import json, sys, time
from datetime import timedelta
from mutualis.operations.scheduler import Job, run_due
time.sleep(max(0, {start} - time.time()))
outcomes = run_due(jobs=[Job("clean_expired", every=timedelta(hours=1))])
print(json.dumps([o.status for o in outcomes]))
"""

NUMBER_SCRIPT = """
import json, time
from django.db import transaction
from mutualis.core.numbering import next_number
time.sleep(max(0, {start} - time.time()))
numbers = []
for _ in range({count}):
    with transaction.atomic():
        numbers.append(next_number("appel", 2026))
print(json.dumps(numbers))
"""


def run_concurrently(script: str, env: dict, processes: int, **values) -> list:
    """Start `processes` app processes that all begin the script's work at the same instant."""
    start = time.time() + 4
    code = script.format(start=start, **values)
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "mutualis", "shell", "-v0", "-c", code],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    results = []
    for process in running:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_every_registered_job_is_a_management_command():
    commands = get_commands()
    assert [job.command for job in JOBS if job.command not in commands] == []


def test_due_jobs_run_once_per_period(db):
    jobs = [Job("heartbeat", every=timedelta(0)), Job("clean_expired", every=timedelta(hours=1))]
    first = {o.job: o.status for o in run_due(jobs=jobs)}
    assert first == {"heartbeat": "ran", "clean_expired": "ran"}
    second = {o.job: o.status for o in run_due(jobs=jobs)}
    assert second == {"heartbeat": "ran", "clean_expired": "skipped"}
    later = timezone.now() + timedelta(hours=1, seconds=1)
    assert {o.job: o.status for o in run_due(jobs=jobs, now=later)}["clean_expired"] == "ran"
    state = JobState.objects.get(name="clean_expired")
    assert state.run_count == 2 and state.last_success_at and state.running_since is None


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(db):
    jobs = [Job("no_such_command", every=timedelta(hours=1)), Job("heartbeat", every=timedelta(0))]
    outcomes = {o.job: o.status for o in run_due(jobs=jobs)}
    assert outcomes == {"no_such_command": "failed", "heartbeat": "ran"}
    state = JobState.objects.get(name="no_such_command")
    assert state.failure_count == 1 and "Unknown command" in state.last_error
    assert state.running_since is None


def test_a_job_left_running_by_a_dead_server_is_taken_again_after_its_timeout(db):
    job = Job("clean_expired", every=timedelta(minutes=1), timeout=timedelta(minutes=30))
    JobState.objects.create(name=job.name, running_since=timezone.now() - timedelta(minutes=5))
    assert run_due(jobs=[job])[0].status == "skipped"
    JobState.objects.filter(name=job.name).update(
        running_since=timezone.now() - timedelta(minutes=31)
    )
    assert run_due(jobs=[job])[0].status == "ran"


@override_settings(MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES=30)
def test_healthz_fails_on_a_stale_scheduler_and_names_the_check(client, db):
    JobState.objects.filter(name="heartbeat").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["scheduler"]
    assert response.json()["database"] is True and response.json()["migrations"] is True
    run_due(jobs=[Job("heartbeat", every=timedelta(0))])
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    JobState.objects.filter(name="heartbeat").update(
        last_success_at=timezone.now() - timedelta(minutes=31)
    )
    assert client.get("/healthz").status_code == 503


def test_overview_page_shows_every_job(client, coordinator, db):
    run_due(jobs=[Job("heartbeat", every=timedelta(0))])
    client.force_login(coordinator)
    page = client.get("/exploitation/")
    assert page.status_code == 200
    for job in JOBS:
        assert job.name in page.text


@pytest.fixture(scope="module")
def sqlite_instance(tmp_path_factory):
    env = instance_env(tmp_path_factory.mktemp("sqlite-servers"))
    mutualis("migrate", "-v0", env=env)
    return env


def test_two_servers_on_sqlite_run_each_job_once(sqlite_instance):
    results = run_concurrently(CLAIM_SCRIPT, sqlite_instance, processes=4)
    assert sorted(r[0] for r in results) == ["ran", "skipped", "skipped", "skipped"]


def test_two_servers_on_sqlite_number_documents_without_gap_or_duplicate(sqlite_instance):
    results = run_concurrently(NUMBER_SCRIPT, sqlite_instance, processes=2, count=60)
    numbers = sorted(n for r in results for n in r)
    assert numbers == list(range(1, 121))


CAPABILITY_JOBS = {
    "issue_calls",
    "close_memberships",
    "read_scanned_deliberations",
    "clean_deliberation_uploads",
    "cyber_reminders",
    "awareness_reminders",
    "contract_alerts",
    "send_alerts",
    "send_digest",
    "import_feeds",
    "compute_review",
}


def _effects() -> dict[str, int]:
    """What the capability jobs could create twice if one were not idempotent."""
    return {
        "emails": OutgoingEmail.objects.count(),
        "calls": Call.objects.count(),
        "posts": Post.objects.count(),
        "digests": DigestSent.objects.count(),
        "reviews": Review.objects.count(),
        "exits": Membership.objects.filter(status=Status.EXITED).count(),
    }


def test_every_capability_job_is_scheduled():
    assert {job.command for job in JOBS} >= CAPABILITY_JOBS


def test_run_scheduled_runs_each_due_job_once_and_a_rerun_changes_nothing(db, monkeypatch):
    # No network in tests: every feed answers with the sample the demo already imported.
    sample = (
        Path(information_watch.__file__).parents[1] / "tests/feeds/certfr-avis.xml"
    ).read_bytes()
    monkeypatch.setattr(information_watch, "fetch_url", lambda url, **kw: sample)
    out = io.StringIO()
    call_command("run_scheduled", stdout=out)  # exits non-zero if any job failed
    ran = {line.split(":")[0] for line in out.getvalue().splitlines() if ": ran" in line}
    assert ran >= CAPABILITY_JOBS
    assert {s.name: s.run_count for s in JobState.objects.filter(name__in=CAPABILITY_JOBS)} == (
        dict.fromkeys(CAPABILITY_JOBS, 1)
    )
    # Straight away, nothing is due again: the jobs are skipped.
    again = {o.job: o.status for o in run_due()}
    assert {again[name] for name in CAPABILITY_JOBS} == {"skipped"}
    # A week later every job is due and runs again; on the same day it finds nothing left to do.
    before = _effects()
    later = {o.job: o.status for o in run_due(now=timezone.now() + timedelta(days=8))}
    assert {later[name] for name in CAPABILITY_JOBS} == {"ran"}, later
    assert _effects() == before


def test_a_command_that_exits_is_recorded_as_failed_and_the_others_still_run(db, monkeypatch):
    def exit_on_first(command, *args, **kwargs):
        if command == "cyber_reminders":
            raise SystemExit(1)

    monkeypatch.setattr(scheduler, "call_command", exit_on_first)
    jobs = [Job("cyber_reminders", every=timedelta(days=1)), Job("heartbeat", every=timedelta(0))]
    assert {o.job: o.status for o in run_due(jobs=jobs)} == {
        "cyber_reminders": "failed",
        "heartbeat": "ran",
    }
    state = JobState.objects.get(name="cyber_reminders")
    assert state.running_since is None and "exit status 1" in state.last_error
