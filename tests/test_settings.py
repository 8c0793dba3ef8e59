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
    # A clean environment: only what a shell needs, plus the variables under test. The checkout's own
    # .env is not read unless a test names a file in ENV_FILE.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env["ENV_FILE"] = ""
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


def test_the_placeholder_secret_of_env_example_is_refused_with_debug_off():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "change-me"})
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
        "filesystem://localhost/",
        "zh-hans",
        "Asia/Shanghai",
    ]


SHOW_SETTINGS = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


def test_bare_check_works_after_setup_writes_the_env_file(tmp_path):
    made = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), ".env"], cwd=tmp_path, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    written = (tmp_path / ".env").read_text()
    assert "DEBUG=1" in written
    assert "SECRET_KEY=" in written

    result = manage("check", ENV_FILE=str(tmp_path / ".env"), VAR_DIR=str(tmp_path / "var"))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_setup_never_overwrites_an_existing_env_file(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=1\nSECRET_KEY=mine\n")
    subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), ".env"], cwd=tmp_path, check=True)
    assert (tmp_path / ".env").read_text() == "DEBUG=1\nSECRET_KEY=mine\n"


def test_the_env_file_supplies_unset_variables(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# local settings\nDEBUG=1\nSECRET_KEY='from-the-file'  # quoted\n")
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS, ENV_FILE=str(env_file))
    assert result.stdout.split() == ["True", "from-the-file"], result.stderr


def test_an_environment_variable_beats_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY=from-the-file\n")
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS, ENV_FILE=str(env_file), SECRET_KEY="from-env")
    assert result.stdout.split() == ["True", "from-env"], result.stderr


def test_debug_off_in_the_environment_still_needs_a_real_key(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n")
    result = manage("check", ENV_FILE=str(env_file), DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_env_file_line_is_refused(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSECRET_KEY is secret\n")
    result = manage("check", ENV_FILE=str(env_file))
    assert result.returncode != 0
    assert ".env:2: expected KEY=VALUE" in result.stderr
