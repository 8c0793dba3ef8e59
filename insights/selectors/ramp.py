"""The KPI ramp (issue 16 §1): FCR, AHT and CSAT of new hires by tenure week against the tenured baseline of the
same teams and weeks, read from the nightly aggregate (insights.services.aggregates) with one grouped query
whatever the length of the history; scoped to the viewer's teams (the team each day's row names)."""

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from kpis.selectors.results import active_kpis, month_end, value_of, week_start

from .. import permissions
from ..models import RampWeek, RefreshMark
from ..services.aggregates import MEASURES, RAMP, RAMP_WEEKS

RAMP_KPIS = ("fcr", "aht", "csat")


@dataclass(frozen=True)
class Side:
    numerator: int
    denominator: int
    value: object  # Decimal in the KPI's unit, or None without data


@dataclass(frozen=True)
class Cell:
    kpi: object
    new: Side
    baseline: Side

    @property
    def gap(self):
        if self.new.value is None or self.baseline.value is None:
            return None
        return self.new.value - self.baseline.value


@dataclass(frozen=True)
class Ramp:
    kpis: list
    weeks: list  # [(tenure week, [Cell] per KPI)]
    refreshed_at: datetime.datetime | None


def ramp_kpis():
    """The ramp's KPIs that the aggregate can compute (their measures are among those it sums)."""
    return [
        kpi
        for kpi in active_kpis()
        if kpi.code in RAMP_KPIS and kpi.numerator.code in MEASURES and kpi.denominator.code in MEASURES
    ]


def _side(kpi, sums, prefix):
    values = {code: sums.get(f"{prefix}_{code}") or 0 for code in MEASURES}
    return Side(values[kpi.numerator.code], values[kpi.denominator.code], value_of(kpi, values))


def ramp(user, *, site=None, team=None, hired_from=None, hired_to=None):
    """Two queries (the KPIs, the grouped aggregate) and the refresh mark's one."""
    rows = RampWeek.objects.filter(team__in=permissions.insight_teams(user))
    if site is not None:
        rows = rows.filter(team__department__site=site)
    if team is not None:
        rows = rows.filter(team=team)
    if hired_from is not None:
        rows = rows.filter(hire_week__gte=week_start(hired_from))
    if hired_to is not None:
        rows = rows.filter(hire_week__lte=month_end(hired_to))
    fields = [f"{prefix}_{code}" for prefix in ("new", "base") for code in MEASURES]
    found = {
        row["tenure_week"]: row
        for row in rows.order_by().values("tenure_week").annotate(**{f"s_{f}": Sum(f) for f in fields})
    }
    kpis = ramp_kpis()
    weeks = []
    for week in range(RAMP_WEEKS):
        sums = {f: (found.get(week) or {}).get(f"s_{f}") for f in fields}
        weeks.append((week, [Cell(kpi, _side(kpi, sums, "new"), _side(kpi, sums, "base")) for kpi in kpis]))
    mark = RefreshMark.objects.filter(name=RAMP).values_list("refreshed_at", flat=True).first()
    return Ramp(kpis, weeks, mark)
