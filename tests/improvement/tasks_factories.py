"""Factories of tasks (issue 14 §3). Rows are written straight for tests that need a state; the behaviour itself is
tested through improvement.services.tasks."""

import datetime

import factory
from django.utils import timezone

from improvement.models import Question, Stage, Task, TaskStatus
from tests.staff.factories import EmployeeFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SubFactory(EmployeeFactory)
    assignee = factory.SubFactory(EmployeeFactory)
    status = TaskStatus.ASSIGNED


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    task = factory.SubFactory(TaskFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Stage {n}")
    owner = factory.LazyAttribute(lambda o: o.task.assignee)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    task = factory.SubFactory(TaskFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")


def matrix_task(world):
    """For tests/test_authorization_matrix.py: a task owned by Team A's supervisor, assigned to the trainee, with a
    stage of hers and a stage her mentor owns; made once per world."""
    if getattr(world, "improvement_task", None) is None:
        task = TaskFactory(owner=world.supervisor, assignee=world.trainee, title="Matrix task")
        world.improvement_task = task
        world.improvement_stage = StageFactory(task=task, order=1, owner=world.trainee)
        StageFactory(task=task, order=2, owner=world.mentor)
        QuestionFactory(task=task)
    return world
