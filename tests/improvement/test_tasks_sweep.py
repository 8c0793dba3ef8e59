"""The sweep of task stages (issue 14 §3) under frozen time: the stage owner (and the delegator) reminded once a day
before the end of the due day, each escalation level once and in order after it — level 1 to the lead, level 2
past the lead — a second run writes nothing, a done stage stops escalating, the delegator is escalated along."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from improvement.models import Stage, TaskEvent
from improvement.services import tasks as services
from improvement.services.task_sweep import sweep_stages
from improvement.tasks import sweep_stages as sweep_task
from linkage.models import LinkageRole
from notifications.models import Notification
from tests.staff.factories import EmployeeFactory, PositionFactory

TZ = ZoneInfo("Asia/Shanghai")
CREATED = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
DUE_ON = datetime.date(2026, 12, 3)
DEADLINE = datetime.datetime(2026, 12, 4, tzinfo=TZ)  # the end of the due day


@pytest.fixture
def kit(world, time_machine):
    """The supervisor's task for the trainee (understood, started) with one stage of hers due on 3 December, and a
    floor manager (nobody leads Supervisor A, so level 2 reaches the floor manager)."""
    time_machine.move_to(CREATED, tick=False)
    task = services.create_task(
        actor=world.supervisor.user,
        title="Call back",
        assignee=world.trainee,
        stages=[{"title": "Call them", "owner": world.trainee, "due_on": DUE_ON}],
        questions=["Why?"],
    )
    services.answer_questions(actor=world.trainee.user, task_id=task.pk, answers={task.questions.get().pk: "So."})
    services.mark_understood(actor=world.supervisor.user, task_id=task.pk)
    services.start_task(actor=world.trainee.user, task_id=task.pk)
    manager = EmployeeFactory(position=PositionFactory(), name="Floor manager")
    LinkageRole.objects.get(code="floor-manager").positions.add(manager.position)
    return task.stages.get(), manager


def _at(time_machine, when):
    time_machine.move_to(when, tick=False)
    return sweep_stages()


def _keys(stage):
    return list(TaskEvent.objects.filter(stage=stage).exclude(key="").order_by("pk").values_list("key", flat=True))


def _told(kind):
    return list(Notification.objects.filter(kind=kind).order_by("pk").values_list("recipient", flat=True))


def test_the_owner_is_reminded_once_a_day_before(world, kit, time_machine):
    stage, _manager = kit
    assert _at(time_machine, DEADLINE - datetime.timedelta(days=1, minutes=1)) == {"reminded": 0, "escalated": 0}
    assert _at(time_machine, DEADLINE - datetime.timedelta(days=1)) == {"reminded": 1, "escalated": 0}
    assert _at(time_machine, DEADLINE - datetime.timedelta(hours=2)) == {"reminded": 0, "escalated": 0}
    assert _keys(stage) == [f"reminded:{stage.pk}"]
    assert _told("improvement_task_reminder") == [world.trainee.user_id]


def test_each_level_once_in_order_and_a_second_run_writes_nothing(world, kit, time_machine):
    stage, manager = kit
    assert _at(time_machine, DEADLINE) == {"reminded": 1, "escalated": 1}
    assert Stage.objects.get(pk=stage.pk).escalation_level == 1
    assert _told("improvement_task_escalated") == [world.supervisor.user_id]
    assert _at(time_machine, DEADLINE + datetime.timedelta(days=2, minutes=-1)) == {"reminded": 0, "escalated": 0}
    assert _at(time_machine, DEADLINE + datetime.timedelta(days=2)) == {"reminded": 0, "escalated": 1}
    assert _keys(stage) == [f"reminded:{stage.pk}", f"escalated:{stage.pk}:1", f"escalated:{stage.pk}:2"]
    assert _told("improvement_task_escalated") == [world.supervisor.user_id, manager.user_id]
    counts = (TaskEvent.objects.count(), Notification.objects.count())
    assert _at(time_machine, DEADLINE + datetime.timedelta(days=9)) == {"reminded": 0, "escalated": 0}
    assert (TaskEvent.objects.count(), Notification.objects.count()) == counts


def test_a_late_sweep_reaches_every_level_in_order_at_once(world, kit, time_machine):
    stage, _manager = kit
    assert _at(time_machine, DEADLINE + datetime.timedelta(days=5)) == {"reminded": 1, "escalated": 2}
    assert _keys(stage) == [f"reminded:{stage.pk}", f"escalated:{stage.pk}:1", f"escalated:{stage.pk}:2"]


def test_a_done_stage_stops_escalating(world, kit, time_machine):
    stage, _manager = kit
    _at(time_machine, DEADLINE)
    services.complete_stage(actor=world.trainee.user, stage_id=stage.pk)
    assert _at(time_machine, DEADLINE + datetime.timedelta(days=3)) == {"reminded": 0, "escalated": 0}
    assert Stage.objects.get(pk=stage.pk).escalation_level == 1


def test_the_delegator_is_reminded_and_escalated_along(world, kit, time_machine):
    stage, manager = kit
    colleague = EmployeeFactory(team=world.team, name="Colleague A")
    services.delegate_stage(actor=world.trainee.user, stage_id=stage.pk, to=colleague)
    _at(time_machine, DEADLINE - datetime.timedelta(days=1))
    assert set(_told("improvement_task_reminder")) == {colleague.user_id, world.trainee.user_id}
    _at(time_machine, DEADLINE + datetime.timedelta(days=2))
    level_one = Notification.objects.filter(kind="improvement_task_escalated", key__contains=f":{stage.pk}:1:")
    level_two = Notification.objects.filter(kind="improvement_task_escalated", key__contains=f":{stage.pk}:2:")
    assert set(level_one.values_list("recipient", flat=True)) == {world.supervisor.user_id, world.trainee.user_id}
    assert set(level_two.values_list("recipient", flat=True)) == {manager.user_id, world.trainee.user_id}


def test_the_celery_task_runs_the_sweep(world, kit, time_machine):
    time_machine.move_to(DEADLINE, tick=False)
    assert sweep_task() == {"reminded": 1, "escalated": 1}
