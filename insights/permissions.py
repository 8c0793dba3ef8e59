"""Who may read which figures in insights (STYLE §4), built on the people scopes of staff/permissions.py.

- The centre's viewers (HR and the floor managers, who hold the first escalation level above the team lead) see
  every team, site and batch.
- A supervisor sees the same figures for the teams she leads, and nothing of other teams' people.
- Everyone else sees no insight page.
Figures about pay or survey answers are shown only for groups of at least ``SMALL_GROUP`` people."""

from staff import permissions as staff_permissions

SMALL_GROUP = 5  # the smallest group whose pay or survey figures may be shown (as the pulse survey's rule of five)
FLOOR_MANAGER = "floor_manager"


def floor_manager_expression():
    """For staff.permissions.register_role: the employee (OuterRef "pk") is active and her position holds the role
    of the first escalation level above the team lead (improvement's floor manager) — found in the one roles query
    of each request, so the navigation's Insights link costs no query of its own."""
    from django.db.models import Exists, OuterRef, Subquery

    from improvement.selectors.tasks import LEAD_ROLE
    from linkage.models import EscalationLevel, LinkageRole
    from staff.models import Employee, Stage

    level_role = EscalationLevel.objects.exclude(role__code=LEAD_ROLE).order_by("number").values("role_id")[:1]
    holds = LinkageRole.positions.through.objects.filter(
        linkagerole_id=Subquery(level_role), position_id=OuterRef("position_id")
    )
    return Exists(Employee.objects.filter(pk=OuterRef("pk")).exclude(stage=Stage.LEFT).filter(Exists(holds)))


def is_centre_viewer(user):
    """HR and the floor managers see the whole centre."""
    if not staff_permissions.is_active_user(user):
        return False
    return staff_permissions.is_hr(user) or staff_permissions.has_role(user, FLOOR_MANAGER)


def can_view_insights(user):
    """The centre's viewers, and supervisors for their own teams."""
    return is_centre_viewer(user) or (staff_permissions.is_active_user(user) and staff_permissions.is_supervisor(user))


def insight_teams(user):
    """The teams whose figures ``user`` reads: every team for the centre's viewers, the teams she leads for a
    supervisor, none for anybody else."""
    from staff.models import Team

    if is_centre_viewer(user):
        return Team.objects.all()
    me = staff_permissions.employee_of(user)
    if me is None or not staff_permissions.is_supervisor(user):
        return Team.objects.none()
    return Team.objects.filter(supervisor=me)


def can_view_organisation_health(user):
    """Span of control, headcount and pay analysis are the centre's (HR and floor managers)."""
    return is_centre_viewer(user)


# The reporting system (issue 16 §4) ---------------------------------------------------------------------------


def _leads_team(user, team_id):
    me = staff_permissions.employee_of(user)
    if me is None or team_id is None or not staff_permissions.is_supervisor(user):
        return False
    from staff.models import Team

    return Team.objects.filter(pk=team_id, supervisor=me).exists()


def visible_reports(user):
    """Every report for the centre's viewers; a supervisor's teams' weekly reports for her; none otherwise."""
    from .models import Report

    if is_centre_viewer(user):
        return Report.objects.all()
    if not can_view_insights(user):
        return Report.objects.none()
    return Report.objects.filter(team__in=insight_teams(user))


def can_view_report(user, report):
    return is_centre_viewer(user) or _leads_team(user, report.team_id)


def can_write_report(user, report):
    """A team's weekly report is its supervisor's (the centre's viewers' when the team has none); the centre's
    monthly report is written by HR or a floor manager."""
    if not report.is_open:
        return False
    if report.team_id is None:
        return is_centre_viewer(user)
    if report.team.supervisor_id is None:
        return is_centre_viewer(user)
    return _leads_team(user, report.team_id)


def can_review_report(user, report):
    """The manager reviews: HR or a floor manager, never the report's own author (four eyes)."""
    return is_centre_viewer(user) and report.author_id != user.pk
