"""Onboarding writes (training.services): enroll, moves through the cycles, gates, activities,
gate checks, mentors, per-batch adjustments, and the notifications they leave in the inbox."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from notifications.models import Notification
from staff.models import Employee, Stage
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
from training.models import Activity, Assessment, CycleAdjustment, EnrollmentEvent, GateCheck

TODAY = datetime.date(2026, 3, 3)  # a Tuesday
START_ON = TODAY - datetime.timedelta(days=PRE_JOB_DAYS)


def days(n):
    return TODAY + datetime.timedelta(days=n)


def has_chinese(text):
    return any("\u4e00" <= char <= "\u9fff" for char in text)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def trainee(world):
    """Trainee A, a new hire in pre-job training who reads English; her mentor reads Chinese."""
    world.trainee.stage, world.trainee.language = Stage.PRE_JOB, "en"
    world.trainee.save()
    world.mentor.language = "zh-hans"
    world.mentor.save()
    return world.trainee


@pytest.fixture
def batch(world, tiny, trainee):
    return open_batch(tiny, hr=world.hr, supervisor=world.supervisor, trainees=[trainee], start_on=START_ON)


@pytest.fixture
def enrollment(batch, trainee):
    return enrollment_of(batch, trainee)


@pytest.fixture
def sup(world):
    return world.supervisor.user


def move(actor, enrollment, what, **kwargs):
    enrollment.refresh_from_db()
    kwargs.setdefault("from_state", enrollment.state)
    return services.move_enrollment(actor=actor, enrollment_id=enrollment.pk, move=what, **kwargs)


def events(enrollment, **filters):
    return list(
        enrollment.events.filter(**filters)
        .order_by("pk")
        .values_list("move", "from_state", "to_state", "actor__username", "reason")
    )


def refused(exc_info):
    return exc_info.value.messages


# Enrollment --------------------------------------------------------------------------------------


def test_an_enrolled_trainee_is_in_pre_job_until_the_pre_job_days_are_over(enrollment, world):
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("pre_job", 0)
    assert (enrollment.cycle_started_on, enrollment.due_on) == (START_ON, TODAY)
    assert events(enrollment) == [("enroll", "pre_job", "pre_job", "hr_user", "")]


def test_enrolling_the_same_trainee_twice_changes_nothing(batch, enrollment, trainee, world):
    again = services.enroll_trainee(actor=world.hr, batch=batch, trainee=trainee)
    assert again.pk == enrollment.pk
    assert batch.enrollments.count() == 1
    assert enrollment.events.count() == 1


def test_only_hr_enrolls_a_trainee(batch, world):
    with pytest.raises(PermissionDenied):
        services.enroll_trainee(actor=world.supervisor.user, batch=batch, trainee=world.other_trainee)
    assert not batch.enrollments.filter(trainee=world.other_trainee).exists()


def test_only_hr_opens_a_batch(tiny, world):
    with pytest.raises(PermissionDenied):
        open_batch(tiny, hr=world.supervisor.user, supervisor=world.supervisor, start_on=START_ON)
    assert not tiny.program.batches.exists()


# START -----------------------------------------------------------------------------------------


def test_start_enters_cycle_1_for_its_length(enrollment, sup):
    move(sup, enrollment, cycles.START)
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_1", 1)
    assert (enrollment.cycle_started_on, enrollment.due_on) == (TODAY, days(CYCLE_DAYS[1]))


def test_start_creates_the_cycle_1_activities_with_their_due_dates(enrollment, tiny, sup):
    move(sup, enrollment, cycles.START)
    assert sorted(enrollment.activities.values_list("template_id", "cycle", "due_on", "done_at")) == sorted(
        (t.pk, 1, days(t.due_offset_days), None) for t in tiny.activities[1]
    )


def test_start_moves_the_new_hire_from_pre_job_to_onboarding(enrollment, trainee, sup):
    move(sup, enrollment, cycles.START)
    trainee.refresh_from_db()
    assert trainee.stage == Stage.ONBOARDING


def stage_history(trainee):
    return list(
        trainee.history.order_by("history_date", "history_id").values_list(
            "stage", "history_user__username", "history_change_reason", "history_date"
        )
    )


def test_each_stage_change_of_a_move_writes_a_history_row_with_actor_reason_and_time(enrollment, trainee, sup):
    before = stage_history(trainee)
    move(sup, enrollment, cycles.START)
    assert stage_history(trainee)[len(before) :] == [
        ("onboarding", "sup_a", "Entered cycle 1 of onboarding", at(TODAY))
    ]


def test_completing_the_program_writes_the_growth_stage_to_the_history(enrollment, trainee, sup):
    walk_to(enrollment, "cycle_4", actor=sup)
    meet_gate(enrollment, actor=sup)
    move(sup, enrollment, cycles.ADVANCE)
    assert stage_history(trainee)[-1][:3] == ("growth", "sup_a", "Completed the onboarding program")


def test_a_move_that_leaves_the_stage_as_it_is_writes_no_history_row(enrollment, trainee, sup):
    move(sup, enrollment, cycles.START)
    rows = len(stage_history(trainee))
    move(sup, enrollment, cycles.HOLD)
    move(sup, enrollment, cycles.RESUME)
    assert len(stage_history(trainee)) == rows


# ADVANCE and the gate ----------------------------------------------------------------------------


def test_advance_is_refused_while_required_activities_are_not_done(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["2 required activities are not done."]
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"
    assert events(enrollment, move="advance") == []


def test_advance_is_refused_when_a_focus_indicator_is_not_assessed(enrollment, sup):
    walk_to(enrollment, "cycle_2", actor=sup)
    activity = enrollment.activities.get(cycle=2)
    services.complete_activity(actor=sup, activity_id=activity.pk)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["Belonging has not been assessed."]
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"


def test_advance_is_refused_when_a_focus_indicator_is_below_the_required_level(enrollment, tiny, sup):
    walk_to(enrollment, "cycle_2", actor=sup)
    services.complete_activity(actor=sup, activity_id=enrollment.activities.get(cycle=2).pk)
    give_levels(enrollment.trainee, [tiny.attitude], level=2, actor=sup)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["Belonging is at 2, below the required 3."]


def test_advance_is_refused_when_the_required_check_was_not_taken(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    for activity in enrollment.activities.filter(cycle=3):
        services.complete_activity(actor=sup, activity_id=activity.pk)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["The pass-the-gate check has not been taken."]


def test_advance_is_refused_when_the_check_scored_below_the_pass_mark(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    for activity in enrollment.activities.filter(cycle=3):
        services.complete_activity(actor=sup, activity_id=activity.pk)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=70)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["The pass-the-gate check scored 70, below the pass mark 80."]


def test_advance_counts_the_best_check_attempt(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    for activity in enrollment.activities.filter(cycle=3):
        services.complete_activity(actor=sup, activity_id=activity.pk)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=70)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=85)
    move(sup, enrollment, cycles.ADVANCE)
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_4"


def test_advance_with_the_gate_met_enters_the_next_cycle_and_creates_its_activities(enrollment, tiny, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    meet_gate(enrollment, actor=sup)
    move(sup, enrollment, cycles.ADVANCE)
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_2", 2)
    assert (enrollment.cycle_started_on, enrollment.due_on) == (TODAY, days(CYCLE_DAYS[2]))
    assert list(enrollment.activities.filter(cycle=2).values_list("template_id", "due_on")) == [
        (t.pk, days(t.due_offset_days)) for t in tiny.activities[2]
    ]


def test_advance_from_cycle_4_completes_the_program_and_the_trainee_grows(enrollment, trainee, sup):
    walk_to(enrollment, "cycle_4", actor=sup)
    meet_gate(enrollment, actor=sup)
    move(sup, enrollment, cycles.ADVANCE)
    enrollment.refresh_from_db()
    trainee.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("completed", 4)
    assert trainee.stage == Stage.GROWTH


def test_advance_after_an_extension_clears_the_flag_and_the_plan(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    move(sup, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=days(5))
    meet_gate(enrollment, actor=sup)
    move(sup, enrollment, cycles.ADVANCE)
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.is_gate_failed, enrollment.remediation_plan) == ("cycle_2", False, "")


# The same move twice, illegal moves ----------------------------------------------------------------


def test_the_same_move_twice_changes_nothing_the_second_time(enrollment, sup):
    move(sup, enrollment, cycles.START, from_state="pre_job")
    move(sup, enrollment, cycles.START, from_state="pre_job")
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"
    assert len(events(enrollment, move="start")) == 1
    assert enrollment.activities.count() == 2


def test_a_second_advance_from_the_old_state_does_not_skip_a_cycle(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    meet_gate(enrollment, actor=sup)
    move(sup, enrollment, cycles.ADVANCE, from_state="cycle_1")
    move(sup, enrollment, cycles.ADVANCE, from_state="cycle_1")
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    assert len(events(enrollment, move="advance")) == 1


def test_an_illegal_move_is_refused_with_a_message(enrollment, sup):
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["Only a trainee in a cycle can pass its gate."]
    enrollment.refresh_from_db()
    assert enrollment.state == "pre_job"
    assert events(enrollment, move="advance") == []


def test_resuming_an_enrollment_that_is_not_on_hold_is_refused(enrollment, sup):
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.RESUME)
    assert refused(exc) == ["Only an enrollment on hold can be resumed."]


def test_a_withdrawn_enrollment_refuses_every_move(enrollment, sup):
    move(sup, enrollment, cycles.WITHDRAW)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.HOLD)
    assert refused(exc) == ["This enrollment is Withdrawn; nothing can change it."]


# EXTEND ----------------------------------------------------------------------------------------


def test_extend_needs_a_remediation_plan(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.EXTEND, remediation_plan="  ", due_on=days(7))
    assert exc.value.message_dict == {"remediation_plan": ["Write the remediation plan."]}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.is_gate_failed) == ("cycle_1", False)


@pytest.mark.parametrize("due_on", [None, TODAY, TODAY - datetime.timedelta(days=1)])
def test_extend_needs_a_due_date_after_today(enrollment, sup, due_on):
    walk_to(enrollment, "cycle_1", actor=sup)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=due_on)
    assert exc.value.message_dict == {"due_on": ["The new due date must be after today."]}
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_extend_sets_the_plan_the_new_due_date_and_the_gate_failed_flag(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    move(sup, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=days(5))
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("extended", 1)
    assert (enrollment.remediation_plan, enrollment.due_on, enrollment.is_gate_failed) == (
        "Shorter notes.",
        days(5),
        True,
    )


# Hold, resume, withdraw -------------------------------------------------------------------------


def test_hold_keeps_the_cycle_and_remembers_where_it_was(enrollment, sup):
    walk_to(enrollment, "cycle_2", actor=sup)
    move(sup, enrollment, cycles.HOLD, reason="Sick leave")
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle, enrollment.held_from) == ("on_hold", 2, "cycle_2")


def test_resume_returns_to_the_state_it_was_held_from(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    move(sup, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=days(5))
    move(sup, enrollment, cycles.HOLD)
    move(sup, enrollment, cycles.RESUME)
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle, enrollment.held_from) == ("extended", 1, "")


def test_withdraw_ends_the_enrollment(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    move(sup, enrollment, cycles.WITHDRAW, reason="Left the company")
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("withdrawn", 3)


# Events -------------------------------------------------------------------------------------------


def test_every_move_writes_an_event_with_actor_from_to_and_reason(enrollment, world, sup):
    move(sup, enrollment, cycles.START, reason="Pre-job done")
    move(world.hr, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=days(5))
    move(sup, enrollment, cycles.HOLD, reason="Sick leave")
    move(sup, enrollment, cycles.RESUME, reason="Back")
    move(world.hr, enrollment, cycles.WITHDRAW, reason="Left")
    assert events(enrollment)[1:] == [
        ("start", "pre_job", "cycle_1", "sup_a", "Pre-job done"),
        ("extend", "cycle_1", "extended", "hr_user", "Shorter notes."),
        ("hold", "extended", "on_hold", "sup_a", "Sick leave"),
        ("resume", "on_hold", "extended", "sup_a", "Back"),
        ("withdraw", "extended", "withdrawn", "hr_user", "Left"),
    ]


# Permissions --------------------------------------------------------------------------------------


def test_the_trainee_cannot_move_her_own_enrollment(enrollment, trainee):
    with pytest.raises(PermissionDenied):
        move(trainee.user, enrollment, cycles.START)
    enrollment.refresh_from_db()
    assert enrollment.state == "pre_job"


def test_the_mentor_cannot_move_the_enrollment(enrollment, world):
    with pytest.raises(PermissionDenied):
        move(world.mentor.user, enrollment, cycles.START)


def test_another_teams_supervisor_cannot_move_the_enrollment(enrollment, world):
    with pytest.raises(PermissionDenied):
        move(world.other_supervisor.user, enrollment, cycles.START)
    enrollment.refresh_from_db()
    assert enrollment.state == "pre_job"
    assert events(enrollment, move="start") == []


def test_hr_can_move_any_enrollment(enrollment, world):
    move(world.hr, enrollment, cycles.START)
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_the_batch_supervisor_can_move_a_trainee_of_another_team(tiny, world):
    batch = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.other_trainee], start_on=START_ON
    )
    enrollment = enrollment_of(batch, world.other_trainee)
    move(world.supervisor.user, enrollment, cycles.START)
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


# Activities ---------------------------------------------------------------------------------------


@pytest.fixture
def in_cycle_1(enrollment, sup):
    return walk_to(enrollment, "cycle_1", actor=sup)


def activity(enrollment, owner):
    return enrollment.activities.get(cycle=enrollment.cycle, template__owner=owner)


def test_the_trainee_marks_her_activity_done_with_a_note(in_cycle_1, trainee):
    task = activity(in_cycle_1, "trainee")
    services.complete_activity(actor=trainee.user, activity_id=task.pk, note="Timed 20 calls")
    task.refresh_from_db()
    assert (task.done_at, task.done_by, task.note) == (at(TODAY), trainee.user, "Timed 20 calls")


def test_marking_an_activity_done_twice_keeps_the_first_record(in_cycle_1, trainee, sup, time_machine):
    task = activity(in_cycle_1, "trainee")
    services.complete_activity(actor=trainee.user, activity_id=task.pk, note="first")
    time_machine.move_to(at(TODAY, hour=15), tick=False)
    services.complete_activity(actor=sup, activity_id=task.pk, note="second")
    task.refresh_from_db()
    assert (task.done_at, task.done_by, task.note) == (at(TODAY), trainee.user, "first")


def test_the_trainee_cannot_mark_the_mentors_activity_done(in_cycle_1, trainee):
    task = activity(in_cycle_1, "mentor")
    with pytest.raises(PermissionDenied):
        services.complete_activity(actor=trainee.user, activity_id=task.pk)
    task.refresh_from_db()
    assert task.done_at is None


def test_the_mentor_marks_the_mentors_activity_done(in_cycle_1, world):
    task = activity(in_cycle_1, "mentor")
    services.complete_activity(actor=world.mentor.user, activity_id=task.pk)
    task.refresh_from_db()
    assert task.done_by == world.mentor.user


def test_the_mentor_cannot_mark_the_trainees_activity_done(in_cycle_1, world):
    task = activity(in_cycle_1, "trainee")
    with pytest.raises(PermissionDenied):
        services.complete_activity(actor=world.mentor.user, activity_id=task.pk)


def test_another_teams_supervisor_cannot_mark_an_activity_done(in_cycle_1, world):
    task = activity(in_cycle_1, "trainee")
    with pytest.raises(PermissionDenied):
        services.complete_activity(actor=world.other_supervisor.user, activity_id=task.pk)
    task.refresh_from_db()
    assert task.done_at is None


def test_an_activity_of_an_enrollment_on_hold_cannot_be_marked_done(in_cycle_1, trainee, sup):
    move(sup, in_cycle_1, cycles.HOLD)
    task = activity(in_cycle_1, "trainee")
    with pytest.raises(ValidationError) as exc:
        services.complete_activity(actor=trainee.user, activity_id=task.pk)
    assert refused(exc) == ["This enrollment is not active."]
    task.refresh_from_db()
    assert task.done_at is None


# Gate checks -------------------------------------------------------------------------------------


def test_a_gate_check_becomes_a_submitted_exam_assessment_of_the_focus_indicators(enrollment, tiny, trainee, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    check = services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=85)
    assessment = Assessment.objects.get(gate_check=check)
    assert (assessment.subject, assessment.assessor, assessment.source, assessment.status) == (
        trainee,
        sup,
        "exam",
        "submitted",
    )
    assert assessment.assessed_on == TODAY
    assert sorted(assessment.scores.values_list("indicator_id", "level")) == sorted(
        [(tiny.skill.pk, 4), (tiny.habit.pk, 4)]
    )


def test_each_gate_check_is_the_next_attempt(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=60)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=90)
    assert list(GateCheck.objects.filter(enrollment=enrollment).values_list("cycle", "attempt", "score")) == [
        (3, 1, 60),
        (3, 2, 90),
    ]


def test_the_mentor_can_run_a_gate_check(enrollment, world, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    check = services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=82)
    assert check.examiner == world.mentor.user
    assert check.assessment.source == "exam"


def test_a_gate_check_needs_a_trainee_in_a_cycle(enrollment, sup):
    with pytest.raises(ValidationError) as exc:
        services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=90)
    assert refused(exc) == ["A gate check needs a trainee in a cycle."]
    assert not GateCheck.objects.exists()


def test_a_gate_check_score_above_100_is_refused(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    with pytest.raises(ValidationError):
        services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=101)
    assert not GateCheck.objects.exists()


def test_the_trainee_cannot_record_her_own_gate_check(enrollment, trainee, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    with pytest.raises(PermissionDenied):
        services.record_gate_check(actor=trainee.user, enrollment_id=enrollment.pk, score=100)
    assert not GateCheck.objects.exists()


# Mentors -----------------------------------------------------------------------------------------


@pytest.fixture
def veteran(world):
    from tests.staff.factories import EmployeeFactory

    return EmployeeFactory(name="Veteran", team=world.team, stage=Stage.HIGH_PERFORMER, user__username="veteran")


def test_the_supervisor_assigns_a_tenured_mentor(enrollment, trainee, veteran, sup):
    services.assign_mentor(actor=sup, enrollment_id=enrollment.pk, mentor=veteran)
    trainee.refresh_from_db()
    assert trainee.mentor == veteran
    assert set(Notification.objects.filter(kind="mentor_assigned").values_list("recipient__username", flat=True)) == {
        "trainee_a",
        "veteran",
    }


def test_assigning_the_same_mentor_again_changes_nothing(enrollment, trainee, veteran, sup):
    services.assign_mentor(actor=sup, enrollment_id=enrollment.pk, mentor=veteran)
    history = trainee.history.count()
    services.assign_mentor(actor=sup, enrollment_id=enrollment.pk, mentor=veteran)
    assert trainee.history.count() == history
    assert Notification.objects.filter(kind="mentor_assigned").count() == 2


def test_a_trainee_cannot_mentor_herself(enrollment, trainee, world, sup):
    with pytest.raises(ValidationError) as exc:
        services.assign_mentor(actor=sup, enrollment_id=enrollment.pk, mentor=trainee)
    assert exc.value.message_dict == {"mentor": ["A trainee cannot mentor herself."]}
    trainee.refresh_from_db()
    assert trainee.mentor == world.mentor


@pytest.mark.parametrize("stage", [Stage.PRE_JOB, Stage.ONBOARDING, Stage.LEFT])
def test_a_mentor_must_be_tenured(enrollment, trainee, veteran, world, sup, stage):
    Employee.objects.filter(pk=veteran.pk).update(stage=stage)
    veteran.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.assign_mentor(actor=sup, enrollment_id=enrollment.pk, mentor=veteran)
    assert exc.value.message_dict == {"mentor": ["A mentor must be a tenured agent."]}
    trainee.refresh_from_db()
    assert trainee.mentor == world.mentor


def test_the_mentor_cannot_assign_a_mentor(enrollment, trainee, veteran, world):
    with pytest.raises(PermissionDenied):
        services.assign_mentor(actor=world.mentor.user, enrollment_id=enrollment.pk, mentor=veteran)
    trainee.refresh_from_db()
    assert trainee.mentor == world.mentor


# Per-batch adjustments -----------------------------------------------------------------------------


@pytest.fixture
def second_batch(tiny, world):
    """Another batch of the same program, same start, with Trainee C."""
    trainee_c = make_trainee(world.team, mentor=world.mentor, name="Trainee C", user__username="trainee_c")
    return open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[trainee_c], start_on=START_ON, code="batch-2"
    )


def test_adjusting_a_cycle_lengthens_it_for_that_batch_only(batch, enrollment, second_batch, tiny, world, sup):
    services.adjust_cycle(actor=world.hr, batch_id=batch.pk, cycle_number=2, extra_days=5, reason="Holiday")
    other = second_batch.enrollments.get()
    walk_to(enrollment, "cycle_2", actor=sup)
    walk_to(other, "cycle_2", actor=sup)
    assert enrollment.due_on == days(CYCLE_DAYS[2] + 5)
    assert other.due_on == days(CYCLE_DAYS[2])
    tiny.cycles[2].refresh_from_db()
    assert tiny.cycles[2].length_days == CYCLE_DAYS[2]


def test_adjusting_the_same_cycle_again_replaces_the_change(batch, world):
    services.adjust_cycle(actor=world.hr, batch_id=batch.pk, cycle_number=2, extra_days=5)
    services.adjust_cycle(actor=world.hr, batch_id=batch.pk, cycle_number=2, extra_days=-3)
    assert list(CycleAdjustment.objects.values_list("batch_id", "cycle_number", "extra_days")) == [(batch.pk, 2, -3)]


def test_only_hr_adjusts_a_cycle(batch, sup):
    with pytest.raises(PermissionDenied):
        services.adjust_cycle(actor=sup, batch_id=batch.pk, cycle_number=2, extra_days=5)
    assert not CycleAdjustment.objects.exists()


def add_extra(batch, hr, cycle_number=1):
    return services.add_batch_activity(
        actor=hr,
        batch_id=batch.pk,
        cycle_number=cycle_number,
        title_en="Shadow a veteran",
        title_zh="跟听老员工",
        kind="practice",
        due_offset_days=4,
    )


def test_a_batch_activity_reaches_enrollments_already_in_that_cycle_of_that_batch_only(
    enrollment, second_batch, world, sup
):
    other = walk_to(second_batch.enrollments.get(), "cycle_1", actor=sup)
    walk_to(enrollment, "cycle_1", actor=sup)
    extra = add_extra(batch=enrollment.batch, hr=world.hr)
    assert list(Activity.objects.filter(template=extra).values_list("enrollment_id", "cycle", "due_on")) == [
        (enrollment.pk, 1, days(4))
    ]
    assert not other.activities.filter(template=extra).exists()


def test_a_batch_activity_does_not_reach_enrollments_in_another_cycle(enrollment, world, sup):
    walk_to(enrollment, "cycle_2", actor=sup)
    extra = add_extra(batch=enrollment.batch, hr=world.hr, cycle_number=1)
    assert not Activity.objects.filter(template=extra).exists()


def test_a_batch_activity_reaches_an_enrollment_on_hold_in_that_cycle(enrollment, world, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    move(sup, enrollment, cycles.HOLD)
    extra = add_extra(batch=enrollment.batch, hr=world.hr)
    assert enrollment.activities.filter(template=extra).exists()


def test_a_batch_activity_is_given_to_trainees_of_that_batch_who_enter_the_cycle_later(
    enrollment, second_batch, world, sup
):
    extra = add_extra(batch=enrollment.batch, hr=world.hr)
    other = walk_to(second_batch.enrollments.get(), "cycle_1", actor=sup)
    walk_to(enrollment, "cycle_1", actor=sup)
    assert enrollment.activities.filter(template=extra).exists()
    assert not other.activities.filter(template=extra).exists()


def test_a_batch_activity_counts_at_the_gate(enrollment, world, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    meet_gate(enrollment, actor=sup)
    add_extra(batch=enrollment.batch, hr=world.hr)
    with pytest.raises(ValidationError) as exc:
        move(sup, enrollment, cycles.ADVANCE)
    assert refused(exc) == ["1 required activity is not done."]


def test_only_hr_adds_a_batch_activity(batch, sup):
    with pytest.raises(PermissionDenied):
        add_extra(batch=batch, hr=sup)
    assert not batch.extra_activities.exists()


# Notifications ------------------------------------------------------------------------------------


def notes(kind):
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_a_move_notifies_the_trainee_and_mentor_but_not_the_supervisor_who_made_it(enrollment, sup):
    move(sup, enrollment, cycles.START)
    assert set(notes("enrollment_start")) == {"trainee_a", "mentor_a"}


def test_a_move_made_by_hr_also_notifies_the_supervisor(enrollment, world):
    move(world.hr, enrollment, cycles.START)
    assert set(notes("enrollment_start")) == {"trainee_a", "mentor_a", "sup_a"}


def test_a_move_notification_is_in_each_recipients_language(enrollment, sup):
    move(sup, enrollment, cycles.START)
    sent = notes("enrollment_start")
    assert sent["trainee_a"].title == "Trainee A: Pre-job training → Cycle 1: habits"
    assert has_chinese(sent["mentor_a"].title)
    assert sent["mentor_a"].title != sent["trainee_a"].title
    with translation.override("zh-hans"):
        old, new = str(cycles.STATE_LABELS["pre_job"]), str(cycles.STATE_LABELS["cycle_1"])
        expected = translation.gettext("%(name)s: %(old)s → %(new)s") % {"name": "Trainee A", "old": old, "new": new}
    assert sent["mentor_a"].title == expected


def test_a_move_notification_links_to_the_enrollment(enrollment, sup):
    move(sup, enrollment, cycles.START)
    assert notes("enrollment_start")["trainee_a"].url == f"/training/onboarding/enrollments/{enrollment.pk}/"


def test_an_extension_notification_carries_the_remediation_plan(enrollment, sup):
    walk_to(enrollment, "cycle_1", actor=sup)
    move(sup, enrollment, cycles.EXTEND, remediation_plan="Shorter notes.", due_on=days(5))
    assert {n.body for n in notes("enrollment_extend").values()} == {"Shorter notes."}


def test_a_repeated_move_writes_no_second_notification(enrollment, sup):
    move(sup, enrollment, cycles.START, from_state="pre_job")
    move(sup, enrollment, cycles.START, from_state="pre_job")
    assert Notification.objects.filter(kind="enrollment_start").count() == 2


def test_a_refused_move_writes_no_notification(enrollment, world):
    with pytest.raises(PermissionDenied):
        move(world.other_supervisor.user, enrollment, cycles.START)
    assert not Notification.objects.exists()


def test_a_gate_check_notifies_the_trainee_mentor_and_supervisor(enrollment, sup):
    walk_to(enrollment, "cycle_3", actor=sup)
    services.record_gate_check(actor=sup, enrollment_id=enrollment.pk, score=70)
    sent = notes("gate_checked")
    assert set(sent) == {"trainee_a", "mentor_a", "sup_a"}
    assert sent["trainee_a"].title == "Trainee A did not pass the gate check (70)"


def test_every_move_event_has_a_matching_notification_for_the_trainee(enrollment, sup):
    walk_to(enrollment, "cycle_2", actor=sup)
    moves = set(EnrollmentEvent.objects.filter(enrollment=enrollment).exclude(move="enroll").values_list("move"))
    kinds = set(Notification.objects.filter(recipient__username="trainee_a").values_list("kind", flat=True))
    assert {f"enrollment_{m}" for (m,) in moves} <= kinds


def test_a_cycle_cannot_be_shortened_below_one_day(batch, world):
    with pytest.raises(ValidationError):
        services.adjust_cycle(actor=world.hr, batch_id=batch.pk, cycle_number=1, extra_days=-999)
    assert not CycleAdjustment.objects.exists()


def test_a_cycle_the_program_does_not_have_cannot_be_adjusted(batch, world):
    with pytest.raises(ValidationError):
        services.adjust_cycle(actor=world.hr, batch_id=batch.pk, cycle_number=5, extra_days=1)
