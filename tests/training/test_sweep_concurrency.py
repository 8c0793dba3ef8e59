"""Two sweeps, two reminder runs, two supervisors at the same moment (STYLE §3, §7): each enrollment
moves exactly once and each reminder is written and e-mailed once. Real row locks: PostgreSQL only."""

import datetime
import threading

import pytest
from django.db import connections

from bench import sweep as bench_sweep
from notifications.models import Notification
from staff.models import Stage
from tests.training.onboarding_factories import (
    CYCLE_DAYS,
    PRE_JOB_DAYS,
    at,
    enrollment_of,
    make_program,
    make_trainee,
    meet_gate,
    open_batch,
    walk_to,
)
from training import cycles, notify, services
from training.models import Enrollment, EnrollmentEvent

pytestmark = [
    pytest.mark.postgres(reason="SELECT ... FOR UPDATE (SKIP LOCKED) row locks are no-ops on SQLite"),
    pytest.mark.django_db(transaction=True),
]

TODAY = datetime.date(2026, 3, 3)  # a Tuesday


def days(n):
    return TODAY + datetime.timedelta(days=n)


def together(*calls):
    """Run ``calls`` in threads that start at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    if errors:
        raise errors[0]
    return results


@pytest.fixture(autouse=True)
def clock(time_machine):
    def to(day):
        time_machine.move_to(at(day), tick=False)

    to(TODAY)
    return to


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def due(tiny, world, clock):
    """Ten enrollments due today: six ending pre-job, two ending cycle 1 with the gate met, two without.
    Everyone has an e-mail address, so every notification is also an e-mail."""
    for person in (world.supervisor, world.mentor):
        person.user.email = f"{person.user.username}@example.com"
        person.user.save()
    trainees = [
        make_trainee(
            world.team,
            mentor=world.mentor,
            name=f"Trainee {n}",
            language="en" if n % 2 else "zh-hans",
            user__username=f"t{n}",
            user__email=f"t{n}@example.com",
        )
        for n in range(10)
    ]
    clock(days(-CYCLE_DAYS[1]))
    early = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=trainees[6:], start_on=days(-30), code="early"
    )
    for n, trainee in enumerate(trainees[6:]):
        enrollment = walk_to(enrollment_of(early, trainee), "cycle_1", actor=world.hr)
        if n < 2:
            meet_gate(enrollment, actor=world.hr)
    clock(TODAY)
    open_batch(
        tiny,
        hr=world.hr,
        supervisor=world.supervisor,
        trainees=trainees[:6],
        start_on=days(-PRE_JOB_DAYS),
        code="now",
    )
    assert Enrollment.objects.filter(due_on=TODAY).count() == 10
    return trainees


def sweep_moves():
    """{enrollment id: [moves the sweep made]}"""
    moves = {}
    for enrollment_id, move in EnrollmentEvent.objects.filter(actor__isnull=True).values_list("enrollment_id", "move"):
        moves.setdefault(enrollment_id, []).append(move)
    return moves


def test_two_sweeps_at_once_move_each_enrollment_exactly_once(due):
    first, second = together(
        lambda: services.sweep_due_enrollments(chunk_size=2), lambda: services.sweep_due_enrollments(chunk_size=2)
    )
    assert first["claimed"] + second["claimed"] == 10
    moves = sweep_moves()
    assert sorted(moves) == sorted(Enrollment.objects.values_list("pk", flat=True))
    assert all(len(made) == 1 for made in moves.values()), moves
    assert (
        sorted(Enrollment.objects.values_list("state", flat=True))
        == ["cycle_1"] * 6 + ["cycle_2"] * 2 + ["extended"] * 2
    )


def test_two_sweeps_started_together_share_a_large_sweep_and_move_each_row_once(db):
    """400 due rows: each sweep claims a quarter at a time (sweep_chunk_size), so the second worker is not idle."""
    scale = bench_sweep.Scale(enrollments=400, small=10, batch_size=25, batches_per_team=2, mentors_per_team=2)
    bench_sweep.generate(scale, today=TODAY)
    first, second = together(services.sweep_due_enrollments, services.sweep_due_enrollments)
    assert first["claimed"] > 0 and second["claimed"] > 0, (first, second)
    assert first["claimed"] + second["claimed"] == 400
    moves = sweep_moves()
    assert len(moves) == 400 and all(len(made) == 1 for made in moves.values())
    assert not Enrollment.objects.filter(state__in=cycles.DUE, due_on__lte=TODAY).exists()


def test_two_sweeps_at_once_notify_and_email_each_move_once(due, mailoutbox):
    together(lambda: services.sweep_due_enrollments(chunk_size=2), lambda: services.sweep_due_enrollments(chunk_size=2))
    moved = Notification.objects.filter(kind__startswith="enrollment_").exclude(kind="enrollment_enroll")
    sweep_notes = moved.filter(kind__in=["enrollment_start", "enrollment_advance", "enrollment_extend"])
    # the ten moves, each told to the trainee, the mentor and the supervisor (the sweep has no actor)
    assert sweep_notes.filter(created_at=at(TODAY)).count() == 30
    addresses = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert len(addresses) == len(set(addresses))
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_rerun_after_two_concurrent_sweeps_changes_nothing(due):
    together(lambda: services.sweep_due_enrollments(chunk_size=2), lambda: services.sweep_due_enrollments(chunk_size=2))
    events, notifications = EnrollmentEvent.objects.count(), Notification.objects.count()
    states = sorted(Enrollment.objects.values_list("pk", "state", "due_on"))
    assert services.sweep_due_enrollments(chunk_size=2) == {"claimed": 0}
    assert EnrollmentEvent.objects.count() == events
    assert Notification.objects.count() == notifications
    assert sorted(Enrollment.objects.values_list("pk", "state", "due_on")) == states


def test_two_reminder_runs_at_once_write_and_email_each_reminder_once(due, clock, mailoutbox):
    services.sweep_due_enrollments()
    mailoutbox.clear()
    before = Notification.objects.count()
    clock(days(2))  # the practice of the six who entered cycle 1 today is due tomorrow
    together(notify.send_reminders, notify.send_reminders)
    reminders = Notification.objects.filter(kind="activity_due")
    assert reminders.count() == 6
    assert sorted(reminders.values_list("recipient__username", flat=True)) == [f"t{n}" for n in range(6)]
    fresh = Notification.objects.count() - before
    assert len(mailoutbox) == fresh
    assert len({(m.to[0], m.subject) for m in mailoutbox}) == fresh
    assert notify.send_reminders() == 0


def test_two_concurrent_advances_of_one_enrollment_make_one_move(tiny, world):
    batch = open_batch(tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=TODAY)
    enrollment = walk_to(enrollment_of(batch, world.trainee), "cycle_1", actor=world.hr)
    meet_gate(enrollment, actor=world.hr)

    def advance(actor):
        return lambda: services.move_enrollment(
            actor=actor, enrollment_id=enrollment.pk, move=cycles.ADVANCE, from_state="cycle_1"
        )

    together(advance(world.supervisor.user), advance(world.hr))
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_2", 2)
    assert enrollment.events.filter(move="advance").count() == 1
    assert enrollment.activities.filter(cycle=2).count() == len(tiny.activities[2])
    trainee_notes = Notification.objects.filter(kind="enrollment_advance", recipient=world.trainee.user)
    assert trainee_notes.count() == 1


def test_a_supervisor_and_the_sweep_starting_the_same_trainee_make_one_move(tiny, world):
    world.trainee.stage = Stage.PRE_JOB
    world.trainee.save()
    batch = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=days(-PRE_JOB_DAYS)
    )
    enrollment = enrollment_of(batch, world.trainee)
    together(
        lambda: services.move_enrollment(
            actor=world.supervisor.user, enrollment_id=enrollment.pk, move=cycles.START, from_state="pre_job"
        ),
        lambda: services.sweep_due_enrollments(chunk_size=1),
    )
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"
    assert enrollment.events.filter(move="start").count() == 1
    assert enrollment.activities.count() == 2
