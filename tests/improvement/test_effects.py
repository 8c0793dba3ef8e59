"""The Check of an initiative is computed from the KPI data as ratios of sums (issue 14 §2), on a fixture whose
answer is worked out by hand below.

Teams P (pilot) and C (control) in scope, both on site S1; team X on site S2 is outside the scope. The plan:
before = September, pilot window = [Oct 15, Nov 30] with P the pilot team, go-live December 1, after = December
and January. FCR = Σ fcr_resolved / Σ inbound_handled (resolved/inbound below).

    row                        team  before   pilot window            after
    Ann  Sep 10  50/100        P     50/100
    Ann  Oct  5   0/100        P     (between the windows: counts nowhere)
    Ann  Oct 20  36/40         P              pilot 36/40 (Oct)
    Ann  Nov  5  90/100        P              pilot 90/100 (Nov)
    Ann  Dec  3  80/100        P                                     80/100 (Dec)
    Ann  Jan  5  45/50         P                                     45/50 (Jan)
    Bob  Sep 10  30/50         C     30/50
    Bob  Oct 20  10/40         C              control 10/40 (Oct)
    Bob  Nov  5  60/100        C              control 60/100 (Nov)
    Bob  Dec  3  35/50         C                                     35/50 (Dec)
    Bob  Jan  5  70/100        C                                     70/100 (Jan)
    Mia  Nov 10  20/50         C  (moved to P on Nov 15)  control 20/50 (Nov)
    Mia  Nov 20  40/50         P              pilot 40/50 (Nov)
    Mia  Dec 10  30/50         P                                     30/50 (Dec)
    Leo  Sep 20  10/50         C  (left Nov 25)  10/50
    Leo  Nov 12  15/50         C              control 15/50 (Nov)
    Xena Sep 10 / Nov 5 / Dec 3, 100/100 each, team X: outside the scope, counts nowhere.

Before  = (50+30+10)/(100+50+50) = 90/200 = 0.45
After   = (80+45+35+70+30)/(100+50+50+100+50) = 260/350 = 0.742857… → 0.7429
          difference 0.292857… → 0.2929, relative 0.292857/0.45 = 65.0794 %
Monthly = Dec (80+35+30)/(100+50+50) = 145/200 = 0.725; Jan (45+70)/(50+100) = 115/150 = 0.766666… → 0.7667
Pilot   = (36+90+40)/(40+100+50) = 166/190 = 0.873684… → 0.8737
Control = (10+60+20+15)/(40+100+50+50) = 105/240 = 0.4375
          difference 0.436184… → 0.4362, relative 0.436184/0.4375 = 99.6992 %
Pilot by month: Oct pilot 36/40 = 0.9, control 10/40 = 0.25; Nov pilot 130/150 = 0.8667, control 95/200 = 0.475

Connect rate (queues; scope = site S1, the site of P and C): S1 Sep 900/1000, Dec 850/1000, S2 Sep 100/1000
→ before 0.9, after 0.85, no pilot vs control (queues belong to no team)."""

import datetime
from decimal import Decimal

import pytest

from improvement import effects
from tests.improvement.initiatives_factories import InitiativeFactory, goal, guardrail
from tests.kpis.factories import AgentDayFactory, QueueDayFactory, QueueFactory
from tests.staff.factories import DepartmentFactory, EmployeeFactory, SiteFactory, TeamFactory

D = datetime.date
TODAY = D(2027, 2, 10)


@pytest.fixture
def fixture(db):
    s1, s2 = SiteFactory(code="S1"), SiteFactory(code="S2")
    p = TeamFactory(code="P", department=DepartmentFactory(site=s1))
    c = TeamFactory(code="C", department=p.department)
    x = TeamFactory(code="X", department=DepartmentFactory(site=s2))
    ann, bob = EmployeeFactory(team=p), EmployeeFactory(team=c)
    mia = EmployeeFactory(team=p)  # today in P; was in C until November 15
    leo = EmployeeFactory(team=c, left_on=D(2026, 11, 25))
    xena = EmployeeFactory(team=x)
    rows = [
        (ann, p, D(2026, 9, 10), 50, 100),
        (ann, p, D(2026, 10, 5), 0, 100),
        (ann, p, D(2026, 10, 20), 36, 40),
        (ann, p, D(2026, 11, 5), 90, 100),
        (ann, p, D(2026, 12, 3), 80, 100),
        (ann, p, D(2027, 1, 5), 45, 50),
        (bob, c, D(2026, 9, 10), 30, 50),
        (bob, c, D(2026, 10, 20), 10, 40),
        (bob, c, D(2026, 11, 5), 60, 100),
        (bob, c, D(2026, 12, 3), 35, 50),
        (bob, c, D(2027, 1, 5), 70, 100),
        (mia, c, D(2026, 11, 10), 20, 50),
        (mia, p, D(2026, 11, 20), 40, 50),
        (mia, p, D(2026, 12, 10), 30, 50),
        (leo, c, D(2026, 9, 20), 10, 50),
        (leo, c, D(2026, 11, 12), 15, 50),
        (xena, x, D(2026, 9, 10), 100, 100),
        (xena, x, D(2026, 11, 5), 100, 100),
        (xena, x, D(2026, 12, 3), 100, 100),
    ]
    for employee, team, on, resolved, inbound in rows:
        AgentDayFactory(employee=employee, team=team, on=on, fcr_resolved=resolved, inbound_handled=inbound)
    q1, q2 = QueueFactory(site=s1), QueueFactory(site=s2)
    QueueDayFactory(queue=q1, on=D(2026, 9, 10), offered=1000, answered=900)
    QueueDayFactory(queue=q1, on=D(2026, 12, 10), offered=1000, answered=850)
    QueueDayFactory(queue=q2, on=D(2026, 9, 10), offered=1000, answered=100)
    initiative = InitiativeFactory(scope_teams=[p, c], pilot_teams=[p])
    goal(initiative, "fcr")
    guardrail(initiative, "connect_rate", Decimal("0.89"))
    return initiative


def test_before_vs_after_is_the_ratio_of_the_scopes_sums(fixture):
    (fcr,) = effects.check_of(fixture, today=TODAY).goals
    assert fcr.before == Decimal("0.45")
    assert fcr.after == Decimal(260) / Decimal(350)
    assert effects.quantised(fcr.after) == Decimal("0.7429")
    assert fcr.before_after.difference_4 == Decimal("0.2929")
    assert fcr.before_after.relative_4 == Decimal("65.0794")
    assert fcr.improved(fcr.before_after) is True


def test_pilot_vs_control_counts_each_row_where_its_team_was_that_day(fixture):
    (fcr,) = effects.check_of(fixture, today=TODAY).goals
    assert fcr.pilot == Decimal(166) / Decimal(190)
    assert fcr.control == Decimal("0.4375")
    assert effects.quantised(fcr.pilot) == Decimal("0.8737")
    assert fcr.pilot_control.difference_4 == Decimal("0.4362")
    assert fcr.pilot_control.relative_4 == Decimal("99.6992")


def test_month_by_month_since_go_live_and_across_the_pilot_window(fixture):
    (fcr,) = effects.check_of(fixture, today=TODAY).goals
    assert [(m, effects.quantised(v)) for m, v in fcr.monthly] == [
        (D(2026, 12, 1), Decimal("0.7250")),
        (D(2027, 1, 1), Decimal("0.7667")),
    ]
    assert [(m, effects.quantised(p), effects.quantised(c)) for m, p, c in fcr.pilot_monthly] == [
        (D(2026, 10, 1), Decimal("0.9000"), Decimal("0.2500")),
        (D(2026, 11, 1), Decimal("0.8667"), Decimal("0.4750")),
    ]


def test_queue_kpis_are_measured_on_the_sites_in_scope_without_pilot_vs_control(fixture):
    (connect,) = effects.check_of(fixture, today=TODAY).guardrails
    assert (connect.before, connect.after) == (Decimal("0.9"), Decimal("0.85"))
    assert connect.pilot is None and connect.control is None and connect.pilot_monthly == []
    assert connect.guardrail_breached is True  # 0.85 < 0.89


def test_the_after_window_stops_yesterday_when_open(fixture):
    fixture.after_to = None
    fixture.save()
    (fcr,) = effects.check_of(fixture, today=D(2027, 1, 1)).goals  # January not yet
    assert fcr.after == Decimal("0.725") and [m for m, _v in fcr.monthly] == [D(2026, 12, 1)]


def test_no_scope_means_the_whole_centre(fixture):
    fixture.scope_teams.clear()
    (fcr,) = effects.check_of(fixture, today=TODAY).goals
    assert fcr.before == Decimal(190) / Decimal(300)  # Xena's September row counts too
    assert fcr.control == Decimal(205) / Decimal(340)  # and her November row in the control group


def test_the_check_takes_a_fixed_number_of_queries(fixture, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        check = effects.check_of(fixture, today=TODAY)
    assert check.headline[0].kpi.code == "fcr" and check.headline[1] == "pilot"


def test_before_value_fills_a_goals_baseline(fixture):
    from kpis.models import Kpi

    assert effects.before_value(fixture, Kpi.objects.get(code="fcr"), today=TODAY) == Decimal("0.45")
