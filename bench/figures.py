"""Every figure of the bench. A figure function takes the run's Bench and returns its Figures;
FIGURES lists them, in the order they run and print. Add a capability's figure here."""

import random
import time
from datetime import date
from functools import partial
from pathlib import Path

from bench.core import ROOT, Bench, Figure, median
from bench.pages import PAGES, TRIVIAL

# --- targets (issues 5 and 18) ---------------------------------------------------------------
IMPORT_SECONDS = 5.0
IMPORT_PEAK_MB = 300.0
SCHEDULES_PER_SECOND = 50_000.0
CPU_TIMES_TRIVIAL = 6.0  # a page's server CPU per request / the trivial view's, same run
SHARE_OF_TRIVIAL = 15.0  # % of the trivial view's throughput, same server, same run
P95_MS = 50.0  # at 8 connections, on a quiet machine
CALL_PDF_SECONDS = 0.15
DELIBERATIONS_PER_SECOND = 500.0
DELIBERATION_PDF_PAGE_MS = 30.0
SOAK_GROWTH = 10.0  # % of the workers' memory


def _newest(data: Path) -> int:
    return max(int(p.name.split("-")[1].split(".")[0]) for p in data.glob("communes-*.json*"))


def import_france(bench: Bench) -> list[Figure]:
    """`mutualis import_territory` of the newest vintage of whole France into an empty database,
    in a fresh process: wall time and the process's peak resident memory."""
    vintage = _newest(bench.data)
    communes = str(next(bench.data.glob(f"communes-{vintage}.json*")))
    epcis = str(next(bench.data.glob(f"epci-{vintage}.json*")))
    figures = []
    for database in bench.databases:
        bench.ready(database, "empty")
        seconds, peaks = [], []
        for run in range(bench.runs):
            bench.log(f"{database}: import of France {vintage}, run {run + 1}/{bench.runs}")
            bench.copy_database(database, "empty", "import")
            result = bench.worker(
                database,
                "import",
                "import",
                "--communes",
                communes,
                "--epcis",
                epcis,
                "--vintage",
                str(vintage),
            )
            seconds.append(result["seconds"])
            peaks.append(result["peak_mb"])
        note = f"{result['communes']} communes, {bench.data_source}"
        figures += [
            Figure(
                "import France: time",
                database,
                median(seconds),
                "s",
                IMPORT_SECONDS,
                "lower",
                len(seconds),
                note,
            ),
            Figure(
                "import France: peak memory",
                database,
                median(peaks),
                "MB",
                IMPORT_PEAK_MB,
                "lower",
                len(peaks),
            ),
        ]
    return figures


def schedules(bench: Bench) -> list[Figure]:
    """compute_schedule for every commune of France with a population totale, populations in
    memory (every vintage of the data), seeded start dates and exits, paid in euros."""
    from mutualis.contributions.schedule import ContributionRules, PaidIn, compute_schedule
    from mutualis.territory.etalab import load_json, parse_epcis

    rules = _contribution_rules()
    populations: dict[str, dict[int, int]] = {}
    for path in sorted(bench.data.glob("epci-*.json*")):
        vintage = int(path.name.split("-")[1].split(".")[0])
        for epci in parse_epcis(load_json(path)):
            for member in epci.members:
                if member.population_total is not None:
                    populations.setdefault(member.insee_code, {})[vintage] = member.population_total
    rng = random.Random(5)
    months = [
        date(y, m, 1)
        for y in range(rules.programme_start.year, rules.programme_end.year + 1)
        for m in range(1, 13)
        if rules.programme_start <= date(y, m, 1) < rules.programme_end
    ]
    # A commune created after the programme's first vintage has no population to compute its
    # first period from: the engine rightly refuses it, so it is left out of the timed set.
    first = rules.programme_start.year
    valid = [v for v in populations.values() if min(v) <= first]
    jobs = []
    for by_vintage in valid:
        start = rng.choice(months)
        exit_requested = None
        if rng.random() < 0.1:
            exit_requested = rng.choice([m for m in months if m > start] or [None])
        jobs.append((start, exit_requested, by_vintage))
    assert isinstance(rules, ContributionRules)
    rates = []
    for _ in range(bench.runs):
        started = time.perf_counter()
        for start, exit_requested, by_vintage in jobs:
            compute_schedule(
                rules=rules,
                start=start,
                paid_in=PaidIn.EUROS,
                populations=by_vintage,
                exit_requested=exit_requested,
            )
        rates.append(len(jobs) / (time.perf_counter() - started))
    return [
        Figure(
            "schedules for every commune",
            "none",
            median(rates),
            "communes/s",
            SCHEDULES_PER_SECOND,
            "higher",
            len(rates),
            f"{len(jobs)} communes ({len(populations) - len(valid)} without a {first} population left out)",
        )
    ]


def _contribution_rules():
    """The Sicoval programme file's contribution rules, as the schedule engine takes them."""
    from mutualis.contributions.schedule import ContributionRules
    from mutualis.programme.schema import parse_programme

    spec = parse_programme((ROOT / "programmes/sicoval-2024.toml").read_text(encoding="utf-8"))
    kinds = {o.contribution.kind: o.contribution for o in spec.offers}
    return ContributionRules(
        programme_start=spec.programme.start,
        programme_end=spec.programme.end,
        free_exit_date=spec.programme.free_exit_date,
        rates=tuple(kinds["per_inhabitant"].rates),
        days_per_year=kinds["days_in_kind"].days_per_year,
        days_rounding_step=spec.contributions.days_rounding_step,
        money_quantum=spec.contributions.money_quantum,
    )


def queries_per_page(bench: Bench) -> list[Figure]:
    """SQL queries of each page (signed-in coordinator, second view) with the demo's 36 communes
    and with whole France: the second must not exceed the first."""
    figures = []
    for database in bench.databases:
        small = bench.worker(database, bench.ready(database, "demo"), "queries")
        large = bench.worker(database, bench.ready(database, "france"), "queries")
        for name, _url in PAGES:
            figures += [
                Figure(
                    f"queries: {name} ({small['communes']} communes)",
                    database,
                    small["queries"][name],
                    "queries",
                ),
                Figure(
                    f"queries: {name} ({large['communes']} communes)",
                    database,
                    large["queries"][name],
                    "queries",
                    small["queries"][name],
                    "lower",
                    note=f"target: the count with {small['communes']} communes",
                ),
            ]
    return figures


def pages_under_load(bench: Bench) -> list[Figure]:
    """Each page and the trivial view under wrk (1 thread, 8 connections, signed-in coordinator)
    against gunicorn with 2 workers, whole France loaded; runs alternate between the targets so
    that the page / trivial ratio compares the same moments."""
    from bench.load import CONNECTIONS, Server, ensure_wrk, wrk

    ensure_wrk(bench.log)
    seconds = bench.scaled(10, 4, 1)
    figures = []
    for database in bench.databases:
        bench.ready(database, "france")
        with Server(bench, database, "france") as server:
            targets = [TRIVIAL, *PAGES]
            load = partial(wrk, server)

            for _name, path in targets:
                server.check(path)
                load(path, bench.scaled(2, 1, 1))  # warm-up: imports
            results = {name: [] for name, _ in targets}
            for run in range(bench.runs):
                bench.log(f"{database}: pages under load, run {run + 1}/{bench.runs}")
                for name, path in targets:
                    results[name].append(load(path, seconds))
            trivial_rates = [r.rate for r in results[TRIVIAL[0]]]
            trivial_cpu = [r.server_cpu_ms for r in results[TRIVIAL[0]]]
            bench.cache[("peak", database)] = {
                name: median([r.rate for r in rs]) for name, rs in results.items()
            }
        note = f"{CONNECTIONS} connections, {seconds:.0f} s per run"
        for name, rs in results.items():
            runs = len(rs)
            figures.append(
                Figure(
                    f"{name}: throughput",
                    database,
                    median([r.rate for r in rs]),
                    "req/s",
                    runs=runs,
                    note=note,
                )
            )
            targeted = name != TRIVIAL[0]
            if targeted:
                shares = [100 * r.rate / t for r, t in zip(rs, trivial_rates, strict=True)]
                cpu_ratios = [
                    r.server_cpu_ms / t if t else 0.0 for r, t in zip(rs, trivial_cpu, strict=True)
                ]
                figures += [
                    Figure(
                        f"{name}: share of the trivial view",
                        database,
                        median(shares),
                        "%",
                        SHARE_OF_TRIVIAL,
                        "higher",
                        runs,
                    ),
                    Figure(
                        f"{name}: server CPU per request, times the trivial view's",
                        database,
                        median(cpu_ratios),
                        "×",
                        CPU_TIMES_TRIVIAL,
                        "lower",
                        runs,
                        "ratio of the gunicorn workers' CPU per request, run by run",
                    ),
                ]
            p95_target = P95_MS if targeted else None
            figures += [
                Figure(
                    f"{name}: server CPU per request",
                    database,
                    median([r.server_cpu_ms for r in rs]),
                    "ms",
                    runs=runs,
                    note="the gunicorn workers' CPU time / requests: steadier than latency "
                    "when other processes share the cores",
                ),
                Figure(
                    f"{name}: p50 latency",
                    database,
                    median([r.p50_ms for r in rs]),
                    "ms",
                    runs=runs,
                ),
                Figure(
                    f"{name}: p95 latency",
                    database,
                    median([r.p95_ms for r in rs]),
                    "ms",
                    p95_target,
                    "lower",
                    runs,
                ),
                Figure(
                    f"{name}: p99 latency",
                    database,
                    median([r.p99_ms for r in rs]),
                    "ms",
                    runs=runs,
                ),
            ]
            if name != TRIVIAL[0]:
                figures.append(
                    Figure(
                        f"{name}: errors",
                        database,
                        sum(r.errors for r in rs),
                        "errors",
                        0,
                        "lower",
                        runs,
                        "sum over the runs",
                    )
                )
    return figures


def soak(bench: Bench) -> list[Figure]:
    """The four pages in turn at half their peak mixed rate for 10 minutes (SQLite): errors, and
    the resident memory of the gunicorn workers at the start and the end."""
    from bench.load import CONNECTIONS, Server, ensure_wrk, wrk

    ensure_wrk(bench.log)
    database = "sqlite"
    duration = bench.scaled(600, 30, 3)
    bench.ready(database, "france")
    paths = [path for _name, path in PAGES]
    with Server(bench, database, "france") as server:
        for path in paths:
            server.check(path)
        # On a loaded machine a one-second run (--tiny) may finish no request: pace the soak as
        # if one had, rather than divide by zero.
        peak = max(wrk(server, "/", bench.scaled(10, 5, 1), paths=paths).rate, 1.0)
        target_rate = peak / 2
        cycle_ms = 1000 * CONNECTIONS / target_rate
        service_ms = 1000 * 2 / peak
        delay = max(0, round(cycle_ms - service_ms))
        trial = wrk(server, "/", bench.scaled(10, 5, 1), paths=paths, delay_ms=delay)
        if trial.rate:
            latency_ms = 1000 * CONNECTIONS / trial.rate - delay
            delay = max(0, round(cycle_ms - latency_ms))
        start_mb = server.worker_rss_mb()
        bench.log(f"soak: {duration:.0f} s at ~{target_rate:.0f} req/s (peak {peak:.0f})")
        result = wrk(server, "/", duration, paths=paths, delay_ms=delay)
        end_mb = server.worker_rss_mb()
    growth = 100 * (end_mb - start_mb) / start_mb
    note = f"{duration:.0f} s, aimed at {target_rate:.0f} req/s = half the mix peak {peak:.0f}"
    return [
        Figure("soak: rate", database, result.rate, "req/s", note=note),
        Figure(
            "soak: errors",
            database,
            result.errors,
            "errors",
            0,
            "lower",
            note=f"{result.requests} requests",
        ),
        Figure("soak: workers' memory at start", database, start_mb, "MB"),
        Figure("soak: workers' memory at end", database, end_mb, "MB"),
        Figure("soak: memory growth", database, growth, "%", SOAK_GROWTH, "lower"),
        Figure("soak: p99 latency", database, result.p99_ms, "ms"),
    ]


# --- capabilities being built: listed, measured once their module lands -----------------------


def calls(bench: Bench) -> list[Figure]:
    """Rendering a one-page call for contributions PDF after a first render has loaded the fonts
    (per document), and issuing calls (number, PDF, audit entry, saved; per call), in a process of
    its own with the demo's calls."""
    import json
    import subprocess
    import sys

    renders = int(bench.scaled(20, 10, 3))
    bench.log(f"call PDF: demo database, then {renders} renders")
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "call_pdf.py"), str(renders)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Figure(
            "call PDF rendering (one page)",
            "none",
            result["median_seconds"],
            "s",
            CALL_PDF_SECONDS,
            "lower",
            note=f"median of {renders} renders, {result['bytes']} bytes",
        ),
        Figure(
            "call issue (per call, PDF included)",
            "sqlite",
            result["issue_seconds_per_call"],
            "s",
            note=f"issue_calls of {result['issued_per_run']} calls falling due, rolled back",
        ),
    ]


def _deliberation_folder(folder: Path, count: int) -> list[Path]:
    """`count` text deliberations, varied from the project's own test documents (seeded)."""
    sources = sorted((ROOT / "mutualis" / "membership" / "tests" / "documents").glob("*.txt"))
    rng = random.Random(2024)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        text = rng.choice(sources).read_text(encoding="utf-8")
        # vary the number and the votes so no two documents are the same text
        text = text.replace("2024", str(2020 + index % 7)).replace("Pour", f"Pour ({index})", 1)
        path = folder / f"deliberation-{index:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def deliberation_reading(bench: Bench) -> list[Figure]:
    """Reading council deliberations from a folder: file read, parse and legal checks, documents
    per second from text (1,000 documents; 200 in quick mode), and from PDF text layers."""
    import tempfile

    from mutualis.membership.deliberations.checks import CheckContext, check
    from mutualis.membership.deliberations.pdf import read_file
    from mutualis.membership.deliberations.reader import read_text
    from mutualis.membership.tests.pdf_helpers import text_pdf

    count = int(bench.scaled(1000, 1000, 100))
    context = CheckContext(commune_known=False)
    with tempfile.TemporaryDirectory(prefix="mutualis-bench-delib-") as tmp:
        texts = _deliberation_folder(Path(tmp) / "text", count)
        pdf_folder = Path(tmp) / "pdf"
        pdf_folder.mkdir()
        pdfs = []
        for path in texts[: max(count // 10, 20)]:
            target = pdf_folder / (path.stem + ".pdf")
            lines = path.read_text(encoding="utf-8").encode("cp1252", "replace").decode("cp1252")
            target.write_bytes(text_pdf(lines.splitlines()))
            pdfs.append(target)

        def rate(paths: list[Path]) -> float:
            started = time.perf_counter()
            for path in paths:
                reading = read_text(read_file(path))
                check(reading, context=context)
            return len(paths) / (time.perf_counter() - started)

        text_rates, pdf_rates = [], []
        for run in range(bench.runs):
            bench.log(f"deliberation reading, run {run + 1}/{bench.runs}")
            text_rates.append(rate(texts))
            pdf_rates.append(rate(pdfs))
    return [
        Figure(
            "deliberation reading from text",
            "none",
            median(text_rates),
            "documents/s",
            DELIBERATIONS_PER_SECOND,
            "higher",
            note=f"{count} documents",
        ),
        Figure(
            "deliberation reading from PDF",
            "none",
            median(pdf_rates),
            "documents/s",
            note=f"{len(pdfs)} one-page PDFs with a text layer",
        ),
        Figure(
            "deliberation reading: one PDF page",
            "none",
            1000 / median(pdf_rates),
            "ms",
            DELIBERATION_PDF_PAGE_MS,
            "lower",
            note="text layer read, parsed and checked",
        ),
    ]


FIGURES = [
    import_france,
    schedules,
    queries_per_page,
    pages_under_load,
    soak,
    calls,
    deliberation_reading,
]
