"""KASH profile maths (training/kash.py): pure functions, no database."""

import datetime
import random
from decimal import Decimal

import pytest

from training.kash import (
    DIMENSIONS,
    IndicatorInfo,
    ScoreFact,
    change,
    current_levels,
    dimension_scores,
    gaps,
    month_ends,
    monthly_trend,
    sorted_gaps,
)

D = datetime.date
WEIGHTS = {"self": 1.0, "supervisor": 2.0, "mentor": 1.0}


def fact(indicator_id, source, assessed_on, level, assessment_id=1):
    return ScoreFact(
        indicator_id=indicator_id,
        source=source,
        assessed_on=assessed_on,
        level=level,
        assessment_id=assessment_id,
    )


# --------------------------------------------------------------------------- current_levels


def test_no_facts_give_no_levels():
    assert current_levels([], WEIGHTS) == {}


def test_single_score_is_the_current_level():
    assert current_levels([fact(1, "supervisor", D(2025, 1, 10), 3)], WEIGHTS) == {1: 3.0}


def test_latest_score_per_source_wins():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 3, 10), 4, assessment_id=2),
        fact(1, "supervisor", D(2025, 2, 10), 5, assessment_id=3),
    ]
    assert current_levels(facts, WEIGHTS) == {1: 4.0}


def test_latest_score_wins_whatever_the_input_order():
    facts = [
        fact(1, "supervisor", D(2025, 3, 10), 4, assessment_id=2),
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
    ]
    assert current_levels(facts, WEIGHTS) == {1: 4.0}
    assert current_levels(list(reversed(facts)), WEIGHTS) == {1: 4.0}


def test_later_day_beats_higher_assessment_id():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=99),
        fact(1, "supervisor", D(2025, 1, 11), 5, assessment_id=1),
    ]
    assert current_levels(facts, WEIGHTS) == {1: 5.0}


def test_same_source_same_day_higher_assessment_id_wins():
    facts = [
        fact(1, "mentor", D(2025, 1, 10), 5, assessment_id=8),
        fact(1, "mentor", D(2025, 1, 10), 2, assessment_id=7),
    ]
    assert current_levels(facts, WEIGHTS) == {1: 5.0}
    assert current_levels(list(reversed(facts)), WEIGHTS) == {1: 5.0}


def test_latest_is_chosen_per_source_not_across_sources():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2),
        fact(1, "self", D(2025, 6, 1), 5),
    ]
    # supervisor 2 (weight 2) and self 5 (weight 1): (4 + 5) / 3
    assert current_levels(facts, WEIGHTS) == {1: 3.0}


def test_sources_are_combined_by_weighted_mean():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4),
        fact(1, "self", D(2025, 1, 12), 3),
    ]
    # (2 * 4 + 1 * 3) / (2 + 1) = 11 / 3 = 3.666...
    assert current_levels(facts, WEIGHTS) == {1: 3.67}


def test_weighted_mean_over_three_sources():
    weights = {"supervisor": 3, "qa": 2, "self": 0.5}
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4),
        fact(1, "qa", D(2025, 1, 10), 2),
        fact(1, "self", D(2025, 1, 10), 5),
    ]
    # (3 * 4 + 2 * 2 + 0.5 * 5) / 5.5 = 18.5 / 5.5 = 3.3636...
    assert current_levels(facts, weights) == {1: 3.36}


def test_levels_are_computed_per_indicator():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4),
        fact(2, "supervisor", D(2025, 1, 10), 1),
        fact(2, "self", D(2025, 1, 10), 4),
    ]
    # indicator 2: (2 * 1 + 1 * 4) / 3 = 2.0
    assert current_levels(facts, WEIGHTS) == {1: 4.0, 2: 2.0}


def test_missing_sources_are_left_out_and_weights_renormalised():
    facts = [
        fact(1, "self", D(2025, 1, 10), 2),
        fact(1, "mentor", D(2025, 1, 10), 5),
    ]
    # no supervisor score: (1 * 2 + 1 * 5) / (1 + 1), not divided by the supervisor's weight too
    assert current_levels(facts, WEIGHTS) == {1: 3.5}


def test_all_present_sources_weighing_zero_give_none():
    weights = {"self": 0, "peer": 0.0, "supervisor": 2}
    facts = [
        fact(1, "self", D(2025, 1, 10), 4),
        fact(1, "peer", D(2025, 1, 10), 2),
    ]
    assert current_levels(facts, weights) == {1: None}


def test_source_weighing_zero_does_not_count_in_the_mean():
    weights = {"self": 0, "supervisor": 2}
    facts = [
        fact(1, "self", D(2025, 1, 10), 5),
        fact(1, "supervisor", D(2025, 1, 10), 2),
    ]
    assert current_levels(facts, weights) == {1: 2.0}


def test_source_missing_from_weights_is_ignored():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4),
        fact(1, "peer", D(2025, 1, 10), 1),
    ]
    assert current_levels(facts, WEIGHTS) == {1: 4.0}


def test_indicator_scored_only_by_unweighted_sources_is_none():
    assert current_levels([fact(1, "imported", D(2025, 1, 10), 3)], WEIGHTS) == {1: None}


def test_as_of_excludes_later_facts():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 2, 10), 5, assessment_id=2),
    ]
    assert current_levels(facts, WEIGHTS, as_of=D(2025, 1, 31)) == {1: 2.0}


def test_as_of_includes_facts_of_that_day():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 1, 31), 5, assessment_id=2),
    ]
    assert current_levels(facts, WEIGHTS, as_of=D(2025, 1, 31)) == {1: 5.0}


def test_indicator_assessed_only_after_as_of_is_absent():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2),
        fact(2, "supervisor", D(2025, 2, 10), 5),
    ]
    assert current_levels(facts, WEIGHTS, as_of=D(2025, 1, 31)) == {1: 2.0}


def test_decimal_source_weights_are_accepted():
    weights = {"supervisor": Decimal("2.0"), "self": Decimal("1")}
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4),
        fact(1, "self", D(2025, 1, 12), 3),
    ]
    assert current_levels(facts, weights) == {1: 3.67}


def test_current_levels_matches_a_brute_force_reference_on_random_facts():
    rng = random.Random(20250101)
    weights = {"self": 1.0, "supervisor": 2.5, "mentor": 0.0, "qa": 1.5}
    facts = random_facts(rng, count=400, indicator_ids=range(1, 16))
    as_of = D(2024, 9, 30)

    expected = {}
    for indicator_id in {f.indicator_id for f in facts if f.assessed_on <= as_of}:
        latest = {}
        for source in {f.source for f in facts}:
            candidates = [
                f for f in facts if f.indicator_id == indicator_id and f.source == source and f.assessed_on <= as_of
            ]
            if candidates:
                latest[source] = max(candidates, key=lambda f: (f.assessed_on, f.assessment_id, f.level)).level
        weighted = [(weights.get(s, 0.0), level) for s, level in latest.items() if weights.get(s, 0.0) > 0]
        total = sum(w for w, _ in weighted)
        expected[indicator_id] = round(sum(w * lv for w, lv in weighted) / total, 2) if total else None

    actual = current_levels(facts, weights, as_of=as_of)
    assert actual.keys() == expected.keys()
    assert {i for i, level in actual.items() if level is None} == {i for i, level in expected.items() if level is None}
    for indicator_id, level in expected.items():
        if level is not None:  # summation order may differ by one float ulp, so allow a rounding step
            assert actual[indicator_id] == pytest.approx(level, abs=0.0101)


# --------------------------------------------------------------------------- dimension_scores


INDICATORS = [
    IndicatorInfo(id=1, dimension="K", weight=2.0),
    IndicatorInfo(id=2, dimension="K", weight=1.0),
    IndicatorInfo(id=3, dimension="A"),
    IndicatorInfo(id=4, dimension="S", weight=0.5),
    IndicatorInfo(id=5, dimension="S", weight=1.5),
    IndicatorInfo(id=6, dimension="H", weight=1.0),
]


def test_indicator_weight_defaults_to_one():
    assert IndicatorInfo(id=1, dimension="K").weight == 1.0


def test_dimension_score_is_weighted_mean_of_its_indicators():
    levels = {1: 4.0, 2: 2.0, 3: 3.5, 4: 5.0, 5: 1.0, 6: 2.25}
    assert dimension_scores(levels, INDICATORS) == {
        "K": 3.33,  # (2 * 4 + 1 * 2) / 3 = 10 / 3
        "A": 3.5,
        "S": 2.0,  # (0.5 * 5 + 1.5 * 1) / 2
        "H": 2.25,
    }


def test_dimension_scores_always_have_all_four_dimensions_in_order():
    assert list(dimension_scores({}, INDICATORS)) == list(DIMENSIONS)


def test_dimension_without_any_assessed_indicator_is_none():
    levels = {1: 4.0, 2: 2.0}
    assert dimension_scores(levels, INDICATORS) == {"K": 3.33, "A": None, "S": None, "H": None}


def test_dimension_scores_without_indicators_are_all_none():
    assert dimension_scores({1: 3.0}, []) == dict.fromkeys(DIMENSIONS)


def test_not_assessed_indicator_is_left_out_of_its_dimension():
    levels = {1: None, 2: 2.0}
    assert dimension_scores(levels, INDICATORS)["K"] == 2.0


def test_indicator_missing_from_levels_is_left_out_of_its_dimension():
    levels = {2: 2.0}
    assert dimension_scores(levels, INDICATORS)["K"] == 2.0


def test_indicator_weighing_zero_is_ignored():
    indicators = [IndicatorInfo(id=1, dimension="K", weight=0), IndicatorInfo(id=2, dimension="K")]
    assert dimension_scores({1: 5.0, 2: 2.0}, indicators)["K"] == 2.0


def test_dimension_with_only_zero_weight_indicators_is_none():
    indicators = [IndicatorInfo(id=1, dimension="H", weight=0.0)]
    assert dimension_scores({1: 5.0}, indicators)["H"] is None


def test_levels_of_unknown_indicators_are_ignored():
    assert dimension_scores({3: 4.0, 99: 1.0}, INDICATORS)["A"] == 4.0


def test_dimension_scores_accept_indicators_as_a_mapping():
    by_id = {info.id: info for info in INDICATORS}
    levels = {1: 4.0, 2: 2.0, 3: 3.5}
    assert dimension_scores(levels, by_id) == dimension_scores(levels, INDICATORS)


def test_same_indicator_listed_twice_counts_once():
    indicators = [IndicatorInfo(id=1, dimension="K"), IndicatorInfo(id=1, dimension="K"), IndicatorInfo(2, "K")]
    assert dimension_scores({1: 5.0, 2: 2.0}, indicators)["K"] == 3.5


def test_dimension_scores_are_rounded_to_two_decimals():
    indicators = [IndicatorInfo(id=i, dimension="A") for i in (1, 2, 3)]
    assert dimension_scores({1: 1.0, 2: 1.0, 3: 2.0}, indicators)["A"] == 1.33


# --------------------------------------------------------------------------- gaps


def test_gap_below_target_is_positive():
    assert gaps({1: 2.5}, {1: 4}) == {1: 1.5}


def test_gap_above_target_is_negative():
    assert gaps({1: 4.5}, {1: 3}) == {1: -1.5}


def test_gap_on_target_is_zero():
    assert gaps({1: 3.0}, {1: 3}) == {1: 0.0}


def test_gap_of_not_assessed_indicator_is_none():
    assert gaps({1: None}, {1: 3, 2: 4}) == {1: None, 2: None}


def test_indicator_without_target_has_no_gap():
    assert gaps({1: 2.0, 2: 3.0}, {2: 4}) == {2: 1.0}


def test_gaps_are_rounded_to_two_decimals():
    assert gaps({1: 3.67}, {1: 4}) == {1: 0.33}


def test_decimal_targets_are_accepted():
    assert gaps({1: 3.25}, {1: Decimal("4.5")}) == {1: 1.25}


# --------------------------------------------------------------------------- sorted_gaps


def test_sorted_gaps_put_biggest_gap_first():
    assert sorted_gaps({1: 0.5, 2: 2.0, 3: 1.0}) == [(2, 2.0), (3, 1.0), (1, 0.5)]


def test_sorted_gaps_put_negative_gaps_after_zero():
    assert sorted_gaps({1: -1.0, 2: 0.0, 3: -0.5}) == [(2, 0.0), (3, -0.5), (1, -1.0)]


def test_sorted_gaps_break_ties_by_indicator_id():
    assert sorted_gaps({7: 1.0, 3: 1.0, 5: 1.0}) == [(3, 1.0), (5, 1.0), (7, 1.0)]


def test_sorted_gaps_put_not_assessed_last_by_indicator_id():
    result = sorted_gaps({5: 1.0, 3: 2.5, 7: 1.0, 2: None, 1: None, 4: -0.5})
    assert result == [(3, 2.5), (5, 1.0), (7, 1.0), (4, -0.5), (1, None), (2, None)]


def test_sorted_gaps_of_nothing_are_empty():
    assert sorted_gaps({}) == []


# --------------------------------------------------------------------------- change


def test_change_is_level_at_end_minus_level_at_start():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 3, 10), 4, assessment_id=2),
    ]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: 2.0}


def test_decline_is_a_negative_change():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 4, assessment_id=1),
        fact(1, "supervisor", D(2025, 3, 10), 3, assessment_id=2),
        fact(1, "self", D(2025, 3, 10), 2, assessment_id=3),
    ]
    # start 4.0; end (2 * 3 + 1 * 2) / 3 = 2.67
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: -1.33}


def test_change_without_new_scores_is_zero():
    facts = [fact(1, "supervisor", D(2025, 1, 10), 3)]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: 0.0}


def test_change_of_indicator_not_assessed_at_start_is_none():
    facts = [fact(1, "supervisor", D(2025, 2, 10), 3)]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: None}


def test_change_of_indicator_without_weighted_source_is_none():
    facts = [
        fact(1, "imported", D(2025, 1, 10), 3, assessment_id=1),
        fact(1, "imported", D(2025, 2, 10), 5, assessment_id=2),
    ]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: None}


def test_change_leaves_out_indicators_assessed_only_after_end():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 3, assessment_id=1),
        fact(2, "supervisor", D(2025, 4, 10), 3, assessment_id=2),
    ]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: 0.0}


def test_change_ignores_scores_after_end():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 4, 10), 5, assessment_id=2),
    ]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: 0.0}


def test_change_is_rounded_to_two_decimals():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 3, assessment_id=1),
        fact(1, "self", D(2025, 1, 10), 4, assessment_id=2),
        fact(1, "self", D(2025, 2, 10), 5, assessment_id=3),
    ]
    # start (6 + 4) / 3 = 3.33, end (6 + 5) / 3 = 3.67
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 2, 28)) == {1: 0.34}


def test_change_accepts_a_one_shot_iterable():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(1, "supervisor", D(2025, 3, 10), 4, assessment_id=2),
    ]
    assert change(iter(facts), WEIGHTS, start=D(2025, 1, 31), end=D(2025, 3, 31)) == {1: 2.0}


def test_change_over_an_empty_period_is_zero():
    facts = [fact(1, "supervisor", D(2025, 1, 10), 2)]
    assert change(facts, WEIGHTS, start=D(2025, 1, 31), end=D(2025, 1, 31)) == {1: 0.0}


# --------------------------------------------------------------------------- monthly_trend


SOURCES = ("self", "supervisor", "mentor", "peer", "qa", "exam", "imported")


def random_facts(rng, *, count, indicator_ids):
    # A small pool of days and assessment ids, so same-day ties and same-id ties do happen.
    days = [D(2023, 6, 1) + datetime.timedelta(days=rng.randrange(0, 800)) for _ in range(80)]
    return [
        fact(
            rng.choice(list(indicator_ids)),
            rng.choice(SOURCES),
            rng.choice(days),
            rng.randint(1, 5),
            assessment_id=rng.randint(1, 60),
        )
        for _ in range(count)
    ]


def naive_trend(facts, weights, indicators, months):
    return [(d, dimension_scores(current_levels(facts, weights, as_of=d), indicators)) for d in months]


@pytest.mark.parametrize("seed", [1, 2, 3, 42, 2025])
def test_monthly_trend_equals_naive_per_month_computation(seed):
    rng = random.Random(seed)
    indicators = [
        IndicatorInfo(id=i, dimension=rng.choice(DIMENSIONS), weight=rng.choice([0.0, 0.5, 1.0, 2.0, 3.0]))
        for i in range(1, 21)
    ]
    weights = {"self": 0.5, "supervisor": 2.0, "mentor": 1.0, "peer": 0.0, "qa": 1.5, "exam": 1.0}  # no "imported"
    facts = random_facts(rng, count=rng.randint(150, 400), indicator_ids=range(1, 23))  # 21, 22 have no info
    months = month_ends(D(2025, 6, 15), 24)

    trend = monthly_trend(facts, weights, indicators, months=months)

    assert trend == naive_trend(facts, weights, indicators, months)


def test_monthly_trend_gives_one_entry_per_month_in_order():
    months = month_ends(D(2025, 3, 14), 3)
    trend = monthly_trend([], WEIGHTS, INDICATORS, months=months)
    assert [d for d, _ in trend] == months
    assert all(scores == dict.fromkeys(DIMENSIONS) for _, scores in trend)


def test_monthly_trend_follows_scores_over_time():
    facts = [
        fact(1, "supervisor", D(2025, 1, 10), 2, assessment_id=1),
        fact(3, "self", D(2025, 2, 3), 4, assessment_id=2),
        fact(1, "supervisor", D(2025, 3, 5), 4, assessment_id=3),
        fact(1, "supervisor", D(2025, 3, 20), 5, assessment_id=4),  # after the last date
    ]
    months = [D(2024, 12, 31), D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 14)]
    trend = monthly_trend(facts, WEIGHTS, INDICATORS, months=months)
    assert trend == [
        (D(2024, 12, 31), {"K": None, "A": None, "S": None, "H": None}),
        (D(2025, 1, 31), {"K": 2.0, "A": None, "S": None, "H": None}),
        (D(2025, 2, 28), {"K": 2.0, "A": 4.0, "S": None, "H": None}),
        (D(2025, 3, 14), {"K": 4.0, "A": 4.0, "S": None, "H": None}),
    ]


def test_monthly_trend_without_months_is_empty():
    assert monthly_trend([fact(1, "self", D(2025, 1, 1), 3)], WEIGHTS, INDICATORS, months=[]) == []


def test_monthly_trend_accepts_a_one_shot_iterable():
    facts = [fact(1, "supervisor", D(2025, 1, 10), 2)]
    months = [D(2025, 1, 31), D(2025, 2, 28)]
    expected = naive_trend(facts, WEIGHTS, INDICATORS, months)
    assert monthly_trend(iter(facts), WEIGHTS, INDICATORS, months=months) == expected


# --------------------------------------------------------------------------- month_ends


def test_month_ends_end_with_the_given_day():
    assert month_ends(D(2025, 3, 14), 3) == [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 14)]


def test_month_ends_cross_the_year_boundary():
    assert month_ends(D(2025, 2, 10), 4) == [D(2024, 11, 30), D(2024, 12, 31), D(2025, 1, 31), D(2025, 2, 10)]


def test_month_ends_use_february_29_in_a_leap_year():
    assert month_ends(D(2024, 3, 15), 3) == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 15)]


def test_month_ends_use_february_28_in_a_common_year():
    assert month_ends(D(2023, 3, 1), 2) == [D(2023, 2, 28), D(2023, 3, 1)]


def test_month_ends_handle_thirty_day_months():
    assert month_ends(D(2025, 7, 1), 3) == [D(2025, 5, 31), D(2025, 6, 30), D(2025, 7, 1)]


def test_month_ends_on_a_month_end_keep_it_once():
    assert month_ends(D(2025, 3, 31), 2) == [D(2025, 2, 28), D(2025, 3, 31)]


def test_one_month_end_is_the_day_itself():
    assert month_ends(D(2025, 3, 14), 1) == [D(2025, 3, 14)]


def test_zero_month_ends_are_empty():
    assert month_ends(D(2025, 3, 14), 0) == []


def test_twenty_four_month_ends_cover_two_years_one_per_month():
    result = month_ends(D(2025, 6, 15), 24)
    assert len(result) == 24
    assert result[0] == D(2023, 7, 31)
    assert result[-1] == D(2025, 6, 15)
    assert result == sorted(result)
    assert len({(d.year, d.month) for d in result}) == 24
    assert all((d + datetime.timedelta(days=1)).day == 1 for d in result[:-1])


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("level", [0, 6, -1])
def test_score_level_outside_one_to_five_is_refused(level):
    with pytest.raises(ValueError, match="level must be from 1 to 5"):
        fact(1, "self", D(2025, 1, 1), level)


@pytest.mark.parametrize("level", [3.5, "3", None, True])
def test_score_level_that_is_not_a_whole_number_is_refused(level):
    with pytest.raises(ValueError, match="whole number from 1 to 5"):
        fact(1, "self", D(2025, 1, 1), level)


@pytest.mark.parametrize("dimension", ["X", "k", "Knowledge", ""])
def test_unknown_dimension_is_refused(dimension):
    with pytest.raises(ValueError, match="Unknown KASH dimension"):
        IndicatorInfo(id=1, dimension=dimension)


def test_negative_indicator_weight_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        IndicatorInfo(id=1, dimension="K", weight=-0.5)


@pytest.mark.parametrize("weight", [float("nan"), float("inf"), "1", None])
def test_indicator_weight_that_is_not_a_finite_number_is_refused(weight):
    with pytest.raises(ValueError, match="Weight of indicator 1"):
        IndicatorInfo(id=1, dimension="K", weight=weight)


def test_negative_source_weight_is_refused_by_current_levels():
    with pytest.raises(ValueError, match="source 'self' must not be negative"):
        current_levels([fact(1, "supervisor", D(2025, 1, 1), 3)], {"self": -1, "supervisor": 1})


def test_negative_source_weight_is_refused_even_without_facts():
    with pytest.raises(ValueError, match="must not be negative"):
        current_levels([], {"self": -1})


def test_negative_source_weight_is_refused_by_change():
    with pytest.raises(ValueError, match="must not be negative"):
        change([], {"qa": -2}, start=D(2025, 1, 1), end=D(2025, 2, 1))


def test_negative_source_weight_is_refused_by_monthly_trend():
    with pytest.raises(ValueError, match="must not be negative"):
        monthly_trend([], {"qa": -2}, INDICATORS, months=[D(2025, 1, 31)])


def test_nan_source_weight_is_refused():
    with pytest.raises(ValueError, match="source 'self' must be a number"):
        current_levels([], {"self": float("nan")})


@pytest.mark.parametrize("level", [0.5, 5.01, float("nan")])
def test_dimension_scores_refuse_a_level_outside_one_to_five(level):
    with pytest.raises(ValueError, match="Level of indicator 1 must be a number from 1 to 5"):
        dimension_scores({1: level}, INDICATORS)


def test_gaps_refuse_a_level_outside_one_to_five():
    with pytest.raises(ValueError, match="Level of indicator 1"):
        gaps({1: 7.0}, {1: 3})


@pytest.mark.parametrize("target", [0, 6, None])
def test_gaps_refuse_a_target_outside_one_to_five(target):
    with pytest.raises(ValueError, match="Target level of indicator 1"):
        gaps({1: 3.0}, {1: target})


def test_dimension_scores_refuse_the_same_indicator_with_different_settings():
    indicators = [IndicatorInfo(id=1, dimension="K"), IndicatorInfo(id=1, dimension="A")]
    with pytest.raises(ValueError, match="Indicator 1 is given twice"):
        dimension_scores({1: 3.0}, indicators)


def test_dimension_scores_refuse_something_that_is_not_an_indicator():
    with pytest.raises(ValueError, match="Expected IndicatorInfo"):
        dimension_scores({1: 3.0}, [1])


def test_change_refuses_a_start_after_the_end():
    with pytest.raises(ValueError, match="after its end"):
        change([], WEIGHTS, start=D(2025, 2, 1), end=D(2025, 1, 1))


def test_monthly_trend_refuses_months_out_of_order():
    with pytest.raises(ValueError, match="ascending order"):
        monthly_trend([], WEIGHTS, INDICATORS, months=[D(2025, 2, 28), D(2025, 1, 31)])


@pytest.mark.parametrize("count", [-1, 2.0, True])
def test_month_ends_refuse_a_count_that_is_not_a_whole_number_of_at_least_zero(count):
    with pytest.raises(ValueError, match="Number of months"):
        month_ends(D(2025, 1, 15), count)
