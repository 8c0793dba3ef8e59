"""The cycle-4 mood check-in's rules (DOMAIN §3, cycle 4: the low tide after the novelty), pure: no database.

Who is asked: a trainee whose enrollment is in cycle 4 (in it, or extended in it) — not in pre-job, not in an
earlier cycle, not on hold, not once she has completed or withdrawn.

When a trainee's mood is falling, from her answers oldest to newest (one per week she answered; a week she
skipped is simply not there):
- a streak: her last three answers fall strictly (4, 3, 2 falls; 4, 3, 3 does not); or
- a drop: her last answer is 2 or lower and at least 2 below her own average of all her earlier answers
  (4, 4, 2 drops: 2 is 2 below 4; 3, 3, 2 does not: 2 is only 1 below 3; 5, 1 drops after one earlier answer).
Her own average, not a team's: a trainee who always answers 3 is not flagged for it; one who falls from 5 is.
"""

import datetime
from dataclasses import dataclass

from . import cycles

ASKED_CYCLE = cycles.LAST_CYCLE
ASKED_STATES = cycles.ACTIVE
STREAK = 3  # the last three answers fall strictly
DROP_AT_MOST = 2  # the last answer is this low …
DROP_BELOW_AVERAGE = 2  # … and at least this far below her average of the earlier answers

STREAK_KIND = "streak"
DROP_KIND = "drop"


def is_asked(state, cycle):
    """Whether an enrollment in ``state`` at ``cycle`` gets the weekly check-in."""
    return cycle == ASKED_CYCLE and state in ASKED_STATES


def week_of(day):
    """The Monday of ``day``'s week: a check-in's week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Trend:
    is_falling: bool
    kind: str = ""  # STREAK_KIND or DROP_KIND when falling
    weeks: int = 0  # answers in the strictly falling run that ends with the last one (1: the last did not fall)
    last: int | None = None
    earlier_average: float | None = None  # of every answer before the last; None with fewer than two answers


def _falling_run(moods):
    run = 1
    while run < len(moods) and moods[-run - 1] > moods[-run]:
        run += 1
    return run


def trend(moods):
    """The Trend of ``moods`` (1–5, oldest first)."""
    moods = list(moods)
    if not moods:
        return Trend(False)
    last = moods[-1]
    earlier = moods[:-1]
    average = sum(earlier) / len(earlier) if earlier else None
    run = _falling_run(moods)
    if run >= STREAK:
        kind = STREAK_KIND
    elif average is not None and last <= DROP_AT_MOST and average - last >= DROP_BELOW_AVERAGE:
        kind = DROP_KIND
    else:
        kind = ""
    return Trend(bool(kind), kind, run, last, average)


def is_falling(moods):
    return trend(moods).is_falling
