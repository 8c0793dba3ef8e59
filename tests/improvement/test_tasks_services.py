"""Tasks through their services (issue 14 §3): the comprehension check blocks the start until the owner marks the
task understood (a database constraint backs it), delegation keeps the delegator accountable, anyone on the task
raises past the lead, the owner closes it once every stage is done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from improvement import permissions
from improvement.models import Task, TaskEvent, TaskStatus
from improvement.services import tasks as services
from linkage.models import LinkageRole
from notifications.models import Notification
from tests.staff.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


def make_task(world, *, questions=("What is the goal?", "Who do you call first?")):
    due = timezone.localdate() + datetime.timedelta(days=5)
    return services.create_task(
        actor=world.supervisor.user,
        title="Call back every open complaint",
        assignee=world.trainee,
        stages=[
            {"title": "List the complaints", "owner": world.trainee, "due_on": due},
            {"title": "Call them back", "owner": world.mentor, "due_on": due + datetime.timedelta(days=2)},
        ],
        questions=questions,
    )


def answer_all(world, task):
    answers = {q.pk: f"Answer to {q.text}" for q in task.questions.all()}
    return services.answer_questions(actor=world.trainee.user, task_id=task.pk, answers=answers)


def test_creating_assigns_the_task_and_tells_the_assignee(world):
    task = make_task(world)
    assert (task.status, task.owner, task.assignee) == (TaskStatus.ASSIGNED, world.supervisor, world.trainee)
    assert list(task.stages.values_list("order", "owner")) == [(1, world.trainee.pk), (2, world.mentor.pk)]
    assert Notification.objects.filter(recipient=world.trainee.user, kind="improvement_task_assigned").count() == 1


def test_an_agent_may_not_create_a_task(world):
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=world.trainee.user,
            title="x",
            assignee=world.mentor,
            stages=[{"title": "s", "owner": world.mentor, "due_on": timezone.localdate()}],
        )


def test_a_supervisor_may_not_give_a_task_to_another_team(world):
    with pytest.raises(ValidationError):
        services.create_task(
            actor=world.supervisor.user,
            title="x",
            assignee=world.other_trainee,
            stages=[{"title": "s", "owner": world.trainee, "due_on": timezone.localdate()}],
        )


def test_the_start_is_refused_until_every_question_is_answered(world):
    task = make_task(world)
    with pytest.raises(ValidationError):
        services.start_task(actor=world.trainee.user, task_id=task.pk)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED


def test_the_start_is_refused_until_the_owner_marks_it_understood(world):
    task = make_task(world)
    answer_all(world, task)
    with pytest.raises(ValidationError) as refused:
        services.start_task(actor=world.trainee.user, task_id=task.pk)
    assert "understood" in " ".join(refused.value.messages)
    services.mark_understood(actor=world.supervisor.user, task_id=task.pk)
    services.start_task(actor=world.trainee.user, task_id=task.pk)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.understood_at and task.started_at


def test_the_owner_may_not_mark_it_understood_before_the_answers(world):
    task = make_task(world)
    with pytest.raises(ValidationError):
        services.mark_understood(actor=world.supervisor.user, task_id=task.pk)


def test_only_the_owner_marks_understood(world):
    task = make_task(world)
    answer_all(world, task)
    with pytest.raises(PermissionDenied):
        services.mark_understood(actor=world.trainee.user, task_id=task.pk)


def test_the_owner_is_told_when_the_answers_are_in(world):
    task = make_task(world)
    answer_all(world, task)
    assert Notification.objects.filter(recipient=world.supervisor.user, kind="improvement_task_answered").count() == 1


def test_the_database_refuses_a_task_in_progress_not_understood(world):
    task = make_task(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)


def started(world):
    task = make_task(world)
    answer_all(world, task)
    services.mark_understood(actor=world.supervisor.user, task_id=task.pk)
    services.start_task(actor=world.trainee.user, task_id=task.pk)
    return task


def test_a_delegated_stage_keeps_the_delegator_accountable(world):
    task = started(world)
    stage = task.stages.get(order=1)
    colleague = EmployeeFactory(team=world.team, name="Colleague A")
    services.delegate_stage(actor=world.trainee.user, stage_id=stage.pk, to=colleague)
    stage.refresh_from_db()
    assert (stage.owner, stage.delegated_by) == (colleague, world.trainee)
    # she still sees the task, may complete the stage; the delegate may not hand it further
    assert permissions.visible_tasks(world.trainee.user).filter(pk=task.pk).exists()
    assert permissions.visible_tasks(colleague.user).filter(pk=task.pk).exists()
    assert permissions.can_work_stage(world.trainee.user, stage)
    assert not permissions.can_delegate_stage(colleague.user, stage)
    assert Notification.objects.filter(recipient=colleague.user, kind="improvement_task_delegated").count() == 1
    event = TaskEvent.objects.get(task=task, kind="delegated")
    assert (event.actor, event.to) == (world.trainee.user, colleague)


def test_the_delegator_takes_the_stage_back(world):
    task = started(world)
    stage = task.stages.get(order=1)
    colleague = EmployeeFactory(team=world.team)
    services.delegate_stage(actor=world.trainee.user, stage_id=stage.pk, to=colleague)
    services.delegate_stage(actor=world.trainee.user, stage_id=stage.pk, to=world.trainee)
    stage.refresh_from_db()
    assert (stage.owner, stage.delegated_by) == (world.trainee, None)


def test_a_stage_is_not_delegated_outside_the_team(world):
    task = started(world)
    stage = task.stages.get(order=1)
    with pytest.raises(ValidationError):
        services.delegate_stage(actor=world.trainee.user, stage_id=stage.pk, to=world.other_trainee)


def test_the_task_is_done_only_when_every_stage_is(world):
    task = started(world)
    first, second = task.stages.order_by("order")
    services.complete_stage(actor=world.trainee.user, stage_id=first.pk)
    with pytest.raises(ValidationError):
        services.finish_task(actor=world.supervisor.user, task_id=task.pk)
    with pytest.raises(PermissionDenied):
        services.complete_stage(actor=world.trainee.user, stage_id=second.pk)  # the mentor's stage
    services.complete_stage(actor=world.mentor.user, stage_id=second.pk)
    services.finish_task(actor=world.supervisor.user, task_id=task.pk)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_raising_past_the_lead_tells_the_lead_s_lead(world):
    task = make_task(world)
    manager_team = world.other_team
    boss = EmployeeFactory(team=manager_team, name="Manager")
    manager_team.supervisor = boss
    manager_team.save()
    world.supervisor.team = manager_team  # Supervisor A reports to the manager
    world.supervisor.save()
    event = services.raise_past_lead(actor=world.trainee.user, task_id=task.pk, text="The list is wrong.")
    assert (event.kind, event.to) == ("raised", boss)
    assert Notification.objects.filter(recipient=boss.user, kind="improvement_task_raised").count() == 1
    assert not Notification.objects.filter(recipient=world.supervisor.user, kind="improvement_task_raised").exists()


def test_raising_goes_to_the_floor_manager_when_the_lead_has_no_lead(world):
    task = make_task(world)
    manager = EmployeeFactory(position=PositionFactory())
    LinkageRole.objects.get(code="floor-manager").positions.add(manager.position)
    event = services.raise_past_lead(actor=world.mentor.user, task_id=task.pk, text="Too little time.")
    assert event.to == manager
    assert Notification.objects.filter(recipient=manager.user, kind="improvement_task_raised").count() == 1


def test_someone_off_the_task_may_not_raise(world):
    task = make_task(world)
    with pytest.raises(PermissionDenied):
        services.raise_past_lead(actor=world.other_trainee.user, task_id=task.pk, text="?")


def test_the_owner_cancels_and_the_assignee_may_not(world):
    task = make_task(world)
    with pytest.raises(PermissionDenied):
        services.cancel_task(actor=world.trainee.user, task_id=task.pk)
    services.cancel_task(actor=world.supervisor.user, task_id=task.pk)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.start_task(actor=world.trainee.user, task_id=task.pk)


def test_whoever_leads_someone_on_the_task_sees_it_and_no_one_else(world):
    task = make_task(world)
    stage = task.stages.get(order=2)  # the mentor's
    services.delegate_stage(actor=world.mentor.user, stage_id=stage.pk, to=world.trainee)
    visible = {
        name: permissions.visible_tasks(getattr(world, name).user).filter(pk=task.pk).exists()
        for name in ("trainee", "mentor", "supervisor", "other_supervisor", "other_trainee")
    }
    assert visible == {
        "trainee": True,
        "mentor": True,  # delegated her stage, still accountable
        "supervisor": True,
        "other_supervisor": False,
        "other_trainee": False,
    }
    assert permissions.visible_tasks(world.hr).filter(pk=task.pk).exists()
