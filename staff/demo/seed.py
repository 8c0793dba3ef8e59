"""Applying the plan: rows keyed on codes, employee numbers and usernames, saved only where a value differs."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import Department, Employee, Position, PositionDuty, Site, Stage, Team
from ..services import ensure_hr_group
from .plan import (
    AGENT_TEAMS,
    DEPARTMENTS,
    QT_TEAM,
    ROLE_HR,
    ROLE_MENTOR,
    ROLE_SUPERVISOR,
    ROLE_TRAINEE,
    SITES,
    build_plan,
)
from .positions import _COMMON_ENV, POSITIONS

DEMO_PASSWORD = "demo-pass-2026"
CHANGE_REASON = "seed_demo"


@dataclass
class SeedResult:
    counts: dict[str, int]
    created: Counter
    updated: Counter
    logins: list[tuple[str, Employee]]


def _save_changed(obj, values, result, label):
    """Set and save only the fields whose value differs, so an unchanged row writes nothing (no history)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "history"):
            obj._change_reason = CHANGE_REASON
        obj.save(update_fields=changed)
        if label:
            result.updated[label] += 1
    return obj


def _sync(model, lookup, values, result, label):
    """Get the row by ``lookup`` and update what differs, or create it."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        result.created[label] += 1
        return model.objects.create(**lookup, **values)
    return _save_changed(obj, values, result, label)


def _sync_positions(departments, result):
    positions = {}
    for spec in POSITIONS:
        scalar = {
            key: value
            for key, value in spec.items()
            if key not in {"code", "superior", "department", "duties", "promotion", "transfer", "related"}
        }
        values = {
            **_COMMON_ENV,
            **scalar,
            "department_id": departments[spec["department"]].pk,
            "superior_id": positions[spec["superior"]].pk if spec["superior"] else None,
        }
        positions[spec["code"]] = _sync(Position, {"code": spec["code"]}, values, result, "positions")
    for spec in POSITIONS:
        position = positions[spec["code"]]
        # set() only adds and removes the difference, so an unchanged path writes nothing.
        position.promotion_paths.set([positions[code] for code in spec["promotion"]])
        position.transfer_paths.set([positions[code] for code in spec["transfer"]])
        position.related_positions.set([positions[code] for code in spec["related"]])
        for order, (activity, share, authority, expected) in enumerate(spec["duties"], start=1):
            values = {"activity": activity, "share_percent": share, "authority": authority, "expected_result": expected}
            _sync(PositionDuty, {"position": position, "order": order}, values, result, "duties")
        position.duties.filter(order__gt=len(spec["duties"])).delete()
    return positions


def _sync_users(plan, result):
    User = get_user_model()
    existing = {user.username: user for user in User.objects.filter(username__in=[p.username for p in plan.people])}
    # One hash for all demo accounts: the password is published, and hashing 120 times would take a minute.
    password = make_password(DEMO_PASSWORD)
    new = []
    for person in plan.people:
        values = {
            "email": person.email,
            "first_name": person.given_name,
            "last_name": person.surname,
            "is_staff": person.is_hr,
            "is_active": person.stage != Stage.LEFT,
        }
        user = existing.get(person.username)
        if user is None:
            new.append(User(username=person.username, password=password, **values))
        else:
            _save_changed(user, values, result, "users")
    User.objects.bulk_create(new)
    result.created["users"] += len(new)
    users = {user.username: user for user in User.objects.filter(username__in=[p.username for p in plan.people])}

    group = ensure_hr_group()
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=users[p.username].pk, group_id=group.pk) for p in plan.people if p.is_hr],
        ignore_conflicts=True,
    )
    return users


def hired_at(day):
    """The moment a person hired on ``day`` joined: nine in the morning, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _sync_employees(people, users, teams, positions, employees, result):
    """Create the missing employees in bulk (with history) and save the others only where they differ."""
    new = []
    for person in people:
        values = {
            "user_id": users[person.username].pk,
            "name": person.name,
            "email": person.email,
            "team_id": teams[person.team].pk if person.team else None,
            "position_id": positions[person.position].pk,
            "stage": person.stage,
            "mentor_id": employees[person.mentor].pk if person.mentor else None,
        }
        employee = employees.get(person.employee_number)
        if employee is None:
            employee = Employee(employee_number=person.employee_number, hire_date=person.hire_date, **values)
            # The history starts on the hire date, not at the seeding time (bulk_history_create reads this).
            employee._history_date = hired_at(person.hire_date)
            new.append(employee)
        else:
            _save_changed(employee, values, result, "employees")
    for employee in bulk_create_with_history(new, Employee, default_change_reason=CHANGE_REASON):
        employees[employee.employee_number] = employee
    result.created["employees"] += len(new)


@transaction.atomic
def seed_demo(*, today=None):
    """Make the database hold the demo contact center; returns what changed and the four demo logins."""
    today = today or timezone.localdate()
    plan = build_plan(today)
    result = SeedResult(counts={}, created=Counter(), updated=Counter(), logins=[])

    sites = {
        code: _sync(Site, {"code": code}, {"name": name, "region": region, "address": address}, result, "sites")
        for code, name, region, address in SITES
    }
    departments = {
        code: _sync(Department, {"code": code}, {"site_id": sites[site].pk, "name": name}, result, "departments")
        for code, site, name in DEPARTMENTS
    }
    new_teams = {code for code, *_ in [*AGENT_TEAMS, QT_TEAM]} - set(Team.objects.values_list("code", flat=True))
    teams = {
        code: _sync(Team, {"code": code}, {"department_id": departments[dept].pk, "name": name}, result, "teams")
        for code, dept, name, *_ in [*AGENT_TEAMS, QT_TEAM]
    }
    positions = _sync_positions(departments, result)
    users = _sync_users(plan, result)

    numbers = [p.employee_number for p in plan.people]
    employees = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers)}
    # Mentors first, so that new hires can point at them.
    mentees = [p for p in plan.people if p.mentor]
    _sync_employees([p for p in plan.people if not p.mentor], users, teams, positions, employees, result)
    _sync_employees(mentees, users, teams, positions, employees, result)
    for code, number in plan.supervisors.items():
        # A team made in this run gets its supervisor now: that completes the new row, it is no update.
        _save_changed(
            teams[code], {"supervisor_id": employees[number].pk}, result, None if code in new_teams else "teams"
        )

    result.counts = {
        "sites": len(sites),
        "departments": len(departments),
        "teams": len(teams),
        "positions": len(positions),
        "employees": len(plan.people),
        "new_hires": len(mentees),
    }
    by_role = {p.login_role: employees[p.employee_number] for p in plan.people if p.login_role}
    result.logins = [(role, by_role[role]) for role in (ROLE_HR, ROLE_SUPERVISOR, ROLE_MENTOR, ROLE_TRAINEE)]
    return result
