"""Who may do what with playbooks (STYLE §4), built on the roles and people scopes of staff.permissions.

- A version applies to a person (issue 12 §3): the published version of each playbook to every active member
  of a team, a pilot version to the members of its pilot teams. She reads, acknowledges and drills those.
- A version in consultation is open to the people it will apply to: the members of its pilot teams when it
  names some, otherwise every active member of a team. HR sees every version, answers the comments and
  manages playbooks.
- A team's acknowledgements are seen by its supervisor and HR.
Views fetch through the scopes below, so "not yours" and "does not exist" both answer 404.
"""

from django.db.models import Exists, OuterRef, Q

from staff import permissions as people
from staff.models import Employee, Stage, Team

from .models import Acknowledgement, PlaybookVersion, VersionStatus

_pilot_links = PlaybookVersion.pilot_teams.through
# A person reads and acknowledges the versions in force for her (issue 12 §5).
ACKNOWLEDGED_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.PILOT)


def _pilot_versions_of(team_id):
    """Versions naming ``team_id`` among their pilot teams (a subquery: no join, no DISTINCT)."""
    return _pilot_links.objects.filter(team_id=team_id).values("playbookversion_id")


def _is_member(employee):
    """Playbooks apply to active members of a team."""
    return employee is not None and employee.team_id is not None and employee.stage != Stage.LEFT


# Scopes -------------------------------------------------------------------------------------


def versions_for_employee(employee):
    """The versions that apply to ``employee`` as a person: published ones, and pilots of her team."""
    if not _is_member(employee):
        return PlaybookVersion.objects.none()
    return PlaybookVersion.objects.filter(
        Q(status=VersionStatus.PUBLISHED) | Q(status=VersionStatus.PILOT, pk__in=_pilot_versions_of(employee.team_id))
    )


def consultations_for_employee(employee):
    """Versions in consultation that will apply to ``employee``: her team is a pilot team, or the version
    names no pilot team (it is headed for all teams)."""
    if not _is_member(employee):
        return PlaybookVersion.objects.none()
    has_pilots = Exists(_pilot_links.objects.filter(playbookversion_id=OuterRef("pk")))
    return PlaybookVersion.objects.filter(status=VersionStatus.CONSULTATION).filter(
        ~has_pilots | Q(pk__in=_pilot_versions_of(employee.team_id))
    )


def members_of(version):
    """The employees ``version`` applies to (published: every active team member; pilot: its pilot teams')."""
    members = Employee.objects.filter(team__isnull=False).exclude(stage=Stage.LEFT)
    if version.status == VersionStatus.PUBLISHED:
        return members
    if version.status == VersionStatus.PILOT:
        return members.filter(team__in=version.pilot_teams.values("pk"))
    return members.none()


def applicable_versions(user):
    """HR: every version. A person: the versions that apply to her (published, and pilots of her team)."""
    if not people.is_active_user(user):
        return PlaybookVersion.objects.none()
    if people.is_hr(user):
        return PlaybookVersion.objects.all()
    return versions_for_employee(people.employee_of(user))


def visible_versions(user):
    """The versions ``user`` may open: those that apply to her and the consultations open to her."""
    if not people.is_active_user(user):
        return PlaybookVersion.objects.none()
    if people.is_hr(user):
        return PlaybookVersion.objects.all()
    me = people.employee_of(user)
    if not _is_member(me):
        return PlaybookVersion.objects.none()
    return PlaybookVersion.objects.filter(
        Q(pk__in=versions_for_employee(me).values("pk")) | Q(pk__in=consultations_for_employee(me).values("pk"))
    )


def visible_acknowledgements(user):
    """HR all; others their own and those of the members of the teams they lead."""
    if not people.is_active_user(user):
        return Acknowledgement.objects.none()
    if people.is_hr(user):
        return Acknowledgement.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Acknowledgement.objects.none()
    return Acknowledgement.objects.filter(Q(employee=me) | Q(employee__team__supervisor=me))


def acknowledgement_teams(user):
    """Teams whose acknowledgements ``user`` follows: HR all, a supervisor the teams she leads."""
    teams = people.visible_teams(user)
    if people.is_hr(user):
        return teams
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return teams.none()
    return teams.filter(supervisor=me)


# Predicates ---------------------------------------------------------------------------------


def can_view_library(user):
    """The library is for everyone with an employee record, and HR."""
    return people.is_active_user(user) and (people.is_hr(user) or people.employee_of(user) is not None)


def can_manage_playbooks(user):
    """Write playbooks, run the consultation, decide the rollout, keep the kit: HR."""
    return people.is_hr(user)


def can_answer(user):
    """Answer consultation comments: HR."""
    return people.is_hr(user)


def can_comment(user, version):
    """Comment on ``version`` while it is in consultation and it will apply to ``user`` (HR too)."""
    if version.status != VersionStatus.CONSULTATION or not people.is_active_user(user):
        return False
    if people.is_hr(user) and people.employee_of(user) is not None:
        return True
    return consultations_for_employee(people.employee_of(user)).filter(pk=version.pk).exists()


def can_acknowledge(user, version):
    """Acknowledge having read ``version``: whoever it applies to, as a person."""
    if version.status not in ACKNOWLEDGED_STATUSES:
        return False
    me = people.employee_of(user)
    return versions_for_employee(me).filter(pk=version.pk).exists()


def can_view_acknowledgements(user, team):
    """Who in ``team`` has not acknowledged: the team's supervisor and HR."""
    if not people.is_active_user(user):
        return False
    if people.is_hr(user):
        return True
    me = people.employee_of(user)
    return me is not None and team.supervisor_id == me.pk


def can_view_team_acknowledgements(user):
    """The team acknowledgements page: supervisors and HR."""
    return people.is_hr(user) or people.is_supervisor(user)


# Drills and levels --------------------------------------------------------------------------
# Issue 12 §6–7: a supervisor schedules and scores the drills of the teams she leads, a mentor practice drills
# with her mentees, the examiner scores; a person sees the drills she takes part in and her own levels.


def visible_drills(user):
    """HR all; a supervisor the drills of the teams she leads; an examiner the drills she examines; a person the
    drills she takes part in."""
    from .models import Drill, DrillParticipant

    if not people.is_active_user(user):
        return Drill.objects.none()
    if people.is_hr(user):
        return Drill.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Drill.objects.none()
    taking_part = DrillParticipant.objects.filter(employee=me).values("drill_id")
    return Drill.objects.filter(Q(team__supervisor=me) | Q(examiner=me) | Q(pk__in=taking_part))


def can_schedule_drill(user, team):
    """HR, or the team's supervisor; a mentor with a mentee in ``team`` (practice drills of her mentees only:
    the service checks the mode and the cast)."""
    if not people.is_active_user(user):
        return False
    if people.is_hr(user):
        return True
    me = people.employee_of(user)
    if me is None or team is None:
        return False
    if team.supervisor_id == me.pk:
        return True
    return people.is_mentor(user) and Employee.objects.filter(mentor=me, team=team).exclude(stage=Stage.LEFT).exists()


def leads_drill(user, drill):
    """HR or the supervisor of the drill's team: may schedule scored drills there and cancel any."""
    if not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    return people.is_hr(user) or (me is not None and drill.team.supervisor_id == me.pk)


def examines(user, drill):
    """HR or the drill's examiner (her employee record), whatever the drill's status."""
    if not people.is_active_user(user):
        return False
    me = people.employee_of(user)
    return people.is_hr(user) or (me is not None and drill.examiner_id == me.pk)


def can_score(user, drill):
    """Score a scheduled drill: HR or its examiner."""
    from .models import DrillStatus

    return drill.status == DrillStatus.SCHEDULED and examines(user, drill)


def can_cancel_drill(user, drill):
    """Cancel a scheduled drill: HR, the supervisor of its team or its examiner."""
    from .models import DrillStatus

    return drill.status == DrillStatus.SCHEDULED and (leads_drill(user, drill) or examines(user, drill))


def can_certify(user, employee):
    """Confirm a certification: HR or the supervisor who leads the employee's team."""
    return people.is_active_user(user) and (people.is_hr(user) or people.leads(user, employee))


def can_mark_role_model(user, employee):
    """Mark a person (or her drill) as a role model: HR, or the supervisor leading her team."""
    return people.is_active_user(user) and (people.is_hr(user) or people.leads(user, employee))


def can_view_coverage(user):
    """Team coverage and the four-abilities matrix: HR and supervisors."""
    return people.is_active_user(user) and (people.is_hr(user) or people.is_supervisor(user))


def coverage_teams(user):
    """Teams whose coverage ``user`` sees: HR every team, a supervisor the teams she leads."""
    from staff.models import Team

    if not people.is_active_user(user):
        return Team.objects.none()
    if people.is_hr(user):
        return Team.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Team.objects.none()
    return Team.objects.filter(supervisor=me)


def can_view_levels(user, employee):
    """A person's levels: herself, her supervisor, her mentor, HR."""
    if not people.is_active_user(user) or employee is None:
        return False
    return (
        people.is_hr(user)
        or people.is_self(user, employee)
        or people.leads(user, employee)
        or people.mentors(user, employee)
    )


def schedulable_teams(user):
    """The teams ``user`` may schedule drills for (can_schedule_drill): HR every team, a supervisor the teams she
    leads, a mentor the teams of her mentees."""
    if people.is_hr(user):
        return Team.objects.all()
    me = people.employee_of(user)
    if me is None or not people.is_active_user(user):
        return Team.objects.none()
    mentees = Employee.objects.filter(mentor=me).exclude(stage=Stage.LEFT).values("team_id")
    return Team.objects.filter(Q(supervisor=me) | Q(pk__in=mentees))
