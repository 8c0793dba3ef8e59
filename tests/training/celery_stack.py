"""A real Celery stack for tests on PostgreSQL: our own redis-server on a free port, and a worker and a beat
(DatabaseScheduler) as subprocesses on the test database. Used by test_celery_onboarding and test_sweep_faults.

Beat is made to fire quickly by waiting until the DatabaseScheduler has copied CELERY_BEAT_SCHEDULE into its
tables, then changing the real entry (speed_up_beat_entry) or its last run (run_overdue_beat_entry): beat
notices within a second (--max-interval 1), and the entry name in settings is proven to reach the task."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WAIT_SECONDS = 60
FAST = 2  # seconds between two runs of a sped-up beat entry


def skip_without_redis():
    """For an autouse fixture of each test module that starts a stack."""
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("needs a redis-server binary")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("run with CELERY_BROKER_URL=redis://… so the test process has the Redis broker options")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@dataclass
class Stack:
    """Our own redis-server, worker and beat; every process is stopped by ``stop_all``."""

    tmp: Path
    port: int
    procs: dict

    @property
    def broker_url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def mail_dir(self):
        return self.tmp / "mail"

    def _spawn(self, name, args, env=None):
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.procs[name] = (subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log)

    def start_redis(self):
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self._spawn("redis", [*args, "--dir", str(self.tmp)])
        wait_until(self._redis_answers, 10, "redis-server to answer", self)

    def _redis_answers(self):
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def _env(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "VAR_DIR": str(self.tmp / "var"),
        }

    def start_worker(self, pool="solo"):
        """A worker; ``pool="prefork"`` runs tasks in one pool process, a child of the worker's main process."""
        concurrency = ["--concurrency=1"] if pool == "prefork" else []
        celery = [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", *concurrency]
        self._spawn("worker", [*celery, "--without-gossip", "--without-mingle", "--loglevel=INFO"], self._env())

    def start_beat(self):
        beat = [sys.executable, "-m", "celery", "-A", "config", "beat"]
        scheduler = ["-S", "django_celery_beat.schedulers:DatabaseScheduler", "--max-interval=1"]
        self._spawn("beat", [*beat, *scheduler, f"--pidfile={self.tmp / 'beat.pid'}", "--loglevel=INFO"], self._env())

    def start_worker_and_beat(self):
        self.start_worker()
        self.start_beat()

    def pid(self, name):
        return self.procs[name][0].pid

    def pool_pids(self):
        """The worker's pool processes (children of its main process)."""
        main, children = self.pid("worker"), []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == main:  # after the name: state, then the parent's pid
                    children.append(int(stat.parent.name))
        return children

    def kill(self, name):
        """SIGKILL the process, as the OOM killer or a lost node would; no shutdown, no acknowledgement."""
        proc, log = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        log.close()

    def stop(self, name):
        proc, log = self.procs.pop(name)
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()

    def stop_all(self):
        for name in ("beat", "worker", "redis"):
            if name in self.procs:
                self.stop(name)

    def logs(self):
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in sorted(self.tmp.glob("*.log"))
        )


@contextlib.contextmanager
def running_stack(tmp_path):
    """A Stack whose processes are all stopped on leaving (a test module's ``stack`` fixture)."""
    stack = Stack(tmp=tmp_path, port=free_port(), procs={})
    try:
        yield stack
    finally:
        stack.stop_all()


def wait_until(condition, seconds, what, stack):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)  # polling: the condition is a cheap query or ping
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{stack.logs()}")


def _until_beat_sends(name, stack):
    """Beat takes its first change stamp a moment after its sync: a save in between is never reloaded.
    So until beat sends the entry, stamp a new change every few seconds (it reloads on each)."""
    next_stamp = time.monotonic() + 2 * FAST

    def sent_or_stamp():
        nonlocal next_stamp
        log = stack.tmp / "beat.log"
        if log.exists() and f"Sending due task {name} " in log.read_text(errors="replace"):
            return True
        if time.monotonic() > next_stamp:
            PeriodicTasks.update_changed()
            next_stamp = time.monotonic() + 2 * FAST
        return False

    wait_until(sent_or_stamp, WAIT_SECONDS, f"beat to send {name}", stack)


def _synced(name, stack):
    wait_until(lambda: PeriodicTask.objects.filter(name=name).exists(), WAIT_SECONDS, "beat to sync", stack)
    return PeriodicTask.objects.get(name=name)


def speed_up_beat_entry(name, stack):
    """Once beat has copied the settings' schedule into its tables, run ``name`` every FAST seconds."""
    task = _synced(name, stack)
    every, _ = IntervalSchedule.objects.get_or_create(every=FAST, period=IntervalSchedule.SECONDS)
    task.crontab, task.interval = None, every
    task.save()
    _until_beat_sends(name, stack)


def run_overdue_beat_entry(name, stack, *, last_run_ago):
    """Keep the entry's real schedule but say it last ran ``last_run_ago``: beat sends it at once only if the
    schedule has a run in that window (its own clock, so the schedule is proven for this time of day)."""
    task = _synced(name, stack)
    task.last_run_at = timezone.now() - last_run_ago
    task.save()
    _until_beat_sends(name, stack)


@contextlib.contextmanager
def publishing_to(broker_url):
    """The test process (eager under config.settings_test) publishes to ``broker_url`` for real."""
    saved = app.conf.task_always_eager, app.conf.broker_write_url
    app.conf.task_always_eager, app.conf.broker_write_url = False, broker_url
    app.amqp._producer_pool = None  # the cached pool is bound to the old URL
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = saved
        app.amqp._producer_pool = None
