"""Monthly scorecards (seed 004: KPI weights per region, pay linked to assessment): computing an open month,
closing and reopening it, late revisions reviewed, and weight sets that are never edited once used.

The arithmetic and the rules are in kpis.scoring (pure); this module loads the facts set-based (a fixed number
of queries for any number of agents), writes, and audits."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Max, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import scoring
from ..models import (
    AgentDay,
    Kpi,
    LateRevision,
    Month,
    MonthEvent,
    MonthStatus,
    PayCoefficient,
    ScoreBand,
    Scorecard,
    Weight,
    WeightSet,
)
from ..selectors.results import sum_of_measure, value_of

SCORECARD_FIELDS = (
    "site_id",
    "team_id",
    "weight_set_id",
    "components",
    "composite",
    "band",
    "pay_grade",
    "pay_coefficient",
)
BATCH = 1000


def first_day(day):
    return day.replace(day=1)


def next_month(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


@dataclass
class ComputeResult:
    """What one computation of a month did (counts of scorecards)."""

    month: datetime.date
    is_frozen: bool = False  # the month is closed: nothing was computed
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    without_weights: list = field(default_factory=list)  # employee ids whose site has no weight set yet
    without_data: list = field(default_factory=list)  # employee ids with no data for any weighted KPI


# Loading the facts ---------------------------------------------------------------------------------------------


def _measure_sum(code):
    """Σ of a measure over agent days (kpis.selectors.results, the one place that knows where a measure lives)."""
    return Coalesce(
        sum_of_measure(AgentDay, code), Value(0), output_field=DecimalField(max_digits=20, decimal_places=4)
    )


def _applicable_weight_sets(month):
    """{site id: WeightSet with its weights and their KPIs}: each site's latest set from this month or before."""
    latest = {}
    for weight_set in WeightSet.objects.filter(month__lte=month).order_by("site_id", "-month"):
        latest.setdefault(weight_set.site_id, weight_set)
    weights = defaultdict(list)
    rows = Weight.objects.filter(weight_set__in=[s.pk for s in latest.values()]).select_related(
        "kpi__numerator", "kpi__denominator"
    )
    for weight in rows.order_by("kpi__order", "kpi__code"):
        weights[weight.weight_set_id].append(weight)
    for weight_set in latest.values():
        weight_set.loaded_weights = weights[weight_set.pk]
    return latest


def _monthly_sums(month, codes):
    """One aggregate query: per (employee, site, team) of her rows in ``month``, the sums of ``codes``, her
    staffed seconds and last day there, and her position's pay grade. Sums add up across the groups, so her
    month's ratio of sums is exact whichever sites and teams her rows name."""
    annotations = {f"m_{code}": _measure_sum(code) for code in codes}
    return (
        AgentDay.objects.filter(on__gte=month, on__lt=next_month(month))
        .values("employee_id", "site_id", "team_id", pay_grade=F("employee__position__pay_grade"))
        .annotate(staffed=Sum("staffed_seconds"), last_on=Max("on"), **annotations)
        .order_by()
    )


@dataclass
class _Agent:
    sums: dict = field(default_factory=lambda: defaultdict(Decimal))
    staffed_by_site: dict = field(default_factory=lambda: defaultdict(int))
    last_team_by_site: dict = field(default_factory=dict)  # site id → (last day, team id)
    pay_grade: str = ""

    def add(self, row, codes):
        for code in codes:
            self.sums[code] += row[f"m_{code}"]
        site = row["site_id"]
        self.staffed_by_site[site] += row["staffed"] or 0
        last = (row["last_on"], row["team_id"])
        if last > self.last_team_by_site.get(site, last):
            self.last_team_by_site[site] = last
        self.last_team_by_site.setdefault(site, last)
        self.pay_grade = row["pay_grade"] or ""

    def region(self):
        """Her region for the month: the site her rows name; when they name two (a move mid-month), the site she
        was staffed longest at (ties: the lower site id, so a rerun picks the same), and her last team there."""
        site = min(self.staffed_by_site, key=lambda s: (-self.staffed_by_site[s], s))
        return site, self.last_team_by_site[site][1]


def _components_json(components):
    return [
        {
            "kpi": c.kpi,
            "value": None if c.value is None else float(round(c.value, 6)),
            "normalised": None if c.normalised is None else float(round(c.normalised, 2)),
            "weight": c.weight,
            "effective_weight": float(c.effective_weight or 0),
        }
        for c in components
    ]


def _scorecard_values(agent, weight_set, bands, coefficients):
    components = []
    for weight in weight_set.loaded_weights:
        value = value_of(weight.kpi, agent.sums)
        normalised = scoring.normalise(value, weight.worst, weight.best)
        components.append(scoring.Component(weight.kpi.code, value, weight.weight, normalised))
    score, components = scoring.composite(components)
    if score is None:
        return None
    band = scoring.band_for_score(score, bands)
    return {
        "weight_set_id": weight_set.pk,
        "components": _components_json(components),
        "composite": score,
        "band": band,
        "pay_grade": agent.pay_grade,
        "pay_coefficient": scoring.pay_coefficient(band, agent.pay_grade, coefficients),
    }


def _same(card, values):
    return all(getattr(card, name) == value for name, value in values.items())


def _compute(month_row):
    """Compute every scorecard of the (locked, open) month and write only what changed."""
    month = month_row.month
    result = ComputeResult(month)
    weight_sets = _applicable_weight_sets(month)
    codes = sorted(
        {w.kpi.numerator.code for s in weight_sets.values() for w in s.loaded_weights}
        | {w.kpi.denominator.code for s in weight_sets.values() for w in s.loaded_weights}
    )
    agents = defaultdict(_Agent)
    for row in _monthly_sums(month, codes):
        agents[row["employee_id"]].add(row, codes)
    bands = list(ScoreBand.objects.values_list("band", "min_score"))
    coefficients = {
        (band, grade): c for band, grade, c in PayCoefficient.objects.values_list("band", "pay_grade", "coefficient")
    }
    existing = {card.employee_id: card for card in Scorecard.objects.filter(month=month)}
    now = timezone.now()
    changed, used = [], set()
    for employee_id, agent in agents.items():
        site_id, team_id = agent.region()
        weight_set = weight_sets.get(site_id)
        if weight_set is None:
            result.without_weights.append(employee_id)
            continue
        values = _scorecard_values(agent, weight_set, bands, coefficients)
        if values is None:
            result.without_data.append(employee_id)
            continue
        values.update(site_id=site_id, team_id=team_id)
        used.add(weight_set.pk)
        card = existing.pop(employee_id, None)
        if card is not None and _same(card, values):
            result.unchanged += 1
            continue
        if card is None:
            result.created += 1
        else:
            result.updated += 1
        changed.append(Scorecard(employee_id=employee_id, month=month, computed_at=now, **values))
    # One upsert (INSERT … ON CONFLICT (employee, month) DO UPDATE) for new and changed scorecards alike: rows keep
    # their ids, and it stays fast for a month where everyone changed (bulk_update's CASE expressions do not).
    Scorecard.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["employee", "month"],
        update_fields=[*SCORECARD_FIELDS, "computed_at"],
    )
    # A scorecard whose agent no longer qualifies (her site lost its weights, her KPIs their data) goes.
    stale = [card.pk for card in existing.values()]
    for start in range(0, len(stale), BATCH):
        Scorecard.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    # Once a scorecard used a set, the set is history: admin and services refuse to edit it.
    WeightSet.objects.filter(pk__in=used, is_used=False).update(is_used=True)
    result.removed = len(stale)
    return result


def _locked_month(month):
    month = first_day(month)
    Month.objects.get_or_create(month=month)
    return Month.objects.select_for_update().get(month=month)


# Services ------------------------------------------------------------------------------------------------------


@transaction.atomic
def compute_month(*, month, actor=None):
    """Compute (or recompute) every agent's scorecard of ``month`` while it is open; a closed month is frozen and
    left as it is. Idempotent: a rerun over the same rows changes nothing (not even ``computed_at``)."""
    month_row = _locked_month(month)
    if month_row.status == MonthStatus.CLOSED:
        return ComputeResult(month_row.month, is_frozen=True)
    return _compute(month_row)


def compute_open_months(*, today=None):
    """The nightly run: this month and the previous one while it is still open (HR closes a month some days
    after it ends, when the platform's corrections are in)."""
    today = today or timezone.localdate()
    this_month = first_day(today)
    previous = first_day(this_month - datetime.timedelta(days=1))
    return [compute_month(month=previous), compute_month(month=this_month)]


def _move(month_row, to_status, *, actor, reason=""):
    decision = scoring.month_move(month_row.status, to_status, reason)
    if not decision:
        raise ValidationError(list(decision.reasons))
    from_status = month_row.status
    month_row.status = to_status
    month_row.changed_at = timezone.now()
    month_row.save(update_fields=["status", "changed_at"])
    MonthEvent.objects.create(
        month=month_row, from_status=from_status, to_status=to_status, actor=actor, reason=(reason or "").strip()
    )
    return month_row


@transaction.atomic
def close_month(*, month, actor):
    """Close a month for payroll: its scorecards are computed one last time, then frozen. Closing a closed month
    changes nothing."""
    month_row = _locked_month(month)
    if month_row.status == MonthStatus.CLOSED:
        return month_row
    _compute(month_row)
    return _move(month_row, MonthStatus.CLOSED, actor=actor)


@transaction.atomic
def reopen_month(*, month, actor, reason):
    """Reopen a closed month, saying why (audited); its scorecards are recomputed at once, so late revisions
    that came in while it was closed now count. Reopening an open month changes nothing."""
    month_row = _locked_month(month)
    if month_row.status == MonthStatus.OPEN:
        return month_row
    _move(month_row, MonthStatus.OPEN, actor=actor, reason=reason)
    _compute(month_row)
    return month_row


@transaction.atomic
def mark_late_revisions_reviewed(*, actor, month=None, ids=None):
    """HR has looked at these late revisions (of ``month``, or the given ids). Already reviewed ones keep who
    reviewed them first. Returns how many were marked."""
    rows = LateRevision.objects.filter(is_reviewed=False)
    if month is not None:
        rows = rows.filter(month__month=first_day(month))
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(is_reviewed=True, reviewed_by=actor)


# Weight sets ---------------------------------------------------------------------------------------------------


def weight_lines(rows):
    """``scoring.WeightLine`` for (Kpi, weight, worst, best) rows, for validation."""
    return [
        scoring.WeightLine(kpi.code, weight, worst, best, kind=kpi.kind, source=kpi.numerator.source, name=str(kpi))
        for kpi, weight, worst, best in rows
    ]


def check_editable(weight_set):
    if weight_set is not None and weight_set.pk and weight_set.is_used:
        raise ValidationError(
            _("Scorecards already use this weight set, so it cannot change: add a new set from a later month.")
        )


@transaction.atomic
def save_weight_set(*, site, month, weights, actor, note="", weight_set=None):
    """Create a site's weight set from ``month`` on, or replace the weights of one no scorecard used yet.
    ``weights``: (Kpi, weight, worst, best) rows, validated by ``scoring.validate_weights``."""
    if weight_set is not None:
        weight_set = WeightSet.objects.select_for_update().get(pk=weight_set.pk)
        check_editable(weight_set)
    weights = list(weights)
    kpi_ids = [kpi.pk for kpi, *_ in weights]
    kpis = Kpi.objects.select_related("numerator").in_bulk(kpi_ids)
    decision = scoring.validate_weights(weight_lines([(kpis[k.pk], *rest) for k, *rest in weights]))
    if not decision:
        raise ValidationError(list(decision.reasons))
    if weight_set is None:
        weight_set = WeightSet.objects.create(site=site, month=first_day(month), note=note)
    else:
        weight_set.site, weight_set.month, weight_set.note = site, first_day(month), note
        weight_set.save(update_fields=["site", "month", "note"])
        weight_set.weights.all().delete()
    Weight.objects.bulk_create(
        Weight(weight_set=weight_set, kpi=kpi, weight=weight, worst=worst, best=best)
        for kpi, weight, worst, best in weights
    )
    return weight_set


__all__ = [
    "ComputeResult",
    "check_editable",
    "close_month",
    "compute_month",
    "compute_open_months",
    "mark_late_revisions_reviewed",
    "reopen_month",
    "save_weight_set",
]
