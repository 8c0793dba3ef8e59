"""The one permission policy (STYLE §4). Every page, API endpoint and template asks this module.

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


_NOBODY = _Roles()


def is_active_user(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _roles(user):
    """Who ``user`` is, found in one query per request and cached on the user object."""
    if not is_active_user(user):
        return _NOBODY
    roles = getattr(user, "_staff_roles", None)
    if roles is None:
        in_hr = Exists(get_user_model().groups.through.objects.filter(user_id=user.pk, group__name=HR_GROUP))
        me = (
            Employee.objects.filter(user_id=user.pk)
            .annotate(
                in_hr=in_hr,
                leads=Exists(Team.objects.filter(supervisor=OuterRef("pk"))),
                mentors=Exists(Employee.objects.filter(mentor=OuterRef("pk"))),
            )
            .first()
        )
        if me is None:
            roles = _Roles(is_hr=user.is_superuser or user.groups.filter(name=HR_GROUP).exists())
        else:
            roles = _Roles(me, user.is_superuser or me.in_hr, me.leads, me.mentors)
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


def can_view_hr_fields(user):
    """HR-only fields of an employee (change history, account details)."""
    return is_hr(user)


def can_use_admin(user):
    return is_hr(user) and user.is_staff


# KASH assessments (DOMAIN §2). Sources are the values of training.models.Source; this module
# stays free of training imports so that imports keep going one way (staff ← training).

SUPERVISOR_SOURCES = ("supervisor", "qa", "exam")
MENTOR_SOURCES = ("mentor", "exam")
HR_SOURCES = ("supervisor", "mentor", "peer", "qa", "exam", "imported")


def _leads(me, employee):
    return me is not None and employee.team_id is not None and employee.team.supervisor_id == me.pk


def assessable_sources(user, subject):
    """The assessment sources ``user`` may record for ``subject`` (empty: may not assess)."""
    if not is_active_user(user):
        return ()
    me = _employee(user)
    if me is not None and subject.pk == me.pk:
        return ("self",)
    if is_hr(user):
        return HR_SOURCES
    if _leads(me, subject):
        return SUPERVISOR_SOURCES
    if me is not None and subject.mentor_id == me.pk:
        return MENTOR_SOURCES
    return ()


def can_assess(user, subject, source):
    return source in assessable_sources(user, subject)


def can_view_private_notes(user, subject):
    """A supervisor's private note is for the subject's supervisor and HR, never the subject or peers."""
    if not is_active_user(user):
        return False
    me = _employee(user)
    if me is not None and subject.pk == me.pk:
        return False
    return is_hr(user) or _leads(me, subject)


def can_edit_draft(user, assessment):
    """Only the assessor continues a draft; nobody edits a submitted assessment."""
    return is_active_user(user) and assessment.status == "draft" and assessment.assessor_id == user.pk


def can_correct(user, assessment):
    """A correction (a new assessment superseding a submitted one) by the assessor or HR.
    Callers fetch the assessment through a scoped queryset, so visibility is already settled."""
    return (
        is_active_user(user) and assessment.status == "submitted" and (assessment.assessor_id == user.pk or is_hr(user))
    )


# Onboarding (DOMAIN §3). The trainee's mentor is staff.Employee.mentor; the batch has a supervisor.


def _mentors(me, trainee):
    return me is not None and trainee.mentor_id == me.pk


def can_manage_enrollment(user, trainee, batch_supervisor_id=None):
    """Approve or fail a gate, extend, hold, withdraw, assign a mentor: the supervisor and HR."""
    if is_hr(user):
        return True
    me = employee_of(user)
    return me is not None and me.pk != trainee.pk and (_leads(me, trainee) or batch_supervisor_id == me.pk)


def can_coach(user, trainee, batch_supervisor_id=None):
    """Log coaching and run pass-the-gate checks: the trainee's mentor, supervisor and HR."""
    me = employee_of(user)
    return _mentors(me, trainee) or can_manage_enrollment(user, trainee, batch_supervisor_id)


def can_complete_activity(user, trainee, owner, batch_supervisor_id=None):
    """Mark an activity done: its owner (the trainee, the mentor or the supervisor), or HR."""
    me = employee_of(user)
    if owner == "trainee" and me is not None and me.pk == trainee.pk:
        return True
    if owner == "mentor" and _mentors(me, trainee):
        return True
    return can_manage_enrollment(user, trainee, batch_supervisor_id)


def can_acknowledge_coaching(user, trainee):
    me = employee_of(user)
    return me is not None and me.pk == trainee.pk
