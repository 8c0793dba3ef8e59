"""Settings that keep PostgreSQL's connections bounded, and the production server (gunicorn) that README's
"Running on PostgreSQL and Redis" section starts."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = {"DATABASE_URL": "postgres://app:secret@db.example.com:5432/staff", "DEBUG": "1"}


def run(code, **env_overrides):
    """Evaluate ``code`` with the project's settings in a clean environment (no .env read)."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(ENV_FILE="", DJANGO_SETTINGS_MODULE="config.settings", **env_overrides)
    script = f"import django; django.setup(); from django.conf import settings; print({code})"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_connections_are_closed_after_each_request_by_default():
    # The development server starts a thread per request; a connection kept per thread outlives it.
    database = "settings.DATABASES['default']"
    assert run(f"{database}['CONN_MAX_AGE'], {database}['CONN_HEALTH_CHECKS']", **POSTGRES) == "0 True"


def test_a_persistent_connection_is_a_choice_for_the_wsgi_server():
    database = "settings.DATABASES['default']"
    assert run(f"{database}['CONN_MAX_AGE']", DB_CONN_MAX_AGE="60", **POSTGRES) == "60"
    assert run(f"{database}['CONN_HEALTH_CHECKS']", DB_CONN_HEALTH_CHECKS="0", **POSTGRES) == "False"


def test_a_malformed_trusted_proxy_is_refused_at_start():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(ENV_FILE="", DEBUG="1", AXES_TRUSTED_PROXIES="10.0.0.0/8,not-a-network")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "AXES_TRUSTED_PROXIES" in result.stderr


def gunicorn_settings(**env):
    namespace = {}
    saved = dict(os.environ)
    try:
        for name in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
            os.environ.pop(name, None)
        os.environ.update(env)
        exec((ROOT / "config" / "gunicorn.py").read_text(encoding="utf-8"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return namespace


def test_gunicorn_listens_where_host_and_port_say_with_bounded_workers():
    default = gunicorn_settings()
    chosen = gunicorn_settings(HOST="0.0.0.0", PORT="8080", WEB_CONCURRENCY="5", GUNICORN_THREADS="2")

    assert (default["bind"], default["workers"], default["threads"], default["timeout"]) == ("127.0.0.1:8000", 3, 1, 30)
    assert (chosen["bind"], chosen["workers"], chosen["threads"]) == ("0.0.0.0:8080", 5, 2)
    assert default["wsgi_app"] == "config.wsgi" and default["accesslog"] == "-"


def test_the_production_procfile_runs_gunicorn_a_worker_and_beat_as_the_readme_says():
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile.prod").read_text(encoding="utf-8").splitlines() if line
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Running on PostgreSQL and Redis") :]
    section = section[: section.index("\n## ", 3)]

    assert set(processes) == {"web", "worker", "beat"}
    assert processes["web"].startswith(".venv/bin/gunicorn -c config/gunicorn.py")
    for command in processes.values():
        assert command in section
    for step in ("createdb", "manage.py migrate", "manage.py collectstatic", "Procfile.prod"):
        assert step in section
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^gunicorn==[\d.]+$", pins, re.M)
    assert re.search(r"^django-csp==[\d.]+$", pins, re.M)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_login_page_and_a_static_file(tmp_path):
    """gunicorn with the production settings (DEBUG off): the log-in page (no database query before a log-in)
    and a collected static file through WhiteNoise."""
    port = free_port()
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        ENV_FILE="",
        DEBUG="0",
        SECRET_KEY="gunicorn-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="0",
        VAR_DIR=str(tmp_path),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                login = urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
        static = urllib.request.urlopen(f"{base}/static/css/app.css", timeout=5)

        assert login.status == 200
        assert login.headers["Server"] == "gunicorn"
        assert "script-src 'self'" in login.headers["Content-Security-Policy"]
        assert static.status == 200
        assert static.headers["Content-Type"].startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=30)
