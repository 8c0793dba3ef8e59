"""The onboarding state machine and gate rules (training.cycles), pure: no database."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from training import cycles
from training.cycles import GateProgress, IllegalMove, Placement, gate_result

# One placement per state: the cycle an enrollment in that state would be in.
PLACEMENTS = {
    "pre_job": Placement("pre_job", 0),
    "cycle_1": Placement("cycle_1", 1),
    "cycle_2": Placement("cycle_2", 2),
    "cycle_3": Placement("cycle_3", 3),
    "cycle_4": Placement("cycle_4", 4),
    "extended": Placement("extended", 2),
    "on_hold": Placement("on_hold", 2, held_from="cycle_2"),
    "completed": Placement("completed", 4),
    "withdrawn": Placement("withdrawn", 2),
}

# (state, move) -> (state, cycle) after the move, or None when the move is illegal. Written out by hand.
X = None
EXPECTED = {
    # state: (start, advance, extend, hold, resume, withdraw)
    "pre_job": (("cycle_1", 1), X, X, ("on_hold", 0), X, ("withdrawn", 0)),
    "cycle_1": (X, ("cycle_2", 2), ("extended", 1), ("on_hold", 1), X, ("withdrawn", 1)),
    "cycle_2": (X, ("cycle_3", 3), ("extended", 2), ("on_hold", 2), X, ("withdrawn", 2)),
    "cycle_3": (X, ("cycle_4", 4), ("extended", 3), ("on_hold", 3), X, ("withdrawn", 3)),
    "cycle_4": (X, ("completed", 4), ("extended", 4), ("on_hold", 4), X, ("withdrawn", 4)),
    "extended": (X, ("cycle_3", 3), ("extended", 2), ("on_hold", 2), X, ("withdrawn", 2)),
    "on_hold": (X, X, X, X, ("cycle_2", 2), ("withdrawn", 2)),
    "completed": (X, X, X, X, X, X),
    "withdrawn": (X, X, X, X, X, X),
}
MOVE_ORDER = ("start", "advance", "extend", "hold", "resume", "withdraw")
TABLE = {
    (state, move): outcome
    for state, outcomes in EXPECTED.items()
    for move, outcome in zip(MOVE_ORDER, outcomes, strict=True)
}


def test_the_expected_table_covers_every_state_and_move():
    assert set(TABLE) == set(itertools.product(cycles.STATES, cycles.MOVES))
    assert set(PLACEMENTS) == set(cycles.STATES)


@pytest.mark.parametrize(("state", "move"), list(itertools.product(cycles.STATES, cycles.MOVES)))
def test_every_move_from_every_state_follows_the_table(state, move):
    expected = TABLE[(state, move)]
    placement = PLACEMENTS[state]
    if expected is None:
        with pytest.raises(IllegalMove) as raised:
            cycles.apply(placement, move)
        assert str(raised.value).strip()
        assert not cycles.is_allowed(placement, move)
    else:
        after = cycles.apply(placement, move)
        assert (after.state, after.cycle) == expected
        assert cycles.is_allowed(placement, move)


@pytest.mark.parametrize("state", cycles.STATES)
def test_allowed_moves_lists_exactly_the_legal_moves(state):
    expected = [move for move in cycles.MOVES if TABLE[(state, move)] is not None]
    assert cycles.allowed_moves(PLACEMENTS[state]) == expected


@pytest.mark.parametrize("held_from", ["pre_job", "cycle_1", "cycle_3", "extended"])
def test_resume_returns_to_the_state_it_was_held_from(held_from):
    cycle = 0 if held_from == "pre_job" else 3 if held_from == "cycle_3" else 1
    held = cycles.apply(Placement(held_from, cycle), cycles.HOLD)
    assert held == Placement("on_hold", cycle, held_from=held_from)
    assert cycles.apply(held, cycles.RESUME) == Placement(held_from, cycle)


def test_resume_without_held_from_falls_back_to_the_cycle_state():
    assert cycles.apply(Placement("on_hold", 3), cycles.RESUME) == Placement("cycle_3", 3)
    assert cycles.apply(Placement("on_hold", 0), cycles.RESUME) == Placement("pre_job", 0)


@pytest.mark.parametrize("state", sorted(cycles.TERMINAL))
@pytest.mark.parametrize("move", cycles.MOVES)
def test_terminal_states_refuse_every_move_and_say_why(state, move):
    with pytest.raises(IllegalMove, match="nothing can change it"):
        cycles.apply(PLACEMENTS[state], move)


def test_hold_twice_is_refused_with_a_message():
    with pytest.raises(IllegalMove, match="already on hold"):
        cycles.apply(PLACEMENTS["on_hold"], cycles.HOLD)


def test_an_unknown_move_is_refused():
    with pytest.raises(IllegalMove, match="Unknown move"):
        cycles.apply(PLACEMENTS["cycle_1"], "teleport")


def test_advancing_an_extended_last_cycle_completes_the_program():
    assert cycles.apply(Placement("extended", 4), cycles.ADVANCE) == Placement("completed", 4)


# Gate rules ------------------------------------------------------------------------------

MET = GateProgress(
    required_total=3,
    required_done=3,
    check_required=True,
    check_score=85,
    pass_mark=80,
    focus_levels={"Listening": 3.5, "Notes": 4.0},
    focus_min_level=3.0,
)


def _with(**changes):
    return GateProgress(**{**MET.__dict__, **changes})


def test_gate_passes_when_every_criterion_is_met():
    assert gate_result(MET) == cycles.GateResult(passed=True, reasons=())


def test_gate_passes_with_nothing_required():
    assert gate_result(GateProgress(required_total=0, required_done=0)).passed


def test_gate_fails_when_one_required_activity_is_not_done():
    result = gate_result(_with(required_done=2))
    assert not result.passed
    assert [str(r) for r in result.reasons] == ["1 required activity is not done."]


def test_gate_fails_when_several_required_activities_are_not_done():
    result = gate_result(_with(required_done=0))
    assert [str(r) for r in result.reasons] == ["3 required activities are not done."]


def test_gate_fails_when_the_required_check_was_not_taken():
    result = gate_result(_with(check_score=None))
    assert [str(r) for r in result.reasons] == ["The pass-the-gate check has not been taken."]


def test_gate_fails_when_the_check_scored_below_the_pass_mark():
    result = gate_result(_with(check_score=79))
    assert [str(r) for r in result.reasons] == ["The pass-the-gate check scored 79, below the pass mark 80."]


def test_gate_passes_when_the_check_scored_exactly_the_pass_mark():
    assert gate_result(_with(check_score=80)).passed


def test_gate_ignores_the_check_when_none_is_required():
    assert gate_result(_with(check_required=False, check_score=None)).passed


def test_gate_fails_when_a_focus_indicator_is_not_assessed():
    result = gate_result(_with(focus_levels={"Listening": 3.5, "Notes": None}))
    assert [str(r) for r in result.reasons] == ["Notes has not been assessed."]


def test_gate_fails_when_a_focus_indicator_is_below_the_required_level():
    result = gate_result(_with(focus_levels={"Listening": 2.5, "Notes": 4.0}))
    assert [str(r) for r in result.reasons] == ["Listening is at 2.5, below the required 3."]


def test_gate_passes_when_a_focus_indicator_is_exactly_at_the_required_level():
    assert gate_result(_with(focus_levels={"Listening": 3.0, "Notes": 3.0})).passed


def test_gate_ignores_focus_levels_when_no_level_is_required():
    assert gate_result(_with(focus_levels={"Listening": None}, focus_min_level=None)).passed


def test_gate_lists_every_unmet_criterion_together():
    result = gate_result(
        _with(required_done=1, check_score=50, focus_levels={"Notes": None, "Listening": 1.0}, focus_min_level=3.0)
    )
    assert [str(r) for r in result.reasons] == [
        "2 required activities are not done.",
        "The pass-the-gate check scored 50, below the pass mark 80.",
        "Listening is at 1, below the required 3.",
        "Notes has not been assessed.",
    ]


# The named sets of states -------------------------------------------------------------------


def test_the_named_sets_of_states_are_what_the_domain_says():
    assert set(cycles.ACTIVE) == {"cycle_1", "cycle_2", "cycle_3", "cycle_4", "extended"}
    assert set(cycles.DUE) == {"pre_job", *cycles.ACTIVE}
    assert set(cycles.OPEN) == {*cycles.DUE, "on_hold"}
    assert set(cycles.OPEN) | set(cycles.TERMINAL) == set(cycles.STATES)
    assert not set(cycles.OPEN) & set(cycles.TERMINAL)


def test_the_table_names_only_known_states_and_moves():
    targets = set(cycles.STATES) | {cycles.NEXT_CYCLE, cycles.HELD_FROM}
    assert all(state in cycles.STATES and move in cycles.MOVES for state, move in cycles.TABLE)
    assert set(cycles.TABLE.values()) <= targets


# plan(): everything one move does -------------------------------------------------------------

TODAY = datetime.date(2026, 3, 3)
DAYS = {1: 14, 2: 14, 3: 21, 4: 10}
MET_GATE = cycles.GateResult(passed=True, reasons=())


def _plan(state, move, **kwargs):
    placement = PLACEMENTS[state]
    kwargs.setdefault("gate", MET_GATE)
    if move == cycles.EXTEND:
        kwargs.setdefault("remediation_plan", "Practise.")
        kwargs.setdefault("new_due_on", TODAY + datetime.timedelta(days=5))
    return cycles.plan(
        enrollment_id=7,
        trainee_id=9,
        placement=placement,
        due_on=TODAY,
        move=move,
        today=TODAY,
        cycle_days=DAYS,
        **kwargs,
    )


@pytest.mark.parametrize(("state", "move"), list(itertools.product(cycles.STATES, cycles.MOVES)))
def test_plan_follows_the_table_for_every_state_and_move(state, move):
    expected = TABLE[(state, move)]
    if expected is None:
        with pytest.raises(ValidationError) as raised:
            _plan(state, move)
        assert " ".join(raised.value.messages).strip()
        return
    change = _plan(state, move)
    assert (change.after.state, change.after.cycle) == expected
    assert (change.before, change.move, change.notification) == (PLACEMENTS[state], move, f"enrollment_{move}")
    assert (change.enrollment_id, change.trainee_id) == (7, 9)


@pytest.mark.parametrize("state", ["cycle_1", "cycle_2", "cycle_3", "extended"])
def test_advancing_into_a_cycle_starts_it_today_with_its_length_and_a_clean_slate(state):
    change = _plan(state, cycles.ADVANCE)
    assert change.enters_cycle == change.after.cycle
    assert change.fields == {
        "cycle_started_on": TODAY,
        "due_on": TODAY + datetime.timedelta(days=DAYS[change.after.cycle]),
        "is_gate_failed": False,
        "remediation_plan": "",
    }
    assert change.stage is None  # already onboarding


def test_starting_cycle_1_makes_a_pre_job_trainee_onboarding():
    change = _plan("pre_job", cycles.START)
    assert (change.enters_cycle, change.fields["due_on"]) == (1, TODAY + datetime.timedelta(days=DAYS[1]))
    assert change.stage[:2] == (("pre_job",), "onboarding")


def test_completing_cycle_4_makes_the_trainee_grow_and_enters_no_cycle():
    change = _plan("cycle_4", cycles.ADVANCE)
    assert (change.after.state, change.enters_cycle, change.fields) == ("completed", None, {})
    assert change.stage[:2] == (("pre_job", "onboarding"), "growth")


def test_advancing_needs_the_gate_met_and_says_why_not():
    gate = cycles.GateResult(passed=False, reasons=("1 required activity is not done.",))
    with pytest.raises(ValidationError) as raised:
        _plan("cycle_2", cycles.ADVANCE, gate=gate)
    assert raised.value.messages == ["1 required activity is not done."]


def test_extending_sets_the_plan_the_new_date_and_the_flag_and_tells_the_plan():
    change = _plan("cycle_2", cycles.EXTEND, remediation_plan="Shadow calls.")
    assert change.fields == {
        "due_on": TODAY + datetime.timedelta(days=5),
        "is_gate_failed": True,
        "remediation_plan": "Shadow calls.",
    }
    assert (change.reason, change.body, change.stage, change.enters_cycle) == (
        "Shadow calls.",
        "Shadow calls.",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"remediation_plan": "  "}, "remediation_plan"),
        ({"new_due_on": TODAY}, "due_on"),
        ({"new_due_on": None}, "due_on"),
    ],
)
def test_extending_needs_a_plan_and_a_due_date_after_today(fields, error):
    with pytest.raises(ValidationError) as raised:
        _plan("cycle_1", cycles.EXTEND, **fields)
    assert error in raised.value.message_dict


def test_resuming_gives_at_least_a_remediation_period():
    change = _plan("on_hold", cycles.RESUME)
    assert change.fields == {"due_on": TODAY + datetime.timedelta(days=cycles.REMEDIATION_DAYS)}


def test_resuming_keeps_a_due_date_far_enough_away():
    change = cycles.plan(
        enrollment_id=1,
        trainee_id=1,
        placement=PLACEMENTS["on_hold"],
        due_on=TODAY + datetime.timedelta(days=30),
        move=cycles.RESUME,
        today=TODAY,
    )
    assert change.fields == {}


def test_resuming_into_an_extension_tells_the_current_plan_again():
    held = Placement("on_hold", 2, held_from="extended")
    change = cycles.plan(
        enrollment_id=1, trainee_id=1, placement=held, due_on=TODAY, move=cycles.RESUME, today=TODAY, current_plan="X"
    )
    assert (change.after.state, change.body) == ("extended", "X")


@pytest.mark.parametrize("move", [cycles.HOLD, cycles.WITHDRAW])
def test_hold_and_withdraw_change_no_date_and_no_stage(move):
    change = _plan("cycle_3", move, reason="Sick leave")
    assert (change.fields, change.stage, change.enters_cycle, change.reason) == ({}, None, None, "Sick leave")


# plan_due(): the daily sweep's move ------------------------------------------------------------


def _due(state, gate=None):
    return cycles.plan_due(
        enrollment_id=1,
        trainee_id=1,
        placement=PLACEMENTS[state],
        due_on=TODAY,
        today=TODAY,
        cycle_days=DAYS,
        gate=gate,
    )


def test_the_sweep_starts_cycle_1_after_pre_job():
    assert _due("pre_job").move == cycles.START


@pytest.mark.parametrize("state", ["cycle_1", "cycle_4", "extended"])
def test_the_sweep_advances_a_met_gate(state):
    assert _due(state, MET_GATE).move == cycles.ADVANCE


@pytest.mark.parametrize("state", ["cycle_1", "cycle_4", "extended"])
def test_the_sweep_extends_an_unmet_gate_with_its_reasons_as_the_plan(state):
    gate = cycles.GateResult(passed=False, reasons=("A.", "B."))
    change = _due(state, gate)
    assert (change.move, change.after.state, change.reason) == (cycles.EXTEND, "extended", "A.\nB.")
    assert change.fields["due_on"] == TODAY + datetime.timedelta(days=cycles.REMEDIATION_DAYS)


# One focus rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "required", "met"),
    [(None, None, None), (2.0, None, None), (None, 0.0, False), (0.0, 0.0, True), (2.9, 3.0, False), (3.0, 3.0, True)],
)
def test_a_focus_level_meets_a_requirement_of_at_least_it_and_an_unassessed_one_never(level, required, met):
    assert cycles.focus_met(level, required) is met


def test_a_required_level_of_0_still_needs_the_indicator_assessed():
    result = gate_result(_with(focus_levels={"Notes": None}, focus_min_level=0.0))
    assert [str(r) for r in result.reasons] == ["Notes has not been assessed."]


def test_a_check_below_the_pass_mark_is_flagged_and_a_check_not_taken_is_not():
    assert _with(check_score=76, pass_mark=80).is_check_failed
    assert not _with(check_score=None).is_check_failed
    assert not _with(check_score=80).is_check_failed
