"""The authority decision (issue 13 §3, seed 003): may an agent issue this amount alone, does it need the approval
of a higher grade (the lowest whose limit would allow it), or is it refused for everyone — with the reasons, the
same shape as the gate decision (training.cycles.gate_result). Pure: no database, tested on a grid.

A limit is anything with ``per_use``, ``per_day`` and ``per_month`` (an AuthorityLimit row); None when the grade
has no limit for the scenario and risk level (it may not issue there alone). ``used_today`` and ``used_month`` are
what the agent already issued in the scenario today and this month (reversals netted)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

ALLOWED = "allowed"
NEEDS_APPROVAL = "needs_approval"
REFUSED = "refused"
ZERO = Decimal("0")


@dataclass(frozen=True)
class Tier:
    """A grade above the agent's: its rank, its limit for the scenario and risk (or None), its name for reasons."""

    rank: int
    limit: object = None
    name: str = ""


@dataclass(frozen=True)
class Decision:
    """``outcome`` is ALLOWED, NEEDS_APPROVAL (by a grade of ``approver_rank`` or higher) or REFUSED; ``reasons``
    say why it is not simply allowed (translated); ``at_limit`` when an allowed amount uses a limit up exactly."""

    outcome: str
    approver_rank: int | None = None
    reasons: tuple = ()
    at_limit: bool = False

    @property
    def allowed(self):
        return self.outcome == ALLOWED

    @property
    def needs_approval(self):
        return self.outcome == NEEDS_APPROVAL

    @property
    def refused(self):
        return self.outcome == REFUSED

    def __bool__(self):
        return self.allowed


def money(value):
    return f"¥{Decimal(value):.2f}"


def _over(limit, amount, used_today, used_month, *, own):
    """Why ``limit`` does not cover ``amount`` (empty when it does)."""
    if limit is None:
        return [_("Your grade may not issue in this scenario at this risk level alone.")] if own else ["-"]
    reasons = []
    if amount > limit.per_use:
        reasons.append(_("%(amount)s is above your limit of %(limit)s per use.") % _names(amount, limit.per_use))
    left_today = max(limit.per_day - used_today, ZERO)
    if amount > left_today:
        reasons.append(
            _("%(amount)s would pass your daily limit of %(limit)s: %(left)s left today.")
            % {**_names(amount, limit.per_day), "left": money(left_today)}
        )
    left_month = max(limit.per_month - used_month, ZERO)
    if amount > left_month:
        reasons.append(
            _("%(amount)s would pass your monthly limit of %(limit)s: %(left)s left this month.")
            % {**_names(amount, limit.per_month), "left": money(left_month)}
        )
    return reasons


def _names(amount, limit):
    return {"amount": money(amount), "limit": money(limit)}


def remaining(limit, used_today, used_month):
    """(left today, left this month) under ``limit`` (never below zero); None without a limit."""
    if limit is None:
        return None
    left_today = max(limit.per_day - used_today, ZERO)
    return min(left_today, max(limit.per_month - used_month, ZERO)), max(limit.per_month - used_month, ZERO)


def is_at_limit(limit, amount, used_today, used_month):
    """The amount equals the per-use limit or uses up the day's or the month's (QA looks at these: issue 13 §4)."""
    return limit is not None and (
        amount == limit.per_use or used_today + amount == limit.per_day or used_month + amount == limit.per_month
    )


def decide(
    *,
    grade_rank,
    limit,
    amount,
    used_today,
    used_month,
    scenario_active=True,
    standard_min=None,
    standard_max=None,
    higher=(),
):
    """Allowed, needs approval by the lowest higher grade whose limit would allow it, or refused, with reasons.

    ``grade_rank``: the agent's grade rank (0 without a grade); ``higher``: the grades above hers as Tier rows
    (their limits for this scenario and risk). Refused for everyone: an amount of zero or less, an inactive
    scenario, an amount outside the scenario's standard; refused too when no grade's limit allows it."""
    amount, used_today, used_month = Decimal(amount), Decimal(used_today or 0), Decimal(used_month or 0)
    refusals = []
    if amount <= 0:
        refusals.append(_("The amount must be above zero."))
    if not scenario_active:
        refusals.append(_("This scenario is no longer in use."))
    if standard_max is not None and amount > standard_max:
        refusals.append(
            _("%(amount)s is above this scenario's standard of up to %(max)s: nobody may issue it.")
            % {"amount": money(amount), "max": money(standard_max)}
        )
    if standard_min is not None and ZERO < amount < standard_min:
        refusals.append(
            _("%(amount)s is below this scenario's standard of at least %(min)s.")
            % {"amount": money(amount), "min": money(standard_min)}
        )
    if refusals:
        return Decision(REFUSED, reasons=tuple(refusals))
    problems = _over(limit, amount, used_today, used_month, own=True)
    if not problems:
        return Decision(ALLOWED, at_limit=is_at_limit(limit, amount, used_today, used_month))
    for tier in sorted((t for t in higher if t.rank > (grade_rank or 0)), key=lambda t: t.rank):
        if tier.limit is not None and not _over(tier.limit, amount, used_today, used_month, own=False):
            approver = tier.name or str(tier.rank)
            return Decision(
                NEEDS_APPROVAL,
                approver_rank=tier.rank,
                reasons=(*problems, _("Ask for approval: %(grade)s or above may allow it.") % {"grade": approver}),
            )
    return Decision(REFUSED, reasons=(*problems, _("No grade's limit allows this amount.")))
