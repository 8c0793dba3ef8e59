"""Organisation health (issue 16 §3): span of control, headcount against plan per position, turnover by team and by
the stage people left from, and the pay analysis (pay grade × scorecard band of the latest closed month, small
cells suppressed). Each part is one or two aggregate queries whatever the size of the centre."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kpis.models import Band, Month, MonthStatus, Scorecard
from staff.models import Employee, Position, Stage, Team

from .. import health_rules as rules
from ..permissions import SMALL_GROUP

PER_PAGE = 25
WINDOW_DAYS = 365


def spans(*, site=None):
    """Team leads with the active members of the teams they lead (herself excepted), widest first (one query)."""
    leads = Employee.objects.filter(Exists(Team.objects.filter(supervisor=OuterRef("pk")))).exclude(stage=Stage.LEFT)
    if site:
        leads = leads.filter(Exists(Team.objects.filter(supervisor=OuterRef("pk"), department__site=site)))
    active = ~Q(led_teams__members__stage=Stage.LEFT) & ~Q(led_teams__members=F("pk"))
    return leads.annotate(span=Count("led_teams__members", filter=active, distinct=True)).order_by(
        "-span", "name", "pk"
    )


@dataclass(frozen=True)
class Seat:
    position: Position
    headcount: int
    filled: int

    @property
    def open(self):
        return rules.open_seats(self.headcount, self.filled)

    @property
    def over(self):
        return max(self.filled - self.headcount, 0)


def seats():
    """Every position with its planned headcount and the active people holding it (one query; paginate it)."""
    return Position.objects.annotate(
        filled=Count("employees", filter=~Q(employees__stage=Stage.LEFT), distinct=True)
    ).order_by("job_family", "grade", "code")


def seat_of(position):
    return Seat(position, position.headcount, position.filled)


@dataclass(frozen=True)
class TurnoverRow:
    key: object
    label: str
    turnover: object  # figures.Rate


def _window(today):
    return today - datetime.timedelta(days=WINDOW_DAYS), today


def employed_on(day, prefix=""):
    """Employed on ``day``: hired by then and not left before it."""
    return (
        Q(**{f"{prefix}hire_date__lte": day})
        & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day}))
        & (~Q(**{f"{prefix}stage": Stage.LEFT}) | Q(**{f"{prefix}left_on__isnull": False}))
    )


def turnover_by_team(*, today):
    """Leavers of the last 12 months over the average headcount, per team (the team a person belongs to or left
    from), one query."""
    start, end = _window(today)
    teams = Team.objects.annotate(
        leavers=Count("members", filter=Q(members__stage=Stage.LEFT, members__left_on__range=(start, end))),
        at_start=Count("members", filter=employed_on(start, "members__")),
        at_end=Count("members", filter=employed_on(end, "members__")),
    ).order_by("name", "pk")
    return [TurnoverRow(team.pk, team.name, rules.turnover(team.leavers, team.at_start, team.at_end)) for team in teams]


def turnover_by_stage(*, today):
    """Leavers of the last 12 months by the life-cycle stage they left from (the employee history's stage before
    ``left``), over the centre's average headcount: two queries."""
    start, end = _window(today)
    people = Employee.objects.all()
    at_start = people.filter(employed_on(start)).count()
    at_end = people.filter(employed_on(end)).count()
    history = Employee.history.model.objects
    leavers = people.filter(stage=Stage.LEFT, left_on__range=(start, end)).values_list("pk", flat=True)
    before = (
        history.filter(id__in=leavers)
        .exclude(stage=Stage.LEFT)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "stage")
    )
    last_stage = {}
    for pk, stage in before:
        last_stage.setdefault(pk, stage)
    counts = defaultdict(int)
    for pk in leavers:
        counts[last_stage.get(pk, "")] += 1
    labels = dict(Stage.choices)
    return [
        TurnoverRow(stage, str(labels.get(stage, _("Unknown"))), rules.turnover(counts[stage], at_start, at_end))
        for stage in [s for s in Stage.values if s != Stage.LEFT] + [""]
        if counts[stage] or stage
    ]


@dataclass(frozen=True)
class PayTable:
    month: datetime.date | None
    grades: list
    bands: list
    cells: dict  # (grade, band) → count or None when suppressed
    row_totals: dict
    column_totals: dict
    total: int

    @property
    def has_data(self):
        return bool(self.total)

    @property
    def band_labels(self):
        labels = dict(Band.choices)
        return [(band, labels[band]) for band in self.bands]

    @property
    def rows(self):
        """(grade, [cell per band], row total) for the template and the API."""
        return [(g, [self.cells[(g, b)] for b in self.bands], self.row_totals[g]) for g in self.grades]


def pay_table():
    """People by pay grade × band of the latest closed month's scorecards, small cells suppressed (one query for
    the month, one for the counts)."""
    month = Month.objects.filter(status=MonthStatus.CLOSED).order_by("-month").values_list("month", flat=True).first()
    bands = list(Band.values)
    if month is None:
        return PayTable(None, [], bands, {}, {}, {}, 0)
    rows = (
        Scorecard.objects.filter(month=month)
        .values("pay_grade", "band")
        .annotate(n=Count("pk"))
        .order_by("pay_grade", "band")
    )
    table = {(row["pay_grade"] or "—", row["band"]): row["n"] for row in rows}
    grades = sorted({grade for grade, _band in table})
    full = {(grade, band): table.get((grade, band), 0) for grade in grades for band in bands}
    hidden, hidden_lines = rules.suppressed_cells(full, SMALL_GROUP)

    def shown_total(line, n):
        return n if line not in hidden_lines and (n == 0 or n >= SMALL_GROUP) else None

    cells = {cell: (None if cell in hidden else n) for cell, n in full.items()}
    row_totals = {g: shown_total((0, g), sum(full[(g, b)] for b in bands)) for g in grades}
    column_totals = {b: shown_total((1, b), sum(full[(g, b)] for g in grades)) for b in bands}
    return PayTable(month, grades, bands, cells, row_totals, column_totals, sum(full.values()))
