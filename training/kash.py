"""KASH profile maths: pure functions, no database, no Django (DOMAIN.md §2, STYLE.md §2).

A person's KASH profile is built from indicator scores (1..5) given by several sources
(self, supervisor, mentor, peer, QA, exam, imported). For each indicator the latest score of
each source counts; the sources are combined with a weighted mean; indicators are combined
into the four dimensions Knowledge, Attitude, Skill and Habit with a second weighted mean.

Every function takes plain values and returns plain values, so callers (services, views,
tasks) load the facts once and the maths is tested fast and exhaustively.
"""

from __future__ import annotations

import datetime
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DIMENSIONS = ("K", "A", "S", "H")  # Knowledge, Attitude, Skill, Habit

MIN_LEVEL = 1
MAX_LEVEL = 5


@dataclass(frozen=True)
class ScoreFact:
    """One indicator score from one submitted, non-superseded assessment."""

    indicator_id: int
    source: str  # "self", "supervisor", "mentor", "peer", "qa", "exam", "imported"
    assessed_on: datetime.date
    level: int  # 1..5
    assessment_id: int  # tie-breaker: same source, same day -> the higher id (entered later) wins

    def __post_init__(self):
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise ValueError(
                f"Score level must be a whole number from {MIN_LEVEL} to {MAX_LEVEL}, "
                f"got {self.level!r} (indicator {self.indicator_id}, assessment {self.assessment_id})."
            )
        if not MIN_LEVEL <= self.level <= MAX_LEVEL:
            raise ValueError(
                f"Score level must be from {MIN_LEVEL} to {MAX_LEVEL}, "
                f"got {self.level} (indicator {self.indicator_id}, assessment {self.assessment_id})."
            )


@dataclass(frozen=True)
class IndicatorInfo:
    id: int
    dimension: str  # one of DIMENSIONS
    weight: float = 1.0  # weight of the indicator inside its dimension

    def __post_init__(self):
        if self.dimension not in DIMENSIONS:
            raise ValueError(
                f"Unknown KASH dimension {self.dimension!r} for indicator {self.id}; "
                f"expected one of {', '.join(DIMENSIONS)}."
            )
        _check_weight(self.weight, f"indicator {self.id}")


# --------------------------------------------------------------------------- validation


def _as_number(value, what: str, requirement: str) -> float:
    """A real number (int, float, Decimal, ...) as float; bools, strings, None, NaN refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Number) or isinstance(value, complex):
        raise ValueError(f"{what} must be {requirement}, got {value!r}.")
    number = float(value)
    if math.isnan(number):
        raise ValueError(f"{what} must be {requirement}, got {value!r}.")
    return number


def _check_weight(weight, what: str) -> float:
    number = _as_number(weight, f"Weight of {what}", "a number")
    if number < 0:
        raise ValueError(f"Weight of {what} must not be negative, got {weight!r}.")
    if math.isinf(number):
        raise ValueError(f"Weight of {what} must be finite, got {weight!r}.")
    return number


def _source_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Checked copy of the source weights as floats."""
    return {source: _check_weight(weight, f"source {source!r}") for source, weight in weights.items()}


def _check_level_value(value, what: str) -> float:
    """A computed or required level: any number from 1 to 5 (means need not be whole)."""
    requirement = f"a number from {MIN_LEVEL} to {MAX_LEVEL}"
    number = _as_number(value, what, requirement)
    if not MIN_LEVEL <= number <= MAX_LEVEL:
        raise ValueError(f"{what} must be {requirement}, got {value!r}.")
    return number


def _checked_levels(levels: Mapping[int, float | None]) -> dict[int, float | None]:
    return {
        indicator_id: None if level is None else _check_level_value(level, f"Level of indicator {indicator_id}")
        for indicator_id, level in levels.items()
    }


def _indicator_index(indicators) -> list[IndicatorInfo]:
    """Indicators (an iterable of IndicatorInfo, or a mapping whose values are) sorted by id, duplicates refused."""
    if isinstance(indicators, Mapping):
        indicators = indicators.values()
    by_id: dict[int, IndicatorInfo] = {}
    for info in indicators:
        if not isinstance(info, IndicatorInfo):
            raise ValueError(f"Expected IndicatorInfo, got {info!r}.")
        known = by_id.get(info.id)
        if known is not None and known != info:
            raise ValueError(f"Indicator {info.id} is given twice with different settings: {known!r} and {info!r}.")
        by_id[info.id] = info
    return [by_id[key] for key in sorted(by_id)]


# --------------------------------------------------------------------------- levels


def _recency(fact: ScoreFact) -> tuple:
    # Later day wins; same day -> higher assessment id (entered later) wins. The level only
    # breaks a tie between two scores of the same assessment, which is a data error upstream;
    # it keeps the result independent of the order the facts come in.
    return (fact.assessed_on, fact.assessment_id, fact.level)


def _keep_latest(by_source: dict[str, ScoreFact], fact: ScoreFact) -> bool:
    """Record `fact` if it is the most recent of its source so far; True when it replaced something."""
    known = by_source.get(fact.source)
    if known is None or _recency(fact) > _recency(known):
        by_source[fact.source] = fact
        return True
    return False


def _combine(latest_by_source: Mapping[str, ScoreFact], weights: Mapping[str, float]) -> float | None:
    """Weighted mean of the latest level per source, over the sources present; None if they all weigh 0."""
    total_weight = 0.0
    weighted_sum = 0.0
    for source in sorted(latest_by_source):  # fixed order: the same floats whichever way we got here
        weight = weights.get(source, 0.0)
        if weight > 0:
            total_weight += weight
            weighted_sum += weight * latest_by_source[source].level
    if total_weight == 0:
        return None
    return round(weighted_sum / total_weight, 2)


def _latest_per_source(facts: Iterable[ScoreFact], as_of: datetime.date | None) -> dict[int, dict[str, ScoreFact]]:
    latest: dict[int, dict[str, ScoreFact]] = {}
    for fact in facts:
        if as_of is not None and fact.assessed_on > as_of:
            continue
        _keep_latest(latest.setdefault(fact.indicator_id, {}), fact)
    return latest


def current_levels(
    facts: Iterable[ScoreFact],
    weights: Mapping[str, float],
    *,
    as_of: datetime.date | None = None,
) -> dict[int, float | None]:
    """Current level per indicator present in `facts` (up to `as_of` when given), rounded to 2 decimals.

    Per indicator: the latest score of each source (latest day, then highest assessment id), then the
    mean of those weighted by `weights[source]`; a source missing from `weights` weighs 0, absent
    sources are left out (the weights are renormalised over the present ones). None when every
    present source weighs 0.
    """
    weights = _source_weights(weights)
    latest = _latest_per_source(facts, as_of)
    return {indicator_id: _combine(by_source, weights) for indicator_id, by_source in latest.items()}


# --------------------------------------------------------------------------- dimensions


def _dimension_scores(levels: Mapping[int, float | None], indicators: list[IndicatorInfo]) -> dict[str, float | None]:
    totals = {dimension: [0.0, 0.0] for dimension in DIMENSIONS}  # [weighted sum, total weight]
    for info in indicators:
        level = levels.get(info.id)
        weight = float(info.weight)
        if level is None or weight == 0:
            continue
        total = totals[info.dimension]
        total[0] += weight * level
        total[1] += weight
    return {
        dimension: (round(weighted_sum / total_weight, 2) if total_weight > 0 else None)
        for dimension, (weighted_sum, total_weight) in totals.items()
    }


def dimension_scores(levels: Mapping[int, float | None], indicators) -> dict[str, float | None]:
    """Score per KASH dimension: the weighted mean of the levels of its assessed indicators.

    `indicators` is an iterable of IndicatorInfo (or a mapping whose values are). Indicators that are
    not assessed (no level, or level None) or weigh 0 are left out; a dimension with none left is None.
    Always returns all four dimensions, rounded to 2 decimals.
    """
    return _dimension_scores(_checked_levels(levels), _indicator_index(indicators))


# --------------------------------------------------------------------------- gaps and change


def gaps(levels: Mapping[int, float | None], targets: Mapping[int, float]) -> dict[int, float | None]:
    """Gap per indicator with a target: target - current (positive = below target); None if not assessed."""
    levels = _checked_levels(levels)
    targets = {
        indicator_id: _check_level_value(target, f"Target level of indicator {indicator_id}")
        for indicator_id, target in targets.items()
    }
    result: dict[int, float | None] = {}
    for indicator_id, target in targets.items():
        level = levels.get(indicator_id)
        result[indicator_id] = None if level is None else round(target - level, 2)
    return result


def sorted_gaps(gaps_by_indicator: Mapping[int, float | None]) -> list[tuple[int, float | None]]:
    """Biggest gap first, ties by indicator id; not assessed (None) last, by indicator id."""
    return sorted(
        gaps_by_indicator.items(),
        key=lambda item: (item[1] is None, -(item[1] or 0), item[0]),
    )


def change(
    facts: Iterable[ScoreFact],
    weights: Mapping[str, float],
    *,
    start: datetime.date,
    end: datetime.date,
) -> dict[int, float | None]:
    """Level as of `end` minus level as of `start`, per indicator assessed up to `end`.

    None when either side is None (for example not assessed yet by `start`). Rounded to 2 decimals.
    """
    if start > end:
        raise ValueError(f"Start of the period ({start}) is after its end ({end}).")
    facts = list(facts)
    before = current_levels(facts, weights, as_of=start)
    after = current_levels(facts, weights, as_of=end)
    result: dict[int, float | None] = {}
    for indicator_id, level in after.items():
        previous = before.get(indicator_id)
        result[indicator_id] = None if level is None or previous is None else round(level - previous, 2)
    return result


# --------------------------------------------------------------------------- trend


def monthly_trend(
    facts: Iterable[ScoreFact],
    weights: Mapping[str, float],
    indicators,
    *,
    months: list[datetime.date],
) -> list[tuple[datetime.date, dict[str, float | None]]]:
    """Dimension scores as of each date in `months` (ascending month ends).

    Same result as `dimension_scores(current_levels(facts, weights, as_of=d), indicators)` for each d,
    but the facts are sorted once and swept: O(F log F + M * I * S).
    """
    weights = _source_weights(weights)
    index = _indicator_index(indicators)
    months = list(months)
    for earlier, later in zip(months, months[1:], strict=False):
        if later < earlier:
            raise ValueError(f"Months must be in ascending order; {later} comes after {earlier}.")

    ordered = sorted(facts, key=lambda fact: fact.assessed_on)
    latest: dict[int, dict[str, ScoreFact]] = {}
    levels: dict[int, float | None] = {}
    position = 0
    trend = []
    for month_end in months:
        touched: set[int] = set()
        while position < len(ordered) and ordered[position].assessed_on <= month_end:
            fact = ordered[position]
            position += 1
            if _keep_latest(latest.setdefault(fact.indicator_id, {}), fact):
                touched.add(fact.indicator_id)
        for indicator_id in touched:
            levels[indicator_id] = _combine(latest[indicator_id], weights)
        trend.append((month_end, _dimension_scores(levels, index)))
    return trend


def month_ends(end: datetime.date, count: int) -> list[datetime.date]:
    """The last `count` month ends up to the month of `end`, ascending; the last one is `end` itself.

    month_ends(date(2025, 3, 14), 3) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 14)]
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"Number of months must be a whole number of at least 0, got {count!r}.")
    if count == 0:
        return []
    dates = [end]
    current = end
    while len(dates) < count:
        current = current.replace(day=1) - datetime.timedelta(days=1)  # last day of the previous month
        dates.append(current)
    dates.reverse()
    return dates
