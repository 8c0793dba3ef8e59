"""The benchmark's generator and measurement on a tiny scale, in the test database, so they cannot rot."""

import datetime

import pytest

from bench import kash
from staff.models import Employee, Team
from tests import worlds
from training.models import Assessment, AssessmentStatus, Score

TINY = kash.Scale(people=60, team_size=25, months=2, teams_per_department=2)
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module")
def tiny_bench(django_db_setup, django_db_blocker):
    """The tiny organisation, generated once and shared by the module's tests (tests/worlds.py)."""
    with worlds.shared_by_module(django_db_blocker):
        with django_db_blocker.unblock():
            counts = kash.generate(TINY, today=TODAY)
        yield counts


@pytest.fixture
def counts(tiny_bench, db):
    return tiny_bench


def test_generate_builds_the_organisation_at_the_given_scale(counts):
    teams = Team.objects.filter(code__startswith="KB-")
    assert counts.people == Employee.objects.filter(employee_number__startswith="KB").count() == 60
    assert counts.teams == teams.count() == 3
    assert not teams.filter(supervisor=None).exists()


def test_generate_gives_everyone_a_supervisor_assessment_each_month(counts):
    monthly = Assessment.objects.filter(source="supervisor", context="Monthly")
    assert monthly.count() == 60 * 2
    assert counts.assessments == Assessment.objects.count()
    assert counts.scores == Score.objects.count()
    assert Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, assessed_on__gt=TODAY).count() == 0


def test_measure_reports_every_page_with_its_queries(counts, client):
    results = kash.measure(kash.subjects(), runs=2, warmup=1, client=client)
    assert [r.is_trivial for r in results] == [True, False, False]
    assert all(r.queries > 0 and len(r.times_ms) == 2 for r in results)
    text = kash.report(results, heading="KASH benchmark", with_queries=True)
    assert "| Team heatmap" in text and "| KASH profile" in text and "## Queries of KASH profile" in text


def test_the_kash_pages_stay_within_the_query_target(counts, client):
    results = kash.measure(kash.subjects(), runs=1, warmup=1, client=client)
    assert [r.queries for r in results if not r.is_trivial and r.queries > kash.MAX_QUERIES] == []


def test_a_slow_page_is_reported_as_a_missed_target():
    fast = kash.PageResult("Trivial", "/t/", 3, [1.0, 1.0], is_trivial=True)
    slow = kash.PageResult("Heatmap", "/h/", 13, [9.0, 9.0])
    assert kash.failures([fast, slow]) == [
        "Heatmap: 13 queries, target ≤ 12",
        "Heatmap: median 9.0 ms is 9.0× the trivial page, target ≤ 8×",
    ]
