"""The cohort explorer (issue 16 §1) on a hand-computed centre (tests/insights/cohort_factories.py, 15 Nov 2026):
retention with leavers, a leaver with no last day, a mover who stays in the cohort she joined, a rehire counted as
two employments, an empty month shown as "no data"; gates at the first attempt, extensions and withdrawals; the same
figures on the page and in the API; a supervisor's cohorts hold only her people; a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights import cohort_rules as rules
from insights.models import Proficiency
from insights.services import aggregates
from staff.models import Stage
from tests.insights.cohort_factories import TODAY, api, centre
from tests.kpis.factories import ScorecardFactory
from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, IndicatorFactory, ScoreFactory
from training.models import CycleTemplate, Enrollment, EnrollmentEvent, PositionTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 15, 10, 0), tick=False)
    return centre()


def figures(response, label):
    """(people, retention {days: (n, d)}, gates {cycle: (n, d)}, extension, withdrawal) of one cohort row."""
    cohort = next(c for c in response.context["page"].paginator.object_list if c.label == label)
    pair = lambda r: (r.numerator, r.denominator)  # noqa: E731
    return (
        cohort.people,
        {d: pair(r) for d, r in cohort.retention.items()},
        {c: pair(r) for c, r in cohort.gates.items()},
        pair(cohort.extension),
        pair(cohort.withdrawal),
    )


@pytest.mark.parametrize(
    ("hire", "left_on", "is_left", "days", "expected"),
    [
        (datetime.date(2026, 6, 1), None, False, 30, True),
        (datetime.date(2026, 6, 1), datetime.date(2026, 7, 1), True, 30, True),  # her 30th day is her last: kept
        (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), True, 30, False),
        (datetime.date(2026, 6, 1), None, True, 30, False),  # left, day unknown: lost
        (datetime.date(2026, 10, 16), None, False, 30, True),  # her 30th day is today: counted ...
        (datetime.date(2026, 10, 17), None, False, 30, None),  # ... hired a day later: not yet
    ],
)
def test_retention_at_n_days(hire, left_on, is_left, days, expected):
    assert rules.is_retained(hire_date=hire, left_on=left_on, is_left=is_left, days=days, today=TODAY) is expected


def test_hire_month_cohorts_for_hr(client, world):
    client.force_login(world.hr)
    response = client.get(reverse("insights:cohorts"))
    assert response.status_code == 200
    # June: a1 stays, a2 left on 15 Jul (kept at 30 days, lost at 60), a3 left with no day (lost), the mover stays;
    # hired 167 days ago: no 180-day figure yet. Gates: cycle 1 first attempts 80 (pass) and 50 (fail); cycle 2 a1's
    # first attempt 60 (fail; her second attempt does not count). One of two enrollments extended, one withdrawn.
    assert figures(response, "2026-06") == (
        4,
        {30: (3, 4), 60: (2, 4), 90: (2, 4), 180: (0, 0)},
        {1: (1, 2), 2: (0, 1), 3: (0, 0), 4: (0, 0)},
        (1, 2),
        (1, 2),
    )
    # The rehire's first employment (March, left 10 Apr: day 30 is 1 Apr, day 60 is 1 May) and her second
    # (September: days 30 and 60 have passed, day 90 is 30 Nov) count apart.
    assert figures(response, "2026-03")[:2] == (1, {30: (1, 1), 60: (0, 1), 90: (0, 1), 180: (0, 1)})
    assert figures(response, "2026-09")[:2] == (1, {30: (1, 1), 60: (1, 1), 90: (0, 0), 180: (0, 0)})
    assert figures(response, "2026-10")[0] == 0  # nobody hired in October: an empty cohort ...
    html = response.content.decode()
    assert 'data-cohort="2026-10-01"' in html and "No data" in html  # ... shown as no data, never 0%
    assert 'title="3 / 4">75.0%' in html


def test_time_to_proficiency_is_the_first_month_in_the_tenured_band_at_the_kash_targets(client, world):
    # a1's position asks level 3 on one indicator. a1: below in July, Meets in August but her level is 2 at the end
    # of August (10 Aug), Excellent in September with level 3 by its end (20 Sep): 30 Sep, 121 days after 1 June.
    # The mover's position has no KASH target: her first month in the band, September, is enough (121 days).
    # a2 was never better than Far below. Reached: 2 of the 3 with a scorecard; median_low 121.
    target = IndicatorFactory()
    PositionTarget.objects.create(position=world.a1.position, indicator=target, level=3)
    for level, day in ((2, datetime.date(2026, 8, 10)), (3, datetime.date(2026, 9, 20))):
        ScoreFactory(indicator=target, level=level, assessment=AssessmentFactory(subject=world.a1, assessed_on=day))
    ScorecardFactory(employee=world.a1, month=datetime.date(2026, 7, 1), band="below")
    ScorecardFactory(employee=world.a1, month=datetime.date(2026, 8, 1), band="meets")
    ScorecardFactory(employee=world.a1, month=datetime.date(2026, 9, 1), band="excellent")
    ScorecardFactory(employee=world.mover, month=datetime.date(2026, 9, 1), band="excellent")
    ScorecardFactory(employee=world.a2, month=datetime.date(2026, 6, 1), band="far_below")
    assert aggregates.refresh_proficiency() > 0
    client.force_login(world.hr)
    june = next(
        c for c in client.get(reverse("insights:cohorts")).context["page"].paginator.object_list if c.label == "2026-06"
    )
    assert (june.proficient.numerator, june.proficient.denominator, june.days_to_proficiency) == (2, 3, 121)
    cohort = next(
        c for c in api(world.hr).get(reverse("insights-cohort-list")).json()["cohorts"] if c["key"] == "2026-06-01"
    )
    assert cohort["proficient"] == {"numerator": 2, "denominator": 3, "value": "0.6667"}
    assert cohort["days_to_proficiency"] == 121
    september = api(world.hr).get(reverse("insights-cohort-list")).json()["cohorts"]
    assert next(c for c in september if c["key"] == "2026-09-01")["days_to_proficiency"] is None  # no scorecard


def test_the_proficiency_refresh_keeps_who_is_proficient_and_revisits_the_rest(world):
    ScorecardFactory(employee=world.a1, month=datetime.date(2026, 8, 1), band="meets")
    ScorecardFactory(employee=world.a2, month=datetime.date(2026, 6, 1), band="below")
    aggregates.refresh_proficiency()
    found = dict(Proficiency.objects.values_list("employee_id", "proficient_on"))
    assert (found[world.a1.pk], found[world.a2.pk]) == (datetime.date(2026, 8, 31), None)
    # a2 reaches the band in October; the next run revisits only those not yet proficient.
    ScorecardFactory(employee=world.a2, month=datetime.date(2026, 10, 1), band="meets")
    people = Proficiency.objects.filter(proficient_on__isnull=True).count()
    assert aggregates.refresh_proficiency() == people
    assert Proficiency.objects.get(employee=world.a2).proficient_on == datetime.date(2026, 10, 31)


def test_kash_growth_on_each_cycles_focus_indicators(client, world):
    # Cycle 1 of the June batch's program works on one indicator. a1 entered cycle 1 on 1 June and cycle 2 on 15 June:
    # her level on it went from 2 (30 May) to 4 (14 June): +2.00; a score on another indicator does not count.
    # a2 entered cycle 1 but withdrew: she completed no cycle.
    focus, other = IndicatorFactory(), IndicatorFactory()
    template = CycleTemplate.objects.create(program=world.batch.program, number=1, name_en="C1", name_zh="C1")
    template.focus_indicators.add(focus)
    e1, e2 = Enrollment.objects.get(trainee=world.a1), Enrollment.objects.get(trainee=world.a2)
    for enrollment, state, day in ((e1, "cycle_1", 1), (e1, "cycle_2", 15), (e2, "cycle_1", 1)):
        event = EnrollmentEvent.objects.create(enrollment=enrollment, move="advance", from_state="", to_state=state)
        EnrollmentEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(2026, 6, day, 9, tzinfo=datetime.UTC))
    for indicator, level, day in ((focus, 2, datetime.date(2026, 5, 30)), (focus, 4, datetime.date(2026, 6, 14))):
        ScoreFactory(indicator=indicator, level=level, assessment=AssessmentFactory(subject=world.a1, assessed_on=day))
    ScoreFactory(
        indicator=other, level=5, assessment=AssessmentFactory(subject=world.a1, assessed_on=datetime.date(2026, 6, 14))
    )
    client.force_login(world.hr)
    page = client.get(reverse("insights:cohorts"))
    june = next(c for c in page.context["page"].paginator.object_list if c.label == "2026-06")
    assert june.growth[1] == (Decimal("2.00"), 1)
    assert june.growth[2] == (None, 0)
    cohort = next(
        c for c in api(world.hr).get(reverse("insights-cohort-list")).json()["cohorts"] if c["key"] == "2026-06-01"
    )
    assert cohort["kash_growth"]["1"] == {"mean": "2.00", "trainees": 1}
    html = page.content.decode()
    row = html[html.index('id="growth"') :]
    assert "+2.00" in row


def test_the_api_gives_the_page_figures_to_four_places(client, world):
    response = api(world.hr).get(reverse("insights-cohort-list"), {"group": "hire_month"})
    assert response.status_code == 200
    june = next(c for c in response.json()["cohorts"] if c["key"] == "2026-06-01")
    assert june["people"] == 4
    assert june["retention"]["30"] == {"numerator": 3, "denominator": 4, "value": "0.7500"}
    assert june["retention"]["180"] == {"numerator": 0, "denominator": 0, "value": None}
    assert june["gates"]["1"]["value"] == "0.5000"
    october = next(c for c in response.json()["cohorts"] if c["key"] == "2026-10-01")
    assert october["people"] == 0 and october["retention"]["30"]["value"] is None
    assert Decimal(june["retention"]["60"]["value"]) == Decimal("0.5")


def test_a_mover_counts_in_the_team_she_joined(client, world):
    client.force_login(world.hr)
    response = client.get(reverse("insights:cohorts"), {"group": "team"})
    assert figures(response, "Team A")[0] == 4  # a1, a2, a3 and the mover, who is in Team B now
    assert figures(response, "Team B")[0] == 2  # the rehire's two employments


def test_a_supervisors_cohorts_hold_only_her_people(client, world):
    client.force_login(world.lead_a.user)
    response = client.get(reverse("insights:cohorts"), {"group": "team"})
    labels = [c.label for c in response.context["page"].paginator.object_list]
    assert labels == ["Team A"]
    assert figures(response, "Team A")[0] == 3  # the mover is Team B's now, and the rehire was never hers
    by_month = api(world.lead_a.user).get(reverse("insights-cohort-list")).json()["cohorts"]
    assert sum(c["people"] for c in by_month) == 3


def test_an_agent_may_not_open_the_explorer(client, world):
    client.force_login(world.a1.user)
    assert client.get(reverse("insights:cohorts")).status_code == 403
    assert api(world.a1.user).get(reverse("insights-cohort-list")).status_code == 403


@pytest.mark.parametrize("group", ["hire_month", "team", "site", "batch", "mentor"])
def test_the_query_count_does_not_grow_with_people_or_cohorts(client, world, group):
    client.force_login(world.hr)
    url = reverse("insights:cohorts")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"group": group}).status_code == 200
    for month in range(1, 11):
        for n in range(3):
            EmployeeFactory(team=world.team_b, hire_date=datetime.date(2025, month, 1 + n), stage=Stage.GROWTH)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, {"group": group}).status_code == 200
    assert len(large) == len(small)


def test_a_window_with_its_first_month_after_its_last_is_refused(client, world):
    client.force_login(world.hr)
    response = client.get(reverse("insights:cohorts"), {"hired_from": "2026-09", "hired_to": "2026-03"})
    assert "The first hire month comes after the last." in response.content.decode()
    assert (
        api(world.hr).get(reverse("insights-cohort-list"), {"hired_from": "2026-09", "hired_to": "2026-03"}).status_code
        == 400
    )


def test_a_team_out_of_scope_answers_404_in_the_api(world):
    response = api(world.lead_a.user).get(reverse("insights-cohort-list"), {"team": world.team_b.pk})
    assert response.status_code == 404
