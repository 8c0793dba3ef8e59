"""Organisation health and the dashboard (issue 16 §3, §5) on a hand-computed centre: span of control with its
flags, seats planned against filled, turnover by team and by the stage people left from, the pay analysis with small
cells suppressed so that no total reveals them; the same figures in the API; a supervisor's dashboard counts only
her teams; fixed query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights import health_rules as rules
from kpis.models import Month, MonthStatus, Scorecard, WeightSet
from staff.models import Stage
from tests.insights.cohort_factories import api, centre
from tests.staff.factories import EmployeeFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 15, 10, 0), tick=False)
    return centre()


@pytest.mark.parametrize(("span", "flag"), [(7, "narrow"), (8, "fine"), (15, "fine"), (16, "wide")])
def test_span_flags(span, flag):
    assert rules.span_flag(span) == flag


def test_turnover_is_leavers_over_the_average_headcount():
    # 3 leavers, 40 at the start and 35 at the end: an average of 37.5, rounded to 38
    assert (rules.turnover(3, 40, 35).numerator, rules.turnover(3, 40, 35).denominator) == (3, 38)
    assert rules.turnover(0, 0, 0).value is None  # nobody: no data, not 0 %


def test_a_lone_small_cell_takes_a_partner_with_it():
    table = {
        ("G1", "excellent"): 3,
        ("G1", "meets"): 12,
        ("G1", "below"): 9,
        ("G2", "excellent"): 6,
        ("G2", "meets"): 7,
    }
    hidden, lines = rules.suppressed_cells(table, 5)
    # the 3 alone would be its row total minus the others: the row's smallest other cell (9) goes too; the
    # excellent column then has one hidden cell, so its other (6) goes; G2's row then hides its 7, and the meets
    # column its 12. The below column has G1's 9 alone: its total is hidden instead.
    assert hidden == {("G1", "excellent"), ("G1", "below"), ("G2", "excellent"), ("G2", "meets"), ("G1", "meets")}
    assert lines == {(1, "below")}


def test_spans_seats_and_turnover_for_hr(client, world):
    position = PositionFactory(title="Senior agent", headcount=3)
    EmployeeFactory(team=world.team_a, position=position, stage=Stage.GROWTH)
    client.force_login(world.hr)
    response = client.get(reverse("insights:health"))
    assert response.status_code == 200
    spans = {lead.name: (lead.span, flag) for lead, flag in response.context["span_rows"]}
    # Team A: a1 and the new senior agent are active (a2 and a3 left, the mover is in B): 2; Team B: the mover and
    # the rehire's second employment: 2
    assert spans == {"lead_a": (2, "narrow"), "lead_b": (2, "narrow")}
    seat = next(s for s in response.context["seat_rows"] if s.position == position)
    assert (seat.headcount, seat.filled, seat.open) == (3, 1, 2)
    teams = {row.label: row.turnover for row in response.context["teams"]}
    # Team A over 16 Nov 2025 – 15 Nov 2026: a2 left (15 Jul); a3's last day is unknown, so she is not counted in
    # the window. Headcount at the start: lead_a (hired 2020) = 1; today: lead_a, a1, the senior agent = 3; average 2.
    assert (teams["Team A"].numerator, teams["Team A"].denominator) == (1, 2)
    # Team B: the rehire's first employment left on 10 Apr; at the start lead_b; today lead_b, the mover, the
    # second employment: average 2
    assert (teams["Team B"].numerator, teams["Team B"].denominator) == (1, 2)
    data = api(world.hr).get(reverse("insights-health-list")).json()
    by_team = {row["label"]: row["turnover"] for row in data["turnover_by_team"]}
    assert by_team["Team A"] == {"numerator": 1, "denominator": 2, "value": "0.5000"}
    assert {row["name"]: row["span"] for row in data["spans"]} == {"lead_a": 2, "lead_b": 2}


def test_turnover_by_the_stage_people_left_from(client, world):
    world.a1.stage = Stage.LEFT
    world.a1.left_on = datetime.date(2026, 11, 1)
    world.a1.save()  # she left from onboarding (her history's last stage before "left")
    client.force_login(world.hr)
    stages = {row.key: row.turnover.numerator for row in client.get(reverse("insights:health")).context["stages"]}
    assert stages[Stage.ONBOARDING] == 1  # a1's history says she was onboarding
    assert stages[""] == 2  # a2 and the rehire's first employment were written as leavers: the stage is unknown


def _scorecards(world, grades_and_bands):
    Month.objects.get_or_create(month=datetime.date(2026, 10, 1), defaults={"status": MonthStatus.CLOSED})
    weights = WeightSet.objects.get_or_create(site=world.site, month=datetime.date(2026, 1, 1))[0]
    for grade, band, count in grades_and_bands:
        for _ in range(count):
            person = EmployeeFactory(team=world.team_a, stage=Stage.GROWTH)
            Scorecard.objects.create(
                employee=person,
                month=datetime.date(2026, 10, 1),
                site=world.site,
                team=world.team_a,
                weight_set=weights,
                composite=Decimal("80"),
                band=band,
                pay_grade=grade,
                computed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
            )


def test_the_pay_analysis_never_shows_a_group_under_five(client, world):
    _scorecards(world, [("G1", "excellent", 3), ("G1", "meets", 12), ("G1", "below", 9), ("G2", "meets", 7)])
    client.force_login(world.hr)
    pay = client.get(reverse("insights:health")).context["pay"]
    rows = {grade: (cells, total) for grade, cells, total in pay.rows}
    # bands: excellent, meets, below, far below. G1's 3 is hidden and so is G1's 9 (else 24 − 12 − 9 = 3); the
    # meets column then has both of its cells shown and no hidden one: 12 and 7.
    assert rows["G1"] == ([None, 12, None, 0], 24)
    assert rows["G2"] == ([0, 7, 0, 0], 7)
    # the below column holds G1's 9 alone: its total would give the 9 and then the 3, so it is hidden too
    assert (pay.column_totals["excellent"], pay.column_totals["below"], pay.column_totals["meets"]) == (None, None, 19)
    data = api(world.hr).get(reverse("insights-health-list")).json()
    assert data["pay"][0] == {
        "pay_grade": "G1",
        "cells": {"excellent": None, "meets": 12, "below": None, "far_below": 0},
        "total": 24,
    }


def test_organisation_health_is_the_centres_only(client, world):
    client.force_login(world.lead_a.user)
    assert client.get(reverse("insights:health")).status_code == 404
    assert api(world.lead_a.user).get(reverse("insights-health-list")).status_code == 404


def test_a_supervisors_dashboard_counts_only_her_teams(client, world):
    client.force_login(world.lead_a.user)
    board = client.get(reverse("insights:dashboard")).context["board"]
    # Team A's active people now: lead_a and a1 (a2, a3 left; the mover is in B); onboarding: a1 (the factory's
    # default stage); the June batch's open enrollment is a1's (a2 withdrew)
    assert (board.people, board.onboarding) == (2, 1)
    assert sum(n for _state, _label, n in board.pipeline) == 1
    centre_board = api(world.hr).get(reverse("insights-dashboard-list")).json()
    assert (centre_board["people"], centre_board["onboarding"]) == (5, 3)  # + lead_b, the mover, the rehire
    one_team = api(world.hr).get(reverse("insights-dashboard-list"), {"team": world.team_b.pk}).json()
    assert (one_team["people"], one_team["onboarding"]) == (3, 2)  # lead_b, the mover, the rehire
    other = api(world.lead_a.user).get(reverse("insights-dashboard-list"), {"team": world.team_b.pk})
    assert other.status_code == 404  # not hers


def test_the_dashboard_and_health_pages_have_a_fixed_query_count(client, world):
    _scorecards(world, [("G1", "meets", 6)])
    client.force_login(world.hr)
    counts = []
    for grade in ("G2", "G3"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("insights:dashboard")).status_code == 200
            assert client.get(reverse("insights:health")).status_code == 200
        counts.append(len(queries))
        for _ in range(5):
            EmployeeFactory(team=world.team_b, stage=Stage.LEFT, left_on=datetime.date(2026, 10, 1))
        _scorecards(world, [(grade, "below", 7), (grade, "excellent", 2)])
    assert counts[0] == counts[1]
