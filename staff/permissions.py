"""The one permission policy (STYLE §4). Every page, API endpoint and template asks this module.

- HR (members of the "HR" group, and superusers) sees and edits everything.
- A supervisor sees the people of the teams they lead.
- A mentor sees their mentees.
- Everyone sees themself.
Anything outside a user's scope answers 404, so "not yours" and "does not exist" look alike.
"""

from django.db.models import Q

from .models import Employee, Position, Team

HR_GROUP = "HR"


def _employee(user):
    """The Employee linked to ``user``, or None (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_cached_employee"):
        user._cached_employee = Employee.objects.filter(user=user).first()
    return user._cached_employee


def is_active_user(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_hr(user):
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_cached_is_hr"):
        user._cached_is_hr = user.groups.filter(name=HR_GROUP).exists()
    return user._cached_is_hr


def is_supervisor(user):
    me = _employee(user)
    if me is None or not is_active_user(user):
        return False
    if not hasattr(user, "_cached_is_supervisor"):
        user._cached_is_supervisor = Team.objects.filter(supervisor=me).exists()
    return user._cached_is_supervisor


def is_mentor(user):
    me = _employee(user)
    if me is None or not is_active_user(user):
        return False
    if not hasattr(user, "_cached_is_mentor"):
        user._cached_is_mentor = Employee.objects.filter(mentor=me).exists()
    return user._cached_is_mentor


def employee_of(user):
    """The acting user's own Employee record (None for accounts without one)."""
    return _employee(user) if is_active_user(user) else None


def home_route(user):
    """Name of the page a user lands on after login."""
    if is_hr(user):
        return "staff:hr-home"
    if is_supervisor(user):
        return "staff:my-team"
    if is_mentor(user):
        return "staff:my-mentees"
    return "staff:my-profile"


# Scoped querysets ---------------------------------------------------------------------------


def visible_employees(user):
    """Employees the user may see."""
    if not is_active_user(user):
        return Employee.objects.none()
    if is_hr(user):
        return Employee.objects.all()
    me = _employee(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(Q(pk=me.pk) | Q(team__supervisor=me) | Q(mentor=me)).distinct()


def visible_teams(user):
    """Teams the user may see: HR all, a supervisor the teams they lead, others their own team."""
    if not is_active_user(user):
        return Team.objects.none()
    if is_hr(user):
        return Team.objects.all()
    me = _employee(user)
    if me is None:
        return Team.objects.none()
    return Team.objects.filter(Q(supervisor=me) | Q(members=me)).distinct()


def visible_positions(user):
    """Job descriptions are published to every active user: they say what each role expects."""
    if not is_active_user(user):
        return Position.objects.none()
    return Position.objects.all()


# Predicates ---------------------------------------------------------------------------------


def can_view_employee(user, employee):
    return visible_employees(user).filter(pk=employee.pk).exists()


def can_view_team_board(user):
    """The "My team" page is for supervisors (and HR, who sees all teams)."""
    return is_hr(user) or is_supervisor(user)


def can_view_mentees(user):
    return is_mentor(user)


def can_view_hr_fields(user):
    """HR-only fields of an employee (change history, account details)."""
    return is_hr(user)


def can_use_admin(user):
    return is_hr(user) and user.is_staff
