"""Reads shared by pages, API and tasks. Each takes the acting user and stays inside their scope."""

from django.db import models
from django.db.models import Count, F, IntegerField, Q

from . import permissions
from .models import Employee, Heartbeat, Position, Stage

MOVE_FIELDS = ("team_id", "position_id", "stage")
PAGE_SIZE = 50  # people per page of the lists over one's teams (My team, the KASH heatmap)


def employee_list(user, *, team_ids=None, stage=None, search=""):
    """Visible employees with what a list shows, in a fixed number of queries; ``search`` matches a part
    of the name or of the employee number."""
    qs = permissions.visible_employees(user).select_related("team", "position", "mentor", "team__supervisor", "user")
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    if stage:
        qs = qs.filter(stage=stage)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(employee_number__icontains=search))
    return qs.order_by("team__code", "name")


def team_board(user, *, team_ids, stage=None, search="", with_summary=True):
    """ "My team": current members, newest hires first (they need the most attention), and the
    head count per stage over the chosen teams. People who left are listed only when asked for by stage.
    The members are a queryset: the page shows them a page (PAGE_SIZE) at a time."""
    members = employee_list(user, team_ids=team_ids, stage=stage, search=search)
    if stage != Stage.LEFT:
        members = members.exclude(stage=Stage.LEFT)
    members = members.order_by("team__code", "-hire_date", "name", "pk")
    if not with_summary:
        return members, None
    counts = dict(
        permissions.visible_employees(user)
        .filter(team_id__in=team_ids)
        .exclude(stage=Stage.LEFT)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk", distinct=True))
    )
    summary = [(value, label, counts[value]) for value, label in Stage.choices if counts.get(value)]
    return members, summary


def led_teams(user, *, with_counts=True):
    """Teams the user leads (HR: all teams), with their member counts unless a filter bar only needs names."""
    teams = permissions.visible_teams(user)
    if not permissions.is_hr(user):
        teams = teams.filter(supervisor=permissions.employee_of(user))
    teams = teams.select_related("department__site", "supervisor")
    if with_counts:
        teams = teams.annotate(member_count=Count("members", filter=~Q(members__stage=Stage.LEFT)))
    return teams.order_by("department__site__name", "department__name", "name")


def mentees_of(user):
    me = permissions.employee_of(user)
    if me is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(mentor=me)
        .exclude(stage=Stage.LEFT)
        .select_related("team", "position", "team__supervisor")
        .order_by("hire_date", "name")
    )


def employee_moves(employee):
    """Changes of team, position or stage, newest first, from the change history.

    Every write path (pages, admin, import, services) is recorded by django-simple-history, so the
    history is the one source of truth for "who moved whom, when".
    """
    records = list(employee.history.select_related("history_user").order_by("history_date", "history_id"))
    team_names = dict(employee.__class__._meta.get_field("team").related_model.objects.values_list("pk", "name"))
    position_titles = dict(Position.objects.values_list("pk", "title"))
    stage_labels = dict(Stage.choices)
    label = {
        "team_id": lambda v: team_names.get(v, "—") if v else "—",
        "position_id": lambda v: position_titles.get(v, "—") if v else "—",
        "stage": lambda v: stage_labels.get(v, v),
    }
    field_names = {"team_id": "team", "position_id": "position", "stage": "stage"}
    moves = []
    previous = None
    for record in records:
        for field in MOVE_FIELDS:
            old = getattr(previous, field) if previous is not None else None
            new = getattr(record, field)
            if previous is None and not new:
                continue
            if previous is None or old != new:
                moves.append(
                    {
                        "at": record.history_date,
                        "field": field_names[field],
                        "from": label[field](old) if previous is not None else "—",
                        "to": label[field](new),
                        "actor": record.history_user,
                        "reason": record.history_change_reason or "",
                    }
                )
        previous = record
    moves.reverse()
    return moves


def position_staffing():
    """Every position with its headcount and how many active employees fill it (HR view)."""
    return (
        Position.objects.select_related("department")
        .annotate(filled=Count("employees", filter=~Q(employees__stage=Stage.LEFT)))
        .annotate(vacancies=models.ExpressionWrapper(F("headcount") - F("filled"), output_field=IntegerField()))
        .order_by("job_family", "grade", "code")
    )


def heartbeats():
    return Heartbeat.objects.order_by("name")
