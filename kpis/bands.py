"""Performance bands of a KPI value against its target row, and their colours (issue 11 §4). Pure: no database.

A target row carries three limits: ``excellent_at``, ``target`` (meets from here) and ``far_below_at``. The
comparison follows the KPI's direction: for a higher-is-better KPI a value at least ``excellent_at`` is
excellent; for a lower-is-better one a value at most ``excellent_at`` is."""

from dataclasses import dataclass
from decimal import Decimal

from .models.measures import Direction
from .models.scorecards import Band

ORDER = (Band.EXCELLENT, Band.MEETS, Band.BELOW, Band.FAR_BELOW)  # best first


@dataclass(frozen=True)
class Colour:
    css: str  # a Bootstrap contextual class for a table cell or badge suffix (table-<css>, text-bg-<css>)
    hex: str  # for charts


COLOURS = {
    Band.EXCELLENT: Colour("success", "#198754"),
    Band.MEETS: Colour("primary", "#0d6efd"),
    Band.BELOW: Colour("warning", "#ffc107"),
    Band.FAR_BELOW: Colour("danger", "#dc3545"),
}


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _at_least_as_good(value, limit, direction):
    return value >= limit if direction == Direction.HIGHER else value <= limit


def band_for(value, target_row, direction):
    """The band of ``value`` against ``target_row`` (anything with ``excellent_at``, ``target``, ``far_below_at``)
    for a KPI of ``direction``; None when there is no value or no target."""
    if value is None or target_row is None:
        return None
    value = _decimal(value)
    limits = (target_row.excellent_at, target_row.target, target_row.far_below_at)
    for band, limit in zip(ORDER, limits, strict=False):
        if _at_least_as_good(value, _decimal(limit), direction):
            return band
    return Band.FAR_BELOW


def rank(band):
    """0 for the best band, larger for worse; None stays None."""
    return None if band is None else ORDER.index(band)


def fell(before, after):
    """``after`` is a worse band than ``before`` (both known)."""
    return before is not None and after is not None and rank(after) > rank(before)


def colour(band):
    return COLOURS.get(band)


def _specificity(row):
    return (2 if row.position_id is not None else 0) + (1 if row.stage else 0)


def pick_target(targets, *, kpi_id, position_id=None, stage="", on):
    """The target row that applies to a KPI for a position and life-cycle stage on a day: among the rows valid
    on that day (``valid_from`` ≤ ``on``) that match (a blank position or stage matches any), the most specific
    (position and stage > position > stage > neither), then the latest ``valid_from``. None when none applies."""
    matching = [
        row
        for row in targets
        if row.kpi_id == kpi_id
        and row.valid_from <= on
        and row.position_id in (None, position_id)
        and row.stage in ("", stage)
    ]
    return max(matching, key=lambda row: (_specificity(row), row.valid_from), default=None)
