"""Time one call-for-contributions PDF, after a first render has loaded the fonts.

Run by the bench in its own process: a throw-away SQLite database with the demo (which issues
calls), then the call PDF of one issued call rendered N times. Prints JSON seconds per document.
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
    from mutualis.contributions.services import _document_context
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
    print(
        json.dumps(
            {"median_seconds": times[len(times) // 2], "bytes": len(pdf), "renders": renders}
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
