"""The people API: the one way to change an employee's stage, team, position and mentor."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from staff import services
from staff.models import Employee, Stage
from tests.staff.factories import EmployeeFactory, TeamFactory


@pytest.fixture
def listener_calls():
    """Register a recording listener for one test, then remove it."""
    calls = []

    def record(changes, *, actor):
        calls.append((changes, actor))

    services.register_change_listener(record)
    yield calls
    services._listeners.remove(record)


def _latest(employee):
    return employee.history.order_by("-history_id").first()


def test_change_people_writes_one_history_row_per_employee_with_actor_reason_and_date(world):
    when = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    before = Employee.history.count()
    changed = services.change_people(
        actor=world.hr,
        employee_ids=[world.trainee.pk, world.other_trainee.pk],
        stage=Stage.GROWTH,
        reason="cycle 4 done",
        changed_at=when,
    )
    assert sorted(changed) == sorted([world.trainee.pk, world.other_trainee.pk])
    assert Employee.history.count() == before + 2
    record = _latest(world.trainee)
    assert (record.stage, record.history_user, record.history_change_reason, record.history_date) == (
        Stage.GROWTH,
        world.hr,
        "cycle 4 done",
        when,
    )
    assert Employee.objects.get(pk=world.other_trainee.pk).stage == Stage.GROWTH


def test_change_people_without_a_date_stamps_the_history_now(world):
    start = timezone.now()
    services.change_people(actor=world.hr, employee_ids=[world.trainee.pk], stage=Stage.GROWTH)
    assert _latest(world.trainee).history_date >= start


def test_change_people_writes_nothing_for_employees_already_there(world, listener_calls):
    before = Employee.history.count()
    changed = services.change_people(
        actor=world.hr, employee_ids=[world.trainee.pk, world.other_trainee.pk], stage=Stage.ONBOARDING
    )
    assert changed == []
    assert Employee.history.count() == before
    assert listener_calls == []


def test_change_people_changes_only_the_employees_not_already_there(world):
    changed = services.change_people(
        actor=world.hr, employee_ids=[world.trainee.pk, world.mentor.pk], stage=Stage.HIGH_PERFORMER
    )
    assert changed == [world.trainee.pk]


def test_change_people_with_from_stages_skips_employees_in_other_stages(world):
    changed = services.change_people(
        actor=world.hr,
        employee_ids=[world.trainee.pk, world.mentor.pk],
        stage=Stage.LEFT,
        from_stages=[Stage.ONBOARDING],
    )
    assert changed == [world.trainee.pk]
    assert Employee.objects.get(pk=world.mentor.pk).stage == Stage.HIGH_PERFORMER


def test_change_people_sets_team_position_and_mentor_by_instance(world):
    services.change_people(actor=world.hr, employee_ids=[world.other_trainee.pk], team=world.team, mentor=world.mentor)
    moved = Employee.objects.get(pk=world.other_trainee.pk)
    assert (moved.team_id, moved.mentor_id) == (world.team.pk, world.mentor.pk)


def _queries_to_move(count):
    team = TeamFactory()
    ids = [e.pk for e in EmployeeFactory.create_batch(count, team=team)]
    with CaptureQueriesContext(connection) as ctx:
        changed = services.change_people(actor=None, employee_ids=ids, stage=Stage.GROWTH, reason="sweep")
    assert len(changed) == count
    return len(ctx.captured_queries)


def test_change_people_runs_the_same_number_of_queries_for_3_and_30_employees(db):
    assert _queries_to_move(3) == _queries_to_move(30)


def test_change_person_records_actor_and_reason(world):
    services.change_person(actor=world.hr, employee_id=world.trainee.pk, team=world.other_team, reason="transfer")
    record = _latest(world.trainee)
    assert (record.team_id, record.history_user, record.history_change_reason) == (
        world.other_team.pk,
        world.hr,
        "transfer",
    )


def test_change_person_to_where_she_is_writes_nothing(world):
    before = world.trainee.history.count()
    services.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=world.mentor, stage=Stage.ONBOARDING)
    assert world.trainee.history.count() == before


def test_change_person_refuses_her_own_mentor(world):
    with pytest.raises(ValidationError) as exc:
        services.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=world.trainee)
    assert list(exc.value.message_dict) == ["mentor"]
    assert Employee.objects.get(pk=world.trainee.pk).mentor_id == world.mentor.pk


@pytest.mark.parametrize("stage", [Stage.PRE_JOB, Stage.ONBOARDING, Stage.LEFT])
def test_change_person_refuses_a_mentor_who_is_not_tenured(world, stage):
    candidate = EmployeeFactory(team=world.team, stage=stage)
    with pytest.raises(ValidationError) as exc:
        services.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=candidate)
    assert exc.value.message_dict == {"mentor": ["A mentor must be a tenured agent."]}
    assert Employee.objects.get(pk=world.trainee.pk).mentor_id == world.mentor.pk


def test_change_person_accepts_a_tenured_mentor(world):
    candidate = EmployeeFactory(team=world.team, stage=Stage.GROWTH)
    services.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=candidate)
    assert Employee.objects.get(pk=world.trainee.pk).mentor_id == candidate.pk


def test_change_person_may_remove_the_mentor(world):
    services.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=None)
    assert Employee.objects.get(pk=world.trainee.pk).mentor_id is None


def test_change_people_refuses_an_untenured_mentor_for_everyone(world):
    with pytest.raises(ValidationError):
        services.change_people(actor=world.hr, employee_ids=[world.other_trainee.pk], mentor=world.trainee)
    assert Employee.objects.get(pk=world.other_trainee.pk).mentor_id is None


def test_change_person_rejects_an_unknown_field(world):
    with pytest.raises(TypeError):
        services.change_person(actor=world.hr, employee_id=world.trainee.pk, name="Someone else")


def test_listener_receives_each_changed_field_with_old_and_new_values_and_the_actor(world, listener_calls):
    services.change_person(actor=world.hr, employee_id=world.trainee.pk, stage=Stage.GROWTH, team=world.other_team)
    assert listener_calls == [
        (
            [
                services.PersonChange(world.trainee.pk, "stage", Stage.ONBOARDING, Stage.GROWTH),
                services.PersonChange(world.trainee.pk, "team", world.team.pk, world.other_team.pk),
            ],
            world.hr,
        )
    ]


def test_move_employee_still_moves_with_history(world):
    services.move_employee(employee_id=world.trainee.pk, actor=world.hr, stage=Stage.GROWTH, reason="done")
    record = _latest(world.trainee)
    assert (record.stage, record.history_change_reason) == (Stage.GROWTH, "done")
