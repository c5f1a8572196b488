"""Pages under load: the project served by gunicorn (2 workers), driven by wrk from 127.0.0.1."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.core import ROOT, Bench

HOST = "127.0.0.1"
WORKERS = 2
CONNECTIONS = 8

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "status_errors": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

MIX_LUA = """
local paths = {%(paths)s}
local index = 0
request = function()
  index = index %% #paths + 1
  return wrk.format("GET", paths[index])
end
delay = function()
  return %(delay_ms)d
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_cpu_ms: float = 0.0  # the workers' CPU time per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def ensure_wrk(log) -> str:
    """wrk's path, installing Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (Debian package) with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError(
            "wrk is missing and could not be installed (apt-get install wrk, as root)"
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving the project (bench settings) on one ready database."""

    def __init__(self, bench: Bench, database: str, name: str) -> None:
        self.bench = bench
        self.database = database
        self.port = _free_port()
        self.log_file = bench.work / f"gunicorn-{database}.log"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "mutualis.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind={HOST}:{self.port}",
                f"--error-logfile={self.log_file}",
            ],
            env=bench.env(database, name),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        self.base = f"http://{HOST}:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310  # noqa: S310 - our own server on 127.0.0.1
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not start, see {self.log_file}")
        cookies = bench.worker(database, name, "session", "coordinator")
        self.cookie = "; ".join(f"{key}={value}" for key, value in cookies.items())

    def check(self, path: str) -> None:
        """The page answers 200 to the signed-in coordinator (not a redirect to sign-in)."""
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, headers={"Cookie": self.cookie}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        with opener.open(request, timeout=30) as response:
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")

    def worker_rss_mb(self) -> float:
        """Resident memory of the gunicorn workers (the master's children), summed."""
        total_kb = 0
        for pid in _children(self.process.pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
            except FileNotFoundError:
                continue
        return total_kb / 1024

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the gunicorn workers have used so far."""
        ticks = 0
        for pid in _children(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if the bench itself is killed (a timeout, Ctrl-C twice)."""
    import ctypes
    import signal

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} redirected to {newurl}: the session is not signed in")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def wrk(
    server: Server,
    path: str,
    seconds: float,
    *,
    script: str = "",
    delay_ms: int = 0,
    paths: list[str] | None = None,
) -> WrkResult:
    """One wrk run: 1 thread, 8 connections, the coordinator's session cookie."""
    lua = REPORT_LUA
    if paths:
        quoted = ", ".join(json.dumps(p) for p in paths)
        lua = MIX_LUA % {"paths": quoted, "delay_ms": delay_ms} + lua
    with tempfile.NamedTemporaryFile("w", suffix=".lua", dir=server.bench.work, delete=False) as f:
        f.write(lua + script)
    duration = max(1, round(seconds))
    cpu_before = server.worker_cpu_seconds()
    result = subprocess.run(
        [
            ensure_wrk(server.bench.log),
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--timeout=10s",
            "-s",
            f.name,
            "-H",
            f"Cookie: {server.cookie}",
            server.base + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(f.name)
    line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
    data = json.loads(line)
    cpu = server.worker_cpu_seconds() - cpu_before
    return WrkResult(
        server_cpu_ms=1000 * cpu / max(1, data["requests"]),
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )
