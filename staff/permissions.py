"""Roles and people scopes (STYLE §4): who is HR, who leads which team, who mentors whom, and whom
each user may see. Each other app's permissions.py (training.permissions) builds its predicates on these.

- HR (members of the "HR" group, and superusers) sees and edits everything.
- A supervisor sees the people of the teams they lead.
- A mentor sees their mentees.
- Everyone sees themself.
Anything outside a user's scope answers 404, so "not yours" and "does not exist" look alike.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from .models import Employee, Position, Team

HR_GROUP = "HR"


@dataclass(frozen=True)
class _Roles:
    employee: Employee | None = None
    is_hr: bool = False
    is_supervisor: bool = False
    is_mentor: bool = False
    roles: frozenset = frozenset()  # the other apps' roles (register_role) this user holds


_NOBODY = _Roles()

# Roles other apps define (imports go one way, so staff never imports them): name → (a function returning a
# boolean expression over the employee row, OuterRef("pk"); whether the role supervises other people's work).
# They are read in the same one query as staff's own roles.
_registered_roles = {}


def register_role(name, expression, *, supervises=False):
    """Called from an app's ``AppConfig.ready()``: ``expression()`` returns an ``Exists`` over the employee
    (``OuterRef("pk")``). ``supervises``: holders lead other people's work (training: a batch's supervisor),
    so they land on "Today" like a team's supervisor."""
    _registered_roles[name] = (expression, supervises)


def is_active_user(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _roles(user):
    """Who ``user`` is, found in one query per request and cached on the user object."""
    if not is_active_user(user):
        return _NOBODY
    roles = getattr(user, "_staff_roles", None)
    if roles is None:
        in_hr = Exists(get_user_model().groups.through.objects.filter(user_id=user.pk, group__name=HR_GROUP))
        others = {f"role_{n}": expression() for n, (expression, _supervises) in _registered_roles.items()}
        me = (
            Employee.objects.filter(user_id=user.pk)
            .annotate(
                in_hr=in_hr,
                leads=Exists(Team.objects.filter(supervisor=OuterRef("pk"))),
                mentors=Exists(Employee.objects.filter(mentor=OuterRef("pk"))),
                **others,
            )
            .first()
        )
        if me is None:
            roles = _Roles(is_hr=user.is_superuser or user.groups.filter(name=HR_GROUP).exists())
        else:
            held = frozenset(name for name in _registered_roles if getattr(me, f"role_{name}"))
            roles = _Roles(me, user.is_superuser or me.in_hr, me.leads, me.mentors, held)
        user._staff_roles = roles
    return roles


def _employee(user):
    return _roles(user).employee


def is_hr(user):
    return _roles(user).is_hr


def is_supervisor(user):
    return _roles(user).is_supervisor


def is_mentor(user):
    return _roles(user).is_mentor


def has_role(user, name):
    """``user`` holds the role another app registered as ``name`` (found in the one roles query)."""
    return name in _roles(user).roles


def supervises_work(user):
    """Leads a team, or holds another app's role that supervises people's work (a batch's supervisor)."""
    roles = _roles(user)
    return roles.is_supervisor or any(_registered_roles[name][1] for name in roles.roles)


def employee_of(user):
    """The acting user's own Employee record (None for accounts without one)."""
    return _employee(user) if is_active_user(user) else None


# Landings other apps offer to people who lead no one (training: "My onboarding" while onboarding):
# functions ``fn(user)`` returning a URL name or None, asked in registration order.
_landings = []


def register_landing(fn):
    if fn not in _landings:
        _landings.append(fn)


def home_route(user):
    """Name of the page a user lands on after login: HR the overview, a supervisor "Today", a mentor
    "My mentees", anyone else the first landing an app offers (or "My profile")."""
    if is_hr(user):
        return "staff:hr-home"
    if supervises_work(user):
        return "staff:today"
    if is_mentor(user):
        return "staff:my-mentees"
    return next((name for fn in _landings if (name := fn(user))), "staff:my-profile")


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
    # A subquery for the led teams instead of a join, so no DISTINCT is needed.
    return Employee.objects.filter(Q(pk=me.pk) | Q(team__in=Team.objects.filter(supervisor=me)) | Q(mentor=me))


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


def can_view_today(user):
    """The "Today" page is for whoever supervises other people's work: a team's supervisor, a batch's."""
    return supervises_work(user)


def can_view_hr_fields(user):
    """HR-only fields of an employee (change history, account details)."""
    return is_hr(user)


def can_use_admin(user):
    return is_hr(user) and user.is_staff


def leads(user, employee):
    """``user`` supervises the team ``employee`` belongs to (reads ``employee.team``)."""
    me = employee_of(user)
    return me is not None and employee.team_id is not None and employee.team.supervisor_id == me.pk


def mentors(user, employee):
    """``user`` is ``employee``'s mentor."""
    me = employee_of(user)
    return me is not None and employee.mentor_id == me.pk


def is_self(user, employee):
    """``employee`` is the acting user's own record."""
    me = employee_of(user)
    return me is not None and employee.pk == me.pk
