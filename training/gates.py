"""Gate progress from facts (DOMAIN §3), the one place that loads them: the required activities of
the current cycle (total, done), the best pass-the-gate check of the current cycle, and the KASH
focus levels. The move service, the daily sweep, the trainee's page, the detail page and the batch
board all read gates through here and judge them with training.cycles.gate_result, so they agree.

Set-based: a fixed number of queries for any number of enrollments."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Q

from . import cycles, kash
from .models import Activity, CycleTemplate, GateCheck
from .selectors import kash as kash_selectors


@dataclass(frozen=True)
class Subject:
    """The little of an enrollment its gate depends on."""

    enrollment_id: int
    trainee_id: int
    program_id: int
    cycle: int  # 0 in pre-job: no gate


def subject_of(enrollment):
    return Subject(enrollment.pk, enrollment.trainee_id, enrollment.batch.program_id, enrollment.cycle)


@dataclass(frozen=True)
class Gate:
    """The gate of one enrollment's current cycle: the facts, the verdict, and the focus indicators
    with their current levels (for pages)."""

    template: CycleTemplate
    progress: cycles.GateProgress
    result: cycles.GateResult
    focus: list  # [(Indicator, level or None)], the cycle's focus indicators

    @property
    def passed(self):
        return self.result.passed


def templates_for(program_ids):
    """{(program id, cycle number): CycleTemplate} with the focus indicators (two queries)."""
    return {
        (c.program_id, c.number): c
        for c in CycleTemplate.objects.filter(program_id__in=set(program_ids)).prefetch_related("focus_indicators")
    }


def load(subjects, *, templates=None, weights=None, for_pages=False):
    """{enrollment id: Gate} for the subjects in a cycle (cycle ≥ 1). Focus levels are computed only
    where the gate asks for a level, checks read only where it wants one, unless ``for_pages`` (pages
    show every focus level and a failed check anyway). ``templates`` and ``weights`` (source weights)
    may be given by a caller that loads many chunks (the sweep)."""
    subjects = [s for s in subjects if s.cycle]
    if not subjects:
        return {}
    if templates is None:
        templates = templates_for(s.program_id for s in subjects)
    by_id = {s.enrollment_id: s for s in subjects}
    required = _required_activities(by_id)
    checked = {  # the sweep reads checks only where the gate wants one; pages show any (a failed one too)
        s.enrollment_id
        for s in subjects
        if for_pages or getattr(templates.get((s.program_id, s.cycle)), "check_required", False)
    }
    best = _best_checks(checked) if checked else {}
    rules = {}  # per template, worked out once: (focus indicators with their names, focus min level)
    for template in {templates.get((s.program_id, s.cycle)) for s in subjects} - {None}:
        minimum = float(template.focus_min_level) if template.focus_min_level is not None else None
        wanted = for_pages or minimum is not None
        focus = [(i, str(i.name)) for i in template.focus_indicators.all()] if wanted else []
        rules[template.pk] = (focus, minimum)
    needs_levels = set()
    for s in subjects:
        template = templates.get((s.program_id, s.cycle))
        if template is not None and rules[template.pk][0]:
            needs_levels.add(s.trainee_id)
    levels = _levels(needs_levels, weights)
    gates = {}
    for s in subjects:
        template = templates.get((s.program_id, s.cycle))
        if template is None:
            continue
        focus, minimum = rules[template.pk]
        mine = levels.get(s.trainee_id, {})
        focus = [(i, mine.get(i.pk), name) for i, name in focus]
        total, done = required.get(s.enrollment_id, (0, 0))
        progress = cycles.GateProgress(
            required_total=total,
            required_done=done,
            check_required=template.check_required,
            check_score=best.get(s.enrollment_id),
            pass_mark=template.pass_mark,
            focus_levels={name: level for _i, level, name in focus} if minimum is not None else {},
            focus_min_level=minimum,
        )
        gates[s.enrollment_id] = Gate(template, progress, cycles.gate_result(progress), [f[:2] for f in focus])
    return gates


def _required_activities(by_id):
    """{enrollment id: (required total, required done)} of each one's current cycle (one query)."""
    rows = (
        Activity.objects.filter(enrollment_id__in=by_id, template__is_required=True, cycle=F("enrollment__cycle"))
        .values("enrollment_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        .values_list("enrollment_id", "total", "done")
        .order_by()
    )
    return {enrollment_id: (total, done) for enrollment_id, total, done in rows}


def _best_checks(by_id):
    """{enrollment id: best score} of the checks taken in each one's current cycle (one query)."""
    rows = (
        GateCheck.objects.filter(enrollment_id__in=by_id, cycle=F("enrollment__cycle"))
        .values("enrollment_id")
        .annotate(best=Max("score"))
        .values_list("enrollment_id", "best")
        .order_by()
    )
    return {enrollment_id: best for enrollment_id, best in rows if best is not None}


def _levels(trainee_ids, weights=None):
    """{trainee id: {indicator id: current level}} with the source weights (two queries; none if no one)."""
    if not trainee_ids:
        return {}
    if weights is None:
        weights = kash_selectors.source_weights()
    facts = kash_selectors.latest_facts_by_subject(list(trainee_ids))
    return {trainee_id: kash.current_levels(facts.get(trainee_id, []), weights) for trainee_id in trainee_ids}
