"""Scheduled work: the one list of periodic jobs, and `run_due()` that runs what is due.

Every job is an idempotent management command. To add one, add a line to JOBS:

    Job("issue_calls", every=timedelta(days=1)),

`mutualis run_scheduled` (from cron, every minute or five, on every app server) calls run_due().
A due job is claimed with one conditional UPDATE of its JobState row ("due, and not running
unless the run is older than its timeout"): the database row lock makes the claim atomic, so when
two servers start at the same moment exactly one of them wins each job for the period. On SQLite
the IMMEDIATE transaction mode serialises the claims in the same way.
"""

import io
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone

from mutualis.operations.models import JobState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    every: timedelta
    args: tuple[str, ...] = ()
    # A run older than this is presumed dead (server crashed) and the job may be claimed again.
    timeout: timedelta = timedelta(hours=2)

    @property
    def name(self) -> str:
        return " ".join((self.command, *self.args))


DAILY = timedelta(days=1)

JOBS: list[Job] = [
    Job("heartbeat", every=timedelta(0)),
    Job("send_outbox", every=timedelta(minutes=1), timeout=timedelta(minutes=30)),
    Job("clean_expired", every=timedelta(hours=1)),
    Job("erase_deactivated_accounts", every=timedelta(hours=1)),
    Job("report_stale_proconnect", every=timedelta(days=7)),  # accounts: ProConnect unused
    # The capabilities' periodic work. Each command is idempotent: a second run in the same
    # period changes nothing and sends nothing twice (each has a test saying so in its app).
    Job("issue_calls", every=DAILY),  # contributions: calls due by today, each issued once
    Job("close_memberships", every=DAILY),  # membership: exits come due, programme end
    # membership: scanned deliberations read by OCR; each document is claimed on its own row, so
    # a run still going when the next one starts on another server never reads it twice.
    Job("read_scanned_deliberations", every=timedelta(minutes=1)),
    Job("clean_deliberation_uploads", every=DAILY),  # membership: uploads never confirmed
    Job("cyber_reminders", every=DAILY),  # cyber: the 6-month check-in reminder, once
    Job("awareness_reminders", every=DAILY),  # awareness: each reminder once per campaign
    Job("contract_alerts", every=DAILY),  # purchasing: notice deadlines, once per deadline
    Job("send_alerts", every=timedelta(minutes=5), timeout=timedelta(minutes=30)),  # information
    Job("send_digest", every=timedelta(days=7)),  # information: one letter per ISO week
    Job("import_feeds", every=timedelta(hours=1), timeout=timedelta(minutes=50)),  # watch feeds
    Job("compute_review", every=DAILY),  # reviews: recomputes the current draft, never published
]

HEARTBEAT = "heartbeat"


@dataclass
class Outcome:
    job: str
    status: str  # "ran", "failed" or "skipped" (not due, or running on another server)
    output: str = ""


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(job: Job, now: datetime, runner: str) -> bool:
    return bool(
        JobState.objects.filter(name=job.name, next_due_at__lte=now)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=now - job.timeout))
        .update(
            next_due_at=now + job.every,
            running_since=now,
            runner=runner,
            last_started_at=now,
            run_count=F("run_count") + 1,
        )
    )


def run_due(*, jobs: list[Job] | None = None, now: datetime | None = None) -> list[Outcome]:
    """Run every due job once; return what happened to each."""
    jobs = JOBS if jobs is None else jobs
    runner = runner_name()
    JobState.objects.bulk_create([JobState(name=job.name) for job in jobs], ignore_conflicts=True)
    outcomes = []
    for job in jobs:
        started = now or timezone.now()
        if not _claim(job, started, runner):
            outcomes.append(Outcome(job.name, "skipped"))
            continue
        output = io.StringIO()
        try:
            try:
                call_command(job.command, *job.args, stdout=output, stderr=output)
            except SystemExit as exit_:  # a command that exits must not stop the scheduler
                if exit_.code not in (None, 0):
                    message = f"exit status {exit_.code}: {output.getvalue()[-500:]}"
                    raise RuntimeError(message) from exit_
        except Exception as error:  # one failing job must not stop the others
            logger.exception("scheduled job %s failed", job.name)
            JobState.objects.filter(name=job.name).update(
                running_since=None,
                last_finished_at=timezone.now(),
                last_error=f"{type(error).__name__}: {error}"[:2000],
                failure_count=F("failure_count") + 1,
            )
            outcomes.append(Outcome(job.name, "failed", str(error)))
            continue
        finished = timezone.now()
        JobState.objects.filter(name=job.name).update(
            running_since=None, last_finished_at=finished, last_success_at=finished, last_error=""
        )
        outcomes.append(Outcome(job.name, "ran", output.getvalue().strip()))
    return outcomes


def heartbeat_age(now: datetime | None = None) -> timedelta | None:
    """Time since the scheduler last ran, or None if it never has."""
    last = JobState.objects.filter(name=HEARTBEAT).values_list("last_success_at", flat=True).first()
    return None if last is None else (now or timezone.now()) - last
