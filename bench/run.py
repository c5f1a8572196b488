"""Run the benchmark suite and print every figure with its target.

    .venv/bin/python bench/run.py            # full run (about an hour: a 10-minute soak)
    .venv/bin/python bench/run.py --quick    # fewer, shorter runs (a few minutes)
    .venv/bin/python bench/run.py --json     # the same figures as JSON
    .venv/bin/python bench/run.py --check    # exit 1 when a target is missed

The bench makes its own data, seeded, in a temporary folder and in PostgreSQL databases named
mutualis_bench_* (MUTUALIS_BENCH_PG_PREFIX_*; dropped at the end). It never runs in CI.
"""

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.core import ETALAB, Bench, Figure, postgres_version
from bench.figures import FIGURES
from bench.synthetic import write_france


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--tiny", action="store_true", help="smoke test: tiny data, one short run")
    parser.add_argument("--only", action="append", default=[], help="figure functions to run")
    parser.add_argument("--synthetic", action="store_true", help="ignore the Etalab files")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args(argv)

    started = time.monotonic()
    load_start = round(os.getloadavg()[0], 2)
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"

    def log(line: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {line}", file=sys.stderr, flush=True)

    pg = None if args.sqlite_only or args.tiny else postgres_version()
    databases = ["sqlite"] + (["postgresql"] if pg else [])
    with tempfile.TemporaryDirectory(prefix="mutualis-bench-") as tmp:
        work = Path(tmp)
        if args.tiny:
            data = write_france(work / "data", communes=1_500, epcis=60)
            source = "synthetic France, 1,500 communes (tiny)"
        elif ETALAB.is_dir() and any(ETALAB.glob("communes-*.json*")) and not args.synthetic:
            data, source = ETALAB, f"Etalab files ({ETALAB})"
        else:
            log("no Etalab files: writing a seeded synthetic France")
            data = write_france(work / "data")
            source = "synthetic France (seeded)"
        bench = Bench(
            mode=mode, work=work, data=data, data_source=source, databases=databases, log=log
        )
        figures: list[Figure] = []
        try:
            for function in FIGURES:
                if args.only and function.__name__ not in args.only:
                    continue
                log(f"{function.__name__} ...")
                figures += function(bench)
        finally:
            bench.cleanup()
    report = {
        "cores": os.cpu_count(),
        "load_average": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
        "mode": mode,
        "data": source,
        "databases": {"sqlite": sqlite3.sqlite_version, **({"postgresql": pg} if pg else {})},
        "seconds": round(time.monotonic() - started),
        "figures": [f.as_json() for f in figures],
    }
    if not pg and not args.sqlite_only and not args.tiny:
        report["note"] = "PostgreSQL not reachable on 127.0.0.1:5432: SQLite figures only"
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    missed = [f for f in report["figures"] if f["met"] is False]
    return 1 if args.check and missed else 0


def table(report: dict) -> str:
    databases = ", ".join(f"{k} {v}" for k, v in report["databases"].items())
    lines = [
        f"cores: {report['cores']} · databases: {databases} · data: {report['data']} · "
        f"mode: {report['mode']} ({report['seconds']} s)",
        f"load average (1 min) at start {report['load_average']['start']}, at end "
        f"{report['load_average']['end']}: latencies and rates only compare at equal load",
        "value = median of the runs; met: yes / NO / - (no target or not measured)",
        "",
        "| figure | database | value | unit | target | met | runs | note |",
        "| --- | --- | ---: | --- | ---: | --- | ---: | --- |",
    ]
    for f in report["figures"]:
        value = "null" if f["value"] is None else _number(f["value"])
        target = (
            ""
            if f["target"] is None
            else ("≥ " if f["better"] == "higher" else "≤ ") + (_number(f["target"]))
        )
        met = {True: "yes", False: "NO", None: "-"}[f["met"]]
        lines.append(
            f"| {f['name']} | {f['database']} | {value} | {f['unit']} | {target} | {met} | "
            f"{f['runs']} | {f.get('note', '')} |"
        )
    if report.get("note"):
        lines.append(report["note"])
    return "\n".join(lines)


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 10:
        return f"{int(value):,}".replace(",", " ")
    if abs(value) >= 100:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


if __name__ == "__main__":
    sys.exit(main())
