"""The cohort rules (issue 16 §1), pure: no database.

- A cohort is one employment: an employee row with its hire date. Staff keeps a rehire as a new employee row (a new
  number, a new hire date), so each employment counts in its own hire cohort and a rehire never rescues the
  retention of the first one.
- A person counts in the team she joined (her first team in the employee history) and in that team's site, so a
  mover stays in her cohort; a supervisor reads the cohorts of the people of her teams (insights.permissions).
- Retention at N days: of those hired at least N days ago (the denominator; a cohort too young for N has no data),
  those still employed N days after their hire date. A leaver whose last working day is before hire + N is lost; a
  leaver with no last day recorded is lost at every horizon.
- Gate pass rate per cycle at the first attempt: first-attempt gate checks of the cycle that passed, over all
  first-attempt gate checks of the cycle.
- Extension rate: enrollments extended at least once (a failed gate) over enrollments; withdrawal rate: enrollments
  withdrawn over enrollments.
- Time to proficiency: the days from the hire date to the last day of the first month whose scorecard is in the
  tenured band (Meets or better) and at whose end her KASH levels meet her position's targets (the nightly
  aggregate insights.Proficiency; the band alone where the position has no KASH target). ``proficient`` counts
  those who got there over those with at least one scorecard; the days shown are the median of those who got
  there (the lower middle one when their number is even, so the figure is a real person's).
- KASH growth per cycle: the mean, over the cohort's trainees who completed the cycle, of each one's change of
  level on the cycle's focus indicators from the cycle's first day to its last (insights.selectors.growth)."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .figures import rate

RETENTION_DAYS = (30, 60, 90, 180)
CYCLES = (1, 2, 3, 4)


def is_retained(*, hire_date, left_on, is_left, days, today):
    """None when the person was hired fewer than ``days`` days ago (not yet counted); else whether she was still
    employed ``days`` days after her hire date."""
    horizon = hire_date + datetime.timedelta(days=days)
    if horizon > today:
        return None
    if not is_left:
        return True
    return left_on is not None and left_on >= horizon


@dataclass
class Cohort:
    key: object
    label: str
    people: int = 0
    retention: dict = field(default_factory=dict)  # days → Rate
    gates: dict = field(default_factory=dict)  # cycle → Rate
    extension: object = None
    withdrawal: object = None
    proficient: object = None  # Rate: reached the tenured band over people with a scorecard
    days_to_proficiency: int | None = None  # the median of those who reached it
    growth: dict = field(default_factory=dict)  # cycle → (mean change or None, trainees)

    @property
    def is_empty(self):
        return self.people == 0


def proficiency_days(hire_date, first_good_month_end):
    """Days from the hire date to the end of the first month in the tenured band (None: not reached)."""
    if first_good_month_end is None:
        return None
    return max((first_good_month_end - hire_date).days, 0)


def mean_change(changes):
    if not changes:
        return None
    return (sum(changes) / len(changes)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cohorts(people, gate_checks, enrollments, *, today, labels, scorecards=(), growth=()):
    """Cohort figures from plain rows.

    ``people``: (key, person id, hire date, left on, is left); ``gate_checks``: (person id, cycle, passed) of
    first attempts; ``enrollments``: (person id, was extended, is withdrawn); ``labels``: key → label, in the
    order to show (a key with nobody in it is an empty cohort); ``scorecards``: (person id, the last day of her first
    month in the tenured band or None) of everyone with at least one scorecard."""
    group_of = {}
    counts = defaultdict(int)
    kept = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for key, person, hire_date, left_on, is_left in people:
        group_of[person] = key
        counts[key] += 1
        for days in RETENTION_DAYS:
            retained = is_retained(hire_date=hire_date, left_on=left_on, is_left=is_left, days=days, today=today)
            if retained is not None:
                kept[key][days][1] += 1
                kept[key][days][0] += int(retained)
    gates = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for person, cycle, passed in gate_checks:
        if person in group_of:
            gates[group_of[person]][cycle][1] += 1
            gates[group_of[person]][cycle][0] += int(passed)
    moves = defaultdict(lambda: [0, 0, 0])  # extended, withdrawn, enrollments
    for person, extended, withdrawn in enrollments:
        if person in group_of:
            row = moves[group_of[person]]
            row[0], row[1], row[2] = row[0] + int(extended), row[1] + int(withdrawn), row[2] + 1
    hire_of = {person: hire_date for _key, person, hire_date, _left_on, _is_left in people}
    scored = defaultdict(int)
    reached = defaultdict(list)
    for person, first_good in scorecards:
        if person in group_of:
            scored[group_of[person]] += 1
            days = proficiency_days(hire_of[person], first_good)
            if days is not None:
                reached[group_of[person]].append(days)
    changes = defaultdict(lambda: defaultdict(list))
    for person, cycle, change in growth:
        if person in group_of:
            changes[group_of[person]][cycle].append(change)
    result = []
    for key, label in labels.items():
        extended, withdrawn, enrolled = moves[key]
        result.append(
            Cohort(
                key=key,
                label=label,
                people=counts[key],
                retention={days: rate(*kept[key][days]) for days in RETENTION_DAYS},
                gates={cycle: rate(*gates[key][cycle]) for cycle in CYCLES},
                extension=rate(extended, enrolled),
                withdrawal=rate(withdrawn, enrolled),
                proficient=rate(len(reached[key]), scored[key]),
                days_to_proficiency=statistics.median_low(reached[key]) if reached[key] else None,
                growth={c: (mean_change(changes[key][c]), len(changes[key][c])) for c in CYCLES},
            )
        )
    return result
