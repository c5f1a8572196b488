"""Production serving: `check --deploy`, the systemd unit's gunicorn, security headers on real
responses, the storage switch, optional Sentry, the nginx example."""

import configparser
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mutualis.operations.testing import ROOT, Browser, gunicorn, instance_env, mutualis

DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A migrated production instance (SQLite) with its static files collected."""
    base = tmp_path_factory.mktemp("production")
    env = instance_env(base, MUTUALIS_BEHIND_PROXY="1")
    mutualis("migrate", "-v0", env=env)
    mutualis("collectstatic", "--noinput", "-v0", env=env)
    mutualis("run_scheduled", env=env)  # a heartbeat, so /healthz is green
    return env


def test_check_deploy_is_clean_with_production_variables(production):
    result = mutualis("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = instance_env(tmp_path)
    del env["MUTUALIS_SECRET_KEY"]
    result = mutualis("check", env=env, check=False)
    assert result.returncode == 2
    # One French sentence for the operator, no traceback.
    assert result.stderr.strip() == (
        "mutualis : configuration incomplète : MUTUALIS_SECRET_KEY doit être défini en production "
        "(ou MUTUALIS_DEBUG=1 pour développer)."
    )


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def test_systemd_units_start_programs_that_exist():
    web = shlex.split(_unit("mutualis.service")["Service"]["ExecStart"])
    assert Path(web[0]).name == "gunicorn" and (Path(sys.executable).parent / "gunicorn").exists()
    assert web[1] == "--config" and (DEPLOY / Path(web[2]).name).exists()
    scheduler = shlex.split(_unit("mutualis-scheduler.service")["Service"]["ExecStart"])
    assert Path(scheduler[0]).name == "mutualis" and scheduler[1:] == ["run_scheduled"]
    assert "OnCalendar" in _unit("mutualis-scheduler.timer")["Timer"]
    cron = [
        line for line in (DEPLOY / "crontab").read_text().splitlines() if "run_scheduled" in line
    ]
    assert cron and cron[0].startswith("* * * * *")


def test_security_headers_on_real_responses(production):
    with gunicorn(production) as url:
        https = {"X-Forwarded-Proto": "https"}
        browser = Browser(url)
        status, headers, body = browser.request("/comptes/connexion/", headers=https)
        assert status == 200 and "Connexion" in body
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert (
            headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert len(headers["X-Request-Id"]) == 32
        cookie = headers["Set-Cookie"]
        assert "csrftoken=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
        # Plain HTTP is redirected to HTTPS, except the health check used by load balancers.
        status, headers, _body = browser.request("/comptes/connexion/")
        assert status == 301 and headers["Location"].startswith("https://")
        status, _headers, body = browser.request("/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        # Static files are served by WhiteNoise, compressed and cached for ever.
        _s, _h, page = browser.request("/comptes/connexion/", headers=https)
        href = next(p for p in page.split('"') if p.startswith("/static/") and p.endswith(".css"))
        status, headers, _body = browser.request(href, headers=https)
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]


def test_s3_storage_switch_builds_a_private_bucket_configuration(tmp_path):
    env = instance_env(
        tmp_path,
        MUTUALIS_STORAGE="s3",
        MUTUALIS_S3_BUCKET="mutualis-media",
        MUTUALIS_S3_ENDPOINT_URL="https://s3.example.fr",
        MUTUALIS_S3_ACCESS_KEY_ID="key",
        MUTUALIS_S3_SECRET_ACCESS_KEY="secret",
    )
    script = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    storage = json.loads(mutualis("shell", "-v0", "-c", script, env=env).stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "mutualis-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.fr"
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert storage["OPTIONS"]["file_overwrite"] is False
    del env["MUTUALIS_S3_BUCKET"]
    result = mutualis("check", env=env, check=False)
    assert result.returncode != 0 and "MUTUALIS_S3_BUCKET" in result.stderr


def test_local_storage_is_the_default(tmp_path):
    script = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    out = mutualis("shell", "-v0", "-c", script, env=instance_env(tmp_path)).stdout.strip()
    assert out == "django.core.files.storage.FileSystemStorage"


def test_sentry_is_initialised_only_when_a_dsn_is_set(tmp_path):
    # A stand-in sentry_sdk records how it was called: no network, no real package needed.
    fake = tmp_path / "fake" / "sentry_sdk"
    (fake / "integrations").mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "import json, os\n"
        "def init(**kw):\n"
        "    open(os.environ['SENTRY_PROBE'], 'w').write(json.dumps({k: str(v) for k, v in kw.items()}))\n"
    )
    (fake / "integrations" / "__init__.py").write_text("")
    (fake / "integrations" / "django.py").write_text("class DjangoIntegration:\n    pass\n")
    probe = tmp_path / "probe.json"
    env = instance_env(tmp_path, PYTHONPATH=str(fake.parent), SENTRY_PROBE=str(probe))
    script = "import sys; print('sentry_sdk' in sys.modules)"
    assert mutualis("shell", "-v0", "-c", script, env=env).stdout.strip() == "False"
    assert not probe.exists()
    env["SENTRY_DSN"] = "https://key@sentry.example.fr/1"
    assert mutualis("shell", "-v0", "-c", script, env=env).stdout.strip() == "True"
    called = json.loads(probe.read_text())
    assert called["dsn"] == "https://key@sentry.example.fr/1"
    assert called["send_default_pii"] == "False"


@pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)"
)
def test_nginx_example_configuration_is_valid(tmp_path):
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=mutualis.example.fr", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/mutualis.example.fr/fullchain.pem", str(certificate))
    site = site.replace("/etc/letsencrypt/live/mutualis.example.fr/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
