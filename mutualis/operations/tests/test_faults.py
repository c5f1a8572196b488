"""Fault tests on a throwaway PostgreSQL cluster of their own (initdb + pg_ctl under /tmp, another
port): the database restarts under load, and several app servers work on one database at once.

They run in the PostgreSQL CI run (DATABASE_URL=postgres://...); the SQLite run skips them.
The SMTP-down and disk-refuses-an-upload faults are tested on any database, in test_outbox.py
and core/tests/test_uploads.py.
"""

import json
import os
import threading
import time

import pytest

from mutualis.operations.testing import (
    Browser,
    ThrowawayCluster,
    gunicorn,
    instance_env,
    mutualis,
    postgres_binaries,
)
from mutualis.operations.tests.test_scheduler import CLAIM_SCRIPT, NUMBER_SCRIPT, run_concurrently

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="fault tests run in the PostgreSQL run (.ci/run): they need PostgreSQL semantics",
    ),
    pytest.mark.skipif(
        postgres_binaries() is None,
        reason="PostgreSQL server binaries (initdb, pg_ctl) are not installed",
    ),
]

PASSWORD = "fault-test-password"


@pytest.fixture(scope="module")
def cluster():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    port = 55432 + int(worker.removeprefix("gw") or 0)
    instance = ThrowawayCluster(postgres_binaries(), port)
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def app_env(cluster, tmp_path_factory):
    """A production-like instance on the throwaway cluster, with a coordinator account."""
    base = tmp_path_factory.mktemp("faults")
    env = instance_env(
        base,
        database_url=cluster.create_database("mutualis_faults"),
        MUTUALIS_SECURE_COOKIES="0",
        MUTUALIS_SSL_REDIRECT="0",
        MUTUALIS_HSTS_SECONDS="0",
        MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS="0",
        MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES="0",
    )
    mutualis("migrate", "-v0", env=env)
    mutualis("collectstatic", "--noinput", "-v0", env=env)
    mutualis(
        "shell",
        "-v0",
        "-c",
        "from mutualis.accounts.models import User;"
        f"User.objects.create_user('coord', password='{PASSWORD}', staff_role='coordinator')",
        env=env,
    )
    return env


def _consistency(env) -> dict:
    script = (
        "import json; from mutualis.accounts.models import Invitation;"
        "from mutualis.core.models import AuditEvent; from mutualis.operations.models import OutgoingEmail;"
        "emails = set(Invitation.objects.values_list('email', flat=True));"
        "audited = set(AuditEvent.objects.filter(action='accounts.invited').values_list('object_id', flat=True));"
        "mailed = {r[0] for r in OutgoingEmail.objects.values_list('recipients', flat=True)};"
        "ids = {str(i) for i in Invitation.objects.values_list('id', flat=True)};"
        "print(json.dumps({'invitations': len(emails), 'without_audit': len(ids - audited),"
        " 'without_mail': len(emails - mailed), 'orphan_mail': len(mailed - emails)}))"
    )
    return json.loads(mutualis("shell", "-v0", "-c", script, env=env).stdout.strip())


def test_the_app_recovers_from_a_database_restart_under_load(cluster, app_env):
    with gunicorn(app_env, workers=2) as url:
        browser = Browser(url)
        browser.sign_in("coord", PASSWORD)
        token = browser.csrf("/comptes/invitations/")
        results: list[tuple[float, int, str]] = []
        stop = threading.Event()

        def load():
            i = 0
            while not stop.is_set():
                i += 1
                data = {"email": f"p{i}@example.fr", "staff_role": "observer"}
                try:
                    status, _h, body = browser.request(
                        "/comptes/invitations/", data | {"csrfmiddlewaretoken": token}
                    )
                except OSError as error:  # no HTTP answer at all: a crashed worker
                    status, body = 0, str(error)
                results.append((time.monotonic(), status, body))

        thread = threading.Thread(target=load)
        thread.start()
        time.sleep(1.5)
        restarted = time.monotonic()
        cluster.restart()
        back = time.monotonic()
        time.sleep(3)
        stop.set()
        thread.join(timeout=60)

    statuses = [s for _t, s, _b in results]
    assert set(statuses) <= {302, 500}, sorted(set(statuses))
    assert all("Traceback" not in b and "psycopg" not in b for _t, _s, b in results)
    before = [s for t, s, _b in results if t < restarted]
    after = [s for t, s, _b in results if t > back + 1]
    assert before and set(before) == {302}
    assert after and set(after) == {302}, "the app did not recover after the restart"
    state = _consistency(app_env)
    assert state["invitations"] >= statuses.count(302)
    assert state["without_audit"] == state["without_mail"] == state["orphan_mail"] == 0
    print(
        f"\nDB restart: {len(results)} requests, {statuses.count(302)} ok, "
        f"{statuses.count(500)} answered 500 during {back - restarted:.1f} s of restart"
    )


def test_two_app_servers_claim_each_scheduled_job_once(app_env):
    results = run_concurrently(CLAIM_SCRIPT, app_env, processes=4)
    assert sorted(r[0] for r in results) == ["ran", "skipped", "skipped", "skipped"]


def test_two_app_servers_number_documents_without_gap_or_duplicate(app_env):
    results = run_concurrently(NUMBER_SCRIPT, app_env, processes=3, count=100)
    numbers = sorted(n for r in results for n in r)
    assert numbers == list(range(1, 301))
