"""The pages_under_load figure against a folder holding an already built france.sqlite3 (see
bench/README.md), without rebuilding it: to compare a change quickly. Not part of the bench.

    .venv/bin/python bench/quick_ratio.py /tmp/prof
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.core import Bench


def main() -> None:
    work = Path(sys.argv[1])
    bench = Bench(
        mode="quick",
        work=work,
        data=Path("/nonexistent"),
        data_source="prebuilt",
        databases=["sqlite"],
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    bench.cache[("sqlite", "france")] = True
    for figure in figures.pages_under_load(bench):
        if "CPU" in figure.name or "p95" in figure.name:
            print(f"{figure.name:75} {figure.value:8.2f} {figure.unit}")


if __name__ == "__main__":
    main()
