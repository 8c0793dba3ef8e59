"""kpis.bands: the band of a value against its target row, both directions; the most specific target (pure)."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from kpis import bands
from kpis.models import Band, Direction

HIGHER = SimpleNamespace(excellent_at=D("0.90"), target=D("0.85"), far_below_at=D("0.75"))
LOWER = SimpleNamespace(excellent_at=D("280"), target=D("320"), far_below_at=D("400"))


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("0.95", Band.EXCELLENT),
        ("0.90", Band.EXCELLENT),
        ("0.8999", Band.MEETS),
        ("0.85", Band.MEETS),
        ("0.80", Band.BELOW),
        ("0.75", Band.BELOW),
        ("0.7499", Band.FAR_BELOW),
        ("0", Band.FAR_BELOW),
    ],
)
def test_band_for_a_higher_is_better_kpi_counts_the_limits_as_reached(value, band):
    assert bands.band_for(D(value), HIGHER, Direction.HIGHER) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("200", Band.EXCELLENT),
        ("280", Band.EXCELLENT),
        ("281", Band.MEETS),
        ("320", Band.MEETS),
        ("350", Band.BELOW),
        ("400", Band.BELOW),
        ("401", Band.FAR_BELOW),
    ],
)
def test_band_for_a_lower_is_better_kpi_reverses_the_comparison(value, band):
    assert bands.band_for(D(value), LOWER, Direction.LOWER) == band


def test_band_for_no_value_is_none():
    assert bands.band_for(None, HIGHER, Direction.HIGHER) is None


def test_band_for_no_target_is_none():
    assert bands.band_for(D("0.9"), None, Direction.HIGHER) is None


def test_band_for_accepts_floats():
    assert bands.band_for(0.86, HIGHER, Direction.HIGHER) == Band.MEETS


def test_every_band_has_a_colour():
    assert set(Band) == set(bands.COLOURS)
    assert bands.colour(Band.FAR_BELOW).css == "danger"
    assert bands.colour(None) is None


@pytest.mark.parametrize(
    ("before", "after", "fell"),
    [
        (Band.MEETS, Band.BELOW, True),
        (Band.EXCELLENT, Band.FAR_BELOW, True),
        (Band.BELOW, Band.MEETS, False),
        (Band.MEETS, Band.MEETS, False),
        (None, Band.BELOW, False),
        (Band.MEETS, None, False),
    ],
)
def test_fell_only_when_both_bands_are_known_and_the_later_is_worse(before, after, fell):
    assert bands.fell(before, after) is fell


def target(pk, *, position_id=None, stage="", valid_from=datetime.date(2026, 1, 1), kpi_id=1):
    return SimpleNamespace(pk=pk, kpi_id=kpi_id, position_id=position_id, stage=stage, valid_from=valid_from)


DAY = datetime.date(2026, 6, 1)
ROWS = [
    target("neither"),
    target("stage", stage="onboarding"),
    target("position", position_id=5),
    target("both", position_id=5, stage="onboarding"),
    target("other kpi", position_id=5, stage="onboarding", kpi_id=2),
]


@pytest.mark.parametrize(
    ("position_id", "stage", "expected"),
    [
        (5, "onboarding", "both"),
        (5, "growth", "position"),
        (6, "onboarding", "stage"),
        (6, "growth", "neither"),
        (None, "", "neither"),
    ],
)
def test_pick_target_takes_the_most_specific_row(position_id, stage, expected):
    found = bands.pick_target(ROWS, kpi_id=1, position_id=position_id, stage=stage, on=DAY)
    assert found.pk == expected


def test_pick_target_prefers_specificity_over_a_later_general_row():
    rows = [target("position", position_id=5), target("late general", valid_from=datetime.date(2026, 5, 1))]
    assert bands.pick_target(rows, kpi_id=1, position_id=5, on=DAY).pk == "position"


def test_pick_target_takes_the_latest_row_valid_on_the_day():
    rows = [
        target("old", valid_from=datetime.date(2025, 1, 1)),
        target("current", valid_from=datetime.date(2026, 3, 1)),
        target("future", valid_from=datetime.date(2026, 7, 1)),
    ]
    assert bands.pick_target(rows, kpi_id=1, on=DAY).pk == "current"


def test_pick_target_without_a_valid_row_is_none():
    rows = [target("future", valid_from=datetime.date(2026, 7, 1))]
    assert bands.pick_target(rows, kpi_id=1, on=DAY) is None
