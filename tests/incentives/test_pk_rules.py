"""The pure rules of a PK (issue 15 §4): direction-aware ranking with shared ranks and a minimum volume, the
normalisation of counts, and the reward split by workload share — capped, in whole fen, summing to the pool."""

from decimal import Decimal
from fractions import Fraction

import pytest

from incentives import pk_rules as rules


def r(key, value, volume=100):
    return rules.Result(key, None if value is None else Decimal(value), Decimal(volume))


def test_higher_is_better_ranks_the_highest_first():
    placed = rules.rank([r("a", 70), r("b", 90), r("c", 80)], lower_is_better=False)
    assert [(p.key, p.rank) for p in placed] == [("b", 1), ("c", 2), ("a", 3)]


def test_lower_is_better_ranks_the_lowest_first():
    placed = rules.rank([r("a", 300), r("b", 240), r("c", 260)], lower_is_better=True)
    assert [(p.key, p.rank) for p in placed] == [("b", 1), ("c", 2), ("a", 3)]


def test_ties_share_a_rank_and_the_next_rank_skips():
    placed = rules.rank([r("a", 90), r("b", 90), r("c", 80), r("d", 95)], lower_is_better=False)
    assert [(p.key, p.rank) for p in placed] == [("d", 1), ("a", 2), ("b", 2), ("c", 4)]


def test_tied_winners_are_both_winners():
    placed = rules.rank([r("a", 90), r("b", 90), r("c", 80)], lower_is_better=False)
    assert rules.winners(placed) == ["a", "b"]


def test_volume_below_the_minimum_is_not_ranked_with_its_reason():
    # One survey cannot top a board: 100% on one response is below the minimum of 30.
    placed = rules.rank([r("a", 100, volume=1), r("b", 85, volume=40)], lower_is_better=False, minimum_volume=30)
    assert [(p.key, p.rank, p.reason) for p in placed] == [("b", 1, ""), ("a", None, rules.NotRanked.LOW_VOLUME)]


def test_without_a_minimum_a_result_without_volume_is_ranked():
    # An external project's result entered without a volume still counts when the PK sets no minimum.
    placed = rules.rank([r("a", 5, volume=0), r("b", 7, volume=0)], lower_is_better=False)
    assert [(p.key, p.rank) for p in placed] == [("b", 1), ("a", 2)]


def test_no_data_is_not_ranked():
    placed = rules.rank([r("a", None, volume=0), r("b", 85)], lower_is_better=False)
    assert [(p.key, p.rank, p.reason) for p in placed] == [("b", 1, ""), ("a", None, rules.NotRanked.NO_DATA)]


def test_a_count_per_agent_divides_by_head_count():
    assert rules.normalise(12, per="agent", head_count=4, contacts=999) == (Decimal(3), Decimal(4))


def test_a_count_per_100_contacts_divides_by_calls():
    assert rules.normalise(6, per="contacts", head_count=4, contacts=300) == (Decimal(2), Decimal(300))


def test_a_count_without_a_denominator_has_no_value():
    assert rules.normalise(6, per="agent", head_count=0, contacts=0) == (None, Decimal(0))


def test_the_only_move_is_open_to_closed():
    assert rules.can_move(rules.Status.OPEN, rules.Status.CLOSED)
    assert not rules.can_move(rules.Status.CLOSED, rules.Status.OPEN)
    assert not rules.can_move(rules.Status.CLOSED, rules.Status.CLOSED)


# The split ------------------------------------------------------------------------------------------------------

WORK = [
    rules.Work("agent", cases_owned=6, handoffs_carried=0, calls_handled=600),
    rules.Work("specialist", cases_owned=2, handoffs_carried=3, calls_handled=100),
    rules.Work("lead", cases_owned=2, handoffs_carried=1, calls_handled=300),
]


def test_the_workload_share_follows_the_formula():
    shares = rules.workload_shares(WORK)
    # agent: (6/10 + 0/4 + 600/1000) / 3
    assert shares["agent"] == (Fraction(6, 10) + 0 + Fraction(600, 1000)) / 3
    assert shares["specialist"] == (Fraction(2, 10) + Fraction(3, 4) + Fraction(100, 1000)) / 3
    assert sum(shares.values()) == 1


def test_a_part_nobody_did_drops_out_of_the_formula():
    shares = rules.workload_shares([rules.Work("a", calls_handled=3), rules.Work("b", calls_handled=1)])
    assert shares == {"a": Fraction(3, 4), "b": Fraction(1, 4)}


def test_weights_change_the_shares():
    shares = rules.workload_shares(WORK, {"cases_owned": 0, "handoffs_carried": 1, "calls_handled": 0})
    assert shares == {"agent": 0, "specialist": Fraction(3, 4), "lead": Fraction(1, 4)}


def test_the_split_equals_the_formula_and_sums_exactly_to_the_pool():
    pool = 100_000  # 1,000.00 yuan in fen
    split = {s.key: s.amount for s in rules.split_pool(pool, WORK)}
    shares = rules.workload_shares(WORK)
    assert sum(split.values()) == pool
    for key, amount in split.items():
        assert abs(amount - pool * shares[key]) < 1  # within one fen of pool × share


@pytest.mark.parametrize("pool", [1, 2, 99_999, 100_001, 33_333, 7])
def test_no_fen_is_lost_whatever_the_pool(pool):
    three_equal = [rules.Work(k, calls_handled=1) for k in "abc"]
    amounts = [s.amount for s in rules.split_pool(pool, three_equal)]
    assert sum(amounts) == pool
    assert max(amounts) - min(amounts) <= 1


def test_the_cap_holds_and_the_rest_goes_to_the_others():
    split = {s.key: s for s in rules.split_pool(100_000, WORK, cap=40_000)}
    assert split["agent"].amount == 40_000 and split["agent"].is_capped
    assert sum(s.amount for s in split.values()) == 100_000
    assert all(s.amount <= 40_000 for s in split.values())
    # The others share what the cap held back in proportion to their shares.
    shares = rules.workload_shares(WORK)
    expected = 60_000 * shares["specialist"] / (shares["specialist"] + shares["lead"])
    assert abs(split["specialist"].amount - expected) < 1


def test_when_everyone_is_at_the_cap_the_rest_stays_in_the_pool():
    split = rules.split_pool(100_000, WORK, cap=10_000)
    assert [s.amount for s in split] == [10_000, 10_000, 10_000]


def test_tied_winners_share_the_pool_equally_to_the_fen():
    assert rules.split_between_winners(100, ["a", "b", "c"]) == {"a": 34, "b": 33, "c": 33}


def test_yuan_become_fen_and_back():
    assert rules.to_units(Decimal("1234.56"), is_cny=True) == 123456
    assert rules.from_units(123456, is_cny=True) == Decimal("1234.56")
    assert rules.to_units(Decimal("500"), is_cny=False) == 500
