"""Who may do what with KPIs (STYLE §4), built on the roles and people scopes of staff.permissions.

- The call-center platform's service account (permission ``kpis.add_agentday`` and a DRF token) and HR send
  daily measures.
- Everyone sees their own numbers; a supervisor the numbers of the people and teams she leads; HR everything,
  the centre view included. A trainee sees only her own numbers.
- A day's numbers belong to the team the row names for that day (issue 11): a supervisor sees her team's
  rows, whoever is in the team today.
Views fetch through the scopes below, so "not yours" and "does not exist" both answer 404.
"""

from django.db.models import Q

from staff import permissions as people
from staff.models import Site

from .models import AgentDay, QueueDay, Scorecard

# Ingestion ----------------------------------------------------------------------------------


def can_ingest(user):
    """HR, and the platform's service account (granted ``kpis.add_agentday`` in the admin)."""
    return people.is_active_user(user) and (people.is_hr(user) or user.has_perm("kpis.add_agentday"))


# Results: scopes ----------------------------------------------------------------------------


def visible_agent_days(user):
    """Agent days the user may see: HR all; others the days of the people they may see (themself, their
    mentees, their team's members) and the days their led teams' rows name (a member who has moved on)."""
    if not people.is_active_user(user):
        return AgentDay.objects.none()
    if people.is_hr(user):
        return AgentDay.objects.all()
    me = people.employee_of(user)
    if me is None:
        return AgentDay.objects.none()
    return AgentDay.objects.filter(Q(employee__in=people.visible_employees(user)) | Q(team__supervisor=me))


def visible_queue_days(user):
    """Queue days (connect rate) belong to sites: HR only."""
    if can_view_centre(user):
        return QueueDay.objects.all()
    return QueueDay.objects.none()


def visible_teams(user):
    """Teams whose KPIs the user may see: HR all, a supervisor the teams she leads."""
    if people.is_hr(user):
        return people.visible_teams(user)
    me = people.employee_of(user)
    if me is None or not people.is_supervisor(user):
        return people.visible_teams(user).none()
    return people.visible_teams(user).filter(supervisor=me)


def visible_sites(user):
    if can_view_centre(user):
        return Site.objects.all()
    return Site.objects.none()


# Results: predicates ------------------------------------------------------------------------


def can_view_own_results(user):
    """ "My results" is for anyone with an employee record."""
    return people.employee_of(user) is not None


def can_view_team_kpis(user):
    """Team KPIs: supervisors and HR."""
    return people.is_hr(user) or people.is_supervisor(user)


def can_view_centre(user):
    """The centre view (sites and teams compared, connect rate): HR."""
    return people.is_hr(user)


# Scorecards ---------------------------------------------------------------------------------


def can_manage_scorecards(user):
    """Weight sets, closing and reopening months, the payroll export: HR."""
    return people.is_hr(user)


def visible_scorecards(user):
    """Scorecards carry pay: her own, and those of the teams she leads (now, or in the scorecard's month); HR
    all. A mentor sees her mentees' KPIs, not their pay."""
    if not people.is_active_user(user):
        return Scorecard.objects.none()
    if people.is_hr(user):
        return Scorecard.objects.all()
    me = people.employee_of(user)
    if me is None:
        return Scorecard.objects.none()
    return Scorecard.objects.filter(Q(employee=me) | Q(employee__team__supervisor=me) | Q(team__supervisor=me))
