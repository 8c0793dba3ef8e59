"""Onboarding on a real Celery worker and beat (not eager), on Redis and PostgreSQL (STYLE §3).

Each test starts its own redis-server on a free port, and a worker and a beat
(DatabaseScheduler) as subprocesses on the test database. Beat is made to fire quickly by
waiting until the DatabaseScheduler has copied CELERY_BEAT_SCHEDULE into its tables, then
changing the real entry ("onboarding-sweep" or "deliver-emails") to a 2-second interval: beat
notices the change within a second (--max-interval 1) and the entry name in settings is proven
to reach the right task.
"""

import contextlib
import datetime
import email
import email.policy
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks

from config.celery import app
from notifications.models import Notification
from training import cycles, services
from training.models import Activity, ActivityTemplate, CycleTemplate, EnrollmentEvent, Program

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WAIT_SECONDS = 60
FAST = 2  # seconds between two runs of a sped-up beat entry

pytestmark = [
    pytest.mark.postgres(reason="the worker and beat processes must share the test database"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _needs_redis_broker_settings():
    if not os.path.exists(REDIS_SERVER):
        pytest.skip("needs a redis-server binary")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("run with CELERY_BROKER_URL=redis://… so the test process has the Redis broker options")


# --- a tiny program with one trainee in cycle 1, her gate met and her cycle over -------------------


@pytest.fixture
def enrollment(world):
    world.trainee.user.email = "trainee@example.com"
    world.trainee.user.save(update_fields=["email"])
    program = Program.objects.create(code="celery-test", name_en="Celery test", name_zh="测试", pre_job_days=10)
    for number in range(1, 5):
        cycle = CycleTemplate.objects.create(
            program=program, number=number, name_en=f"Cycle {number}", name_zh=f"周期{number}", length_days=14
        )
        ActivityTemplate.objects.create(
            cycle=cycle, title_en=f"Practice {number}", title_zh=f"练习{number}", kind="practice", is_required=True
        )
    today = timezone.localdate()
    batch = services.open_batch(
        actor=world.hr,
        program=program,
        code="celery-batch",
        name="Celery batch",
        start_on=today - datetime.timedelta(days=30),
        supervisor=world.supervisor,
        team=world.team,
        trainees=[world.trainee],
    )
    enrollment = batch.enrollments.get()
    # Cycle 1 started 20 days ago (14-day cycle): it ended 6 days ago. Its one activity is done.
    services.move_enrollment(
        actor=world.supervisor.user,
        enrollment_id=enrollment.pk,
        move=cycles.START,
        from_state=cycles.PRE_JOB,
        today=today - datetime.timedelta(days=20),
    )
    activity = Activity.objects.get(enrollment=enrollment, cycle=1)
    services.complete_activity(actor=world.trainee.user, activity_id=activity.pk)
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.due_on < today) == ("cycle_1", True)
    return enrollment


# --- processes ------------------------------------------------------------------------------------


def _free_port():
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
        _wait_until(self._redis_answers, 10, "redis-server to answer", self)

    def _redis_answers(self):
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start_worker_and_beat(self):
        env = {
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
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        self._spawn("worker", [*celery, "worker", "--pool=solo", "--loglevel=INFO"], env)
        self._spawn(
            "beat",
            [
                *celery,
                "beat",
                "-S",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval=1",
                f"--pidfile={self.tmp / 'beat.pid'}",
                "--loglevel=INFO",
            ],
            env,
        )

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


@pytest.fixture
def stack(tmp_path):
    stack = Stack(tmp=tmp_path, port=_free_port(), procs={})
    try:
        yield stack
    finally:
        stack.stop_all()


def _wait_until(condition, seconds, what, stack):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)  # polling: the condition is a cheap query or ping
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{stack.logs()}")


def _speed_up_beat_entry(name, stack):
    """Once beat has copied the settings' schedule into its tables, run ``name`` every FAST seconds."""
    _wait_until(lambda: PeriodicTask.objects.filter(name=name).exists(), WAIT_SECONDS, "beat to sync", stack)
    every, _ = IntervalSchedule.objects.get_or_create(every=FAST, period=IntervalSchedule.SECONDS)
    task = PeriodicTask.objects.get(name=name)
    task.crontab, task.interval = None, every
    task.save()
    # Beat takes its first change stamp a moment after its sync: a save in between is never reloaded.
    # So until beat sends the entry, stamp a new change every few seconds (it reloads on each).
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

    _wait_until(sent_or_stamp, WAIT_SECONDS, f"beat to send {name}", stack)


@contextlib.contextmanager
def _publishing_to(broker_url):
    """The test process (eager under config.settings_test) publishes to ``broker_url`` for real."""
    saved = app.conf.task_always_eager, app.conf.broker_write_url
    app.conf.task_always_eager, app.conf.broker_write_url = False, broker_url
    app.amqp._producer_pool = None  # the cached pool is bound to the old URL
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url = saved
        app.amqp._producer_pool = None


def _approve_gate(enrollment, supervisor):
    started = time.monotonic()
    services.move_enrollment(
        actor=supervisor.user, enrollment_id=enrollment.pk, move=cycles.ADVANCE, from_state="cycle_1"
    )
    return time.monotonic() - started


def _sent_subjects(mail_dir):
    subjects = []
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                subjects.append(email.message_from_bytes(chunk, policy=email.policy.default)["subject"].strip())
    return subjects


# --- tests ----------------------------------------------------------------------------------------


def test_beat_sweeps_a_due_enrollment_forward_and_the_trainee_is_told(world, enrollment, stack):
    stack.start_redis()
    PeriodicTask.objects.all().delete()  # so the entry appears only when this beat has synced
    stack.start_worker_and_beat()
    _speed_up_beat_entry("onboarding-sweep", stack)

    moved = EnrollmentEvent.objects.filter(enrollment=enrollment, move=cycles.ADVANCE, actor__isnull=True)
    _wait_until(moved.exists, WAIT_SECONDS, "the sweep to advance the enrollment", stack)
    told = Notification.objects.filter(recipient=world.trainee.user, kind="enrollment_advance")
    _wait_until(told.exists, WAIT_SECONDS, "the trainee's notification", stack)

    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_2", 2)
    assert moved.get().from_state == "cycle_1"


def test_a_gate_approval_with_redis_down_is_saved_and_the_outbox_sweep_emails_it(world, enrollment, stack, caplog):
    stack.start_redis()
    stack.stop("redis")
    with _publishing_to(stack.broker_url), caplog.at_level(logging.WARNING, logger="notifications.services"):
        elapsed = _approve_gate(enrollment, world.supervisor)

    assert elapsed < 5, f"the save waited {elapsed:.1f} s on a dead broker"
    assert "Broker unreachable" in caplog.text  # the kick was published for real, and failed
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    assert EnrollmentEvent.objects.filter(
        enrollment=enrollment, move=cycles.ADVANCE, actor=world.supervisor.user
    ).exists()
    pending = Notification.objects.get(recipient=world.trainee.user, kind="enrollment_advance")
    assert pending.emailed_at is None

    stack.start_redis()
    PeriodicTask.objects.all().delete()
    stack.start_worker_and_beat()
    _speed_up_beat_entry("deliver-emails", stack)

    sent = Notification.objects.filter(pk=pending.pk, emailed_at__isnull=False)
    _wait_until(sent.exists, WAIT_SECONDS, "the outbox sweep to e-mail the notification", stack)
    assert pending.title in _sent_subjects(stack.mail_dir)


def test_a_hung_broker_does_not_hold_up_a_gate_approval(world, enrollment, stack):
    # A broker that accepts the connection and never answers: without socket timeouts the
    # on-commit kick would wait forever and the supervisor's request with it.
    # A watchdog bounds the test if the timeouts regress: closing the listener resets the connection.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", stack.port))
        hung.listen(16)
        watchdog = threading.Timer(WAIT_SECONDS / 2, hung.close)
        watchdog.start()
        try:
            with _publishing_to(stack.broker_url):
                elapsed = _approve_gate(enrollment, world.supervisor)
        finally:
            watchdog.cancel()

    assert elapsed < 8, f"the save waited {elapsed:.1f} s on a hung broker"
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    assert Notification.objects.get(recipient=world.trainee.user, kind="enrollment_advance").emailed_at is None
