"""kpis.scoring: normalising, the composite, bands, pay coefficients, weight-set and month-move rules (pure)."""

from decimal import Decimal as D

import pytest

from kpis import scoring
from kpis.scoring import Component, WeightLine


def line(kpi="fcr", weight=100, worst="0.5", best="0.9", **kwargs):
    return WeightLine(kpi, weight, D(worst), D(best), **kwargs)


# normalise ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.5", 0), ("0.9", 100), ("0.7", 50), ("0.6", 25), ("0.8", 75)],
)
def test_normalise_scales_higher_is_better_between_worst_and_best(value, expected):
    assert scoring.normalise(D(value), D("0.5"), D("0.9")) == D(expected)


@pytest.mark.parametrize(("value", "expected"), [("600", 0), ("300", 100), ("450", 50), ("375", 75)])
def test_normalise_scales_lower_is_better_when_worst_is_above_best(value, expected):
    assert scoring.normalise(D(value), D(600), D(300)) == D(expected)


@pytest.mark.parametrize(("value", "expected"), [("0.2", 0), ("0.95", 100), ("-5", 0), ("7", 100)])
def test_normalise_clamps_beyond_worst_and_best(value, expected):
    assert scoring.normalise(D(value), D("0.5"), D("0.9")) == D(expected)


@pytest.mark.parametrize(("value", "expected"), [("900", 0), ("100", 100)])
def test_normalise_clamps_lower_is_better_too(value, expected):
    assert scoring.normalise(D(value), D(600), D(300)) == D(expected)


def test_normalise_keeps_no_data_as_none():
    assert scoring.normalise(None, D(0), D(1)) is None


def test_normalise_refuses_equal_worst_and_best():
    with pytest.raises(ValueError):
        scoring.normalise(D(1), D(2), D(2))


def test_normalise_accepts_floats_and_ints():
    assert scoring.normalise(0.7, 0.5, 0.9) == D(50)


# composite ------------------------------------------------------------------------------------------------------


def test_composite_is_the_weighted_sum_over_one_hundred():
    score, _ = scoring.composite([Component("a", D(1), 60, D(50)), Component("b", D(1), 40, D(100))])
    assert score == D("70.00")


def test_composite_rounds_to_hundredths_half_up():
    score, _ = scoring.composite([Component("a", D(1), 30, D("33.335")), Component("b", D(1), 70, D(0))])
    assert score == D("10.00")  # 30 × 33.335 / 100 = 10.0005
    score, _ = scoring.composite([Component("a", D(1), 100, D("12.345"))])
    assert score == D("12.35")


def test_composite_spreads_the_weight_of_a_kpi_without_data_over_the_others():
    score, parts = scoring.composite(
        [Component("a", D(1), 50, D(80)), Component("b", D(1), 25, D(40)), Component("c", None, 25, None)]
    )
    assert score == D("66.67")  # (50 × 80 + 25 × 40) / 75
    assert [p.effective_weight for p in parts] == [D("66.67"), D("33.33"), D(0)]


def test_composite_effective_weights_equal_the_set_when_every_kpi_has_data():
    _, parts = scoring.composite([Component("a", D(1), 70, D(10)), Component("b", D(1), 30, D(20))])
    assert [p.effective_weight for p in parts] == [D(70), D(30)]


def test_composite_without_any_data_is_none():
    score, parts = scoring.composite([Component("a", None, 100, None)])
    assert score is None
    assert parts[0].effective_weight == 0


def test_composite_of_all_zeros_is_zero_not_none():
    score, _ = scoring.composite([Component("a", D(0), 100, D(0))])
    assert score == D(0)


# bands and pay --------------------------------------------------------------------------------------------------

BANDS = [("excellent", D(90)), ("meets", D(75)), ("below", D(60)), ("far_below", D(0))]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "excellent"),
        (90, "excellent"),
        ("89.99", "meets"),
        (75, "meets"),
        (60, "below"),
        ("59.99", "far_below"),
        (0, "far_below"),
    ],
)
def test_band_for_score_takes_the_highest_band_reached(score, band):
    assert scoring.band_for_score(D(str(score)), BANDS) == band


def test_band_for_score_is_the_lowest_band_below_every_threshold():
    assert scoring.band_for_score(D(5), [("excellent", D(90)), ("meets", D(50))]) == "far_below"


def test_band_for_score_does_not_depend_on_table_order():
    assert scoring.band_for_score(D(80), list(reversed(BANDS))) == "meets"


def test_pay_coefficient_prefers_the_grade_row():
    table = {("meets", ""): D("1.00"), ("meets", "G2"): D("1.10")}
    assert scoring.pay_coefficient("meets", "G2", table) == D("1.10")


def test_pay_coefficient_falls_back_to_any_grade():
    table = {("meets", ""): D("1.00"), ("meets", "G2"): D("1.10")}
    assert scoring.pay_coefficient("meets", "G3", table) == D("1.00")
    assert scoring.pay_coefficient("meets", "", table) == D("1.00")


def test_pay_coefficient_is_none_when_hr_set_none():
    assert scoring.pay_coefficient("below", "G1", {("meets", ""): D(1)}) is None


def test_pay_coefficient_of_zero_is_kept_not_treated_as_missing():
    table = {("far_below", "G1"): D(0), ("far_below", ""): D("0.8")}
    assert scoring.pay_coefficient("far_below", "G1", table) == D(0)


# weight sets ----------------------------------------------------------------------------------------------------


def test_weights_summing_to_one_hundred_are_valid():
    decision = scoring.validate_weights([line("fcr", 60), line("csat", 40)])
    assert decision.allowed and decision.reasons == ()


@pytest.mark.parametrize("weights", [(60, 30), (60, 50), (99,), (50, 49)])
def test_weights_not_summing_to_exactly_one_hundred_are_refused(weights):
    decision = scoring.validate_weights([line(f"k{i}", w) for i, w in enumerate(weights)])
    assert not decision
    assert any("exactly 100" in reason for reason in decision.reasons)


def test_a_semi_quantitative_kpi_cannot_carry_weight():
    decision = scoring.validate_weights([line("fcr", 60), line("attitude", 40, kind="semi_quantitative")])
    assert not decision
    assert decision.reasons == ("“attitude” is not quantitative: only quantitative KPIs can carry weight.",)


def test_a_queue_kpi_cannot_weigh_in_an_agents_scorecard():
    decision = scoring.validate_weights([line("fcr", 60), line("connect_rate", 40, source="queue")])
    assert not decision
    assert "per queue" in decision.reasons[0]


def test_equal_worst_and_best_are_refused():
    decision = scoring.validate_weights([line("fcr", 100, worst="0.8", best="0.80")])
    assert not decision
    assert "must differ" in decision.reasons[0]


def test_a_kpi_weighted_twice_is_refused():
    decision = scoring.validate_weights([line("fcr", 50), line("fcr", 50)])
    assert decision.reasons == ("“fcr” is weighted twice.",)


@pytest.mark.parametrize("weight", [0, 101, None])
def test_a_weight_outside_one_to_one_hundred_is_refused(weight):
    lines = [line("fcr", weight), line("csat", 100 - (weight or 0))] if weight != 101 else [line("fcr", 101)]
    decision = scoring.validate_weights(lines)
    assert any("from 1 to 100" in reason for reason in decision.reasons)


def test_an_empty_weight_set_is_refused():
    assert scoring.validate_weights([]).reasons == ("A weight set needs at least one KPI.",)


def test_every_problem_is_reported_at_once():
    decision = scoring.validate_weights(
        [line("a", 50, kind="semi_quantitative"), line("b", 30, worst="1", best="1", name="B")]
    )
    assert len(decision.reasons) == 3


def test_reasons_use_the_kpi_name_when_given():
    decision = scoring.validate_weights([line("fcr", 90, name="First-contact resolution")])
    assert decision.reasons == ("The weights add up to 90; they must add up to exactly 100.",)
    decision = scoring.validate_weights([line("fcr", 100, kind="x", name="FCR")])
    assert "“FCR”" in decision.reasons[0]


# month moves ----------------------------------------------------------------------------------------------------


def test_an_open_month_may_close_without_a_reason():
    assert scoring.month_move("open", "closed")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopening_needs_a_reason(reason):
    decision = scoring.month_move("closed", "open", reason)
    assert not decision
    assert "Say why" in decision.reasons[0]


def test_reopening_with_a_reason_is_allowed():
    assert scoring.month_move("closed", "open", "The platform corrected CSAT for week 3.")


@pytest.mark.parametrize(("from_status", "to_status"), [("open", "open"), ("closed", "closed"), ("draft", "open")])
def test_other_month_moves_are_refused(from_status, to_status):
    assert not scoring.month_move(from_status, to_status, "why")
