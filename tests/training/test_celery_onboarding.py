"""Onboarding on a real Celery worker and beat (not eager), on Redis and PostgreSQL (STYLE §3).

Each test starts its own redis-server on a free port, and a worker and a beat (DatabaseScheduler) as
subprocesses on the test database (tests.training.celery_stack). Beat is made to fire quickly by changing
the real entry ("onboarding-sweep" or "deliver-emails") to a 2-second interval, so the entry name in
settings is proven to reach the right task.
"""

import datetime
import email
import email.policy
import logging
import socket
import threading
import time

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from tests.training.celery_stack import (
    WAIT_SECONDS,
    publishing_to,
    running_stack,
    skip_without_redis,
    speed_up_beat_entry,
    wait_until,
)
from training import cycles, services
from training.models import Activity, ActivityTemplate, CycleTemplate, EnrollmentEvent, Program

pytestmark = [
    pytest.mark.postgres(reason="the worker and beat processes must share the test database"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _needs_redis_broker_settings():
    skip_without_redis()


@pytest.fixture
def stack(tmp_path):
    with running_stack(tmp_path) as stack:
        yield stack


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
    speed_up_beat_entry("onboarding-sweep", stack)

    moved = EnrollmentEvent.objects.filter(enrollment=enrollment, move=cycles.ADVANCE, actor__isnull=True)
    wait_until(moved.exists, WAIT_SECONDS, "the sweep to advance the enrollment", stack)
    told = Notification.objects.filter(recipient=world.trainee.user, kind="enrollment_advance")
    wait_until(told.exists, WAIT_SECONDS, "the trainee's notification", stack)

    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_2", 2)
    assert moved.get().from_state == "cycle_1"


def test_a_gate_approval_kicks_its_email_to_a_running_worker_at_once(world, enrollment, stack):
    stack.start_redis()
    stack.start_worker()  # no beat: only the kick after commit (config.celery.publish_quickly) sends it
    with publishing_to(stack.broker_url):
        elapsed = _approve_gate(enrollment, world.supervisor)

    assert elapsed < 1, f"the save took {elapsed:.1f} s"
    told = Notification.objects.filter(recipient=world.trainee.user, kind="enrollment_advance")
    wait_until(told.filter(emailed_at__isnull=False).exists, WAIT_SECONDS, "the worker to e-mail the trainee", stack)
    assert told.get().title in _sent_subjects(stack.mail_dir)


def test_a_gate_approval_with_redis_down_is_saved_and_the_outbox_sweep_emails_it(world, enrollment, stack, caplog):
    stack.start_redis()
    stack.stop("redis")
    with publishing_to(stack.broker_url), caplog.at_level(logging.WARNING, logger="notifications.services"):
        elapsed = _approve_gate(enrollment, world.supervisor)

    assert elapsed < 1, f"the save waited {elapsed:.1f} s on a dead broker"
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
    speed_up_beat_entry("deliver-emails", stack)

    sent = Notification.objects.filter(pk=pending.pk, emailed_at__isnull=False)
    wait_until(sent.exists, WAIT_SECONDS, "the outbox sweep to e-mail the notification", stack)
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
            with publishing_to(stack.broker_url):
                elapsed = _approve_gate(enrollment, world.supervisor)
        finally:
            watchdog.cancel()

    assert elapsed < 1, f"the save waited {elapsed:.1f} s on a hung broker"
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    assert Notification.objects.get(recipient=world.trainee.user, kind="enrollment_advance").emailed_at is None
