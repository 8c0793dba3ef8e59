"""The onboarding state machine and gate rules (DOMAIN §3), pure: no database, tested exhaustively.

pre-job → cycle 1 → 2 → 3 → 4 → completed; a failed gate extends the current cycle (with a
remediation plan and a new due date); any open enrollment can be put on hold and resumed, or
withdrawn. Only training.services applies these moves to rows.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PRE_JOB = "pre_job"
CYCLE_STATES = ("cycle_1", "cycle_2", "cycle_3", "cycle_4")
EXTENDED = "extended"
ON_HOLD = "on_hold"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"

STATE_LABELS = {
    PRE_JOB: _("Pre-job training"),
    "cycle_1": _("Cycle 1: habits"),
    "cycle_2": _("Cycle 2: trust and teamwork"),
    "cycle_3": _("Cycle 3: habits and communication"),
    "cycle_4": _("Cycle 4: emotions and motivation"),
    EXTENDED: _("Extended"),
    ON_HOLD: _("On hold"),
    COMPLETED: _("Completed"),
    WITHDRAWN: _("Withdrawn"),
}
STATES = tuple(STATE_LABELS)
TERMINAL = frozenset({COMPLETED, WITHDRAWN})
LAST_CYCLE = len(CYCLE_STATES)

# Moves
START = "start"  # pre-job training done: enter cycle 1
ADVANCE = "advance"  # gate met: enter the next cycle, or complete after cycle 4
EXTEND = "extend"  # gate failed: stay in the cycle with a remediation plan and a new due date
HOLD = "hold"
RESUME = "resume"
WITHDRAW = "withdraw"
MOVES = (START, ADVANCE, EXTEND, HOLD, RESUME, WITHDRAW)


class IllegalMove(ValueError):
    """A move the table does not allow from the current state; the message says why."""


@dataclass(frozen=True)
class Position:
    """Where an enrollment is: its state, its cycle (0 in pre-job), and the state it was held from."""

    state: str
    cycle: int = 0
    held_from: str = ""


def cycle_state(number):
    return CYCLE_STATES[number - 1]


def apply(position, move):
    """The position after ``move``; raises IllegalMove with a clear message."""
    state, cycle = position.state, position.cycle
    if state in TERMINAL:
        raise IllegalMove(_("This enrollment is %(state)s; nothing can change it.") % {"state": STATE_LABELS[state]})
    if move == START:
        if state != PRE_JOB:
            raise IllegalMove(_("Only a trainee in pre-job training can start cycle 1."))
        return Position("cycle_1", 1)
    if move == ADVANCE:
        if state not in CYCLE_STATES and state != EXTENDED:
            raise IllegalMove(_("Only a trainee in a cycle can pass its gate."))
        if cycle == LAST_CYCLE:
            return Position(COMPLETED, cycle)
        return Position(cycle_state(cycle + 1), cycle + 1)
    if move == EXTEND:
        if state not in CYCLE_STATES and state != EXTENDED:
            raise IllegalMove(_("Only a trainee in a cycle can have it extended."))
        return Position(EXTENDED, cycle)
    if move == HOLD:
        if state == ON_HOLD:
            raise IllegalMove(_("This enrollment is already on hold."))
        return Position(ON_HOLD, cycle, held_from=state)
    if move == RESUME:
        if state != ON_HOLD:
            raise IllegalMove(_("Only an enrollment on hold can be resumed."))
        return Position(position.held_from or (cycle_state(cycle) if cycle else PRE_JOB), cycle)
    if move == WITHDRAW:
        return Position(WITHDRAWN, cycle)
    raise IllegalMove(_("Unknown move."))


def is_allowed(position, move):
    try:
        apply(position, move)
    except IllegalMove:
        return False
    return True


def allowed_moves(position):
    return [move for move in MOVES if is_allowed(position, move)]


@dataclass(frozen=True)
class GateProgress:
    """What the gate of one cycle looks at (DOMAIN §3: activities, a 通关 check, KASH focus levels)."""

    required_total: int
    required_done: int
    check_required: bool = False
    check_score: float | None = None  # best attempt; None: not taken
    pass_mark: float | None = None
    focus_levels: dict = field(default_factory=dict)  # {indicator name: current level or None}
    focus_min_level: float | None = None


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: tuple  # why it is not met (translated lazily), empty when passed


def gate_result(progress):
    """Pass or fail, with every reason the gate is not met."""
    reasons = []
    missing = progress.required_total - progress.required_done
    if missing > 0:
        reasons.append(
            ngettext("%(count)d required activity is not done.", "%(count)d required activities are not done.", missing)
            % {"count": missing}
        )
    if progress.check_required:
        if progress.check_score is None:
            reasons.append(_("The pass-the-gate check has not been taken."))
        elif progress.pass_mark is not None and progress.check_score < progress.pass_mark:
            reasons.append(
                _("The pass-the-gate check scored %(score)s, below the pass mark %(mark)s.")
                % {"score": _number(progress.check_score), "mark": _number(progress.pass_mark)}
            )
    if progress.focus_min_level is not None:
        for name, level in sorted(progress.focus_levels.items()):
            if level is None:
                reasons.append(_("%(indicator)s has not been assessed.") % {"indicator": name})
            elif level < progress.focus_min_level:
                reasons.append(
                    _("%(indicator)s is at %(level)s, below the required %(required)s.")
                    % {"indicator": name, "level": _number(level), "required": _number(progress.focus_min_level)}
                )
    return GateResult(passed=not reasons, reasons=tuple(reasons))


def _number(value):
    return f"{value:g}"
