"""The pages_under_load figure against an already built whole-France database (see
bench/README.md), without rebuilding it: to compare a change quickly. Not part of the bench.

    .venv/bin/python bench/quick_ratio.py /tmp/prof                # /tmp/prof/france.sqlite3
    MUTUALIS_BENCH_PG_PREFIX=mutualis_prof \
      .venv/bin/python bench/quick_ratio.py /tmp/profpg --postgresql   # database mutualis_prof_france
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.core import Bench


def main() -> None:
    work = Path(sys.argv[1])
    database = "postgresql" if "--postgresql" in sys.argv[2:] else "sqlite"
    bench = Bench(
        mode="quick",
        work=work,
        data=Path("/nonexistent"),
        data_source="prebuilt",
        databases=[database],
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    bench.cache[(database, "france")] = True
    for figure in figures.pages_under_load(bench):
        if "CPU" in figure.name or "p95" in figure.name:
            print(f"{figure.name:75} {figure.value:8.2f} {figure.unit}")


if __name__ == "__main__":
    main()
