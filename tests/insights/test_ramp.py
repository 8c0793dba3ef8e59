"""The KPI ramp (issue 16 §1, §6): new hires by tenure week against the tenured agents of the same teams and
weeks, from the nightly aggregate — on the page and in the API alike, scoped to the viewer's teams; the nightly
refresh rewrites only the weeks the new ingests touched; the page's queries do not grow with the history."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.models import RampWeek
from insights.selectors.ramp import ramp
from insights.services import aggregates
from kpis.models import AgentDay
from staff.models import Stage
from tests.insights.cohort_factories import api, centre
from tests.kpis.factories import AgentDayFactory, IngestFactory
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
HIRED = datetime.date(2026, 10, 5)  # a Monday


def day(employee, on, inbound, fcr, handle, **more):
    return AgentDayFactory(
        employee=employee,
        on=on,
        inbound_handled=inbound,
        fcr_resolved=fcr,
        handle_seconds=handle,
        staffed_seconds=handle,
        **more,
    )


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 16, 10, 0), tick=False)
    w = centre()
    tenured = datetime.date(2024, 1, 8)
    w.new_a = EmployeeFactory(team=w.team_a, hire_date=HIRED, stage=Stage.ONBOARDING)
    w.old_a = EmployeeFactory(team=w.team_a, hire_date=tenured)
    w.new_b = EmployeeFactory(team=w.team_b, hire_date=HIRED + datetime.timedelta(days=2), stage=Stage.ONBOARDING)
    w.old_b = EmployeeFactory(team=w.team_b, hire_date=tenured)
    # Tenure week 0 (5–11 October): Team A new 5/10 resolved, 4,000 s; tenured 18/20, 6,000 s, CSAT 9 of 10.
    day(w.new_a, datetime.date(2026, 10, 6), 10, 5, 4000, csat_responses=4, csat_satisfied=2)
    day(w.old_a, datetime.date(2026, 10, 6), 20, 18, 6000, csat_responses=10, csat_satisfied=9)
    # Team B, same week: new (hired Wednesday, same hire week) 6/10, 3,000 s; tenured 9/10, 2,000 s.
    day(w.new_b, datetime.date(2026, 10, 8), 10, 6, 3000)
    day(w.old_b, datetime.date(2026, 10, 8), 10, 9, 2000)
    # Tenure week 1: Team A only.
    day(w.new_a, datetime.date(2026, 10, 13), 10, 7, 3500)
    day(w.old_a, datetime.date(2026, 10, 14), 30, 27, 9000)
    # A week with no new-hire day: the tenured agent's day is no one's baseline.
    day(w.old_a, datetime.date(2026, 10, 20), 50, 10, 9000)
    aggregates.refresh_ramp()
    return w


def cell(found, week, code):
    return next(c for c in dict(found.weeks)[week] if c.kpi.code == code)


def test_new_hires_against_the_tenured_of_the_same_teams_and_weeks(world):
    found = ramp(world.hr)
    fcr0, aht0 = cell(found, 0, "fcr"), cell(found, 0, "aht")
    assert (fcr0.new.numerator, fcr0.new.denominator, fcr0.new.value) == (11, 20, Decimal("0.55"))
    assert (fcr0.baseline.numerator, fcr0.baseline.denominator, fcr0.baseline.value) == (27, 30, Decimal("0.9"))
    assert fcr0.gap == Decimal("-0.35")
    assert (aht0.new.value, aht0.baseline.value.quantize(Decimal("0.01"))) == (Decimal(350), Decimal("266.67"))
    fcr1 = cell(found, 1, "fcr")
    assert (fcr1.new.value, fcr1.baseline.value) == (Decimal("0.7"), Decimal("0.9"))  # not the 20 October day
    csat0 = cell(found, 0, "csat")
    assert (csat0.new.numerator, csat0.new.denominator, csat0.baseline.value) == (2, 4, Decimal("0.9"))
    assert cell(found, 2, "fcr").new.value is None


def test_a_supervisor_reads_only_her_teams(world):
    fcr0 = cell(ramp(world.lead_a.user), 0, "fcr")
    assert (fcr0.new.numerator, fcr0.new.denominator, fcr0.baseline.numerator, fcr0.baseline.denominator) == (
        5,
        10,
        18,
        20,
    )
    assert api(world.lead_b.user).get(reverse("insights-ramp-list"), {"team": world.team_a.pk}).status_code == 404


def test_the_page_and_the_api_show_the_same_figures(client, world):
    client.force_login(world.hr)
    html = client.get(reverse("insights:ramp")).content.decode()
    row = html[html.index('data-week="0"') :].split("</tr>")[0]
    assert 'title="11 / 20">55.0%' in row and 'title="27 / 30">90.0%' in row and "-35.0%" in row
    week0 = api(world.hr).get(reverse("insights-ramp-list")).json()["weeks"][0]
    fcr = next(k for k in week0["kpis"] if k["kpi"] == "fcr")
    assert fcr["new_hires"] == {"numerator": 11, "denominator": 20, "value": "0.5500"}
    assert (fcr["tenured"]["value"], fcr["gap"]) == ("0.9000", "-0.3500")


def test_filters_by_team_and_hire_month(world):
    assert cell(ramp(world.hr, team=world.team_b.pk), 0, "fcr").new.value == Decimal("0.6")
    later = ramp(world.hr, hired_from=datetime.date(2026, 11, 1))
    assert cell(later, 0, "fcr").new.value is None
    same = ramp(world.hr, hired_from=datetime.date(2026, 10, 1), hired_to=datetime.date(2026, 10, 1))
    assert cell(same, 0, "fcr").new.denominator == 20


def test_the_nightly_refresh_rewrites_only_the_weeks_new_ingests_touched(world):
    # A change to week 0 made behind the product's back is not picked up by a nightly run...
    AgentDay.objects.filter(employee=world.new_a, on=datetime.date(2026, 10, 6)).update(fcr_resolved=10)
    # ...which rewrites only the weeks of the ingests finished since the last run: a revision of 14 October.
    ingest = IngestFactory(
        finished_at=timezone.now() + datetime.timedelta(minutes=5), first_on=datetime.date(2026, 10, 14)
    )
    day(world.new_a, datetime.date(2026, 10, 14), 10, 3, 3000, ingest=ingest)
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert aggregates.refresh_ramp(now=later) == datetime.date(2026, 10, 12)
    found = ramp(world.hr)
    assert cell(found, 1, "fcr").new.numerator == 10 and cell(found, 1, "fcr").new.denominator == 20
    assert cell(found, 0, "fcr").new.numerator == 11  # week 0 was not rewritten
    # A run reads again the ingests of the hour before the previous run (one committing during a run is not
    # missed) and writes the same rows; once none is that recent, a run writes nothing. A full rebuild takes everything.
    assert aggregates.refresh_ramp(now=later + datetime.timedelta(minutes=30)) == datetime.date(2026, 10, 12)
    assert cell(ramp(world.hr), 1, "fcr").new.numerator == 10
    assert aggregates.refresh_ramp(now=later + datetime.timedelta(hours=3)) == datetime.date(2026, 10, 12)
    assert aggregates.refresh_ramp(now=later + datetime.timedelta(hours=6)) is False
    call_command("refresh_insights", "--full")
    assert cell(ramp(world.hr), 0, "fcr").new.numerator == 16


def test_a_rerun_writes_the_same_rows(world):
    before = sorted(RampWeek.objects.values_list("team", "week", "hire_week", "tenure_week", "new_fcr_resolved"))
    aggregates.refresh_ramp(full=True)
    after = sorted(RampWeek.objects.values_list("team", "week", "hire_week", "tenure_week", "new_fcr_resolved"))
    assert before == after and len(after) == 3


def test_the_page_reads_a_fixed_number_of_queries(client, world):
    client.force_login(world.hr)
    client.get(reverse("insights:ramp"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("insights:ramp"))
    for weeks in range(1, 20):
        on = HIRED + datetime.timedelta(weeks=weeks)
        newcomer = EmployeeFactory(team=world.team_a, hire_date=on)
        day(newcomer, on, 10, 5, 1000)
        day(world.old_a, on, 10, 5, 1000)
    aggregates.refresh_ramp(full=True)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("insights:ramp"))
    assert len(many) == len(few)
