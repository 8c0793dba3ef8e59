"""The Check of an initiative, computed from the KPI data (issue 14 §2), never typed in.

For each goal and guardrail KPI:
- before vs after over the scope: the baseline window [baseline_from, baseline_to] against [rollout_start,
  after_to or yesterday];
- pilot vs control in the pilot window [pilot_start, rollout_start): pilot = the rows whose team is a pilot team,
  control = the other rows in scope;
- month by month since go-live (the scope), and the pilot and control series month by month across the pilot
  window (each month clipped to its window).

Every value is a ratio of sums (kpis.selectors.results: measure_sums / value_of), over the daily rows as they name
their team and site for that day, so an agent who moved teams counts where she was each day and a leaver's past
days count. Sums add up, so a window's total is the sum of its months' sums: one aggregate query per window and
source, grouped by month (and team where pilot and control split), whatever the history.

Queue KPIs (connect rate) exist per site only: their scope is the sites in scope and the sites of the teams in
scope, and they have no pilot vs control (queues belong to no team)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from kpis.models import AgentDay, QueueDay, Source
from kpis.selectors.results import add_sums, measure_sums, month_start, next_month, value_of

from . import initiative_rules

PLACES = Decimal("0.0001")


def quantised(value):
    """A value as the pages show it: 4 decimal places (None stays None)."""
    return None if value is None else value.quantize(PLACES)


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def is_empty(self):
        return self.end < self.start

    def months(self):
        """(month, first day, last day) of each month the window touches, clipped to the window."""
        result = []
        month = month_start(self.start)
        while month <= self.end:
            following = next_month(month)
            result.append((month, max(month, self.start), min(following - datetime.timedelta(days=1), self.end)))
            month = following
        return result


@dataclass(frozen=True)
class Plan:
    """What the Check needs of an initiative, as plain values (tests build one directly)."""

    scope_team_ids: frozenset
    scope_site_ids: frozenset
    pilot_team_ids: frozenset
    before: Window
    pilot: Window | None  # None: no pilot
    after: Window


@dataclass(frozen=True)
class Change:
    """``value`` against ``base``: the difference (value − base) and the relative change in % of the base."""

    base: Decimal | None
    value: Decimal | None

    @property
    def difference(self):
        if self.base is None or self.value is None:
            return None
        return self.value - self.base

    @property
    def relative(self):
        if self.difference is None or not self.base:
            return None
        return self.difference / self.base * 100

    @property
    def difference_4(self):
        return quantised(self.difference)

    @property
    def relative_4(self):
        return quantised(self.relative)


@dataclass
class KpiEffect:
    kpi: object
    role: str  # improvement.models.KpiRole
    before: Decimal | None
    after: Decimal | None
    pilot: Decimal | None
    control: Decimal | None
    monthly: list = field(default_factory=list)  # [(month, value)] since go-live, the scope
    pilot_monthly: list = field(default_factory=list)  # [(month, pilot value, control value)] in the pilot window
    baseline: Decimal | None = None
    target: Decimal | None = None
    threshold: Decimal | None = None

    @property
    def before_after(self):
        return Change(self.before, self.after)

    @property
    def pilot_control(self):
        return Change(self.control, self.pilot)

    @property
    def is_queue(self):
        return self.kpi.numerator.source == Source.QUEUE

    def improved(self, change):
        """True when the change went the KPI's good way, False the bad way, None when unknown or no change."""
        difference = change.difference
        if not difference:
            return None
        return (difference > 0) == (self.kpi.direction == "higher")

    @property
    def guardrail_breached(self):
        """For a guardrail: is the after value (or, before go-live, the pilot's) past its threshold?"""
        value = self.after if self.after is not None else self.pilot
        if self.threshold is None or value is None:
            return None
        return initiative_rules.is_breach(self.kpi.direction, value, self.threshold)


@dataclass
class Check:
    plan: Plan
    goals: list  # [KpiEffect]
    guardrails: list  # [KpiEffect]

    @property
    def effects(self):
        return self.goals + self.guardrails

    @property
    def headline(self):
        """The first goal KPI's pilot vs control when there is one, else its before vs after."""
        for effect in self.goals:
            for kind, change in (("pilot", effect.pilot_control), ("after", effect.before_after)):
                if change.difference is not None:
                    return effect, kind, change
        return None


# Windows and scope ------------------------------------------------------------------------------------------


def plan_of(initiative, *, today):
    """The Plan of a saved initiative (three small queries for its teams and sites)."""
    yesterday = today - datetime.timedelta(days=1)
    rollout = initiative.rollout_start
    pilot = None
    if initiative.pilot_start is not None and initiative.pilot_start < rollout:
        pilot = Window(initiative.pilot_start, min(rollout - datetime.timedelta(days=1), yesterday))
    return Plan(
        scope_team_ids=frozenset(initiative.scope_teams.values_list("pk", flat=True)),
        scope_site_ids=frozenset(initiative.scope_sites.values_list("pk", flat=True)),
        pilot_team_ids=frozenset(initiative.pilot_teams.values_list("pk", flat=True)),
        before=Window(initiative.baseline_from, initiative.baseline_to),
        pilot=pilot,
        after=Window(rollout, min(initiative.after_to or yesterday, yesterday)),
    )


def agent_scope(plan):
    """Agent rows in scope: their team is in scope or their site is; nothing chosen: the whole centre."""
    if not plan.scope_team_ids and not plan.scope_site_ids:
        return Q()
    return Q(team_id__in=plan.scope_team_ids) | Q(site_id__in=plan.scope_site_ids)


def queue_scope(plan):
    """Queue rows in scope: the sites in scope and the sites of the teams in scope."""
    if not plan.scope_team_ids and not plan.scope_site_ids:
        return Q()
    from staff.models import Team

    team_sites = Team.objects.filter(pk__in=plan.scope_team_ids).values("department__site_id")
    return Q(site_id__in=plan.scope_site_ids) | Q(site_id__in=team_sites)


def _in(window):
    return {"on__range": (window.start, window.end)}


# The Check --------------------------------------------------------------------------------------------------


def window_sums(kpis, rows, window):
    """Σ of each measure over ``rows`` in ``window``: one query."""
    if window is None or window.is_empty:
        return {}
    return measure_sums(kpis, rows.filter(**_in(window))).get((None, None), {})


def monthly_sums(kpis, rows, window, *, group_by=None):
    """``{(group, month): sums}`` over ``window`` (its first and last months clipped to it): one query."""
    if window is None or window.is_empty:
        return {}
    return measure_sums(kpis, rows.filter(**_in(window)), grain="month", group_by=group_by)


def compute(plan, kpi_rows):
    """The Check over ``kpi_rows`` (InitiativeKpi-like objects with ``kpi`` (numerator and denominator loaded),
    ``role``, ``baseline``, ``target``, ``threshold``). At most five queries: agent rows before, after by month,
    pilot window by team and month; queue rows before, after by month."""
    kpis = list({row.kpi.pk: row.kpi for row in kpi_rows}.values())
    agent_kpis = [k for k in kpis if k.numerator.source == Source.AGENT]
    queue_kpis = [k for k in kpis if k.numerator.source == Source.QUEUE]
    sums = {}  # source → (before sums, {month: after sums}, {month: (pilot sums, control sums)})
    if agent_kpis:
        rows = AgentDay.objects.filter(agent_scope(plan))
        # Q() | Q(x) is Q(x): the whole centre stays the whole centre.
        whole = not plan.scope_team_ids and not plan.scope_site_ids
        pilot_rows = rows if whole else AgentDay.objects.filter(agent_scope(plan) | Q(team_id__in=plan.pilot_team_ids))
        by_team = monthly_sums(agent_kpis, pilot_rows, plan.pilot, group_by="team") if plan.pilot_team_ids else {}
        split = {}
        for (team_id, month), team_sums in by_team.items():
            pilot, control = split.setdefault(month, ([], []))
            (pilot if team_id in plan.pilot_team_ids else control).append(team_sums)
        sums[Source.AGENT] = (
            window_sums(agent_kpis, rows, plan.before),
            {month: s for (_g, month), s in monthly_sums(agent_kpis, rows, plan.after).items()},
            {month: (add_sums(p), add_sums(c)) for month, (p, c) in split.items()},
        )
    if queue_kpis:
        rows = QueueDay.objects.filter(queue_scope(plan))
        sums[Source.QUEUE] = (
            window_sums(queue_kpis, rows, plan.before),
            {month: s for (_g, month), s in monthly_sums(queue_kpis, rows, plan.after).items()},
            {},
        )
    after_months = [month for month, _first, _last in plan.after.months()] if not plan.after.is_empty else []
    pilot_months = [month for month, _f, _l in plan.pilot.months()] if plan.pilot and not plan.pilot.is_empty else []
    goals, guardrails = [], []
    for row in kpi_rows:
        kpi = row.kpi
        before, after_by_month, pilot_by_month = sums.get(kpi.numerator.source, ({}, {}, {}))
        has_split = bool(pilot_by_month)
        effect = KpiEffect(
            kpi=kpi,
            role=row.role,
            before=value_of(kpi, before),
            after=value_of(kpi, add_sums(after_by_month.values())),
            pilot=value_of(kpi, add_sums(p for p, _c in pilot_by_month.values())) if has_split else None,
            control=value_of(kpi, add_sums(c for _p, c in pilot_by_month.values())) if has_split else None,
            monthly=[(month, value_of(kpi, after_by_month.get(month, {}))) for month in after_months],
            pilot_monthly=[
                (
                    month,
                    value_of(kpi, pilot_by_month.get(month, ({}, {}))[0]),
                    value_of(kpi, pilot_by_month.get(month, ({}, {}))[1]),
                )
                for month in (pilot_months if has_split else [])
            ],
            baseline=row.baseline,
            target=row.target,
            threshold=row.threshold,
        )
        (guardrails if row.role == "guardrail" else goals).append(effect)
    return Check(plan, goals, guardrails)


def check_of(initiative, *, today):
    """The Check of a saved initiative: its KPIs (one query), its teams and sites (three), the sums (≤ five)."""
    kpi_rows = list(initiative.kpis.select_related("kpi__numerator", "kpi__denominator").order_by("role", "pk"))
    return compute(plan_of(initiative, today=today), kpi_rows)


def before_value(initiative, kpi, *, today):
    """The KPI's value over the initiative's scope in its baseline window (to fill a goal's baseline)."""
    plan = plan_of(initiative, today=today)
    model = AgentDay if kpi.numerator.source == Source.AGENT else QueueDay
    scope = agent_scope(plan) if model is AgentDay else queue_scope(plan)
    return value_of(kpi, window_sums([kpi], model.objects.filter(scope), plan.before))


def recent_value(initiative, kpi, *, on, days=7):
    """The KPI's value over the initiative's scope in the ``days`` days up to and including ``on``."""
    plan = plan_of(initiative, today=on + datetime.timedelta(days=1))
    model = AgentDay if kpi.numerator.source == Source.AGENT else QueueDay
    scope = agent_scope(plan) if model is AgentDay else queue_scope(plan)
    window = Window(on - datetime.timedelta(days=days - 1), on)
    return value_of(kpi, window_sums([kpi], model.objects.filter(scope), window))
