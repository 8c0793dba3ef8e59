"""The task pages (issue 14 §3, §5): the Start button stays disabled with its reason until the owner marks the task
understood, the answers and the stage actions go through the services, the lists are paged and filtered with a
fixed number of queries whatever the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.models import Task, TaskStatus
from improvement.services import tasks as services
from tests.improvement.tasks_factories import StageFactory, TaskFactory
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def make_task(world):
    return services.create_task(
        actor=world.supervisor.user,
        title="Tidy the knowledge base",
        assignee=world.trainee,
        stages=[{"title": "Read it", "owner": world.trainee, "due_on": timezone.localdate()}],
        questions=["What is out of date?"],
    )


def _as(client, employee):
    client.force_login(employee.user)
    return client


def test_start_is_disabled_with_the_reason_until_understood(client, world):
    task = make_task(world)
    page = _as(client, world.trainee).get(reverse("improvement:task", args=[task.pk])).content.decode()
    assert 'id="start-task" disabled' in page
    assert "Answer every comprehension question first." in page
    question = task.questions.get()
    client.post(reverse("improvement:task-answer", args=[task.pk]), {f"q{question.pk}": "Two pages."})
    page = client.get(reverse("improvement:task", args=[task.pk])).content.decode()
    assert 'id="start-task" disabled' in page and "Waiting for the owner to mark the task understood." in page
    # a forged POST is refused too
    client.post(reverse("improvement:task-start", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED
    _as(client, world.supervisor).post(reverse("improvement:task-understood", args=[task.pk]))
    page = _as(client, world.trainee).get(reverse("improvement:task", args=[task.pk])).content.decode()
    assert 'id="start-task" disabled' not in page and 'id="start-task"' in page
    client.post(reverse("improvement:task-start", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_the_owner_sees_the_answers_and_the_understood_button(client, world):
    task = make_task(world)
    services.answer_questions(actor=world.trainee.user, task_id=task.pk, answers={task.questions.get().pk: "Two."})
    page = _as(client, world.supervisor).get(reverse("improvement:task", args=[task.pk])).content.decode()
    assert "Two." in page and 'id="mark-understood"' in page


def test_a_stage_is_delegated_on_the_page_and_the_delegator_still_sees_it(client, world):
    task = make_task(world)
    stage = task.stages.get()
    colleague = EmployeeFactory(team=world.team)
    response = _as(client, world.trainee).post(
        reverse("improvement:task-stage-delegate", args=[stage.pk]), {"to": colleague.pk, "text": "You know it."}
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert (stage.owner, stage.delegated_by) == (colleague, world.trainee)
    page = client.get(reverse("improvement:task", args=[task.pk])).content.decode()
    assert "still accountable" in page
    assert str(task.pk) in client.get(reverse("improvement:tasks")).content.decode()


def test_a_supervisor_creates_a_task_with_stages_and_questions(client, world):
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {
        "title": "Prepare the drill",
        "description": "",
        "assignee": world.trainee.pk,
        "stages-TOTAL_FORMS": 3,
        "stages-INITIAL_FORMS": 0,
        "stages-0-title": "Draft the script",
        "stages-0-owner": world.trainee.pk,
        "stages-0-due_on": due,
        "stages-1-title": "Review it",
        "stages-1-owner": world.mentor.pk,
        "stages-1-due_on": due,
        "questions-TOTAL_FORMS": 3,
        "questions-INITIAL_FORMS": 0,
        "questions-0-text": "Which scenario?",
    }
    response = _as(client, world.supervisor).post(reverse("improvement:task-new"), data)
    task = Task.objects.get(title="Prepare the drill")
    assert response.status_code == 302 and response["Location"] == reverse("improvement:task", args=[task.pk])
    assert task.stages.count() == 2 and task.questions.count() == 1 and task.status == TaskStatus.ASSIGNED


def test_a_double_click_creates_one_task(client, world):
    data = {
        "title": "Once",
        "assignee": world.trainee.pk,
        "token": "form-token-1",
        "stages-TOTAL_FORMS": 1,
        "stages-INITIAL_FORMS": 0,
        "stages-0-title": "Do it",
        "stages-0-owner": world.trainee.pk,
        "stages-0-due_on": timezone.localdate().isoformat(),
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    _as(client, world.supervisor)
    first = client.post(reverse("improvement:task-new"), data)
    second = client.post(reverse("improvement:task-new"), data)
    assert Task.objects.filter(title="Once").count() == 1
    assert first["Location"] == second["Location"]


def test_a_stage_half_filled_is_refused(client, world):
    data = {
        "title": "x",
        "assignee": world.trainee.pk,
        "stages-TOTAL_FORMS": 1,
        "stages-INITIAL_FORMS": 0,
        "stages-0-title": "No owner",
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
    }
    response = _as(client, world.supervisor).post(reverse("improvement:task-new"), data)
    assert response.status_code == 200 and not Task.objects.exists()


def _tasks(world, n, *, overdue):
    due = timezone.localdate() + datetime.timedelta(days=-3 if overdue else 3)
    for _ in range(n):
        assignee = EmployeeFactory(team=world.team)
        task = TaskFactory(owner=world.supervisor, assignee=assignee)
        StageFactory(task=task, owner=assignee, due_on=due)
        StageFactory(task=task, owner=world.mentor, due_on=due)


@pytest.mark.parametrize("name", ["improvement:tasks", "improvement:team-tasks"])
def test_lists_take_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, name):
    _as(client, world.supervisor)
    _tasks(world, 2, overdue=True)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(name))
    _tasks(world, 30, overdue=True)
    _tasks(world, 5, overdue=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_team_list_puts_overdue_first_and_filters(client, world):
    _tasks(world, 1, overdue=False)
    _tasks(world, 1, overdue=True)
    late = Task.objects.order_by("pk").last()
    page = _as(client, world.supervisor).get(reverse("improvement:team-tasks"))
    rows = list(page.context["page"])
    assert rows[0].pk == late.pk and rows[0].overdue == 2
    assert sorted(n for _name, n in page.context["overdue_people"]) == [1, 1]  # the assignee's and the mentor's
    only = client.get(reverse("improvement:team-tasks"), {"overdue": "on"}).context["page"]
    assert [task.pk for task in only] == [late.pk]
    person = client.get(reverse("improvement:team-tasks"), {"person": late.assignee_id}).context["page"]
    assert [task.pk for task in person] == [late.pk]


def test_another_supervisor_does_not_see_team_a_tasks(client, world):
    _tasks(world, 2, overdue=True)
    page = _as(client, world.other_supervisor).get(reverse("improvement:team-tasks"))
    assert list(page.context["page"]) == []
