"""Writes for organisation and people (STYLE §1: one function per domain verb)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Employee, Heartbeat, Stage


def record_heartbeat(*, name):
    """Store the time a periodic task last ran; safe to run any number of times."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(last_run_at=now, run_count=F("run_count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "run_count": 1})


# --- People: the one way to change an employee's stage, team, position or mentor -----------------

KEEP = object()  # sentinel: leave this field as it is

# Field name -> the model attribute written (foreign keys are written by id).
PEOPLE_FIELDS = {"stage": "stage", "team": "team_id", "position": "position_id", "mentor": "mentor_id"}

# DOMAIN §3: a mentor is a tenured agent, never someone still learning the job or gone.
NOT_MENTOR_STAGES = (Stage.PRE_JOB, Stage.ONBOARDING, Stage.LEFT)


@dataclass(frozen=True)
class PersonChange:
    """One field of one employee that changed; foreign keys as ids (``None`` when empty)."""

    employee_id: int
    field: str  # "stage", "team", "position" or "mentor"
    old: object
    new: object


_listeners = []


def register_change_listener(fn):
    """Call ``fn(changes, *, actor)`` inside the transaction after each change (apps register in ``ready()``)."""
    if fn not in _listeners:
        _listeners.append(fn)


def _wanted(fields):
    unknown = set(fields) - set(PEOPLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown employee fields: {', '.join(sorted(unknown))}")
    return {
        PEOPLE_FIELDS[name]: value.pk if isinstance(value, models.Model) else value
        for name, value in fields.items()
        if value is not KEEP
    }


def check_mentor(mentor_id, employee_ids):
    """Raise ValidationError({"mentor": ...}) unless ``mentor_id`` may mentor these employees (forms call it
    to show the error on the field; the services call it again inside their transaction)."""
    if mentor_id is None:
        return
    if mentor_id in employee_ids:
        raise ValidationError({"mentor": _("A trainee cannot mentor herself.")})
    stage = Employee.objects.filter(pk=mentor_id).values_list("stage", flat=True).first()
    if stage is None or stage in NOT_MENTOR_STAGES:
        raise ValidationError({"mentor": _("A mentor must be a tenured agent.")})


def _apply(employees, wanted, *, actor, reason, changed_at):
    """Write ``wanted`` on the locked ``employees`` with one history row each; a fixed number of queries."""
    changes = []
    for employee in employees:
        for attname, value in wanted.items():
            old = getattr(employee, attname)
            if old != value:
                field = attname.removesuffix("_id")
                changes.append(PersonChange(employee.pk, field, old, value))
                setattr(employee, attname, value)
    if not changes:
        return []
    ids = [employee.pk for employee in employees]
    Employee.objects.filter(pk__in=ids).update(**wanted)
    _record_last_working_day(employees, changes, changed_at)
    # ``update()`` sends no signals, so simple-history writes nothing by itself: one row per employee here.
    Employee.history.bulk_history_create(
        employees,
        update=True,
        default_user=actor,
        default_change_reason=reason,
        default_date=changed_at or timezone.now(),
    )
    for listener in _listeners:
        listener(changes, actor=actor)
    return ids


def _record_last_working_day(employees, changes, changed_at):
    """Moving to LEFT sets the last working day (the change's date) unless one is recorded; coming back from LEFT
    clears it. KPI rows after that day are refused (kpis ingestion)."""
    moves = {c.employee_id: c for c in changes if c.field == "stage"}
    if isinstance(changed_at, datetime.datetime):
        day = timezone.localdate(changed_at)
    else:
        day = changed_at or timezone.localdate()
    leaving, back = [], []
    for employee in employees:
        move = moves.get(employee.pk)
        if move is not None and move.new == Stage.LEFT and employee.left_on is None:
            employee.left_on = day
            leaving.append(employee.pk)
        elif move is not None and move.old == Stage.LEFT and employee.left_on is not None:
            employee.left_on = None
            back.append(employee.pk)
    if leaving:
        Employee.objects.filter(pk__in=leaving).update(left_on=day)
    if back:
        Employee.objects.filter(pk__in=back).update(left_on=None)


@transaction.atomic
def change_people(
    *,
    actor,
    employee_ids,
    reason="",
    changed_at=None,
    stage=KEEP,
    team=KEEP,
    position=KEEP,
    mentor=KEEP,
    from_stages=None,
):
    """Set the given fields on the listed employees not already there (with ``from_stages``: only those in
    one of these stages), with one history row each (actor, reason, date). Returns the ids changed."""
    wanted = _wanted({"stage": stage, "team": team, "position": position, "mentor": mentor})
    ids = list(employee_ids)
    if not wanted or not ids:
        return []
    if "mentor_id" in wanted:
        check_mentor(wanted["mentor_id"], ids)
    not_there = Q()
    for attname, value in wanted.items():
        not_there |= ~Q(**{attname: value})
    employees = Employee.objects.select_for_update().filter(not_there, pk__in=ids).order_by("pk")
    if from_stages is not None:
        employees = employees.filter(stage__in=list(from_stages))
    return _apply(list(employees), wanted, actor=actor, reason=reason, changed_at=changed_at)


@transaction.atomic
def change_person(*, actor, employee_id, reason="", changed_at=None, **fields):
    """Change one employee's ``stage``, ``team``, ``position`` or ``mentor`` (checking the mentor rules),
    with a history row; a change to where she already is writes nothing. Returns the employee."""
    wanted = _wanted(fields)
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    if "mentor_id" in wanted and wanted["mentor_id"] != employee.mentor_id:
        check_mentor(wanted["mentor_id"], {employee.pk})
    _apply([employee], wanted, actor=actor, reason=reason, changed_at=changed_at)
    return employee


def move_employee(*, employee_id, actor, team=None, position=None, stage=None, reason=""):
    """Move an employee to another team, position or life-cycle stage (``None``: unchanged)."""
    fields = {"team": team, "position": position, "stage": stage}
    return change_person(
        actor=actor,
        employee_id=employee_id,
        reason=reason,
        **{name: value for name, value in fields.items() if value is not None},
    )


# HR configures everything through the admin (DOMAIN "Who uses it"): periodic tasks, task results,
# API tokens, login lockouts and the programs of every app. Of the auth app HR only *views* users:
# whoever can change a user can make it superuser.
HR_APPS = (
    "staff",
    "notifications",
    "training",
    "kpis",
    "linkage",
    "improvement",
    "incentives",
    "insights",
    "django_celery_beat",
    "django_celery_results",
    "authtoken",
    "axes",
    "simple_history",
)


@transaction.atomic
def ensure_hr_group():
    """Create the HR group with every permission on the apps HR administers; safe to rerun."""
    from django.contrib.auth.models import Group, Permission

    from .permissions import HR_GROUP

    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=HR_APPS))
    group.permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename="view_user"))
    return group


def superior_loop(pk, positions):
    """The codes from position ``pk`` up its superiors and back to it, or None if it is not in a loop;
    ``positions`` maps each pk to ``(code, superior pk)``."""
    path, current = [pk], positions[pk][1]
    while current is not None and current != pk and current not in path:
        path.append(current)
        current = positions[current][1]
    return [positions[p][0] for p in [*path, pk]] if current == pk else None
