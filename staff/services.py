"""Writes for organisation and people (STYLE §1: one function per domain verb)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Employee, Heartbeat


def record_heartbeat(*, name):
    """Store the time a periodic task last ran; safe to run any number of times."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(name=name).update(last_run_at=now, run_count=F("run_count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "run_count": 1})


@transaction.atomic
def move_employee(*, employee_id, actor, team=None, position=None, stage=None, reason=""):
    """Move an employee to another team, position or life-cycle stage; recorded with actor and reason.

    Returns the employee. A move to where the employee already is changes nothing.
    """
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    changed = []
    for field, value in (("team", team), ("position", position), ("stage", stage)):
        if value is not None and getattr(employee, field) != value:
            setattr(employee, field, value)
            changed.append(field)
    if changed:
        employee._history_user = actor
        employee._change_reason = reason
        employee.save(update_fields=changed)
    return employee


# HR configures everything through the admin (DOMAIN "Who uses it"): periodic tasks, task results,
# API tokens, login lockouts and the programs of every app. Of the auth app HR only *views* users:
# whoever can change a user can make it superuser.
HR_APPS = (
    "staff",
    "notifications",
    "training",
    "linkage",
    "incentives",
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
