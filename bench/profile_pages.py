"""Profile a page as the signed-in coordinator with Django's test Client (not part of the bench).

    DJANGO_SETTINGS_MODULE=bench.settings MUTUALIS_SQLITE_PATH=... \
        .venv/bin/python bench/profile_pages.py /communes/31402/ [-n 200] [--sort tottime]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--callees", default="")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from bench.worker import signed_in_client

    client = signed_in_client("coordinator")

    def cpu(path: str, n: int) -> float:
        started = time.process_time()
        for _ in range(n):
            client.get(path)
        return (time.process_time() - started) / n * 1000

    for path in ["/bench/trivial/", *args.paths]:
        assert client.get(path).status_code == 200, path
    # Alternate with the trivial view, as the bench does: the ratio compares the same moments.
    for path in args.paths:
        ratios, costs = [], []
        for _ in range(7):
            trivial, page = cpu("/bench/trivial/", args.n // 7), cpu(path, args.n // 7)
            ratios.append(page / trivial)
            costs.append(page)
        print(f"{path}: median {sorted(costs)[3]:.2f} ms, {sorted(ratios)[3]:.2f} x trivial")
    for path in ["/bench/trivial/", *args.paths]:
        connection.force_debug_cursor = True
        client.get(path)  # request_started resets the log: it holds this request's queries
        captured = list(connection.queries_log)
        connection.force_debug_cursor = False
        print(f"{path}: {len(captured)} queries")
        if args.queries:
            for q in captured:
                print("   ", q["sql"][:300])
    if args.no_profile:
        return
    for path in args.paths:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            client.get(path)
        profiler.disable()
        print(f"==== {path}")
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        if args.callees:
            stats.print_callees(args.callees)
        else:
            stats.print_stats(args.lines)


if __name__ == "__main__":
    main()
