"""The demo's tasks (issue 14 §6): about ten, with comprehension answers; one waiting for the supervisor to mark it
understood, one overdue stage escalated past the lead by the sweep, one delegated stage whose delegator stays on it."""

from django.urls import reverse

from improvement.models import Question, Stage, Task, TaskEvent, TaskStatus
from staff.demo.plan import ROLE_SUPERVISOR


def test_about_ten_tasks_with_comprehension_answers(demo_world, db):
    assert 8 <= Task.objects.count() <= 14
    assert Question.objects.exclude(answer="").count() >= 10
    assert set(Task.objects.values_list("status", flat=True)) >= {"assigned", "in_progress", "done", "cancelled"}


def test_one_task_waits_for_the_demo_supervisor_to_mark_it_understood(demo_world, db, client):
    waiting = Task.objects.filter(
        status=TaskStatus.ASSIGNED, understood_at__isnull=True, owner__user__username=ROLE_SUPERVISOR
    ).exclude(questions__answered_at__isnull=True)
    assert waiting.count() == 1
    task = waiting.get()
    client.force_login(task.owner.user)
    assert 'id="mark-understood"' in client.get(reverse("improvement:task", args=[task.pk])).content.decode()


def test_an_overdue_stage_is_escalated_past_the_lead(demo_world, db):
    stage = Stage.objects.get(escalation_level=2)
    assert stage.done_at is None and stage.task.status == TaskStatus.IN_PROGRESS
    keys = set(TaskEvent.objects.filter(stage=stage).values_list("key", flat=True))
    assert {f"escalated:{stage.pk}:1", f"escalated:{stage.pk}:2"} <= keys


def test_a_delegated_stage_keeps_its_delegator(demo_world, db, client):
    stage = Stage.objects.select_related("delegated_by__user", "task").get(delegated_by__isnull=False)
    assert stage.owner_id != stage.delegated_by_id
    client.force_login(stage.delegated_by.user)
    page = client.get(reverse("improvement:tasks"))
    assert stage.task in list(page.context["page"])
