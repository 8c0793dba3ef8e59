"""kpis.selectors.results: every KPI is the ratio of SUMS over the rows in scope and window (issue 11 §2) — at
agent, team, site and centre level, by week and month — with team and site as each row names them."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import AgentDay, Kpi, Measure, QueueDay, Source
from kpis.selectors import results
from tests.kpis.factories import AgentDayFactory, QueueDayFactory, QueueFactory, TargetFactory
from tests.staff.factories import EmployeeFactory, TeamFactory

NOV = datetime.date(2026, 11, 1)
MON, TUE = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)
NEXT_MON = datetime.date(2026, 11, 9)


def day(employee, on, *, inbound, fcr, team=None, **counts):
    kwargs = {"team": team, "site": team.department.site} if team is not None else {}
    return AgentDayFactory(employee=employee, on=on, inbound_handled=inbound, fcr_resolved=fcr, **kwargs, **counts)


@pytest.fixture
def centre(db):
    """Two sites; team A (site 1) has Ann and Bea, team B (site 2) Cai. Each has a full day and a half day with
    low volume, so the mean of daily rates and the ratio of sums differ by far more than a point."""
    team_a, team_b = TeamFactory(name="A"), TeamFactory(name="B")
    ann, bea = EmployeeFactory(name="Ann", team=team_a), EmployeeFactory(name="Bea", team=team_a)
    cai = EmployeeFactory(name="Cai", team=team_b)
    day(ann, MON, inbound=100, fcr=90)  # 0.90
    day(ann, TUE, inbound=4, fcr=1)  # 0.25: Ann's mean of days 0.575, ratio of sums 91/104 = 0.875
    day(bea, MON, inbound=50, fcr=40)
    day(bea, NEXT_MON, inbound=2, fcr=0)
    day(cai, MON, inbound=80, fcr=60)
    day(cai, NEXT_MON, inbound=5, fcr=5)
    return {"team_a": team_a, "team_b": team_b, "ann": ann, "bea": bea, "cai": cai}


@pytest.fixture
def kpis(db):
    return results.active_kpis()


def fcr(values):
    return values["fcr"]


def test_agent_month_is_the_ratio_of_sums_not_the_mean_of_days(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.filter(employee=centre["ann"]), grain="month")
    assert fcr(found[(None, NOV)]) == Decimal(91) / Decimal(104)
    assert abs(fcr(found[(None, NOV)]) - Decimal("0.575")) > Decimal("0.01")


def test_team_is_the_ratio_of_the_members_sums(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.all(), group_by="team")
    assert fcr(found[(centre["team_a"].pk, None)]) == Decimal(131) / Decimal(156)
    assert fcr(found[(centre["team_b"].pk, None)]) == Decimal(65) / Decimal(85)


def test_site_is_the_ratio_of_its_rows_sums(centre, kpis):
    site = centre["team_a"].department.site
    found = results.kpi_values(kpis, AgentDay.objects.all(), group_by="site")
    assert fcr(found[(site.pk, None)]) == Decimal(131) / Decimal(156)


def test_centre_is_the_ratio_of_every_rows_sums(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.all())
    assert fcr(found[(None, None)]) == Decimal(196) / Decimal(241)


def test_week_grain_sums_each_monday_to_sunday(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.all(), grain="week")
    assert fcr(found[(None, MON)]) == Decimal(191) / Decimal(234)
    assert fcr(found[(None, NEXT_MON)]) == Decimal(5) / Decimal(7)


def test_week_grain_by_employee(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.all(), grain="week", group_by="employee")
    assert fcr(found[(centre["ann"].pk, MON)]) == Decimal(91) / Decimal(104)
    assert fcr(found[(centre["bea"].pk, NEXT_MON)]) == 0


def test_day_grain_gives_each_days_own_ratio(centre, kpis):
    found = results.kpi_values(kpis, AgentDay.objects.filter(employee=centre["ann"]), grain="day")
    assert fcr(found[(None, TUE)]) == Decimal("0.25")


def test_outbound_calls_never_count_in_fcr(db, kpis):
    agent = EmployeeFactory()
    day(agent, MON, inbound=10, fcr=8, outbound_handled=500)
    assert fcr(results.kpi_values(kpis, AgentDay.objects.all())[(None, None)]) == Decimal("0.8")


def test_a_kpi_without_denominator_is_none(db, kpis):
    day(EmployeeFactory(), MON, inbound=10, fcr=8)  # no complaints received
    assert results.kpi_values(kpis, AgentDay.objects.all())[(None, None)]["escalation_rate"] is None


def test_no_rows_give_no_values(db, kpis):
    assert results.kpi_values(kpis, AgentDay.objects.all()) == {}


def test_factor_turns_seconds_into_a_rate_per_hour(db, kpis):
    day(
        EmployeeFactory(),
        MON,
        inbound=1,
        fcr=1,
        complaints_received=3,
        complaints_closed=3,
        complaint_handle_seconds=5400,
    )
    found = results.kpi_values(kpis, AgentDay.objects.all())[(None, None)]
    assert found["complaint_efficiency"] == 2


def test_an_agent_who_moved_counts_for_her_old_team_before_the_move(db, kpis):
    old, new = TeamFactory(), TeamFactory()
    mover = EmployeeFactory(team=new)  # today's roster: the new team
    day(mover, MON, inbound=10, fcr=9, team=old)
    day(mover, NEXT_MON, inbound=10, fcr=5, team=new)
    found = results.kpi_values(kpis, AgentDay.objects.all(), group_by="team")
    assert fcr(found[(old.pk, None)]) == Decimal("0.9")
    assert fcr(found[(new.pk, None)]) == Decimal("0.5")


def test_a_leavers_history_stays_in_her_teams_totals(db, kpis):
    team = TeamFactory()
    stayer = EmployeeFactory(team=team)
    leaver = EmployeeFactory(team=team, left_on=MON, stage="left")
    day(stayer, MON, inbound=10, fcr=10)
    day(leaver, MON, inbound=10, fcr=0)
    found = results.kpi_values(kpis, AgentDay.objects.filter(team=team))
    assert fcr(found[(None, None)]) == Decimal("0.5")


def test_connect_rate_comes_from_queue_days_per_site_and_centre(db, kpis):
    q1, q2 = QueueFactory(), QueueFactory()
    QueueDayFactory(queue=q1, on=MON, offered=100, answered=90)
    QueueDayFactory(queue=q1, on=TUE, offered=10, answered=1)
    QueueDayFactory(queue=q2, on=MON, offered=100, answered=100)
    by_site = results.kpi_values(kpis, QueueDay.objects.all(), group_by="site")
    assert by_site[(q1.site_id, None)]["connect_rate"] == Decimal(91) / Decimal(110)
    centre = results.results(kpis, AgentDay.objects.none(), QueueDay.objects.all())
    assert centre[(None, None)]["connect_rate"] == Decimal(191) / Decimal(210)


def test_queue_days_have_no_team_level(db, kpis):
    QueueDayFactory(offered=10, answered=9)
    assert results.kpi_values(kpis, QueueDay.objects.all(), group_by="team") == {}


def test_a_measure_hr_added_is_summed_from_extra(db):
    callbacks = Measure.objects.create(code="callbacks", source=Source.AGENT, name_en="Callbacks", name_zh="回拨")
    inbound = Measure.objects.get(code="inbound_handled")
    kpi = Kpi.objects.create(
        code="callback_rate",
        numerator=callbacks,
        denominator=inbound,
        unit="percent",
        direction="lower",
        name_en="Callback rate",
        name_zh="回拨率",
    )
    agent = EmployeeFactory()
    day(agent, MON, inbound=10, fcr=0, extra={"callbacks": 3})
    day(agent, TUE, inbound=30, fcr=0, extra={"callbacks": "1"})
    day(agent, NEXT_MON, inbound=10, fcr=0)  # no value: counts as 0
    found = results.kpi_values([kpi], AgentDay.objects.all())
    assert found[(None, None)]["callback_rate"] == Decimal(4) / Decimal(50)


def test_one_aggregate_query_per_source(centre, kpis, django_assert_num_queries):
    with django_assert_num_queries(2):
        results.results(kpis, AgentDay.objects.all(), QueueDay.objects.all(), grain="week", group_by="site")


def test_cells_use_the_most_specific_target_and_band(centre, kpis):
    fcr_kpi = next(k for k in kpis if k.code == "fcr")
    ann = centre["ann"]
    TargetFactory(kpi=fcr_kpi, target="0.80", excellent_at="0.95", far_below_at="0.60")
    TargetFactory(kpi=fcr_kpi, position=ann.position, target="0.90", excellent_at="0.95", far_below_at="0.85")
    targets = results.targets_on(kpis, TUE)
    values = results.kpi_values(kpis, AgentDay.objects.filter(employee=ann))[(None, None)]
    mine = results.cells(kpis, values, targets, on=TUE, position_id=ann.position_id, stage=ann.stage)
    general = results.cells(kpis, values, targets, on=TUE)
    assert next(c for c in mine if c.kpi.code == "fcr").band == "below"  # 0.875 against 0.90
    assert next(c for c in general if c.kpi.code == "fcr").band == "meets"  # against 0.80


def test_team_kpis_totals_are_the_ratio_of_members_sums(centre):
    found = results.team_kpis(AgentDay.objects.all(), centre["team_a"], NOV, today=datetime.date(2026, 11, 20))
    totals = {cell.kpi.code: cell.value for cell in found.totals}
    assert totals["fcr"] == Decimal(131) / Decimal(156)
    assert [row.employee.name for row in found.members] == ["Ann", "Bea"]


def test_team_kpis_sort_by_a_kpi_lowest_first_and_reversed(centre):
    kwargs = {"today": datetime.date(2026, 11, 20)}
    low = results.team_kpis(AgentDay.objects.all(), centre["team_a"], NOV, sort="fcr", **kwargs)
    high = results.team_kpis(AgentDay.objects.all(), centre["team_a"], NOV, sort="-fcr", **kwargs)
    assert [row.employee.name for row in low.members] == ["Bea", "Ann"]  # 40/52 < 91/104
    assert [row.employee.name for row in high.members] == ["Ann", "Bea"]


def test_centre_sums_sites_and_compares_teams_by_month(centre):
    from staff.models import Site, Team

    found = results.centre(
        AgentDay.objects.all(),
        QueueDay.objects.all(),
        Site.objects.all(),
        Team.objects.all(),
        NOV,
        today=datetime.date(2026, 11, 20),
        kpi_code="fcr",
    )
    assert found.centre[-1].value == Decimal(196) / Decimal(241)
    teams = {team.name: row[-1].value for team, row in found.teams}
    assert teams == {"A": Decimal(131) / Decimal(156), "B": Decimal(65) / Decimal(85)}


def test_fallen_members_compares_the_last_seven_days_with_the_seven_before(db, kpis):
    fcr_kpi = next(k for k in kpis if k.code == "fcr")
    TargetFactory(kpi=fcr_kpi, target="0.80", excellent_at="0.90", far_below_at="0.60")
    slipping, steady = EmployeeFactory(name="Slipping"), EmployeeFactory(name="Steady")
    today = datetime.date(2026, 11, 15)
    day(slipping, datetime.date(2026, 11, 3), inbound=10, fcr=9)  # excellent
    day(slipping, datetime.date(2026, 11, 12), inbound=10, fcr=7)  # below
    day(steady, datetime.date(2026, 11, 3), inbound=10, fcr=8)
    day(steady, datetime.date(2026, 11, 12), inbound=10, fcr=8)
    falls = results.fallen_members(AgentDay.objects.all(), today=today)
    assert [(f.employee.name, [(k.code, a, b) for k, a, b in f.falls]) for f in falls] == [
        ("Slipping", [("fcr", "excellent", "below")])
    ]


def test_a_new_hires_weekly_trend_starts_with_her_first_calls(db):
    hire = EmployeeFactory()
    for on in (datetime.date(2026, 11, 23), datetime.date(2026, 11, 30)):
        day(hire, on, inbound=80, fcr=60)

    mine = results.my_results(
        AgentDay.objects.filter(employee=hire), hire, datetime.date(2026, 11, 1), today=datetime.date(2026, 12, 4)
    )

    assert [period for period, _cells in mine.weekly.rows] == [datetime.date(2026, 11, 23), datetime.date(2026, 11, 30)]
