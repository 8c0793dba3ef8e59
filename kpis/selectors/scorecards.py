"""Reads of monthly scorecards shared by the pages, the payroll export and the API: scoped through
kpis.permissions.visible_scorecards, a fixed number of queries whatever the number of people."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from staff.models import Site, Team

from .. import bands, permissions
from ..models import Band, Kpi, LateRevision, Month, MonthStatus, Scorecard, Unit

# The bands' colours (kpis.bands), as badges.
BAND_CLASSES = {band: f"text-bg-{colour.css}" for band, colour in bands.COLOURS.items()}


def parse_month(text):
    """The first day of the month named "YYYY-MM", or None when the text names no month."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return None


def scorecard_for(employee, month=None):
    """``employee``'s scorecard of ``month`` (any day of it), or her latest one when no month is given."""
    cards = Scorecard.objects.filter(employee=employee).select_related("site", "team", "weight_set")
    if month is not None:
        return cards.filter(month=month.replace(day=1)).first()
    return cards.order_by("-month").first()


@dataclass(frozen=True)
class ComponentRow:
    kpi: object  # Kpi, or None when HR deleted the KPI since
    code: str
    value: float | None
    shown_value: float | None  # percent ×100, others as they are
    normalised: float | None
    weight: int
    effective_weight: float


@dataclass(frozen=True)
class ScorecardCard:
    """What the "My results" partial shows: the scorecard, each KPI's line, the band's colour and whether its
    month is still open (numbers may change until HR closes it)."""

    scorecard: Scorecard
    rows: list
    band_class: str
    is_final: bool

    @property
    def has_missing(self):
        """A weighted KPI had no data this month (its weight was spread over the others)."""
        return any(row.value is None for row in self.rows)


def scorecard_card(scorecard):
    """The partial's content for ``scorecard`` (two queries: its KPIs, its month's status); None passes."""
    if scorecard is None:
        return None
    codes = [c["kpi"] for c in scorecard.components]
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=codes)}
    rows = []
    for c in scorecard.components:
        kpi = kpis.get(c["kpi"])
        value = c["value"]
        shown = value * 100 if value is not None and kpi is not None and kpi.unit == Unit.PERCENT else value
        rows.append(
            ComponentRow(kpi, c["kpi"], value, shown, c["normalised"], c["weight"], c.get("effective_weight", 0))
        )
    is_final = Month.objects.filter(month=scorecard.month, status=MonthStatus.CLOSED).exists()
    return ScorecardCard(scorecard, rows, BAND_CLASSES.get(scorecard.band, "text-bg-secondary"), is_final)


# HR -------------------------------------------------------------------------------------------------------------


def months():
    """Every scorecard month, newest first, with its scorecard count and its late revisions (all, to review)."""
    cards = (
        Scorecard.objects.filter(month=OuterRef("month")).order_by().values("month").annotate(n=Count("pk")).values("n")
    )
    return Month.objects.annotate(
        scorecard_count=Coalesce(Subquery(cards, output_field=IntegerField()), Value(0)),
        late_count=Count("late_revisions", distinct=True),
        late_to_review=Count("late_revisions", filter=Q(late_revisions__is_reviewed=False), distinct=True),
    ).order_by("-month")


def month_row(month):
    """The month with its counts; a month nothing computed yet reads as open and empty."""
    row = months().filter(month=month).first()
    if row is None:
        row = Month(month=month, status=MonthStatus.OPEN)
        row.scorecard_count = row.late_count = row.late_to_review = 0
    return row


def month_scorecards(user, month, *, site=None, team=None, band=None):
    """The month's scorecards the user may see, by employee number, filtered by site, team and band (ids and a
    band value; an unknown one finds nothing)."""
    cards = permissions.visible_scorecards(user).filter(month=month)
    if site:
        cards = cards.filter(site_id=site)
    if team:
        cards = cards.filter(team_id=team)
    if band:
        cards = cards.filter(band=band)
    return cards.select_related("employee", "site", "team").order_by("employee__employee_number")


def month_filters(user, month):
    """Sites and teams the month's scorecards name (for the filter), and the count per band."""
    cards = permissions.visible_scorecards(user).filter(month=month).order_by()
    sites = Site.objects.filter(pk__in=cards.values("site_id")).order_by("name")
    teams = Team.objects.filter(pk__in=cards.values("team_id")).order_by("name")
    counts = dict(cards.values_list("band").annotate(n=Count("pk")))
    by_band = [(value, label, counts.get(value, 0), BAND_CLASSES[value]) for value, label in Band.choices]
    return sites, teams, by_band


def late_revisions(month, *, limit=20):
    """The month's late revisions still to review, the latest days first (a page's worth)."""
    return (
        LateRevision.objects.filter(month__month=month, is_reviewed=False)
        .select_related("employee", "ingest")
        .order_by("-on", "employee__employee_number")[:limit]
    )


EXPORT_HEADERS = (
    "employee_number",
    "name",
    "team",
    "site",
    "month",
    "composite",
    "band",
    "pay_grade",
    "pay_coefficient",
)


def export_rows(cards):
    """The payroll file's rows (EXPORT_HEADERS) for a queryset of scorecards, streamed from one query."""
    rows = cards.values_list(
        "employee__employee_number",
        "employee__name",
        "team__name",
        "site__name",
        "month",
        "composite",
        "band",
        "pay_grade",
        "pay_coefficient",
    )
    labels = dict(Band.choices)
    for number, name, team, site, month, composite, band, grade, coefficient in rows.iterator(chunk_size=2000):
        yield (
            number,
            name,
            team,
            site,
            f"{month:%Y-%m}",
            Decimal(composite),
            str(labels.get(band, band)),
            grade,
            "" if coefficient is None else Decimal(coefficient),
        )
