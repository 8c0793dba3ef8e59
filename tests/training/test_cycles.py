"""The onboarding state machine and gate rules (training.cycles), pure: no database."""

import itertools

import pytest

from training import cycles
from training.cycles import GateProgress, IllegalMove, Position, gate_result

# One position per state: the cycle an enrollment in that state would be in.
POSITIONS = {
    "pre_job": Position("pre_job", 0),
    "cycle_1": Position("cycle_1", 1),
    "cycle_2": Position("cycle_2", 2),
    "cycle_3": Position("cycle_3", 3),
    "cycle_4": Position("cycle_4", 4),
    "extended": Position("extended", 2),
    "on_hold": Position("on_hold", 2, held_from="cycle_2"),
    "completed": Position("completed", 4),
    "withdrawn": Position("withdrawn", 2),
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
    assert set(POSITIONS) == set(cycles.STATES)


@pytest.mark.parametrize(("state", "move"), list(itertools.product(cycles.STATES, cycles.MOVES)))
def test_every_move_from_every_state_follows_the_table(state, move):
    expected = TABLE[(state, move)]
    position = POSITIONS[state]
    if expected is None:
        with pytest.raises(IllegalMove) as raised:
            cycles.apply(position, move)
        assert str(raised.value).strip()
        assert not cycles.is_allowed(position, move)
    else:
        after = cycles.apply(position, move)
        assert (after.state, after.cycle) == expected
        assert cycles.is_allowed(position, move)


@pytest.mark.parametrize("state", cycles.STATES)
def test_allowed_moves_lists_exactly_the_legal_moves(state):
    expected = [move for move in cycles.MOVES if TABLE[(state, move)] is not None]
    assert cycles.allowed_moves(POSITIONS[state]) == expected


@pytest.mark.parametrize("held_from", ["pre_job", "cycle_1", "cycle_3", "extended"])
def test_resume_returns_to_the_state_it_was_held_from(held_from):
    cycle = 0 if held_from == "pre_job" else 3 if held_from == "cycle_3" else 1
    held = cycles.apply(Position(held_from, cycle), cycles.HOLD)
    assert held == Position("on_hold", cycle, held_from=held_from)
    assert cycles.apply(held, cycles.RESUME) == Position(held_from, cycle)


def test_resume_without_held_from_falls_back_to_the_cycle_state():
    assert cycles.apply(Position("on_hold", 3), cycles.RESUME) == Position("cycle_3", 3)
    assert cycles.apply(Position("on_hold", 0), cycles.RESUME) == Position("pre_job", 0)


@pytest.mark.parametrize("state", sorted(cycles.TERMINAL))
@pytest.mark.parametrize("move", cycles.MOVES)
def test_terminal_states_refuse_every_move_and_say_why(state, move):
    with pytest.raises(IllegalMove, match="nothing can change it"):
        cycles.apply(POSITIONS[state], move)


def test_hold_twice_is_refused_with_a_message():
    with pytest.raises(IllegalMove, match="already on hold"):
        cycles.apply(POSITIONS["on_hold"], cycles.HOLD)


def test_an_unknown_move_is_refused():
    with pytest.raises(IllegalMove, match="Unknown move"):
        cycles.apply(POSITIONS["cycle_1"], "teleport")


def test_advancing_an_extended_last_cycle_completes_the_program():
    assert cycles.apply(Position("extended", 4), cycles.ADVANCE) == Position("completed", 4)


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
