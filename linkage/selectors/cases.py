"""Reads about cases (issue 13 §1, §6): my cases and those handed to me, the team's cases with their breach countdown,
one case with its history. Each list is a fixed number of queries whatever the data (scoped by linkage.permissions)."""

import datetime

from django.db.models import BooleanField, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.db.models import Case as Switch

from staff import permissions as people
from staff.models import Employee, Stage

from .. import case_rules, permissions
from ..models import Case, CaseEvent, CaseStatus, FollowUp, Handoff, LinkageRole, RoleScope

PER_PAGE = 25
BREACH_FILTERS = ("breached", "soon", "ok")

AGENT_ROLE = "front-line-agent"  # who is "on the phones" (shipped linkage role)
LEAD_ROLE = "supervisor"  # the team lead's role (escalation level 1 tells the team's supervisor)

visible_cases = permissions.visible_cases  # the one scope (A13 permissions), read here by views, API and tasks


def my_cases(user):
    """Her own cases and those handed to her (``is_mine`` tells them apart)."""
    me = people.employee_of(user)
    if me is None:
        return Case.objects.none()
    return Case.objects.filter(Q(owner=me) | Q(pk__in=permissions.handed_to_me(user))).annotate(
        is_mine=Switch(When(owner=me, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def team_cases(user, team_ids=None):
    """The cases of the teams ``user`` follows (HR all, a supervisor those she leads), optionally some of them."""
    teams = permissions.case_teams(user)
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    return Case.objects.filter(team__in=teams)


def filtered(cases, *, status="", category=None, breach="", now):
    """Filters of the lists: status, category, and breach (open cases breached, due within the hour, or not)."""
    if status:
        cases = cases.filter(status=status)
    if category is not None:
        cases = cases.filter(category=category)
    if breach in BREACH_FILTERS:
        soon = now + case_rules.SOON
        cases = cases.filter(status=CaseStatus.OPEN)
        cases = {
            "breached": cases.filter(resolution_due_at__lte=now),
            "soon": cases.filter(resolution_due_at__gt=now, resolution_due_at__lte=soon),
            "ok": cases.filter(resolution_due_at__gt=soon),
        }[breach]
    return cases.select_related("category", "owner", "team")


def ordered(cases, *, due_first):
    """Team lists put the open cases nearest their breach first; my list the newest first."""
    if due_first:  # the open ones nearest their breach first, then the closed ones, the latest first
        open_first = Switch(When(status=CaseStatus.OPEN, then=Value(0)), default=Value(1))
        open_due = Switch(When(status=CaseStatus.OPEN, then=F("resolution_due_at")), default=None)
        return cases.order_by(open_first, open_due.asc(nulls_last=True), "-resolution_due_at", "-pk")
    return cases.order_by("-opened_at", "-pk")


def with_countdown(rows, now):
    """Each open case in ``rows`` gets ``breach`` ("breached", "soon", "ok"), ``minutes_left`` and ``minutes_late``
    (no query)."""
    for case in rows:
        if case.status == CaseStatus.OPEN:
            case.breach = case_rules.breach_state(case.resolution_due_at, now)
            case.minutes_left = case_rules.minutes_left(case.resolution_due_at, now)
            case.minutes_late = max(0, -case.minutes_left)
        else:
            case.breach, case.minutes_left, case.minutes_late = "", None, None
    return rows


def case_detail(user, pk):
    """One visible case with its history (corrections linked), hand-offs and follow-ups: five queries."""
    return (
        visible_cases(user)
        .select_related("category", "owner", "team__supervisor", "playbook", "created_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor__employee", "supersedes").order_by("at", "pk"),
            ),
            Prefetch(
                "handoffs", queryset=Handoff.objects.select_related("to_role", "to_employee", "step", "handed_by")
            ),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("coordination_report")),
        )
        .get(pk=pk)
    )


def at_risk(supervisor, now, *, limit=50):
    """Open cases of the teams ``supervisor`` leads breached or due within the hour, nearest first. One query."""
    return list(
        Case.objects.filter(
            team__supervisor=supervisor,
            status=CaseStatus.OPEN,
            resolution_due_at__lte=now + datetime.timedelta(hours=1),
        )
        .select_related("owner", "category")
        .order_by("resolution_due_at", "pk")[:limit]
    )


def agents_on_phones(site_id):
    """Agents on the phones at a site: active members of its teams whose position holds the front-line agent role,
    less those on an outbound follow-up call started and not done. Two queries."""
    positions = LinkageRole.positions.through.objects.filter(linkagerole__code=AGENT_ROLE).values("position_id")
    calling = FollowUp.objects.filter(
        case__owner=OuterRef("pk"), is_outbound_call=True, started_at__isnull=False, done_at__isnull=True
    )
    agents = Employee.objects.filter(team__department__site_id=site_id, position_id__in=positions).exclude(
        stage=Stage.LEFT
    )
    return agents.exclude(Exists(calling))


def level_holders(level, case):
    """[(user id, language)] told at escalation ``level`` of ``case``: for a team role the holders in the owner's
    team (the supervisor role: the team's supervisor too), for a centre role every holder."""
    holders = Employee.objects.filter(position__in=level.role.positions.values("pk")).exclude(stage=Stage.LEFT)
    if level.role.scope != "centre":
        holders = holders.filter(team_id=case.team_id)
    ids = set(holders.values_list("pk", flat=True))
    if level.role.code == LEAD_ROLE and case.team is not None and case.team.supervisor_id:
        ids.add(case.team.supervisor_id)
    return list(
        Employee.objects.filter(pk__in=ids, user__is_active=True).order_by("pk").values_list("user_id", "language")
    )


def handoff_people(case):
    """Whom a step of ``case`` may go to (the case page and the API): the active members of the team the case was
    opened in and the holders of centre roles, never the owner; by name."""
    centre = LinkageRole.positions.through.objects.filter(linkagerole__scope=RoleScope.CENTRE).values("position_id")
    return (
        Employee.objects.filter(Q(team_id=case.team_id) | Q(position_id__in=centre))
        .exclude(stage=Stage.LEFT)
        .exclude(pk=case.owner_id)
        .order_by("name", "pk")
    )
