"""The rules of a PK competition (issue 15 §4, DOMAIN §5, seeds 000 and 001), pure: no database.

- Ranking: direction-aware (lower is better for some KPIs), ties share a rank (1, 1, 3: standard competition
  ranking), and a participant whose volume (the denominator: calls handled, head count, responses) is below the
  competition's minimum is "not ranked" with the reason, so one survey cannot top a board.
- Normalisation: a ratio KPI is already normalised; a count (cases resolved at first contact, conversions, incidents
  stabilised) is divided by the participant's head count ("per agent") or by its calls handled ("per 100 contacts").
- The reward pool goes to the winner(s) (tied winners share it equally), and within a winner by each person's
  workload share (seed 000: 付出主要工作量的岗位的不同):

      share(p) = Σ_c w_c · x_c(p) / X_c  /  Σ_c w_c        over the components c with X_c > 0

  where the components are cases owned, hand-off steps carried and calls handled, x_c(p) the person's count and
  X_c the winner's total. A person gets pool · share, at most the cap (what the cap holds back goes to the others
  in proportion to their shares, until nobody is above it), in whole fen (or points) by largest remainder: the
  amounts add up exactly to the pool unless everyone is at the cap.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("PK", "Open")
    CLOSED = "closed", pgettext_lazy("PK", "Closed")


# The one move: an open competition closes once, at its period's end (or earlier by its organiser's hand).
TRANSITIONS = {Status.OPEN: {Status.CLOSED}, Status.CLOSED: set()}


def can_move(current, target):
    return target in TRANSITIONS.get(current, set())


class NotRanked(models.TextChoices):
    """Why a participant has no rank."""

    NO_DATA = "no_data", gettext_lazy("No data in the period")
    LOW_VOLUME = "low_volume", gettext_lazy("Volume below the minimum to rank")


@dataclass(frozen=True)
class Result:
    """A participant's value and volume; ``value`` None when there is nothing to divide."""

    key: object
    value: Decimal | None
    volume: Decimal


@dataclass(frozen=True)
class Placed:
    key: object
    value: Decimal | None
    volume: Decimal
    rank: int | None
    reason: str = ""


def normalise(count, *, per, head_count, contacts):
    """(value, volume) of a count metric: per agent divides by head count, per 100 contacts by calls handled,
    "none" keeps the count (its volume is then the count itself)."""
    count = Decimal(count or 0)
    if per == "agent":
        volume = Decimal(head_count or 0)
        return (count / volume if volume else None), volume
    if per == "contacts":
        volume = Decimal(contacts or 0)
        return (count * 100 / volume if volume else None), volume
    return count, count


def rank(results, *, lower_is_better, minimum_volume=0):
    """Places in order: ranked ones best first (ties share the rank, the next rank skips), then the not ranked
    ones with their reason. Equal values order by key so the order is stable."""
    minimum = Decimal(minimum_volume or 0)
    ranked, unranked = [], []
    for result in results:
        if result.value is None:
            unranked.append(Placed(result.key, None, result.volume, None, NotRanked.NO_DATA))
        elif result.volume < minimum:
            unranked.append(Placed(result.key, result.value, result.volume, None, NotRanked.LOW_VOLUME))
        else:
            ranked.append(result)
    sign = 1 if lower_is_better else -1
    ranked.sort(key=lambda r: (sign * r.value, str(r.key)))
    placed, previous, current = [], None, 0
    for index, result in enumerate(ranked, start=1):
        if result.value != previous:
            current, previous = index, result.value
        placed.append(Placed(result.key, result.value, result.volume, current))
    unranked.sort(key=lambda p: (p.reason, str(p.key)))
    return placed + unranked


def winners(placed):
    return [p.key for p in placed if p.rank == 1]


# The reward split -------------------------------------------------------------------------------------------

COMPONENTS = ("cases_owned", "handoffs_carried", "calls_handled")
DEFAULT_WEIGHTS = {"cases_owned": 1, "handoffs_carried": 1, "calls_handled": 1}


@dataclass(frozen=True)
class Work:
    """One person's workload in the winner's period: ``key`` names her (an employee id)."""

    key: object
    cases_owned: int = 0
    handoffs_carried: int = 0
    calls_handled: int = 0


@dataclass
class Share:
    key: object
    share: Fraction
    amount: int  # in fen (CNY) or points
    is_capped: bool = False
    components: dict = field(default_factory=dict)


def workload_shares(work, weights=None):
    """{key: Fraction} by the formula above; the shares add up to 1 (empty when nobody did anything)."""
    weights = weights or DEFAULT_WEIGHTS
    totals = {c: sum(getattr(w, c) for w in work) for c in COMPONENTS}
    used = [c for c in COMPONENTS if totals[c] > 0 and weights.get(c, 0) > 0]
    if not used:
        return {}
    weight_sum = sum(Fraction(weights[c]) for c in used)
    return {
        w.key: sum(Fraction(weights[c]) * Fraction(getattr(w, c), totals[c]) for c in used) / weight_sum for w in work
    }


def capped_amounts(pool, shares, cap=None):
    """Exact (Fraction) amounts: pool × share, at most ``cap`` each; what a cap holds back is shared again among
    the others in proportion to their shares (water-filling)."""
    amounts = {key: Fraction(0) for key in shares}
    open_keys = {key for key, share in shares.items() if share > 0}
    left = Fraction(pool)
    while open_keys and left > 0:
        weight = sum(shares[key] for key in open_keys)
        offer = {key: left * shares[key] / weight for key in open_keys}
        over = {key for key in open_keys if cap is not None and amounts[key] + offer[key] >= cap}
        if not over:
            for key in open_keys:
                amounts[key] += offer[key]
            left = Fraction(0)
            break
        for key in over:
            left -= cap - amounts[key]
            amounts[key] = Fraction(cap)
        open_keys -= over
    return amounts


def largest_remainder(amounts, total):
    """Whole units summing to ``total`` (or to the floor of the exact sum when that is smaller): each gets the
    floor of its exact amount, the units left go one each to the largest remainders (ties by key)."""
    floors = {key: math.floor(value) for key, value in amounts.items()}
    target = min(int(total), math.floor(sum(amounts.values(), Fraction(0))))
    missing = target - sum(floors.values())
    order = sorted(amounts, key=lambda key: (-(amounts[key] - floors[key]), str(key)))
    for key in order[:missing]:
        floors[key] += 1
    return floors


def split_pool(pool, work, *, cap=None, weights=None):
    """The winner's part of the pool (whole fen or points) by workload share, capped per person. Returns
    [Share] in descending amount; their amounts add up exactly to ``pool`` unless every person is at the cap."""
    shares = workload_shares(work, weights)
    exact = capped_amounts(pool, shares, cap)
    whole = largest_remainder(exact, pool)
    by_key = {w.key: w for w in work}
    result = [
        Share(
            key,
            shares[key],
            whole[key],
            cap is not None and whole[key] >= cap,
            {c: getattr(by_key[key], c) for c in COMPONENTS},
        )
        for key in shares
    ]
    result.sort(key=lambda s: (-s.amount, str(s.key)))
    return result


def split_between_winners(pool, keys):
    """Tied winners share the pool equally, in whole units (largest remainder, ties by key)."""
    if not keys:
        return {}
    exact = {key: Fraction(pool, len(keys)) for key in keys}
    return largest_remainder(exact, pool)


def to_units(amount, *, is_cny):
    """An amount of yuan in fen, or points as they are."""
    return int(Decimal(amount) * 100) if is_cny else int(amount)


def from_units(units, *, is_cny):
    return (Decimal(units) / 100).quantize(Decimal("0.01")) if is_cny else Decimal(units)


def formula_text():
    return _(
        "share = (w₁·cases owned / team's cases + w₂·hand-off steps carried / team's steps + w₃·calls handled / "
        "team's calls) / (w₁ + w₂ + w₃), over the parts the team has; amount = pool × share, at most the cap per "
        "person (what the cap holds back goes to the others by their shares), rounded to the fen by largest "
        "remainder so the amounts add up exactly to the pool."
    )
