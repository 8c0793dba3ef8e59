"""The daily sweep (training.services.sweep_due_enrollments) under frozen time: due enrollments move
on when their gate is met and are extended and flagged when not; a rerun changes nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from staff.models import Stage
from tests.training.onboarding_factories import (
    CYCLE_DAYS,
    PRE_JOB_DAYS,
    at,
    enrollment_of,
    give_levels,
    make_program,
    make_trainee,
    meet_gate,
    open_batch,
    walk_to,
)
from training import cycles, services
from training.models import EnrollmentEvent
from training.services.onboarding import MAX_CHUNK, MIN_CHUNK, REMEDIATION_DAYS, sweep_chunk_size

TODAY = datetime.date(2026, 3, 3)  # a Tuesday


def days(n, since=TODAY):
    return since + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def clock(time_machine):
    """Move the frozen clock to a day (09:00 in Shanghai); starts on TODAY."""

    def to(day):
        time_machine.move_to(at(day), tick=False)

    to(TODAY)
    return to


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def hr(world):
    return world.hr


def new_batch(tiny, world, trainees, *, pre_job_ends=TODAY, code="batch-1"):
    return open_batch(
        tiny,
        hr=world.hr,
        supervisor=world.supervisor,
        trainees=trainees,
        start_on=days(-PRE_JOB_DAYS, since=pre_job_ends),
        code=code,
    )


@pytest.fixture
def trainee(world):
    world.trainee.stage = Stage.PRE_JOB
    world.trainee.save()
    return world.trainee


@pytest.fixture
def enrollment(tiny, world, trainee):
    return enrollment_of(new_batch(tiny, world, [trainee]), trainee)


@pytest.fixture
def in_cycle(enrollment, clock, hr):
    """Put the enrollment in a cycle (through the services) that started long enough ago to end today."""

    def put(state):
        number = int(state[-1])
        clock(days(-CYCLE_DAYS[number]))
        walk_to(enrollment, state, actor=hr)
        clock(TODAY)
        enrollment.refresh_from_db()
        assert enrollment.due_on == TODAY
        return enrollment

    return put


def sweep(**kwargs):
    return services.sweep_due_enrollments(**kwargs)


def sweep_events(enrollment):
    return list(
        enrollment.events.filter(actor__isnull=True)
        .order_by("pk")
        .values_list("move", "from_state", "to_state", "reason", "at")
    )


def test_a_due_pre_job_enrollment_enters_cycle_1(enrollment, tiny):
    assert sweep() == {"claimed": 1, "start": 1}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle, enrollment.cycle_started_on, enrollment.due_on) == (
        "cycle_1",
        1,
        TODAY,
        days(CYCLE_DAYS[1]),
    )
    assert sorted(enrollment.activities.values_list("template_id", "due_on")) == sorted(
        (t.pk, days(t.due_offset_days)) for t in tiny.activities[1]
    )


def test_the_sweep_records_its_moves_as_events_without_an_actor(enrollment):
    sweep()
    assert sweep_events(enrollment) == [("start", "pre_job", "cycle_1", "", at(TODAY))]


def test_a_new_hire_entering_cycle_1_is_onboarding(enrollment, trainee):
    sweep()
    trainee.refresh_from_db()
    assert trainee.stage == Stage.ONBOARDING


def test_the_sweep_writes_a_history_row_for_each_stage_change(enrollment, trainee):
    before = trainee.history.count()
    sweep()
    rows = trainee.history.order_by("history_date", "history_id")[before:]
    assert [(r.stage, r.history_user, r.history_change_reason, r.history_date) for r in rows] == [
        ("onboarding", None, "Entered cycle 1 of onboarding", at(TODAY))
    ]


def test_a_due_cycle_with_its_gate_met_moves_to_the_next_cycle(in_cycle, tiny, hr):
    enrollment = in_cycle("cycle_1")
    meet_gate(enrollment, actor=hr)
    assert sweep() == {"claimed": 1, "advance": 1}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle, enrollment.cycle_started_on, enrollment.due_on) == (
        "cycle_2",
        2,
        TODAY,
        days(CYCLE_DAYS[2]),
    )
    assert list(enrollment.activities.filter(cycle=2).values_list("template_id", "due_on")) == [
        (t.pk, days(t.due_offset_days)) for t in tiny.activities[2]
    ]
    assert sweep_events(enrollment) == [("advance", "cycle_1", "cycle_2", "", at(TODAY))]


def test_a_due_cycle_with_its_gate_not_met_is_extended_and_flagged(in_cycle):
    enrollment = in_cycle("cycle_1")
    assert sweep() == {"claimed": 1, "extend": 1}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle, enrollment.is_gate_failed) == ("extended", 1, True)
    assert enrollment.due_on == days(REMEDIATION_DAYS)
    assert enrollment.remediation_plan == "2 required activities are not done."
    assert sweep_events(enrollment) == [
        ("extend", "cycle_1", "extended", "2 required activities are not done.", at(TODAY))
    ]


def test_the_remediation_plan_lists_every_unmet_criterion(in_cycle, hr):
    enrollment = in_cycle("cycle_3")
    services.complete_activity(actor=hr, activity_id=enrollment.activities.filter(cycle=3).first().pk)
    sweep()
    enrollment.refresh_from_db()
    assert enrollment.remediation_plan.splitlines() == [
        "1 required activity is not done.",
        "The pass-the-gate check has not been taken.",
    ]


def test_the_remediation_plan_names_a_focus_indicator_below_the_required_level(in_cycle, tiny, hr):
    enrollment = in_cycle("cycle_2")
    services.complete_activity(actor=hr, activity_id=enrollment.activities.get(cycle=2).pk)
    give_levels(enrollment.trainee, [tiny.attitude], level=2, actor=hr)
    sweep()
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.remediation_plan) == ("extended", "Belonging is at 2, below the required 3.")


def test_a_due_cycle_3_with_its_check_passed_moves_to_cycle_4(in_cycle, hr):
    enrollment = in_cycle("cycle_3")
    meet_gate(enrollment, actor=hr)
    sweep()
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_4"


def test_an_extension_that_ends_with_the_gate_met_moves_on(in_cycle, clock, hr):
    enrollment = in_cycle("cycle_1")
    sweep()
    clock(days(REMEDIATION_DAYS))
    meet_gate(enrollment, actor=hr)
    assert sweep() == {"claimed": 1, "advance": 1}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.is_gate_failed, enrollment.remediation_plan) == ("cycle_2", False, "")
    assert enrollment.due_on == days(REMEDIATION_DAYS + CYCLE_DAYS[2])


def test_an_extension_that_ends_with_the_gate_still_not_met_is_extended_again(in_cycle, clock):
    enrollment = in_cycle("cycle_1")
    sweep()
    clock(days(REMEDIATION_DAYS))
    assert sweep() == {"claimed": 1, "extend": 1}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.due_on) == ("extended", days(2 * REMEDIATION_DAYS))
    assert [e[:3] for e in sweep_events(enrollment)] == [
        ("extend", "cycle_1", "extended"),
        ("extend", "extended", "extended"),
    ]


def test_cycle_4_with_its_gate_met_completes_the_program_and_the_trainee_grows(in_cycle, trainee, hr):
    enrollment = in_cycle("cycle_4")
    meet_gate(enrollment, actor=hr)
    assert sweep() == {"claimed": 1, "advance": 1}
    enrollment.refresh_from_db()
    trainee.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("completed", 4)
    assert trainee.stage == Stage.GROWTH


def test_enrollments_not_yet_due_are_untouched(tiny, world, clock, hr):
    not_due = make_trainee(world.team, name="Tomorrow", user__username="tomorrow")
    in_cycle = make_trainee(world.team, name="Mid-cycle", user__username="mid")
    held = make_trainee(world.team, name="Held", user__username="held")
    clock(days(-1))
    held_batch = new_batch(tiny, world, [held, in_cycle], pre_job_ends=days(-1), code="early")
    services.move_enrollment(
        actor=hr, enrollment_id=enrollment_of(held_batch, held).pk, move=cycles.HOLD, from_state="pre_job"
    )
    walk_to(enrollment_of(held_batch, in_cycle), "cycle_1", actor=hr)
    clock(TODAY)
    new_batch(tiny, world, [not_due], pre_job_ends=days(1), code="late")
    before = list(EnrollmentEvent.objects.order_by("pk").values_list("pk", "enrollment__state"))
    assert sweep() == {"claimed": 0}
    assert list(EnrollmentEvent.objects.order_by("pk").values_list("pk", "enrollment__state")) == before


def test_a_completed_or_withdrawn_enrollment_is_never_due(in_cycle, hr):
    enrollment = in_cycle("cycle_1")
    services.move_enrollment(actor=hr, enrollment_id=enrollment.pk, move=cycles.WITHDRAW, from_state="cycle_1")
    assert sweep() == {"claimed": 0}
    enrollment.refresh_from_db()
    assert enrollment.state == "withdrawn"


def test_a_rerun_the_same_day_changes_nothing(tiny, world, in_cycle, hr):
    met = in_cycle("cycle_1")
    meet_gate(met, actor=hr)
    other = make_trainee(world.team, mentor=world.mentor, name="Not met", user__username="not_met")
    new_batch(tiny, world, [other], code="batch-2")
    first = sweep()
    assert first["claimed"] == 2
    events = EnrollmentEvent.objects.count()
    notifications = Notification.objects.count()
    states = list(met.batch.program.batches.values_list("enrollments__state", "enrollments__due_on"))
    assert sweep() == {"claimed": 0}
    assert EnrollmentEvent.objects.count() == events
    assert Notification.objects.count() == notifications
    assert list(met.batch.program.batches.values_list("enrollments__state", "enrollments__due_on")) == states


def test_the_sweep_works_through_due_rows_in_chunks(tiny, world):
    trainees = [make_trainee(world.team, name=f"T{n}", user__username=f"t{n}") for n in range(5)]
    batch = new_batch(tiny, world, trainees)
    assert sweep(chunk_size=2) == {"claimed": 5, "start": 5}
    assert list(batch.enrollments.values_list("state", flat=True)) == ["cycle_1"] * 5
    for enrollment in batch.enrollments.all():
        assert enrollment.events.filter(move="start").count() == 1
        assert enrollment.activities.count() == 2


def test_each_sweep_move_notifies_the_trainee_mentor_and_supervisor_once(enrollment, trainee):
    sweep()
    sweep()
    assert sorted(
        Notification.objects.filter(kind="enrollment_start").values_list("recipient__username", flat=True)
    ) == ["mentor_a", "sup_a", "trainee_a"]


def test_a_sweep_extension_notification_carries_the_reasons(in_cycle):
    in_cycle("cycle_1")
    sweep()
    assert set(Notification.objects.filter(kind="enrollment_extend").values_list("body", flat=True)) == {
        "2 required activities are not done."
    }


def test_an_enrollment_due_in_the_past_is_caught_up(enrollment, clock):
    """A sweep that did not run for days still finds the enrollment: the sweep is level-triggered."""
    clock(days(3))
    sweep()
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle_started_on) == ("cycle_1", days(3))


# Cheap when nothing is due, and shared by two workers when much is (issue 10 §4) -----------------------


def test_a_sweep_with_nothing_due_is_one_count_query(enrollment, django_assert_num_queries):
    sweep()
    with django_assert_num_queries(1):
        assert sweep() == {"claimed": 0}


@pytest.mark.parametrize(
    ("due", "chunk"),
    [(1, MIN_CHUNK), (199, MIN_CHUNK), (400, 100), (4001, 1001), (8000, MAX_CHUNK), (10**6, MAX_CHUNK)],
)
def test_a_sweep_claims_a_quarter_of_what_is_due_within_bounds(due, chunk):
    assert sweep_chunk_size(due) == chunk


def test_a_sweep_without_a_chunk_size_claims_in_chunks_sized_by_what_is_due(tiny, world, monkeypatch):
    claims = []
    real = services.onboarding._sweep_chunk

    def spy(**kwargs):
        claims.append(kwargs["chunk_size"])
        return real(**kwargs)

    monkeypatch.setattr(services.onboarding, "sweep_chunk_size", lambda due: -(-due // 2))
    monkeypatch.setattr(services.onboarding, "_sweep_chunk", spy)
    new_batch(tiny, world, [make_trainee(world.team, name=f"T{n}", user__username=f"t{n}") for n in range(5)])
    assert sweep() == {"claimed": 5, "start": 5}
    assert claims == [3, 3, 3]  # 3 + 2, then an empty claim ends the sweep


# HR sees due work the sweep has not moved on --------------------------------------------------------


def hr_home(client, world):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("staff:hr-home")).content.decode()
    return page, len(queries)


def test_hr_is_warned_of_enrollments_due_since_midnight_and_not_yet_swept(client, world, tiny, time_machine):
    trainees = [make_trainee(world.team, name=f"T{n}", user__username=f"t{n}") for n in range(3)]
    new_batch(tiny, world, trainees[:1], code="one")
    time_machine.move_to(at(TODAY, hour=1), tick=False)  # the sweep was due at midnight, an hour ago
    page, small = hr_home(client, world)
    assert 'data-warning="unswept"' in page
    assert "1 enrollment due since 2026-03-03 00:00 is not yet swept" in page
    new_batch(tiny, world, trainees[1:], pre_job_ends=days(-2), code="two")
    page, large = hr_home(client, world)
    assert "3 enrollments due since 2026-03-01 00:00 are not yet swept" in page
    assert large == small
    sweep()
    assert 'data-warning="unswept"' not in hr_home(client, world)[0]


def test_hr_is_not_warned_within_the_sweeps_grace(client, world, tiny, trainee, time_machine):
    new_batch(tiny, world, [trainee])
    time_machine.move_to(at(TODAY, hour=0) + datetime.timedelta(minutes=25), tick=False)
    assert 'data-warning="unswept"' not in hr_home(client, world)[0]
    time_machine.move_to(at(TODAY, hour=0) + datetime.timedelta(minutes=35), tick=False)
    assert 'data-warning="unswept"' in hr_home(client, world)[0]
