"""Reads for KASH pages, API and benchmarks: a fixed number of queries whatever the team or history size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from staff import permissions as people
from staff import selectors as staff_selectors

from .. import kash
from ..models import Assessment, AssessmentStatus, Dimension, Indicator, PositionTarget, Score, Source, SourceWeight
from ..permissions import can_view_private_notes

TREND_MONTHS = 12
LOOKBACK_DAYS = 91  # "three months ago" on the radar


def framework(*, with_levels=False):
    """Active indicators in display order; with their rubric levels on request (a second query)."""
    indicators = Indicator.objects.filter(is_active=True).order_by("order", "code")
    if with_levels:
        indicators = indicators.prefetch_related("levels")
    return list(indicators)


def indicator_infos(indicators):
    return [kash.IndicatorInfo(id=i.pk, dimension=i.dimension, weight=float(i.weight)) for i in indicators]


def source_weights():
    return {source: float(weight) for source, weight in SourceWeight.objects.values_list("source", "weight")}


def _counting_scores():
    """Scores that count: from submitted assessments that no correction has replaced."""
    return Score.objects.filter(assessment__status=AssessmentStatus.SUBMITTED, assessment__superseded_by__isnull=True)


def _facts(rows):
    return [
        kash.ScoreFact(indicator_id=i, source=s, assessed_on=d, level=lv, assessment_id=a) for i, s, d, lv, a in rows
    ]


def facts_for(subject_id):
    """Every counting score of one person: (ScoreFacts, {assessment id: {indicator id: Evidence}}), one query."""
    rows = (
        _counting_scores()
        .filter(assessment__subject_id=subject_id)
        .values_list(
            "indicator_id", "assessment__source", "assessment__assessed_on", "level", "assessment_id", "evidence"
        )
    )
    facts, evidence = [], defaultdict(dict)
    for indicator_id, source, assessed_on, level, assessment_id, text in rows:
        facts.append(kash.ScoreFact(indicator_id, source, assessed_on, level, assessment_id))
        evidence[assessment_id][indicator_id] = Evidence(Source(source).label, assessed_on, level, text)
    return facts, evidence


@dataclass(frozen=True)
class Evidence:
    source: str
    assessed_on: datetime.date
    level: int
    text: str


def latest_facts_by_subject(subject_ids):
    """The latest counting score per (person, indicator, source), enough for current levels (one query)."""
    rows = (
        _counting_scores()
        .filter(assessment__subject_id__in=subject_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("assessment__subject_id"), F("indicator_id"), F("assessment__source")],
                order_by=[F("assessment__assessed_on").desc(), F("assessment_id").desc()],
            )
        )
        .filter(rank=1)
        .values_list(
            "assessment__subject_id",
            "indicator_id",
            "assessment__source",
            "assessment__assessed_on",
            "level",
            "assessment_id",
        )
    )
    by_subject = defaultdict(list)
    for subject_id, *fact in rows:
        by_subject[subject_id].extend(_facts([fact]))
    return by_subject


def targets_by_employee(employees):
    """{employee id: {indicator id: required level}}; a stage-specific target overrides the general one."""
    position_ids = {e.position_id for e in employees if e.position_id}
    general, by_stage = defaultdict(dict), defaultdict(dict)
    for position_id, indicator_id, stage, level in PositionTarget.objects.filter(
        position_id__in=position_ids
    ).values_list("position_id", "indicator_id", "stage", "level"):
        if stage:
            by_stage[(position_id, stage)][indicator_id] = level
        else:
            general[position_id][indicator_id] = level
    return {e.pk: {**general.get(e.position_id, {}), **by_stage.get((e.position_id, e.stage), {})} for e in employees}


@dataclass
class IndicatorRow:
    indicator: Indicator
    current: float | None
    target: int | None
    previous: float | None
    gap: float | None
    evidence: list


@dataclass
class Profile:
    employee: object
    rows: list  # IndicatorRow, in framework order
    dimensions: dict  # {dimension: (label, current score, score three months ago)}
    trend: list  # [(month end, {dimension: score})]
    gaps: list  # IndicatorRow with a positive gap, biggest first
    assessments: list
    show_private_notes: bool


def kash_profile(user, employee, *, today=None):
    """A person's KASH profile for ``user`` (the caller has already checked that user may see employee)."""
    today = today or timezone.localdate()
    indicators = framework()
    infos = indicator_infos(indicators)
    weights = source_weights()
    facts, evidence_by_assessment = facts_for(employee.pk)
    targets = targets_by_employee([employee])[employee.pk]
    now = kash.current_levels(facts, weights)
    before = kash.current_levels(facts, weights, as_of=today - datetime.timedelta(days=LOOKBACK_DAYS))
    gaps = kash.gaps(now, targets)
    # The evidence behind each current level: the latest score of every source that counts.
    evidence = defaultdict(list)
    for fact in sorted(_latest_per_source(facts), key=lambda f: f.assessed_on, reverse=True):
        evidence[fact.indicator_id].append(evidence_by_assessment[fact.assessment_id][fact.indicator_id])
    rows = [
        IndicatorRow(i, now.get(i.pk), targets.get(i.pk), before.get(i.pk), gaps.get(i.pk), evidence[i.pk])
        for i in indicators
    ]
    scores_now = kash.dimension_scores(now, infos)
    scores_before = kash.dimension_scores(before, infos)
    show_private = can_view_private_notes(user, employee)
    return Profile(
        employee=employee,
        rows=rows,
        dimensions={d: (label, scores_now[d], scores_before[d]) for d, label in Dimension.choices},
        trend=kash.monthly_trend(facts, weights, infos, months=kash.month_ends(today, TREND_MONTHS)),
        gaps=sorted((r for r in rows if r.gap and r.gap > 0), key=lambda r: (-r.gap, r.indicator.order)),
        assessments=assessment_trail(user, employee),
        show_private_notes=show_private,
    )


def _latest_per_source(facts):
    latest = {}
    for fact in facts:
        key = (fact.indicator_id, fact.source)
        if key not in latest or (fact.assessed_on, fact.assessment_id) > (
            latest[key].assessed_on,
            latest[key].assessment_id,
        ):
            latest[key] = fact
    return latest.values()


def assessment_trail(user, employee, *, limit=20):
    """Recent assessments of a person, corrections and the ones they replaced included; drafts only the assessor's."""
    return list(
        visible_assessments(user)
        .filter(subject=employee)
        .select_related("assessor__employee", "supersedes", "superseded_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("indicator")))
        .order_by("-assessed_on", "-pk")[:limit]
    )


def visible_assessments(user):
    """Submitted assessments of the people ``user`` may see, plus ``user``'s own drafts."""
    return Assessment.objects.filter(subject__in=people.visible_employees(user)).filter(
        Q(status=AssessmentStatus.SUBMITTED) | Q(assessor_id=user.pk)
    )


@dataclass
class HeatmapRow:
    employee: object
    cells: list  # HeatmapCell, in framework order
    total_gap: float


@dataclass(frozen=True)
class HeatmapCell:
    """One member × indicator, with its colour class, text and tooltip worked out once."""

    gap: float | None
    css: str
    text: str
    title: str


def _cell(name, current, target, gap):
    if gap is None:
        css, text = "heat-na", "?"
    else:
        css = "heat-3" if gap >= 2 else "heat-2" if gap >= 1 else "heat-1" if gap > 0 else "heat-0"
        text = f"−{gap}" if gap > 0 else str(current)
    shown = "—" if current is None else current
    return HeatmapCell(gap, css, text, f"{name}: {shown} / {'—' if target is None else target}")


def team_heatmap(user, *, team_ids, stage=None, sort=None):
    """Members × indicators with gaps, and for each indicator who needs it most."""
    members, _summary = staff_selectors.team_board(user, team_ids=team_ids, stage=stage, with_summary=False)
    members = list(members)
    indicators = framework()
    weights = source_weights()
    facts = latest_facts_by_subject([m.pk for m in members])
    targets = targets_by_employee(members)
    names = [str(i.name) for i in indicators]
    rows = []
    for member in members:
        levels = kash.current_levels(facts.get(member.pk, []), weights)
        wanted = targets[member.pk]
        member_gaps = kash.gaps(levels, wanted)
        cells = [
            _cell(name, levels.get(i.pk), wanted.get(i.pk), member_gaps.get(i.pk))
            for name, i in zip(names, indicators, strict=True)
        ]
        rows.append(HeatmapRow(member, cells, round(sum(c.gap for c in cells if c.gap and c.gap > 0), 2)))
    if sort == "gap":
        rows.sort(key=lambda r: -r.total_gap)
    elif sort and sort.isdigit():
        column = next((n for n, i in enumerate(indicators) if i.pk == int(sort)), None)
        if column is not None:
            rows.sort(key=lambda r: -(r.cells[column].gap if r.cells[column].gap is not None else -99))
    needs = []
    for n, indicator in enumerate(indicators):
        people = sorted(
            ((r.employee, r.cells[n].gap) for r in rows if r.cells[n].gap and r.cells[n].gap > 0), key=lambda p: -p[1]
        )
        if people:
            needs.append((indicator, people))
    needs.sort(key=lambda item: -len(item[1]))
    return indicators, rows, needs


def profile_summaries(employees):
    """Current levels, targets, gaps and dimension scores for a page of people (five queries)."""
    indicators = framework()
    infos = indicator_infos(indicators)
    weights = source_weights()
    facts = latest_facts_by_subject([e.pk for e in employees])
    targets = targets_by_employee(employees)
    summaries = []
    for employee in employees:
        levels = kash.current_levels(facts.get(employee.pk, []), weights)
        gaps = kash.gaps(levels, targets[employee.pk])
        summaries.append(
            {
                "employee": employee.pk,
                "employee_number": employee.employee_number,
                "name": employee.name,
                "dimensions": kash.dimension_scores(levels, infos),
                "indicators": [
                    {
                        "indicator": i.code,
                        "dimension": i.dimension,
                        "current": levels.get(i.pk),
                        "target": targets[employee.pk].get(i.pk),
                        "gap": gaps.get(i.pk),
                    }
                    for i in indicators
                ],
            }
        )
    return summaries
