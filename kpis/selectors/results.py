"""KPI results: every KPI's value as the ratio of SUMS over the daily rows in scope and window (issue 11 §2),
never a mean of per-row or per-day ratios, for My results, Team KPIs, the centre view, the API, "Today" and the
scorecards.

One aggregate query per source (agent days, queue days) whatever the history length and team size: it sums each
needed measure per group and period; the KPI values are then factor × Σnumerator / Σdenominator (None when
Σdenominator is 0). Team and site come from the row (the team the row names for its day), so a mover counts for
her old team before the move and a leaver's days stay in her team's totals.

Callers pass rows already scoped by kpis.permissions (``visible_agent_days`` …)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, Q, Sum, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncDay, TruncMonth, TruncWeek

from staff.models import Employee

from .. import bands
from ..models import AgentDay, Kpi, QueueDay, Source, Target
from ..models.measures import AGENT_AMOUNTS, AGENT_COUNTS, QUEUE_COUNTS

GRAINS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
# What a row can be grouped by; queue days belong to a site only (connect rate exists at site and centre level).
GROUPS = {
    AgentDay: {"employee": "employee_id", "team": "team_id", "site": "site_id"},
    QueueDay: {"site": "site_id"},
}
SOURCE_OF = {AgentDay: Source.AGENT, QueueDay: Source.QUEUE}
BUILTIN = {AgentDay: frozenset(AGENT_COUNTS + AGENT_AMOUNTS), QueueDay: frozenset(QUEUE_COUNTS)}
EXTRA_FIELD = DecimalField(max_digits=20, decimal_places=4)


def active_kpis(source=None):
    """The active KPIs in their order, with their measures (one query)."""
    kpis = Kpi.objects.filter(is_active=True).select_related("numerator", "denominator")
    if source is not None:
        kpis = kpis.filter(numerator__source=source)
    return list(kpis)


def sum_of_measure(model, code):
    """Σ of a measure over agent or queue days: its column for a built-in one, else its value in ``extra``."""
    if code in BUILTIN[model]:
        return Sum(code)
    # A measure HR added lives in the row's ``extra`` object under its code.
    return Sum(Cast(KeyTextTransform(code, "extra"), EXTRA_FIELD))


def measure_sums(kpis, rows, *, grain=None, group_by=None):
    """``{(group, period): {measure code: Σ}}`` over ``rows`` (agent or queue days) for the measures of the KPIs
    of that source, in one query. ``group`` is the employee, team or site id (None for everything); ``period``
    the first day of the day, week (Monday) or month (None without a grain), or the value of ``grain`` when it
    is an expression. A group_by the source does not have (a queue by team) gives ``{}``."""
    model = rows.model
    measures = {
        m.code: m for kpi in kpis if kpi.numerator.source == SOURCE_OF[model] for m in (kpi.numerator, kpi.denominator)
    }
    if not measures or (group_by is not None and group_by not in GROUPS[model]):
        return {}
    query = rows.order_by()
    keys = []
    if grain is not None:
        query = query.annotate(period=GRAINS[grain]("on") if isinstance(grain, str) else grain)
        keys.append("period")
    if group_by is not None:
        keys.append(GROUPS[model][group_by])
    sums = {f"sum_{code}": sum_of_measure(model, measure.code) for code, measure in measures.items()}
    found = query.values(*keys).annotate(**sums) if keys else [query.aggregate(**sums)]
    result = {}
    for row in found:
        if all(row[name] is None for name in sums):
            continue  # no rows at all
        group = row[GROUPS[model][group_by]] if group_by is not None else None
        period = _as_date(row["period"]) if grain is not None else None
        result[(group, period)] = {code: row[f"sum_{code}"] or 0 for code in measures}
    return result


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def add_sums(many):
    """The sums of several groups added up: the team's totals are the sums of its members' sums."""
    total = defaultdict(int)
    for sums in many:
        for code, value in sums.items():
            total[code] += value
    return dict(total)


def value_of(kpi, sums):
    """factor × Σnumerator / Σdenominator; None when the denominator's sum is 0 (or the source has no rows)."""
    denominator = sums.get(kpi.denominator.code) or 0
    if not denominator:
        return None
    numerator = sums.get(kpi.numerator.code) or 0
    return kpi.factor * Decimal(numerator) / Decimal(denominator)


def values_of(kpis, sums):
    return {kpi.code: value_of(kpi, sums) for kpi in kpis}


def kpi_values(kpis, rows, *, grain=None, group_by=None):
    """``{(group, period): {kpi code: value}}`` for the KPIs of the rows' source (see ``measure_sums``)."""
    return {
        key: values_of(kpis, sums) for key, sums in measure_sums(kpis, rows, grain=grain, group_by=group_by).items()
    }


def results(kpis, agent_rows, queue_rows=None, *, grain=None, group_by=None):
    """Both sources together: ``{(group, period): {kpi code: value}}``, agent KPIs from ``agent_rows`` and queue
    KPIs (connect rate) from ``queue_rows`` (site and centre level only); at most two queries."""
    merged = defaultdict(dict)
    for rows in (agent_rows, queue_rows):
        if rows is None:
            continue
        source_kpis = [kpi for kpi in kpis if kpi.numerator.source == SOURCE_OF[rows.model]]
        for key, values in kpi_values(source_kpis, rows, grain=grain, group_by=group_by).items():
            merged[key].update(values)
    return {key: {kpi.code: values.get(kpi.code) for kpi in kpis} for key, values in merged.items()}


# Targets and bands ------------------------------------------------------------------------------------------


def targets_on(kpis, on):
    """Every target row of these KPIs valid on ``on`` (one query); pick with ``bands.pick_target``."""
    return list(Target.objects.filter(kpi__in=[kpi.pk for kpi in kpis], valid_from__lte=on))


@dataclass(frozen=True)
class Cell:
    """One KPI's value with the target that applies and its band."""

    kpi: Kpi
    value: Decimal | None
    target: Target | None = None
    band: str | None = None

    @property
    def colour(self):
        return bands.colour(self.band)


def cells(kpis, values, targets, *, on, position_id=None, stage=""):
    """The row of cells for one person (her position and stage) or, without them, a team, site or centre (the
    general target)."""
    row = []
    for kpi in kpis:
        value = values.get(kpi.code)
        target = bands.pick_target(targets, kpi_id=kpi.pk, position_id=position_id, stage=stage, on=on)
        row.append(Cell(kpi, value, target, bands.band_for(value, target, kpi.direction)))
    return row


# Windows ----------------------------------------------------------------------------------------------------


def month_start(day):
    return day.replace(day=1)


def month_end(first):
    return next_month(first) - datetime.timedelta(days=1)


def next_month(first):
    return (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_back(first, count):
    """The first days of ``count`` months ending with ``first``'s, oldest first."""
    months = [first]
    for _ in range(count - 1):
        months.insert(0, month_start(months[0] - datetime.timedelta(days=1)))
    return months


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def weeks_back(last_day, count):
    """The Mondays of ``count`` weeks ending with ``last_day``'s week, oldest first."""
    monday = week_start(last_day)
    return [monday - datetime.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


@dataclass
class Trend:
    """Values per period (a table and a chart): ``periods`` oldest first, ``rows`` one per period."""

    kpis: list
    periods: list
    rows: list = field(default_factory=list)  # [(period, [Cell])]


def trend(kpis, values_by_key, periods, targets, *, on, group=None, position_id=None, stage=""):
    """The periods from the first one with data (a new hire's trend starts with her first calls)."""
    first = next((i for i, period in enumerate(periods) if (group, period) in values_by_key), 0)
    periods = periods[first:]
    rows = [
        (
            period,
            cells(kpis, values_by_key.get((group, period), {}), targets, on=on, position_id=position_id, stage=stage),
        )
        for period in periods
    ]
    return Trend(kpis, periods, rows)


# Pages ------------------------------------------------------------------------------------------------------

WEEKS = 12  # weeks in a weekly trend
MONTHS = 6  # months in a monthly trend and the centre view


def target_day(month, today):
    """The day whose targets apply to a month: its last day, or today while it runs."""
    return min(month_end(month), today) if month <= today else month_end(month)


@dataclass
class MyResults:
    employee: object
    month: datetime.date
    cells: list
    weekly: Trend


def my_results(rows, employee, month, *, today):
    """One person's KPIs for a month against her targets, and her trend by week up to the month's end (four
    queries: KPIs, the month, the weeks, the targets)."""
    kpis = active_kpis(Source.AGENT)
    on = target_day(month, today)
    values = kpi_values(kpis, rows.filter(on__range=(month, month_end(month)))).get((None, None), {})
    weeks = weeks_back(on, WEEKS)
    weekly = kpi_values(kpis, rows.filter(on__range=(weeks[0], on)), grain="week")
    targets = targets_on(kpis, on)
    person = {"position_id": employee.position_id, "stage": employee.stage}
    return MyResults(
        employee,
        month,
        cells(kpis, values, targets, on=on, **person),
        trend(kpis, weekly, weeks, targets, on=on, **person),
    )


@dataclass
class MemberRow:
    employee: object
    cells: list


@dataclass
class TeamResults:
    team: object
    month: datetime.date
    kpis: list
    members: list  # [MemberRow], sorted
    totals: list  # [Cell]: the ratio of the members' sums
    weekly: Trend
    monthly: Trend


def team_kpis(rows, team, month, *, today, sort=""):
    """Members × KPIs for a month (everyone with a day in the team that month, and today's members), the team's
    totals as the ratio of the members' sums, and the team's weekly and monthly trend: six queries."""
    kpis = active_kpis(Source.AGENT)
    on = target_day(month, today)
    team_rows = rows.filter(team=team)
    by_member = measure_sums(kpis, team_rows.filter(on__range=(month, month_end(month))), group_by="employee")
    ids = {employee_id for employee_id, _period in by_member}
    today_members = Q(team=team) & ~Q(left_on__lt=month) & ~Q(pk=team.supervisor_id)
    employees = Employee.objects.filter(Q(pk__in=ids) | today_members).order_by("name", "pk")
    targets = targets_on(kpis, on)
    members = [
        MemberRow(
            employee,
            cells(
                kpis,
                values_of(kpis, by_member.get((employee.pk, None), {})),
                targets,
                on=on,
                position_id=employee.position_id,
                stage=employee.stage,
            ),
        )
        for employee in employees
    ]
    totals = cells(kpis, values_of(kpis, add_sums(by_member.values())), targets, on=on)
    weeks = weeks_back(on, WEEKS)
    months = months_back(month, MONTHS)
    weekly = kpi_values(kpis, team_rows.filter(on__range=(weeks[0], on)), grain="week")
    monthly = kpi_values(kpis, team_rows.filter(on__range=(months[0], month_end(month))), grain="month")
    return TeamResults(
        team,
        month,
        kpis,
        sort_members(members, kpis, sort),
        totals,
        trend(kpis, weekly, weeks, targets, on=on),
        trend(kpis, monthly, months, targets, on=on),
    )


def sort_members(members, kpis, sort):
    """``sort``: a KPI code (lowest first), ``-code`` (highest first), else by name. No value sorts last."""
    code = sort.lstrip("-")
    index = next((i for i, kpi in enumerate(kpis) if kpi.code == code), None)
    if index is None:
        return members
    with_value = [m for m in members if m.cells[index].value is not None]
    without = [m for m in members if m.cells[index].value is None]
    with_value.sort(key=lambda m: m.cells[index].value, reverse=sort.startswith("-"))
    return with_value + without


@dataclass
class CentreResults:
    kpis: list
    kpi: Kpi  # the KPI compared month by month
    months: list
    centre: list  # [Cell] per month for ``kpi``
    sites: list  # [(site, [Cell] per month)]
    teams: list  # [(team, [Cell] per month)]
    latest: list  # [(site or None for the centre, [Cell] per KPI)] for the last month


def centre(agent_rows, queue_rows, sites, teams, last_month, *, today, kpi_code=""):
    """Sites and teams compared month by month over the last six months for one KPI, and every KPI per site
    for the last month; the centre's numbers are the sums of its sites' sums. Seven queries."""
    kpis = active_kpis()
    # By default the first KPI that teams have too (connect rate exists for sites only).
    default = next((k for k in kpis if k.numerator.source == Source.AGENT), kpis[0] if kpis else None)
    kpi = next((k for k in kpis if k.code == kpi_code), default)
    months = months_back(last_month, MONTHS)
    window = {"on__range": (months[0], month_end(last_month))}
    by_site = defaultdict(dict)
    for rows in (agent_rows, queue_rows):
        for key, sums in measure_sums(kpis, rows.filter(**window), grain="month", group_by="site").items():
            by_site[key].update(sums)
    by_team = measure_sums(kpis, agent_rows.filter(**window), grain="month", group_by="team")
    whole = {month: add_sums(s for (_site, period), s in by_site.items() if period == month) for month in months}
    on = target_day(last_month, today)
    targets = targets_on(kpis, on)
    site_list, team_list = list(sites), list(teams)

    def per_month(sums_by_key, group):
        return [
            cells([kpi], values_of([kpi], sums_by_key.get((group, month), {})), targets, on=on)[0] for month in months
        ]

    return CentreResults(
        kpis,
        kpi,
        months,
        [cells([kpi], values_of([kpi], whole[month]), targets, on=on)[0] for month in months] if kpi else [],
        [(site, per_month(by_site, site.pk)) for site in site_list] if kpi else [],
        [(team, per_month(by_team, team.pk)) for team in team_list if any(k[0] == team.pk for k in by_team)]
        if kpi and kpi.numerator.source == Source.AGENT  # connect rate has no team level
        else [],
        [(None, cells(kpis, values_of(kpis, whole[last_month]), targets, on=on))]
        + [
            (site, cells(kpis, values_of(kpis, by_site.get((site.pk, last_month), {})), targets, on=on))
            for site in site_list
        ],
    )


@dataclass
class Fall:
    employee: object
    falls: list  # [(kpi, band before, band now)]


def fallen_members(rows, *, today):
    """People whose band fell on some KPI: the last seven days against the seven before (the rows of the teams the
    supervisor leads, as the rows name them). Two queries, two more when someone has days in both weeks."""
    kpis = active_kpis(Source.AGENT)
    now_from = today - datetime.timedelta(days=6)
    week = Case(When(on__gte=now_from, then=Value(1)), default=Value(0))  # 1: the last seven days
    window = rows.filter(on__range=(now_from - datetime.timedelta(days=7), today))
    sums = measure_sums(kpis, window, grain=week, group_by="employee")
    now = {employee_id: s for (employee_id, period), s in sums.items() if period == 1}
    before = {employee_id: s for (employee_id, period), s in sums.items() if period == 0}
    ids = set(now) & set(before)
    if not ids:
        return []
    targets = targets_on(kpis, today)
    result = []
    for employee in Employee.objects.filter(pk__in=ids).order_by("name", "pk"):
        person = {"on": today, "position_id": employee.position_id, "stage": employee.stage}
        was = cells(kpis, values_of(kpis, before[employee.pk]), targets, **person)
        is_ = cells(kpis, values_of(kpis, now[employee.pk]), targets, **person)
        falls = [(a.kpi, a.band, b.band) for a, b in zip(was, is_, strict=True) if bands.fell(a.band, b.band)]
        if falls:
            result.append(Fall(employee, falls))
    return result
