"""`make demo`'s seed step as a new user sees it: manage.py seed_demo on the laptop defaults (a fresh SQLite
database, the filesystem broker, the default language), printing only what it means to say."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, var_dir):
    # Only what a shell needs: no .env, no DATABASE_URL or CELERY_BROKER_URL (CI exports PostgreSQL and Redis).
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(ENV_FILE="", DEBUG="1", VAR_DIR=str(var_dir))
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_seed_demo_on_the_laptop_defaults_prints_no_broker_warning_and_a_chinese_login_table(tmp_path):
    manage("migrate", "--noinput", "-v", "0", var_dir=tmp_path)

    printed = manage("seed_demo", var_dir=tmp_path)

    # The e-mail kicks after each commit reached the filesystem broker, without kombu's complaint about its URL.
    assert list((tmp_path / "celery-broker" / "queue").iterdir())
    assert "hostname" not in printed.lower()
    table = printed.split("演示账号", 1)[1].strip().splitlines()
    assert table[0].split() == ["角色", "用户名", "密码", "姓名", "班组"]
    assert [line.split()[0] for line in table[2:6]] == ["人力资源", "班长", "带教老师", "学员"]
