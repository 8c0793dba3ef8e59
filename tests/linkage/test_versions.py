"""linkage.versions: the transition table of a playbook version, exhaustively (pure: no database)."""

import itertools

import pytest
from django.utils import translation

from linkage import versions as v
from linkage.models import VersionStatus

ALLOWED = {
    (v.DRAFT, v.CONSULTATION),
    (v.CONSULTATION, v.PILOT),
    (v.CONSULTATION, v.PUBLISHED),
    (v.PILOT, v.PUBLISHED),
    (v.PUBLISHED, v.RETIRED),
}


def test_the_pure_statuses_are_the_model_statuses():
    assert set(v.STATUSES) == set(VersionStatus.values)
    assert set(v.MOVES) == set(VersionStatus.values)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(v.STATUSES, v.STATUSES)))
def test_a_move_is_allowed_exactly_when_the_table_lists_it(current, target):
    decision = v.move_decision(current, target)
    assert decision.allowed is ((current, target) in ALLOWED)
    assert v.can_move(current, target) is ((current, target) in ALLOWED)
    assert bool(decision.reasons) is not decision.allowed


@pytest.mark.parametrize("status", v.STATUSES)
def test_only_a_draft_is_editable(status):
    assert v.is_editable(status) is (status == v.DRAFT)
    assert (v.edit_refusal(status) is None) is (status == v.DRAFT)


def test_a_refused_edit_names_the_status_and_the_way_out():
    assert v.edit_refusal(v.PUBLISHED) == (
        "This version is published: only a draft can be changed. Start a new version to change it."
    )


def test_a_retired_version_never_moves():
    assert v.move_decision(v.RETIRED, v.PUBLISHED).reasons == ("This version is retired: nothing can change it.",)


def test_a_move_to_the_same_status_is_refused_by_the_table():
    assert v.move_decision(v.PILOT, v.PILOT).reasons == ("This version is already in pilot.",)


def test_a_move_off_the_table_says_from_where_to_where():
    assert v.move_decision(v.DRAFT, v.PUBLISHED).reasons == ("This version is a draft: it cannot be published.",)


@pytest.mark.parametrize("target", [v.PILOT, v.PUBLISHED])
def test_consultation_cannot_close_with_an_unanswered_comment(target):
    decision = v.move_decision(v.CONSULTATION, target, unanswered_comments=2, pilot_team_count=1)
    assert decision.reasons == ("2 comments are not answered yet: answer each before the version goes on.",)


def test_one_unanswered_comment_is_named_in_the_singular():
    decision = v.move_decision(v.CONSULTATION, v.PUBLISHED, unanswered_comments=1)
    assert decision.reasons == ("1 comment is not answered yet: answer it before the version goes on.",)


def test_consultation_closes_once_every_comment_is_answered():
    assert v.move_decision(v.CONSULTATION, v.PUBLISHED, unanswered_comments=0).allowed


def test_a_pilot_needs_a_team():
    assert v.move_decision(v.CONSULTATION, v.PILOT, pilot_team_count=0).reasons == ("Choose at least one pilot team.",)


def test_a_version_does_not_open_for_consultation_with_step_problems():
    decision = v.move_decision(v.DRAFT, v.CONSULTATION, step_problems=["A version needs at least one step."])
    assert decision.reasons == ("A version needs at least one step.",)


def test_retiring_by_hand_needs_a_reason():
    assert v.move_decision(v.PUBLISHED, v.RETIRED, retire_reason="  ").reasons == ("Say why the version is retired.",)
    assert v.move_decision(v.PUBLISHED, v.RETIRED, retire_reason="Replaced by a new law").allowed


def test_version_one_starts_without_a_reason():
    assert v.start_decision(1, "").allowed


def test_version_two_needs_a_reason():
    assert v.start_decision(2, " ").reasons == (
        "Say why this version is needed: from version 2 on, a reason is required.",
    )
    assert v.start_decision(2, "Customers now ask for the new product").allowed


def test_a_version_is_not_started_while_another_is_on_its_way():
    assert v.start_decision(3, "Why", in_work=(2, v.CONSULTATION)).reasons == (
        "Version 2 is still in consultation: carry it through before starting another.",
    )


@pytest.mark.parametrize("status", v.STATUSES)
def test_comments_are_taken_only_in_consultation(status):
    assert (v.comment_refusal(status, may_comment=True) is None) is (status == v.CONSULTATION)


def test_comments_are_refused_after_the_consultation_ends():
    assert v.comment_refusal(v.CONSULTATION, may_comment=True, is_open=False) == "The consultation has ended."


def test_comments_are_refused_to_people_it_will_not_apply_to():
    assert v.comment_refusal(v.CONSULTATION, may_comment=False) == (
        "Only the people this version will apply to, and HR, can comment on it."
    )


def test_reasons_are_translated():
    with translation.override("zh-hans"):
        reasons = v.move_decision(v.CONSULTATION, v.PUBLISHED, unanswered_comments=2).reasons
    assert all(isinstance(reason, str) for reason in reasons)
