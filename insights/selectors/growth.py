"""KASH growth per onboarding cycle (issue 16 §1): for each cycle a trainee completed, the change of her KASH level
on that cycle's focus indicators from the day the cycle began to the day she left it for the next cycle (or
completed) — levels as her KASH profile computes them (training.kash.current_levels: the latest score of each
source, weighted). A cohort's growth in a cycle is the mean of its trainees' changes, each trainee's change being
the mean over the focus indicators she has a level for on both days. Four queries whatever the cohort size."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from training import cycles, kash
from training.models import CycleTemplate, EnrollmentEvent
from training.selectors.kash import counting_scores, source_weights

NEXT = dict(zip(cycles.CYCLE_STATES, (*cycles.CYCLE_STATES[1:], cycles.COMPLETED), strict=True))  # what ends a cycle


def cycle_windows(person_ids):
    """{person: [(program id, cycle number, first day, last day)]} of the cycles each completed, from the moves."""
    events = (
        EnrollmentEvent.objects.filter(
            enrollment__trainee__in=person_ids, to_state__in=(*cycles.CYCLE_STATES, cycles.COMPLETED)
        )
        .order_by("at", "pk")
        .values_list("enrollment__trainee_id", "enrollment__batch__program_id", "to_state", "at")
    )
    entered = defaultdict(dict)  # (person, program) → {state: first day}
    for person, program, state, at in events:
        entered[(person, program)].setdefault(state, at.date())
    windows = defaultdict(list)
    for (person, program), days in entered.items():
        for number, state in enumerate(cycles.CYCLE_STATES, 1):
            start, end = days.get(state), days.get(NEXT[state])
            if start is not None and end is not None and end >= start:
                windows[person].append((program, number, start, end))
    return windows


def growth_by_person(person_ids):
    """{person: {cycle number: mean change on the cycle's focus indicators}} (Decimal, 2 places)."""
    windows = cycle_windows(person_ids)
    if not windows:
        return {}
    programs = {program for rows in windows.values() for program, *_ in rows}
    focus = defaultdict(set)
    for program, number, indicator in CycleTemplate.focus_indicators.through.objects.filter(
        cycletemplate__program__in=programs
    ).values_list("cycletemplate__program_id", "cycletemplate__number", "indicator_id"):
        focus[(program, number)].add(indicator)
    indicators = set().union(*focus.values()) if focus else set()
    last = max(end for rows in windows.values() for *_rest, end in rows)
    facts = defaultdict(list)
    for person, indicator, source, on, level, assessment in (
        counting_scores()
        .filter(assessment__subject__in=list(windows), indicator__in=indicators, assessment__assessed_on__lte=last)
        .values_list(
            "assessment__subject_id",
            "indicator_id",
            "assessment__source",
            "assessment__assessed_on",
            "level",
            "assessment_id",
        )
    ):
        facts[person].append(kash.ScoreFact(indicator, source, on, level, assessment))
    weights = source_weights()
    result = defaultdict(dict)
    for person, rows in windows.items():
        for program, number, start, end in rows:
            wanted = focus.get((program, number), set())
            mine = [fact for fact in facts[person] if fact.indicator_id in wanted]
            before = kash.current_levels(mine, weights, as_of=start)
            after = kash.current_levels(mine, weights, as_of=end)
            changes = [
                Decimal(str(after[i])) - Decimal(str(before[i]))
                for i in wanted
                if before.get(i) is not None and after.get(i) is not None
            ]
            if changes:
                result[person][number] = (sum(changes) / len(changes)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return result
