"""The onboarding state machine and gate rules (DOMAIN §3), pure: no database, tested exhaustively.

pre-job → cycle 1 → 2 → 3 → 4 → completed; a failed gate extends the current cycle (with a
remediation plan and a new due date); any open enrollment can be put on hold and resumed, or
withdrawn. TABLE says where each move leads; plan() says everything one move does (fields, the
new cycle's activities, the employee's stage, the event, the notification) as a Change, which
training.moves.apply_changes writes for one enrollment or for a whole chunk of the daily sweep.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
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
LAST_CYCLE = len(CYCLE_STATES)

# Named sets of states (tuples: a stable order in SQL). Written here once; everyone else imports them.
ACTIVE = (*CYCLE_STATES, EXTENDED)  # in a cycle: activities to do, a gate ahead
DUE = (PRE_JOB, *ACTIVE)  # moved on by the daily sweep once due_on has come
OPEN = (*DUE, ON_HOLD)  # not finished
TERMINAL = (COMPLETED, WITHDRAWN)

# Moves
START = "start"  # pre-job training done: enter cycle 1
ADVANCE = "advance"  # gate met: enter the next cycle, or complete after cycle 4
EXTEND = "extend"  # gate failed: stay in the cycle with a remediation plan and a new due date
HOLD = "hold"
RESUME = "resume"
WITHDRAW = "withdraw"
MOVES = (START, ADVANCE, EXTEND, HOLD, RESUME, WITHDRAW)

REMEDIATION_DAYS = 7  # an extension by the sweep, and the least time left after a resume

# Targets that depend on where the enrollment is, not only on its state:
NEXT_CYCLE = "next cycle"  # the next cycle's state; completed after the last cycle
HELD_FROM = "held from"  # the state it was put on hold from

# The transition table: (state, move) → target state. A pair missing from it is refused (REFUSALS says why).
TABLE = {
    (PRE_JOB, START): "cycle_1",
    **{(state, ADVANCE): (CYCLE_STATES + (COMPLETED,))[n + 1] for n, state in enumerate(CYCLE_STATES)},
    (EXTENDED, ADVANCE): NEXT_CYCLE,
    **{(state, EXTEND): EXTENDED for state in ACTIVE},
    **{(state, HOLD): ON_HOLD for state in DUE},
    (ON_HOLD, RESUME): HELD_FROM,
    **{(state, WITHDRAW): WITHDRAWN for state in OPEN},
}

REFUSALS = {
    START: _("Only a trainee in pre-job training can start cycle 1."),
    ADVANCE: _("Only a trainee in a cycle can pass its gate."),
    EXTEND: _("Only a trainee in a cycle can have it extended."),
    HOLD: _("This enrollment is already on hold."),
    RESUME: _("Only an enrollment on hold can be resumed."),
}


class IllegalMove(ValueError):
    """A move the table does not allow from the current state; the message says why."""


@dataclass(frozen=True)
class Placement:
    """Where an enrollment is: its state, its cycle (0 in pre-job), and the state it was held from."""

    state: str
    cycle: int = 0
    held_from: str = ""


def cycle_state(number):
    return CYCLE_STATES[number - 1]


def refusal(state, move):
    """Why ``move`` is not allowed from ``state`` (translated lazily); None when it is allowed."""
    if move not in MOVES:
        return _("Unknown move.")
    if state in TERMINAL:
        return _("This enrollment is %(state)s; nothing can change it.") % {"state": STATE_LABELS[state]}
    if (state, move) in TABLE:
        return None
    return REFUSALS[move]


def apply(placement, move):
    """The placement after ``move``; raises IllegalMove with a clear message."""
    reason = refusal(placement.state, move)
    if reason is not None:
        raise IllegalMove(reason)
    target, cycle = TABLE[(placement.state, move)], placement.cycle
    if target == HELD_FROM:
        return Placement(placement.held_from or (cycle_state(cycle) if cycle else PRE_JOB), cycle)
    if target == NEXT_CYCLE:
        target = COMPLETED if cycle == LAST_CYCLE else cycle_state(cycle + 1)
    if target == ON_HOLD:
        return Placement(ON_HOLD, cycle, held_from=placement.state)
    if target in CYCLE_STATES:
        cycle = CYCLE_STATES.index(target) + 1
    return Placement(target, cycle)


def is_allowed(placement, move):
    return refusal(placement.state, move) is None


def allowed_moves(placement):
    return [move for move in MOVES if is_allowed(placement, move)]


# Labels and progress (pure: pages show them) -----------------------------------------------

MOVE_LABELS = {
    "enroll": _("Enrolled"),
    START: _("Start cycle 1"),
    ADVANCE: _("Approve the gate"),
    EXTEND: _("Fail the gate and extend"),
    HOLD: _("Put on hold"),
    RESUME: _("Resume"),
    WITHDRAW: _("Withdraw"),
}


def move_label(move, enrollment=None):
    if move == ADVANCE and enrollment is not None and enrollment.cycle == LAST_CYCLE:
        return _("Approve the gate and complete")
    return MOVE_LABELS.get(move, move)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    status: str  # "done", "current" or "todo"


TIMELINE = (PRE_JOB, *CYCLE_STATES, COMPLETED)


def _step_index(enrollment):
    if enrollment.state == COMPLETED:
        return len(TIMELINE) - 1
    return enrollment.cycle  # 0 in pre-job; the current cycle when extended, on hold or withdrawn


def timeline(enrollment):
    """Pre-job, cycles 1–4, completed; where the enrollment is on it."""
    current = _step_index(enrollment)
    done_all = enrollment.state == COMPLETED
    return [
        Step(
            key,
            STATE_LABELS[key],
            "done" if n < current or done_all else "current" if n == current else "todo",
        )
        for n, key in enumerate(TIMELINE)
    ]


def progress_percent(enrollment, required_done, required_total):
    """How far through the four cycles: finished cycles plus the share of the current cycle's
    required activities done. Pre-job is 0 %, completed 100 %."""
    if enrollment.state == COMPLETED:
        return 100
    if not enrollment.cycle:
        return 0
    share = required_done / required_total if required_total else 0
    return round((enrollment.cycle - 1 + share) * 100 / LAST_CYCLE)


# Gate rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateProgress:
    """What the gate of one cycle looks at (DOMAIN §3: activities, a 通关 check, KASH focus levels)."""

    required_total: int
    required_done: int
    check_required: bool = False
    check_score: float | None = None  # best attempt of the current cycle; None: not taken
    pass_mark: float | None = None
    focus_levels: dict = field(default_factory=dict)  # {indicator name: current level or None}
    focus_min_level: float | None = None  # None: no level required; any number (0 too) is a requirement

    @property
    def is_check_failed(self):
        """A check was taken and its best score is below the pass mark (shown on the board at once)."""
        return self.check_score is not None and self.pass_mark is not None and self.check_score < self.pass_mark


@dataclass(frozen=True)
class GateResult:
    passed: bool
    reasons: tuple  # why it is not met (translated lazily), empty when passed


def focus_met(level, required):
    """Whether one focus indicator meets the gate: None when no level is required; an indicator not
    assessed fails any requirement, a requirement of 0 included (HR asks for it to be assessed)."""
    if required is None:
        return None
    return level is not None and level >= required


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
        elif progress.is_check_failed:
            reasons.append(
                _("The pass-the-gate check scored %(score)s, below the pass mark %(mark)s.")
                % {"score": _number(progress.check_score), "mark": _number(progress.pass_mark)}
            )
    for name, level in sorted(progress.focus_levels.items()):
        if focus_met(level, progress.focus_min_level) is not False:
            continue
        if level is None:
            reasons.append(_("%(indicator)s has not been assessed.") % {"indicator": name})
        else:
            reasons.append(
                _("%(indicator)s is at %(level)s, below the required %(required)s.")
                % {"indicator": name, "level": _number(level), "required": _number(progress.focus_min_level)}
            )
    return GateResult(passed=not reasons, reasons=tuple(reasons))


def _number(value):
    return f"{value:g}"


# What one move does -----------------------------------------------------------------------

GROWTH_FROM_STAGES = ("pre_job", "onboarding")  # staff.Stage values: completion never demotes a veteran


@dataclass(frozen=True)
class Change:
    """Everything one move does to one enrollment; training.moves.apply_changes writes it."""

    enrollment_id: int
    trainee_id: int
    move: str
    before: Placement
    after: Placement
    fields: dict  # other columns set: due_on, cycle_started_on, is_gate_failed, remediation_plan
    enters_cycle: int | None  # the cycle entered: its activities are created
    stage: tuple | None  # (from stages, to stage, reason) of the trainee (staff.Stage values), or None
    reason: str  # the event's reason
    notification: str  # kind of the message to the trainee, mentor (and supervisor)
    body: str = ""  # the message's text: the remediation plan when the enrollment is (again) extended


def plan(
    *,
    enrollment_id,
    trainee_id,
    placement,
    due_on,
    move,
    today,
    cycle_days=None,
    gate=None,
    reason="",
    remediation_plan="",
    new_due_on=None,
    current_plan="",
):
    """The Change ``move`` makes, or ValidationError saying why it cannot be made.

    ``cycle_days``: {cycle number: length in days for this batch} (needed when a cycle is entered);
    ``gate``: the GateResult of the current cycle (needed to advance); ``remediation_plan`` and
    ``new_due_on``: what an extension asks for; ``due_on`` and ``current_plan``: the enrollment's now."""
    try:
        after = apply(placement, move)
    except IllegalMove as exc:
        raise ValidationError(str(exc)) from exc
    fields = {}
    if move == ADVANCE and (gate is None or not gate.passed):
        raise ValidationError([str(r) for r in gate.reasons] if gate else _("The gate is not known."))
    if move == EXTEND:
        if not remediation_plan.strip():
            raise ValidationError({"remediation_plan": _("Write the remediation plan.")})
        if new_due_on is None or new_due_on <= today:
            raise ValidationError({"due_on": _("The new due date must be after today.")})
        fields = {"due_on": new_due_on, "is_gate_failed": True, "remediation_plan": remediation_plan}
    if move == RESUME and due_on < today + datetime.timedelta(days=REMEDIATION_DAYS):
        # Time on hold does not count: a resumed trainee gets at least a remediation period.
        fields = {"due_on": today + datetime.timedelta(days=REMEDIATION_DAYS)}
    enters = after.cycle if move in (START, ADVANCE) and after.state in CYCLE_STATES else None
    if enters:
        fields = {
            "cycle_started_on": today,
            "due_on": today + datetime.timedelta(days=cycle_days[enters]),
            "is_gate_failed": False,
            "remediation_plan": "",
        }
    stage = None  # DOMAIN §1: onboarding from cycle 1 on, growth once the program is completed
    if after.state == COMPLETED:
        stage = (GROWTH_FROM_STAGES, "growth", "Completed the onboarding program")
    elif enters == 1:
        stage = (("pre_job",), "onboarding", "Entered cycle 1 of onboarding")
    return Change(
        enrollment_id=enrollment_id,
        trainee_id=trainee_id,
        move=move,
        before=placement,
        after=after,
        fields=fields,
        enters_cycle=enters,
        stage=stage,
        reason=reason or remediation_plan,
        notification=f"enrollment_{move}",
        body=(remediation_plan if move == EXTEND else current_plan) if after.state == EXTENDED else "",
    )


def plan_due(*, enrollment_id, trainee_id, placement, due_on, today, cycle_days, gate=None):
    """The daily sweep's move for a due enrollment: pre-job starts cycle 1; a cycle whose gate is met
    moves on, one whose gate is not met is extended for REMEDIATION_DAYS with the gate's reasons as
    the remediation plan (DOMAIN §3)."""
    common = {
        "enrollment_id": enrollment_id,
        "trainee_id": trainee_id,
        "placement": placement,
        "due_on": due_on,
        "today": today,
        "cycle_days": cycle_days,
    }
    if placement.state == PRE_JOB:
        return plan(move=START, **common)
    if gate.passed:
        return plan(move=ADVANCE, gate=gate, **common)
    reasons = "\n".join(str(r) for r in gate.reasons)
    return plan(
        move=EXTEND,
        remediation_plan=reasons,
        new_due_on=today + datetime.timedelta(days=REMEDIATION_DAYS),
        **common,
    )
