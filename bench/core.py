"""What every figure shares: the Figure record, the run context (work folder, databases, data) and
the child processes that run the project on one database."""

import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ETALAB = Path(os.environ.get("MUTUALIS_BENCH_ETALAB", "/work/shared/data/etalab"))
PG_URL = os.environ.get("MUTUALIS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Several people benchmarking on one server each set their own prefix.
PG_PREFIX = os.environ.get("MUTUALIS_BENCH_PG_PREFIX", "mutualis_bench")


@dataclass
class Figure:
    """One measure of one page or task on one database ("none" when no database is involved)."""

    name: str
    database: str
    value: float | None
    unit: str
    target: float | None = None
    better: str = "lower"  # or "higher"
    runs: int = 1
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        if self.better == "higher":
            return self.value >= self.target
        return self.value <= self.target

    def as_json(self) -> dict:
        data = {
            "name": self.name,
            "database": self.database,
            "value": None if self.value is None else round(float(self.value), 4),
            "unit": self.unit,
            "target": None if self.target is None else float(self.target),
            "better": self.better,
            "met": self.met,
            "runs": self.runs,
        }
        if self.note:
            data["note"] = self.note
        return data


def median(values: list[float]) -> float:
    return statistics.median(values)


class WorkerError(RuntimeError):
    pass


@dataclass
class Bench:
    """The context a figure function receives: mode, work folder, data, databases."""

    mode: str  # "full", "quick" or "tiny"
    work: Path
    data: Path
    data_source: str
    databases: list[str]
    log: Callable[[str], None]
    cache: dict = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return {"full": 5, "quick": 3, "tiny": 1}[self.mode]

    def scaled(self, full: float, quick: float, tiny: float) -> float:
        return {"full": full, "quick": quick, "tiny": tiny}[self.mode]

    # --- databases ---------------------------------------------------------------------------
    def env(self, database: str, name: str) -> dict:
        env = dict(os.environ)
        for inherited in ("DATABASE_URL", "MUTUALIS_TESTING", "MUTUALIS_DEBUG", "MUTUALIS_DEMO"):
            env.pop(inherited, None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            PYTHONPATH=str(ROOT),
            MUTUALIS_STATIC_ROOT=str(self.work / "static"),
            MUTUALIS_MEDIA_ROOT=str(self.work / "media"),
        )
        if database == "sqlite":
            env["MUTUALIS_SQLITE_PATH"] = str(self.work / f"{name}.sqlite3")
        else:
            env["DATABASE_URL"] = f"{PG_URL}/{PG_PREFIX}_{name}"
        return env

    def worker(self, database: str, name: str, *args: str) -> dict:
        result = subprocess.run(
            [sys.executable, "-m", "bench.worker", *args],
            env=self.env(database, name),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise WorkerError(f"bench.worker {' '.join(args)} on {database}:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def copy_database(self, database: str, source: str, target: str) -> None:
        if database == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                src = self.work / f"{source}.sqlite3{suffix}"
                dst = self.work / f"{target}.sqlite3{suffix}"
                dst.unlink(missing_ok=True)
                if src.exists():
                    shutil.copyfile(src, dst)
        else:
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{PG_PREFIX}_{target}" WITH (FORCE)')
                admin.execute(
                    f'CREATE DATABASE "{PG_PREFIX}_{target}" TEMPLATE "{PG_PREFIX}_{source}"'
                )

    def ready(self, database: str, name: str) -> str:
        """A database ready for figures: "empty" (migrated), "demo" (the 36 Sicoval communes
        with memberships) or "france" (whole France, memberships). Built once per run."""
        key = (database, name)
        if key in self.cache:
            return name
        if name == "empty":
            self.log(f"{database}: migrating an empty database")
            if database == "postgresql":
                with _pg_admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{PG_PREFIX}_empty" WITH (FORCE)')
                    admin.execute(f'CREATE DATABASE "{PG_PREFIX}_empty"')
            self.worker(database, "empty", "migrate")
        elif name == "demo":
            self.ready(database, "empty")
            self.log(f"{database}: the demo's 36 communes and their memberships")
            self.copy_database(database, "empty", "demo")
            self.worker(database, "demo", "demo")
        elif name == "france":
            self.ready(database, "empty")
            self.log(f"{database}: loading whole France ({self.data_source}) and memberships")
            self.copy_database(database, "empty", "france")
            self.worker(database, "france", "load-france", "--data", str(self.data))
            self.cache[(database, "france-summary")] = self.worker(
                database, "france", "demo", "--national-share", "0.2"
            )
            if database == "postgresql":
                # A production database is vacuumed and analysed by autovacuum: measure that
                # state, not the minute after 100,000 rows were written.
                with _pg_admin(f"{PG_PREFIX}_france") as admin:
                    admin.execute("VACUUM ANALYZE")
        self.cache[key] = True
        return name

    def cleanup(self) -> None:
        if "postgresql" in self.databases:
            with _pg_admin() as admin:
                names = [
                    row[0]
                    for row in admin.execute(
                        "SELECT datname FROM pg_database WHERE datname LIKE %s",
                        (PG_PREFIX + "_%",),
                    )
                ]
                for name in names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_admin(database: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{PG_URL}/{database}", autocommit=True, connect_timeout=3)


def postgres_version() -> str | None:
    """The server's version, or None when PostgreSQL is not reachable on 127.0.0.1:5432."""
    try:
        with _pg_admin() as admin:
            return admin.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception:
        return None
