"""Reads about tasks (issue 14 §3): my tasks, the team's tasks with overdue counts, one task with its stages,
questions and history, who stands above a person's lead, and overdue stage counts per person (read by follow-up's
risk flags). Each list is a fixed number of queries whatever the data (scoped by improvement.permissions)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case as Switch
from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from linkage.models import EscalationLevel
from staff import permissions as people
from staff.models import Employee
from staff.models import Stage as LifeStage

from .. import permissions, task_rules
from ..models import Question, Stage, Task, TaskEvent, TaskStatus

PER_PAGE = 25
OPEN_STATUSES = (TaskStatus.DRAFT, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
LEAD_ROLE = "supervisor"  # linkage's team-lead role; the next escalation level's role is the floor manager's

visible_tasks = permissions.visible_tasks


def overdue_stage_counts(employee_ids, *, today=None):
    """{employee_id: number of stages she owns past due and not done} on open tasks; people with none are absent.
    ``employee_ids`` None: everyone's. One query."""
    today = today or timezone.localdate()
    owners = {} if employee_ids is None else {"owner_id__in": list(employee_ids)}
    rows = (
        Stage.objects.filter(
            **owners,
            done_at__isnull=True,
            due_on__lt=today,
            task__status__in=OPEN_STATUSES,
        )
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    return dict(rows)


def _annotated(tasks, today):
    """Each task with ``overdue`` (stages past due, not done) and ``next_due_on`` (the first open stage's day)."""
    open_stages = Stage.objects.filter(task=OuterRef("pk"), done_at__isnull=True).order_by()
    overdue = open_stages.filter(due_on__lt=today).values("task").annotate(n=Count("pk")).values("n")
    next_due = open_stages.values("task").annotate(d=Min("due_on")).values("d")
    return tasks.annotate(
        overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        next_due_on=Subquery(next_due),
    )


def _ordered(tasks):
    """Open tasks with an overdue stage first, then by their next due day; finished ones last."""
    closed = Switch(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return tasks.order_by(closed, "-overdue", F("next_due_on").asc(nulls_last=True), "-pk")


def my_tasks(user, *, today=None):
    """Tasks assigned to her, tasks she owns and tasks with a stage she owns or delegated; overdue first."""
    me = people.employee_of(user)
    if me is None:
        return Task.objects.none()
    today = today or timezone.localdate()
    mine = Stage.objects.filter(task=OuterRef("pk")).filter(Q(owner=me) | Q(delegated_by=me))
    tasks = Task.objects.filter(Q(assignee=me) | Q(owner=me) | Exists(mine))
    return _ordered(_annotated(tasks, today).select_related("owner", "assignee"))


def team_tasks(user, *, status="", overdue=False, person=None, today=None):
    """The tasks of the people ``user`` leads (HR all), filtered by status, overdue and person (assignee or stage
    owner); overdue first."""
    today = today or timezone.localdate()
    tasks = visible_tasks(user)
    if status:
        tasks = tasks.filter(status=status)
    if person is not None:
        on_stage = Stage.objects.filter(task=OuterRef("pk"), owner=person)
        tasks = tasks.filter(Q(assignee=person) | Exists(on_stage))
    tasks = _annotated(tasks, today)
    if overdue:
        tasks = tasks.filter(overdue__gt=0, status__in=OPEN_STATUSES)
    return _ordered(tasks.select_related("owner", "assignee"))


def overdue_by_person(user, *, today=None, limit=20):
    """[(name, overdue stages)] of the people on the tasks ``user`` sees, most overdue first. One query."""
    today = today or timezone.localdate()
    rows = (
        Stage.objects.filter(
            task__in=visible_tasks(user).filter(status__in=OPEN_STATUSES),
            done_at__isnull=True,
            due_on__lt=today,
        )
        .order_by()
        .values("owner_id", "owner__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner__name")
    )
    return [(row["owner__name"], row["n"]) for row in rows[:limit]]


def task_detail(user, pk):
    """One visible task with its stages, questions and history: four queries."""
    return (
        visible_tasks(user)
        .select_related("owner__user", "assignee__user", "initiative", "created_by")
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.select_related("owner", "delegated_by").order_by("order")),
            Prefetch("questions", queryset=Question.objects.order_by("pk")),
            Prefetch("events", queryset=TaskEvent.objects.select_related("actor", "to", "stage").order_by("at", "pk")),
        )
        .get(pk=pk)
    )


# Who stands above whom (seed 002: 越级反馈; escalation like cases) ------------------------------------------------


def lead_of(employee):
    """The supervisor of ``employee``'s team, unless she leads it herself (reads ``employee.team``)."""
    if employee is None or employee.team_id is None:
        return None
    lead_id = employee.team.supervisor_id
    if lead_id is None or lead_id == employee.pk:
        return None
    return Employee.objects.select_related("team", "user").get(pk=lead_id)


def floor_managers():
    """The holders of the first escalation level above the team lead (linkage's shipped floor manager), active."""
    level = EscalationLevel.objects.select_related("role").exclude(role__code=LEAD_ROLE).order_by("number").first()
    if level is None:
        return []
    return list(
        Employee.objects.filter(position__in=level.role.positions.values("pk"), user__is_active=True)
        .exclude(stage=LifeStage.LEFT)
        .select_related("user")
        .order_by("pk")
    )


def above_lead(employee):
    """Who is told past ``employee``'s lead: the lead's lead, or (none in the hierarchy) the floor managers."""
    lead = lead_of(employee)
    higher = lead_of(lead) if lead is not None else None
    return [higher] if higher is not None else floor_managers()


def hr_recipients():
    """(user id, language) of the active HR accounts: told when nobody above a lead is set up."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=people.HR_GROUP) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
    languages = dict(Employee.objects.filter(user__in=users).values_list("user_id", "language"))
    return [(pk, languages.get(pk) or settings.LANGUAGE_CODE) for pk in users.values_list("pk", flat=True)]


def start_problems(task):
    """Why ``task`` (questions prefetched) may not start yet, for the Start button and the API."""
    questions = list(task.questions.all())
    return task_rules.start_problems(
        status=task.status,
        questions=len(questions),
        answered=sum(1 for q in questions if q.answered_at),
        is_understood=task.understood_at is not None,
    )
