"""Test helpers: separate Mutualis instances in subprocesses, and a throwaway PostgreSQL cluster.

The tests of production behaviour (headers, check --deploy, backups restored into an empty
instance, concurrent servers, faults) run real processes with production settings, never the
test process's own settings.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from glob import glob
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SECRET = "test-secret-key-for-a-production-like-instance-" + "k" * 20
# Variables of the test process that must not leak into a production-like instance.
_SCRUB = (
    "MUTUALIS_TESTING",
    "MUTUALIS_DEBUG",
    "MUTUALIS_DEMO",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests
)


def instance_env(base: Path, *, database_url: str = "", **extra: str) -> dict[str, str]:
    """Environment for a production instance whose files live under `base`."""
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("PYTEST")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "mutualis.settings",
        "MUTUALIS_SECRET_KEY": SECRET,
        "MUTUALIS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MUTUALIS_SQLITE_PATH": str(base / "db.sqlite3"),
        "MUTUALIS_MEDIA_ROOT": str(base / "media"),
        "MUTUALIS_STATIC_ROOT": str(base / "static"),
        "MUTUALIS_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    env |= extra
    return env


def mutualis(*args: str, env: dict, check: bool = True, timeout: int = 180):
    """Run `mutualis <args>` in a subprocess; fail with its output if it fails and check is set."""
    result = subprocess.run(  # noqa: S603 - our own command, arguments from the tests
        [sys.executable, "-m", "mutualis", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"mutualis {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - a local test server
            return
        except urllib.error.HTTPError:
            return  # the server answers: that is all we wait for
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A tiny HTTP client with cookies and CSRF, enough to sign in and post forms."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        """(status, headers, body text); never raises on an HTTP error status."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})  # noqa: S310
        if data is not None:
            req.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(req, timeout=20) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _status, _headers, body = self.request(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str) -> None:
        token = self.csrf("/comptes/connexion/")
        status, _h, _b = self.request(
            "/comptes/connexion/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert status == 302, f"sign-in of {username} failed ({status})"


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2):
    """A gunicorn server started as the systemd unit starts it; yields its base URL."""
    port = free_port()
    env = env | {"MUTUALIS_BIND": f"127.0.0.1:{port}", "MUTUALIS_WORKERS": str(workers)}
    binary = Path(sys.executable).parent / "gunicorn"
    # Logs go to a file: an unread pipe would fill up and block the workers.
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [str(binary), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/healthz")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        Path(log.name).unlink(missing_ok=True)


# --- a throwaway PostgreSQL cluster --------------------------------------------------------


def postgres_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, if the PostgreSQL server is installed."""
    candidates = [shutil.which("initdb"), *sorted(glob("/usr/lib/postgresql/*/bin/initdb"))]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            folder = Path(candidate).resolve().parent
            if (folder / "pg_ctl").exists():
                return folder
    return None


class ThrowawayCluster:
    """initdb + pg_ctl under /tmp on a port of its own; run as `postgres` when we are root."""

    def __init__(self, bin_dir: Path, port: int):
        self.bin_dir = bin_dir
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="mutualis-pg-"))
        self.data = self.dir / "data"
        self.socket_dir = self.dir
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)  # noqa: S603

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str) -> None:
        # A throwaway cluster: durability settings off, it is deleted after the tests.
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        args = ["pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.dir / "log")]
        if action in {"start", "restart"}:
            args += ["-o", options]
        if action in {"stop", "restart"}:
            args += ["-m", "fast"]
        self._run(*args, action)

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
