"""Reads of tiered authority (issue 13 §3, §6): the ledger's totals per agent and team, the ledger page, the approval
inbox, the matrix and an agent's "what may I do?". Each in a fixed number of queries whatever the data."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from staff import permissions as people

from .. import authority_rules as rules
from .. import permissions
from ..models import AuthorityLimit, CouponRequest, Grade, GradeHolding, Issuance, RequestStatus, Risk, Scenario
from ..services.authority import current_grade

LEDGER_PER_PAGE = 50
ZERO = Decimal("0")


def _totals(field, ids, on):
    rows = (
        Issuance.objects.filter(**{f"{field}__in": list(ids)}, on__gte=on.replace(day=1), on__lte=on)
        .order_by()
        .values(field)
        .annotate(month=Sum("amount"), day=Sum("amount", filter=Q(on=on)))
    )
    found = {row[field]: (row["day"] or ZERO, row["month"] or ZERO) for row in rows}
    return {pk: found.get(pk, (ZERO, ZERO)) for pk in ids}


def ledger_totals(employee_ids, *, on):
    """{employee id: (issued on ``on``, issued in its month up to ``on``)}, reversals netted; one query."""
    return _totals("issued_by_id", employee_ids, on)


def team_totals(team_ids, *, on):
    """{team id: (day total, month total)} as ledger_totals, per team; one query."""
    return _totals("team_id", team_ids, on)


def ledger(user, *, agent=None, team=None, scenario=None, day_from=None, day_to=None):
    """The ledger rows ``user`` may read (permissions.visible_issuances), newest first, filtered."""
    rows = (
        permissions.visible_issuances(user)
        .select_related("case", "scenario", "issued_by", "team", "grade")
        .annotate(is_reversed=Exists(Issuance.objects.filter(reverses=OuterRef("pk"))))
    )
    if agent is not None:
        rows = rows.filter(issued_by=agent)
    if team is not None:
        rows = rows.filter(team=team)
    if scenario is not None:
        rows = rows.filter(scenario=scenario)
    if day_from is not None:
        rows = rows.filter(on__gte=day_from)
    if day_to is not None:
        rows = rows.filter(on__lte=day_to)
    return rows.order_by("-issued_at", "-pk")


def approval_inbox(user):
    """Pending requests ``user`` may decide: within her scope (a supervisor her teams', HR all, never her own) and at
    or below her grade's rank (none without a grade; HR any); oldest first."""
    me = people.employee_of(user)
    if me is None and not people.is_hr(user):
        return CouponRequest.objects.none()
    # Her grade's rank as a subquery: the inbox (and its count on "Today") is one query.
    rank = (
        GradeHolding.objects.filter(employee=me, since__lte=timezone.now())
        .order_by("-since", "-pk")
        .values("grade__rank")[:1]
    )
    pending = permissions.approval_scope(user).filter(status=RequestStatus.PENDING)
    if not people.is_hr(user):  # HR decides any request (as the top grade); others up to their grade's rank
        pending = pending.filter(approver_rank__lte=Subquery(rank))
    return pending.select_related("case", "scenario", "requested_by").order_by("requested_at", "pk")


def my_requests(user):
    """The requests ``user`` asked for, newest first."""
    me = people.employee_of(user)
    if me is None:
        return CouponRequest.objects.none()
    return CouponRequest.objects.filter(requested_by=me).select_related("case", "scenario").order_by("-requested_at")


@dataclass(frozen=True)
class MayRow:
    scenario: Scenario
    risk: str
    risk_label: str
    limit: AuthorityLimit | None
    used_today: Decimal
    used_month: Decimal
    left_today: Decimal | None
    left_month: Decimal | None


def what_may_i_do(employee, *, on):
    """(grade, [MayRow]) for each active scenario × risk: her grade's limits and what is left today and this month
    (a row without a limit: ask for approval). Four queries."""
    grade = current_grade(employee)
    scenarios = list(Scenario.objects.filter(is_active=True).order_by("code"))
    limits = {}
    if grade is not None:
        limits = {(lim.scenario_id, lim.risk): lim for lim in AuthorityLimit.objects.filter(grade=grade)}
    used = {
        row["scenario_id"]: (row["day"] or ZERO, row["month"] or ZERO)
        for row in Issuance.objects.filter(issued_by=employee, on__gte=on.replace(day=1), on__lte=on)
        .order_by()
        .values("scenario_id")
        .annotate(month=Sum("amount"), day=Sum("amount", filter=Q(on=on)))
    }
    rows = []
    for scenario in scenarios:
        day, month = used.get(scenario.pk, (ZERO, ZERO))
        for risk, label in Risk.choices:
            limit = limits.get((scenario.pk, risk))
            left = rules.remaining(limit, day, month)
            rows.append(MayRow(scenario, risk, label, limit, day, month, *(left or (None, None))))
    return grade, rows


def matrix():
    """(grades, scenarios, {(grade id, scenario id, risk): limit}) for HR's matrix; three queries."""
    grades = list(Grade.objects.order_by("rank"))
    scenarios = list(Scenario.objects.order_by("-is_active", "code"))
    limits = {(lim.grade_id, lim.scenario_id, lim.risk): lim for lim in AuthorityLimit.objects.all()}
    return grades, scenarios, limits


# Guardrails (issue 13 §3: payout per complaint and issuances per agent, KPIs of the KPI issue) -------------------


@dataclass(frozen=True)
class TeamPayout:
    team_id: int
    team_name: str
    paid: Decimal
    complaints: int
    per_complaint: Decimal


@dataclass(frozen=True)
class AgentIssuances:
    employee_id: int
    name: str
    count: int


def guardrail_breaches(*, on, payout_per_complaint, issuances_per_agent):
    """This month up to ``on``: the teams whose payout per complaint case (issued, reversals netted, over the
    complaint cases opened in the team; none counts as one) passes ``payout_per_complaint``, and the agents whose
    issuances (reversals not counted) pass ``issuances_per_agent``. Three queries."""
    from django.db.models import Count

    from ..models import Case

    first = on.replace(day=1)
    month = Issuance.objects.filter(on__gte=first, on__lte=on).order_by()
    paid = {
        row["team_id"]: (row["team__name"], row["paid"] or ZERO)
        for row in month.filter(team__isnull=False).values("team_id", "team__name").annotate(paid=Sum("amount"))
    }
    complaints = dict(
        Case.objects.filter(
            team_id__in=list(paid), category__is_complaint=True, opened_at__date__gte=first, opened_at__date__lte=on
        )
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    limit = Decimal(payout_per_complaint)
    teams = []
    for team_id, (name, amount) in sorted(paid.items()):
        count = complaints.get(team_id, 0)
        per = (amount / max(count, 1)).quantize(Decimal("0.01"))
        if per > limit:
            teams.append(TeamPayout(team_id, name, amount, count, per))
    agents = [
        AgentIssuances(row["issued_by_id"], row["issued_by__name"], row["n"])
        for row in month.filter(reverses__isnull=True)
        .values("issued_by_id", "issued_by__name")
        .annotate(n=Count("pk"))
        .filter(n__gt=issuances_per_agent)
        .order_by("issued_by_id")
    ]
    return teams, agents
