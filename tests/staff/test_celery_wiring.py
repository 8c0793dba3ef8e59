import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import PeriodicTask

from config.celery import app
from staff.models import Heartbeat
from staff.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_heartbeat_records_its_last_run(db):
    heartbeat.delay()
    heartbeat.delay()
    beat = Heartbeat.objects.get(name="heartbeat")
    assert beat.run_count == 2
    assert beat.last_run_at is not None


def test_every_task_has_a_time_limit():
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
    assert ours
    assert all(task.time_limit for task in ours), [t.name for t in ours if not t.time_limit]


@pytest.mark.django_db(transaction=True)
def test_beat_schedule_is_copied_to_the_database_for_hr():
    from django_celery_beat.schedulers import DatabaseScheduler

    DatabaseScheduler(app=app, lazy=False)
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(settings.CELERY_BEAT_SCHEDULE) <= names


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def _own_redis_db(url):
    """This test process's own Redis database under pytest-xdist (gw0 → the URL's db + 1, gw1 → + 2 …),
    so parallel test processes, and their workers, never share a queue."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(db + 1 + int(worker[2:])) % 16}"))


def _redis_up(url):
    if not url.startswith("redis://"):
        return False
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.postgres(reason="the worker process must share the test database, which in-memory SQLite cannot")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_heartbeat():
    broker_url = _own_redis_db(os.environ.get("CELERY_BROKER_URL", ""))
    if not _redis_up(broker_url):
        pytest.skip("needs Redis at CELERY_BROKER_URL")
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        DATABASE_URL=_test_database_url(),
        DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    saved = app.conf.broker_write_url
    try:
        app.conf.task_always_eager, app.conf.broker_write_url = False, broker_url
        app.amqp._producer_pool = None  # the cached pool is bound to the old URL
        heartbeat.apply_async(kwargs={"name": "real-worker"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Heartbeat.objects.filter(name="real-worker").exists():
            time.sleep(0.1)  # polling the database until the worker has run the task
        assert Heartbeat.objects.filter(name="real-worker").exists()
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = True, saved
        app.amqp._producer_pool = None
        worker.terminate()
        worker.wait(timeout=30)


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
