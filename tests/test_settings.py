import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-1234567890-abcdefg",
    "ALLOWED_HOSTS": "staff.example.com",
    "DATABASE_URL": "postgres://app:secret@db.example.com:5432/staff",
    "CELERY_BROKER_URL": "redis://redis.example.com:6379/0",
}


def manage(*args, **env_overrides):
    # A clean environment: only what a shell needs, plus the variables under test.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_with_production_variables_prints_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_dev_secret_refuses_to_start_with_debug_off():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_refused():
    result = manage("check", **{**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_laptop_defaults_are_sqlite_wal_and_the_filesystem_broker(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], 'WAL' in d['OPTIONS']['init_command'], settings.CELERY_BROKER_URL,"
        " settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    )
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    result = manage(
        "shell", "--no-imports", "-c", code, **dict.fromkeys(("DATABASE_URL", "CELERY_BROKER_URL"), ""), **env
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "filesystem://",
        "zh-hans",
        "Asia/Shanghai",
    ]
