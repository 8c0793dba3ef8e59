"""linkage.steps: the rules of a version's steps over plain values (pure: no database)."""

import pytest

from linkage.models import Step
from linkage.steps import (
    BranchFacts,
    StepFacts,
    branch_problems,
    duplicate_problems,
    is_scored,
    owners_of,
    problems_of,
    step_problems,
)


def step(key, order=None, *, owners=("agent",), **kwargs):
    return StepFacts(key=key, order=key if order is None else order, code=f"s{key}", owners=owners, **kwargs)


def test_a_valid_chain_has_no_problem():
    steps = [step(1), step(2, handoff="The customer agrees", receiver="specialist"), step(3, is_scripted=False)]
    assert step_problems(steps, [BranchFacts(1, 3)]) == []


def test_a_version_needs_a_step():
    assert step_problems([], []) == ["A version needs at least one step."]


@pytest.mark.parametrize("owners", [(), (None,)])
def test_a_step_without_an_owner_is_refused(owners):
    assert problems_of(step(1, owners=owners_of(list(owners)), name="Discover")) == [
        "Step “Discover” has no owning role: each step needs exactly one owning role."
    ]


def test_a_step_with_two_owners_is_refused():
    assert problems_of(step(1, owners=("agent", "lead"), name="Discover")) == [
        "Step “Discover” has 2 owning roles: each step needs exactly one owning role."
    ]


def test_the_same_owner_given_twice_is_one_owner():
    assert problems_of(step(1, owners=("agent", "agent"))) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ()), ("", ()), (7, (7,)), ("agent", ("agent",)), ([7, 8], (7, 8)), ([7, None], (7,)), ({7}, (7,))],
)
def test_owners_are_read_from_nothing_one_or_several(value, expected):
    assert owners_of(value) == expected


def test_a_hand_off_criterion_needs_a_receiving_role():
    assert problems_of(step(1, handoff="Customer agrees", name="Guide")) == [
        "Step “Guide” has a hand-off criterion but no receiving role: name who takes over."
    ]


def test_a_step_without_a_hand_off_needs_no_receiver():
    assert problems_of(step(1, handoff="  ")) == []


def test_orders_are_unique():
    assert duplicate_problems([step(1, 1), step(2, 1)]) == ["Order 1 is used by more than one step."]


def test_codes_are_unique():
    assert duplicate_problems([StepFacts(1, 1, "x", ("a",)), StepFacts(2, 2, "x", ("a",))]) == [
        "Code “x” is used by more than one step."
    ]


def test_a_branch_to_a_step_of_the_version_is_valid():
    assert branch_problems([step(1), step(2)], [BranchFacts(1, 2)]) == []


def test_a_branch_to_a_missing_step_is_refused():
    assert branch_problems([step(1, name="Mediate"), step(2)], [BranchFacts(1, 99)]) == [
        "A branch of step “Mediate” goes to a step that is neither in this version nor in the published or pilot "
        "version of another playbook."
    ]


def test_a_branch_to_another_playbooks_published_step_is_valid():
    assert branch_problems([step(1)], [BranchFacts(1, 99)], outside_targets=frozenset({99})) == []


def test_a_branch_back_to_its_own_step_is_refused():
    assert branch_problems([step(1, name="Warn")], [BranchFacts(1, 1)]) == [
        "A branch of step “Warn” goes back to the same step."
    ]


def test_a_branch_from_a_step_outside_the_version_is_refused():
    assert branch_problems([step(1)], [BranchFacts(5, 1)]) == [
        "A branch starts from a step that is not in this version."
    ]


def test_every_problem_is_listed_at_once():
    steps = [step(1, owners=()), step(2, 1, handoff="x")]
    assert len(step_problems(steps, [BranchFacts(1, 42)])) == 4


@pytest.mark.parametrize("is_scripted", [True, False])
def test_only_scripted_steps_are_scored(is_scripted):
    assert is_scored(step(1, is_scripted=is_scripted)) is is_scripted


def test_a_step_is_named_by_its_code_when_it_has_no_name():
    assert problems_of(StepFacts(1, 1, "warn", ())) == [
        "Step “warn” has no owning role: each step needs exactly one owning role."
    ]


def test_a_guidance_step_of_the_model_is_never_scored():
    assert is_scored(Step(is_scripted=False)) is False
    assert is_scored(Step()) is True  # a step is scripted unless marked as guidance only
