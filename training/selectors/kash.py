"""Reads for KASH pages, API and benchmarks: a fixed number of queries whatever the team or history size."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people
from staff import selectors as staff_selectors

from .. import cycles, kash
from ..models import (
    Assessment,
    AssessmentStatus,
    Dimension,
    Enrollment,
    Indicator,
    PositionTarget,
    Score,
    Source,
    SourceWeight,
)
from ..permissions import can_view_private_notes

TREND_MONTHS = 12  # at most; a newer hire's trend starts at the hire date or the first assessment
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


def counting_scores():
    """Scores that count: from submitted assessments that no correction has replaced."""
    return Score.objects.filter(assessment__status=AssessmentStatus.SUBMITTED, assessment__superseded_by__isnull=True)


def _facts(rows):
    return [
        kash.ScoreFact(indicator_id=i, source=s, assessed_on=d, level=lv, assessment_id=a) for i, s, d, lv, a in rows
    ]


def _latest_first(*partition):
    return Window(
        RowNumber(),
        partition_by=[F(name) for name in partition],
        order_by=[F("assessment__assessed_on").desc(), F("assessment_id").desc()],
    )


def facts_for(subject_id, *, since):
    """The counting scores of one person from ``since`` on, and before it only the latest one per indicator
    and source (what the levels on ``since`` stand on): (ScoreFacts, {assessment id: {indicator id:
    Evidence}}), two queries whose size is bounded by the window, not by the whole history."""
    fields = ("indicator_id", "assessment__source", "assessment__assessed_on", "level", "assessment_id", "evidence")
    scores = counting_scores().filter(assessment__subject_id=subject_id)
    recent = scores.filter(assessment__assessed_on__gte=since).values_list(*fields)
    earlier = (
        scores.filter(assessment__assessed_on__lt=since)
        .annotate(rank=_latest_first("indicator_id", "assessment__source"))
        .filter(rank=1)
        .values_list(*fields)
    )
    facts, evidence = [], defaultdict(dict)
    for indicator_id, source, assessed_on, level, assessment_id, text in [*earlier, *recent]:
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
        counting_scores()
        .filter(assessment__subject_id__in=subject_ids)
        .annotate(rank=_latest_first("assessment__subject_id", "indicator_id", "assessment__source"))
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


def one_decimal(values):
    """Levels and scores as pages show them: averages to one decimal, so a gap is worked out from what is shown."""
    return {key: None if value is None else round(value, 1) for key, value in values.items()}


def _months_from(start, today):
    """Month ends from ``start``'s month to ``today`` (at least one, at most TREND_MONTHS)."""
    count = (today.year - start.year) * 12 + today.month - start.month + 1
    return kash.month_ends(today, min(max(count, 1), TREND_MONTHS))


def kash_profile(user, employee, *, today=None):
    """A person's KASH profile for ``user`` (the caller has already checked that user may see employee).

    Reads a bounded window of history: the trend's months (twelve at most, none before the hire date) and the
    lookback, plus the latest earlier score per indicator and source."""
    today = today or timezone.localdate()
    indicators = framework()
    infos = indicator_infos(indicators)
    weights = source_weights()
    start = kash.month_ends(today, TREND_MONTHS)[0].replace(day=1)
    if employee.hire_date and employee.hire_date > start:
        start = employee.hire_date
    lookback = today - datetime.timedelta(days=LOOKBACK_DAYS)
    facts, evidence_by_assessment = facts_for(employee.pk, since=min(start, lookback))
    first = min((fact.assessed_on for fact in facts), default=today)
    targets = targets_by_employee([employee])[employee.pk]
    raw_now = kash.current_levels(facts, weights)
    raw_before = kash.current_levels(facts, weights, as_of=lookback)
    now, before = one_decimal(raw_now), one_decimal(raw_before)
    gaps = kash.gaps(now, targets)
    # The evidence behind each current level: the latest score of every source that counts.
    evidence = defaultdict(list)
    for fact in sorted(_latest_per_source(facts), key=lambda f: f.assessed_on, reverse=True):
        evidence[fact.indicator_id].append(evidence_by_assessment[fact.assessment_id][fact.indicator_id])
    rows = [
        IndicatorRow(i, now.get(i.pk), targets.get(i.pk), before.get(i.pk), gaps.get(i.pk), evidence[i.pk])
        for i in indicators
    ]
    scores_now = one_decimal(kash.dimension_scores(raw_now, infos))
    scores_before = one_decimal(kash.dimension_scores(raw_before, infos))
    trend = kash.monthly_trend(facts, weights, infos, months=_months_from(max(start, first), today))
    return Profile(
        employee=employee,
        rows=rows,
        dimensions={d: (label, scores_now[d], scores_before[d]) for d, label in Dimension.choices},
        trend=[(month, one_decimal(scores)) for month, scores in trend],
        gaps=sorted((r for r in rows if r.gap and r.gap > 0), key=lambda r: (-r.gap, r.indicator.order)),
        assessments=assessment_trail(user, employee),
        show_private_notes=can_view_private_notes(user, employee),
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
    withdrawn: bool  # the person's onboarding ended in withdrawal


@dataclass(frozen=True)
class HeatmapCell:
    """One member × indicator: the gap to target (target − current level, as on the profile), its colour class
    and tooltip worked out once. None when not assessed or without a target."""

    gap: float | None
    css: str
    title: str

    @property
    def text(self):
        """The cell as shown: the gap to one decimal, or a dash (formatted here, not by 750 template filters)."""
        return "—" if self.gap is None else f"{self.gap:.1f}"


def _cell_texts():
    """The cells' tooltips, translated once per page rather than once per cell."""
    return {
        "not assessed": _("%(indicator)s: not assessed"),
        "no target": _("%(indicator)s: no target"),
        "gap": _("%(indicator)s: now %(current).1f → target %(target)d"),
    }


def _cell(texts, name, current, target, gap):
    if gap is None:
        title = texts["not assessed"] if current is None else texts["no target"]
        return HeatmapCell(None, "heat-na", title % {"indicator": name})
    css = "heat-3" if gap >= 2 else "heat-2" if gap >= 1 else "heat-1" if gap > 0 else "heat-0"
    return HeatmapCell(gap, css, texts["gap"] % {"indicator": name, "current": current, "target": target})


def short_labels(indicators):
    """{indicator id: "K1"}: the dimension letter and the indicator's place in its dimension, for narrow columns."""
    seen = Counter()
    labels = {}
    for indicator in indicators:
        seen[indicator.dimension] += 1
        labels[indicator.pk] = f"{indicator.dimension}{seen[indicator.dimension]}"
    return labels


def _not_withdrawn():
    """The opposite of _withdrawn as a filter: no withdrawn enrollment, or one that is not withdrawn."""
    withdrawn = Enrollment.objects.filter(state=cycles.WITHDRAWN).values("trainee")
    other = Enrollment.objects.exclude(state=cycles.WITHDRAWN).values("trainee")
    return ~Q(pk__in=withdrawn) | Q(pk__in=other)


def _withdrawn():
    """The person's enrollments all ended in withdrawal (DOMAIN §3): no longer someone to train."""
    enrollments = Enrollment.objects.filter(trainee=OuterRef("pk"))
    return ExpressionWrapper(
        Q(Exists(enrollments.filter(state=cycles.WITHDRAWN))) & ~Q(Exists(enrollments.exclude(state=cycles.WITHDRAWN))),
        output_field=BooleanField(),
    )


def team_heatmap(user, *, team_ids, stage=None, search="", sort=None, include_withdrawn=False, page=1):
    """One page of members × indicators with their gaps, and who on that page needs which indicator most:
    (indicators, page, needs). The page's items are HeatmapRows, computed only for the people on it and sorted
    within it by ``sort`` ("gap": total gap; an indicator id: its gap). Withdrawn trainees are left out unless
    asked for, and never listed as needing anything."""
    members, _summary = staff_selectors.team_board(
        user, team_ids=team_ids, stage=stage, search=search, with_summary=False
    )
    if include_withdrawn:
        members = members.annotate(is_withdrawn=_withdrawn())
    else:  # one hashed anti-join for the count and the page, not two EXISTS probes per person
        members = members.filter(_not_withdrawn()).annotate(is_withdrawn=Value(False))
    page = Paginator(members, staff_selectors.PAGE_SIZE).get_page(page)
    people = list(page.object_list)
    indicators = framework()
    weights = source_weights()
    facts = latest_facts_by_subject([m.pk for m in people])
    targets = targets_by_employee(people)
    names = [str(i.name) for i in indicators]
    texts = _cell_texts()
    rows = []
    for member in people:
        levels = one_decimal(kash.current_levels(facts.get(member.pk, []), weights))
        wanted = targets[member.pk]
        member_gaps = kash.gaps(levels, wanted)
        cells = [
            _cell(texts, name, levels.get(i.pk), wanted.get(i.pk), member_gaps.get(i.pk))
            for name, i in zip(names, indicators, strict=True)
        ]
        total = round(sum(c.gap for c in cells if c.gap and c.gap > 0), 1)
        rows.append(HeatmapRow(member, cells, total, member.is_withdrawn))
    _sort(rows, indicators, sort)
    page.object_list = rows
    return indicators, page, _needs(rows, indicators)


def _sort(rows, indicators, sort):
    if sort == "gap":
        rows.sort(key=lambda r: -r.total_gap)
    elif sort and sort.isdigit():
        column = next((n for n, i in enumerate(indicators) if i.pk == int(sort)), None)
        if column is not None:
            rows.sort(key=lambda r: -(r.cells[column].gap if r.cells[column].gap is not None else -99))


def _needs(rows, indicators):
    """[(indicator, [(employee, gap as shown)])]: who is below target, biggest gap first; withdrawn people left
    out."""
    needs = []
    for n, indicator in enumerate(indicators):
        below = sorted(
            ((r.employee, r.cells[n]) for r in rows if not r.withdrawn and r.cells[n].gap and r.cells[n].gap > 0),
            key=lambda p: -p[1].gap,
        )
        if below:
            needs.append((indicator, [(employee, cell.text) for employee, cell in below]))
    needs.sort(key=lambda item: -len(item[1]))
    return needs


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
