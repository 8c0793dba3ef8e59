"""Scorecard arithmetic and rules, pure (no database): normalising a KPI value to 0–100 between a weight's worst
and best values, the weighted composite, the band of a score, the pay coefficient of a band and grade, whether
a weight set is valid (seeds 002, 004) and whether a scorecard month may move (STYLE §2).

Tested exhaustively in tests/kpis/test_scoring.py; kpis.services.scorecards and the admin call these."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENTS = Decimal("0.01")
# Kinds and statuses as plain values, so that this module needs no models (they equal KpiKind / MonthStatus).
QUANTITATIVE = "quantitative"
AGENT = "agent"
OPEN, CLOSED = "open", "closed"
# Scorecard months: open ⇄ closed. A reopen must say why (the payroll already read the closed figures).
MONTH_MOVES = {OPEN: {CLOSED}, CLOSED: {OPEN}}


@dataclass(frozen=True)
class Decision:
    """Allowed or not, with the reasons (translated) when not."""

    allowed: bool
    reasons: tuple = ()

    def __bool__(self):
        return self.allowed


def _decide(reasons):
    return Decision(not reasons, tuple(reasons))


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def normalise(value, worst, best):
    """``value`` on a 0–100 scale where ``worst`` scores 0 and ``best`` 100, clamped; lower-is-better KPIs simply
    have worst > best. ``None`` (no data) stays ``None``."""
    if value is None:
        return None
    value, worst, best = _decimal(value), _decimal(worst), _decimal(best)
    if worst == best:
        raise ValueError("worst and best must differ")
    score = HUNDRED * (value - worst) / (best - worst)
    return min(max(score, Decimal(0)), HUNDRED)


@dataclass(frozen=True)
class Component:
    """One weighted KPI of a scorecard: its value (None: no data this month), its normalised score, its weight in
    the set and the weight it really carried (the set's weight, rescaled when another KPI had no data)."""

    kpi: str
    value: Decimal | None
    weight: int
    normalised: Decimal | None = None
    effective_weight: Decimal | None = None


def composite(components: Iterable[Component]):
    """``(score, components with their effective weights)``: Σ weight × normalised / 100.

    A KPI without data this month (Σdenominator = 0: an agent who had no complaints has no escalation rate) is
    neither a 0 nor a 100: its weight is spread over the KPIs that have data in proportion to their weights,
    i.e. score = Σ w·n / Σ w over those KPIs (the same as Σ w·n / 100 when every KPI has data). The score is
    ``None`` when no weighted KPI has data."""
    components = list(components)
    with_data = [c for c in components if c.normalised is not None]
    total = sum((Decimal(c.weight) for c in with_data), Decimal(0))
    if not total:
        return None, [Component(c.kpi, c.value, c.weight, c.normalised, Decimal(0)) for c in components]
    score = sum((Decimal(c.weight) * c.normalised for c in with_data), Decimal(0)) / total
    carried = [
        Component(
            c.kpi,
            c.value,
            c.weight,
            c.normalised,
            (HUNDRED * c.weight / total).quantize(CENTS, ROUND_HALF_UP) if c.normalised is not None else Decimal(0),
        )
        for c in components
    ]
    return score.quantize(CENTS, ROUND_HALF_UP), carried


def band_for_score(score, score_bands: Iterable[tuple[str, Decimal]], lowest="far_below"):
    """The band of the highest ``min_score`` at or below ``score`` in HR's table of ``(band, min_score)``;
    ``lowest`` when the table starts above the score (or is empty), so every scorecard has a band."""
    score = _decimal(score)
    reached = [(Decimal(str(minimum)), band) for band, minimum in score_bands if score >= Decimal(str(minimum))]
    return max(reached)[1] if reached else lowest


def pay_coefficient(band, pay_grade, coefficients: Mapping[tuple[str, str], Decimal]):
    """HR's coefficient for ``(band, pay grade)``, else the one for the band and any grade (""), else None."""
    found = coefficients.get((band, pay_grade or ""))
    return found if found is not None else coefficients.get((band, ""))


@dataclass(frozen=True)
class WeightLine:
    """One line of a weight set as it is being saved: the KPI's code, name, kind and source, and the numbers."""

    kpi: str
    weight: int | None
    worst: Decimal | None
    best: Decimal | None
    kind: str = QUANTITATIVE
    source: str = AGENT
    name: str = field(default="", compare=False)


def validate_weights(lines: Iterable[WeightLine]) -> Decision:
    """A weight set may be saved when it weighs only quantitative KPIs measured per agent, each once, with a
    weight of 1–100 and worst ≠ best, and its weights sum to exactly 100 (seeds 002, 004)."""
    lines = list(lines)
    reasons = []
    seen = set()
    for line in lines:
        name = line.name or line.kpi
        if line.kpi in seen:
            reasons.append(_("“%(kpi)s” is weighted twice.") % {"kpi": name})
        seen.add(line.kpi)
        if line.kind != QUANTITATIVE:
            reasons.append(_("“%(kpi)s” is not quantitative: only quantitative KPIs can carry weight.") % {"kpi": name})
        if line.source != AGENT:
            reasons.append(
                _("“%(kpi)s” is measured per queue, not per agent: an agent's scorecard cannot weigh it.")
                % {"kpi": name}
            )
        if line.weight is None or not 1 <= line.weight <= 100:
            reasons.append(_("The weight of “%(kpi)s” must be a whole number from 1 to 100.") % {"kpi": name})
        if line.worst is not None and line.best is not None and _decimal(line.worst) == _decimal(line.best):
            reasons.append(_("“%(kpi)s”: the worst and best values must differ.") % {"kpi": name})
    if not lines:
        reasons.append(_("A weight set needs at least one KPI."))
    else:
        total = sum(line.weight or 0 for line in lines)
        if total != 100:
            reasons.append(_("The weights add up to %(total)s; they must add up to exactly 100.") % {"total": total})
    return _decide(reasons)


def month_move(from_status, to_status, reason="") -> Decision:
    """Whether a scorecard month may go from ``from_status`` to ``to_status``; reopening needs a reason."""
    if to_status not in MONTH_MOVES.get(from_status, ()):
        return _decide([_("A month cannot go from %(from)s to %(to)s.") % {"from": from_status, "to": to_status}])
    if to_status == OPEN and not (reason or "").strip():
        return _decide([_("Say why the month is reopened: its scorecards may already be in the payroll.")])
    return _decide([])
