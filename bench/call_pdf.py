"""Time one call-for-contributions PDF (after a first render has loaded the fonts) and issuing a call.

Run by the bench in its own process: a throw-away SQLite database with the demo (which issues
calls), then the call PDF of one issued call rendered N times, then `issue_calls` for the next
periods that fall due (rolled back after each run). Prints JSON seconds per document.
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(renders: int) -> None:
    tmp = tempfile.mkdtemp(prefix="mutualis-bench-call-")
    os.environ["MUTUALIS_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)  # always its own throw-away SQLite database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings_test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mutualis.demo.steps import load_demo

    load_demo(log=lambda line: None)
    from mutualis.contributions.models import Call
    from mutualis.contributions.services.calls import _document_context
    from mutualis.core.pdf import render_pdf

    call = Call.objects.select_related("membership__programme", "commune").first()
    context = {
        **_document_context(call.membership.programme),
        "call": call,
        "commune": call.commune,
        "offer": call.membership.programme.spec.offer(call.membership.offer_code),
    }
    render_pdf("contributions/call_pdf.html", context)  # loads the fonts
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        pdf = render_pdf("contributions/call_pdf.html", context)
        times.append(time.perf_counter() - started)
    times.sort()
    issue_seconds, issued = _issue_times(runs=max(3, renders // 3))
    print(
        json.dumps(
            {
                "median_seconds": times[len(times) // 2],
                "bytes": len(pdf),
                "renders": renders,
                "issue_seconds_per_call": issue_seconds,
                "issued_per_run": issued,
            }
        )
    )


def _issue_times(*, runs: int) -> tuple[float, int]:
    """`issue_calls` for a commune that joins an advanced offer at the programme's start (its
    periods up to today fall due): number, PDF, audit entry, saved. Rolled back after each run.
    Median seconds per call issued."""
    from datetime import date

    from django.db import transaction

    from mutualis.accounts.models import User
    from mutualis.contributions.services import issue_calls
    from mutualis.membership.enums import Status
    from mutualis.membership.models import Membership
    from mutualis.programme.models import Programme
    from mutualis.territory.models import Commune

    programme = Programme.objects.preferred()  # the demo's running programme
    spec = programme.spec
    by = User.objects.get(username="finance")
    advanced = Membership.objects.exclude(offer_code="base").values("commune_id")
    commune = (
        Commune.objects.filter(epci__siren__in=spec.programme.epci_sirens, has_it_department=False)
        .exclude(pk__in=advanced)
        .order_by("insee_code")
        .first()
    )
    on = date.today()
    per_call, issued = [], 0
    for _ in range(runs):
        with transaction.atomic():
            Membership.objects.create(
                programme=programme,
                commune=commune,
                offer_code="advanced-without-it",
                status=Status.ACTIVE,
                applied_on=spec.programme.start,
                start_date=spec.programme.start,
            )
            started = time.perf_counter()
            run = issue_calls(programme=programme, on=on, by=by)
            elapsed = time.perf_counter() - started
            issued = len(run.issued)
            if not issued:
                raise SystemExit(f"nothing to issue for {commune} on {on}: {run.message()}")
            per_call.append(elapsed / issued)
            transaction.set_rollback(True)
    per_call.sort()
    return per_call[len(per_call) // 2], issued


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
