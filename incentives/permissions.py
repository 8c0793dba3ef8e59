"""Who may do what in incentives (STYLE §4), built on the people scopes of staff/permissions.py. Every page and
endpoint of the app asks here.

- Anyone with an employee record recognises the colleagues of her team, the people she leads or mentors
  (visible_employees) — never herself, never someone who left.
- A recognition is seen by its giver and recipients, by the people of their teams and by whoever leads those
  teams; HR sees all. The wall shows one team's (the caller's own by default).
- The ledger: each person her own entries; HR all (and only HR writes a reversal).
"""

from django.db.models import Exists, OuterRef, Q

from staff import permissions as staff_permissions


def _me(user):
    return staff_permissions.employee_of(user)


def can_give_recognition(user):
    from staff.models import Stage

    me = _me(user)
    return me is not None and me.stage != Stage.LEFT


def recognisable_employees(user):
    """Whom ``user`` may recognise: active colleagues of her team and the people she sees, never herself."""
    from staff.models import Employee, Stage

    me = _me(user)
    if me is None:
        return Employee.objects.none()
    team = Q(team_id=me.team_id) if me.team_id else Q(pk__in=[])
    seen = Q(pk__in=staff_permissions.visible_employees(user).values("pk"))
    return Employee.objects.filter(team | seen).exclude(pk=me.pk).exclude(stage=Stage.LEFT).filter(user__is_active=True)


def _my_teams(me):
    from staff.models import Team

    return Team.objects.filter(Q(supervisor=me) | Q(pk=me.team_id or 0))


def visible_recognitions(user):
    """Recognitions ``user`` may see (subqueries, no join, so no DISTINCT)."""
    from .models import Recognition, RecognitionRecipient

    if not staff_permissions.is_active_user(user):
        return Recognition.objects.none()
    if staff_permissions.is_hr(user):
        return Recognition.objects.all()
    me = _me(user)
    if me is None:
        return Recognition.objects.none()
    teams = _my_teams(me)
    received = RecognitionRecipient.objects.filter(recognition=OuterRef("pk")).filter(
        Q(employee=me) | Q(employee__team__in=teams)
    )
    return Recognition.objects.filter(Q(giver=me) | Q(giver__team__in=teams) | Exists(received))


def wall_teams(user):
    """The teams whose wall ``user`` may open: HR all, a supervisor those she leads, anyone her own."""
    return staff_permissions.visible_teams(user)


def can_view_wall(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def can_react(user, recognition):
    """Anyone with an employee record who sees the recognition (its recipients too)."""
    return _me(user) is not None and visible_recognitions(user).filter(pk=recognition.pk).exists()


def can_view_my_points(user):
    return _me(user) is not None


def visible_points_entries(user):
    """Her own entries; HR all."""
    from .models import PointsEntry

    if not staff_permissions.is_active_user(user):
        return PointsEntry.objects.none()
    if staff_permissions.is_hr(user):
        return PointsEntry.objects.all()
    me = _me(user)
    if me is None:
        return PointsEntry.objects.none()
    return PointsEntry.objects.filter(employee=me)


def can_reverse_entry(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)


def is_leader(employee):
    """A supervisor (leads a team) or a manager gets the larger monthly allowance."""
    from staff.models import Stage, Team

    return employee.stage == Stage.MANAGEMENT or Team.objects.filter(supervisor=employee).exists()


# == rewards ==
# The catalogue is open to everyone who may hold points (and HR); an employee redeems from her own balance; HR
# decides redemptions.


def can_view_rewards(user):
    return staff_permissions.is_active_user(user) and (staff_permissions.is_hr(user) or _me(user) is not None)


def can_redeem(user):
    return can_give_recognition(user)


def can_decide_redemptions(user):
    return staff_permissions.is_active_user(user) and staff_permissions.is_hr(user)
