"""Benchmark: the contribution schedules of every commune of France, as if all joined on
2024-07-01 (issue 4 asks for at least 50,000 communes per second, populations in memory).

    .venv/bin/python bench/contribution_schedules.py [ETALAB_DIR] [--repeat N]

ETALAB_DIR holds the Etalab files (`epci-YYYY.json.gz`, `communes-YYYY.json.gz`); default
`data/etalab`. Populations: the EPCI files' population totale for 2024-2026, else the communes
file's single figure. Pure engine, no database. Exits 1 below the target.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings_test")

TARGET = 50_000


def populations(folder: Path) -> dict[str, dict[int, int]]:
    from mutualis.territory.etalab import load_json, parse_communes, parse_epcis

    by_commune: dict[str, dict[int, int]] = {}
    for vintage in (2024, 2025, 2026):
        for commune in parse_communes(load_json(folder / f"communes-{vintage}.json.gz")):
            if commune.population_municipal is not None:
                by_commune.setdefault(commune.insee_code, {}).setdefault(
                    vintage, commune.population_municipal
                )
        for epci in parse_epcis(load_json(folder / f"epci-{vintage}.json.gz")):
            for member in epci.members:
                if member.population_total is not None:
                    by_commune.setdefault(member.insee_code, {})[vintage] = member.population_total
    return by_commune


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="data/etalab")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from mutualis.contributions.rules import contribution_rules
    from mutualis.contributions.schedule import PaidIn, ScheduleError, compute_schedule
    from mutualis.programme.schema import parse_programme

    spec = parse_programme(settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8"))
    rules = contribution_rules(spec, "advanced-without-it")
    pops = list(populations(Path(args.folder)).values())
    start = date(2024, 7, 1)
    best = None
    for _ in range(args.repeat):
        began = time.perf_counter()
        total, refused = 0, 0
        for populations_of_one in pops:
            try:
                total += compute_schedule(
                    rules=rules, start=start, paid_in=PaidIn.EUROS, populations=populations_of_one
                ).total_amount
            except ScheduleError:  # no population up to 2024 (communes created since): refused
                refused += 1
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    rate = len(pops) / best
    print(
        f"{len(pops)} communes, best of {args.repeat}: {best:.3f} s, {rate:,.0f} communes/s "
        f"(target {TARGET:,}); {refused} refused for lack of population; total {total} €"
    )
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
