"""The rules of a PDCA initiative (issue 14 §2, seed 003), pure: no database.

- Status moves plan → do → check → act → closed. Reaching "act" records a decision (standardise, adjust or
  abandon) with a note. After "adjust" the initiative runs again from plan or do; after standardise or abandon it
  closes. Do may go back to plan, check back to do (more data needed).
- A guardrail is breached when its KPI is past the threshold in its bad direction: below it for a
  higher-is-better KPI, above it for a lower-is-better one (exactly at the threshold is within)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

PLAN, DO, CHECK, ACT, CLOSED = "plan", "do", "check", "act", "closed"
STANDARDISE, ADJUST, ABANDON = "standardise", "adjust", "abandon"
DECISIONS = (STANDARDISE, ADJUST, ABANDON)

MOVES = {
    PLAN: {DO},
    DO: {PLAN, CHECK},
    CHECK: {DO, ACT},
    ACT: {CLOSED, PLAN, DO},
    CLOSED: set(),
}
# The PDCA words in their own context: "Plan" elsewhere is a verb (plan a follow-up).
STATUS_LABELS = {
    PLAN: pgettext_lazy("PDCA", "Plan"),
    DO: pgettext_lazy("PDCA", "Do"),
    CHECK: pgettext_lazy("PDCA", "Check"),
    ACT: pgettext_lazy("PDCA", "Act (decided)"),
    CLOSED: pgettext_lazy("PDCA", "Closed"),
}
WATCHED = (DO, CHECK)  # the daily guardrail check runs in these statuses


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple = ()


def can_move(from_status, to_status, *, decision="", note=""):
    """May the initiative move ``from_status`` → ``to_status``? ``decision`` and ``note``: the Act decision (for
    the move to act) or the decision already recorded (for the moves out of act)."""
    if to_status not in MOVES.get(from_status, set()):
        return Decision(False, (_("This status change is not allowed."),))
    reasons = []
    if to_status == ACT:
        if decision not in DECISIONS:
            reasons.append(_("Choose a decision: standardise, adjust or abandon."))
        if not (note or "").strip():
            reasons.append(_("Say why in a note."))
    if from_status == ACT:
        if to_status in (PLAN, DO) and decision != ADJUST:
            reasons.append(_("Only an adjusted initiative runs again."))
        if to_status == CLOSED and decision == ADJUST:
            reasons.append(_("An adjusted initiative runs again from plan or do."))
    return Decision(not reasons, tuple(reasons))


def next_statuses(status, decision=""):
    """The moves offered from ``status`` (the move to act is the decision form)."""
    return [to for to in (PLAN, DO, CHECK, CLOSED) if can_move(status, to, decision=decision).allowed]


def is_breach(direction, value, threshold):
    """``value`` is past ``threshold`` the bad way for a KPI of ``direction`` ("higher"/"lower" is better)."""
    if value is None or threshold is None:
        return False
    return value < threshold if direction == "higher" else value > threshold


def is_watched(status):
    return status in WATCHED
