"""The KASH profile reads a bounded window of history and says it at a sensible precision (issue 9)."""

import datetime

import pytest
from django.urls import reverse

from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, ScoreFactory
from training.selectors import kash as selectors

TODAY = datetime.date(2026, 12, 4)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def assess(subject, indicators, level, *, on, source="supervisor"):
    assessment = AssessmentFactory(subject=subject, source=source, assessed_on=on)
    for indicator in indicators:
        ScoreFactory(assessment=assessment, indicator=indicator, level=level)
    return assessment


def monthly(subject, indicators, months):
    for month in range(months):
        for source in ("supervisor", "mentor"):
            assess(
                subject, indicators, 1 + month % 5, on=TODAY - datetime.timedelta(days=30 * month + 3), source=source
            )


def test_only_the_window_and_the_latest_earlier_score_per_indicator_and_source_are_read(world, indicators):
    monthly(world.trainee, indicators, 24)
    since = datetime.date(2026, 1, 1)
    facts, _evidence = selectors.facts_for(world.trainee.pk, since=since)
    recent = [f for f in facts if f.assessed_on >= since]
    earlier = [f for f in facts if f.assessed_on < since]
    assert len(recent) == 12 * 2 * len(indicators)
    assert len(earlier) == 2 * len(indicators)  # one per indicator and source
    assert {f.assessed_on for f in earlier} == {max(f.assessed_on for f in earlier)}


def test_levels_from_before_the_window_still_count(world, indicators):
    assess(world.trainee, indicators[:1], 3, on=datetime.date(2024, 5, 1))
    profile = selectors.kash_profile(world.supervisor.user, world.trainee, today=TODAY)
    assert profile.rows[0].current == 3.0
    assert profile.rows[0].previous == 3.0


def test_the_trend_of_a_recent_hire_starts_at_the_hire_date(world, indicators):
    newcomer = EmployeeFactory(team=world.team, hire_date=TODAY - datetime.timedelta(weeks=6))
    assess(newcomer, indicators, 2, on=datetime.date(2025, 12, 20))  # a pre-hire check
    profile = selectors.kash_profile(world.supervisor.user, newcomer, today=TODAY)
    assert [month for month, _scores in profile.trend] == [
        datetime.date(2026, 10, 31),
        datetime.date(2026, 11, 30),
        TODAY,
    ]


def test_the_trend_starts_at_the_first_assessment_when_later_than_the_hire(world, indicators):
    assess(world.trainee, indicators, 2, on=datetime.date(2026, 11, 10))
    profile = selectors.kash_profile(world.supervisor.user, world.trainee, today=TODAY)
    assert [month for month, _scores in profile.trend] == [datetime.date(2026, 11, 30), TODAY]


def test_the_trend_spans_twelve_months_at_most(world, indicators):
    world.trainee.hire_date = datetime.date(2020, 1, 1)
    monthly(world.trainee, indicators, 24)
    profile = selectors.kash_profile(world.supervisor.user, world.trainee, today=TODAY)
    assert len(profile.trend) == 12
    assert profile.trend[0][0] == datetime.date(2026, 1, 31)


def test_averages_and_dimension_scores_have_one_decimal(world, indicators, targets):
    assess(world.trainee, indicators[:1], 3, on=datetime.date(2026, 11, 1))
    assess(world.trainee, indicators[:1], 2, on=datetime.date(2026, 11, 1), source="self")
    profile = selectors.kash_profile(world.supervisor.user, world.trainee, today=TODAY)
    assert (profile.rows[0].current, profile.rows[0].target, profile.rows[0].gap) == (2.7, 4, 1.3)
    assert profile.dimensions["S"][1] == 2.7
    assert profile.trend[-1][1]["S"] == 2.7


def test_the_assessment_trail_names_the_indicators(client, world, indicators):
    assess(world.trainee, indicators[:1], 4, on=datetime.date(2026, 11, 1))
    client.force_login(world.supervisor.user, backend=MODEL_BACKEND)
    body = client.get(reverse("training:kash-profile", args=[world.trainee.pk])).content.decode()
    assert f"{indicators[0].name} 4</span>" in body
    assert f"{indicators[0].code} 4" not in body


@pytest.mark.parametrize("months", [1, 24])
@pytest.mark.parametrize(("role", "expected"), [("hr", 13), ("supervisor", 12)])
def test_profile_queries_do_not_grow_with_history(
    client, world, indicators, django_assert_num_queries, months, role, expected
):
    monthly(world.trainee, indicators, months)
    client.force_login(world.hr if role == "hr" else world.supervisor.user, backend=MODEL_BACKEND)
    with django_assert_num_queries(expected):
        assert client.get(reverse("training:kash-profile", args=[world.trainee.pk])).status_code == 200
