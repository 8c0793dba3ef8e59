"""My results, Team KPIs and the centre view (issue 11 §7): each persona sees the ratio of sums in her scope
and nothing else (404), in a fixed number of queries whatever the history and team size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.models import Kpi
from tests.kpis.factories import AgentDayFactory, QueueDayFactory, QueueFactory, TargetFactory
from tests.staff.factories import EmployeeFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 11, 20)
MON, TUE = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def numbers(world):
    """The trainee: a full day and a half day (FCR 91/104 = 87.5 %, the mean of days 57.5 %); her mentor 60/80;
    Trainee B (other team) 10/10."""
    AgentDayFactory(employee=world.trainee, on=MON, inbound_handled=100, fcr_resolved=90)
    AgentDayFactory(employee=world.trainee, on=TUE, inbound_handled=4, fcr_resolved=1)
    AgentDayFactory(employee=world.mentor, on=MON, inbound_handled=80, fcr_resolved=60)
    AgentDayFactory(employee=world.other_trainee, on=MON, inbound_handled=10, fcr_resolved=10)
    return world


def get(client, user, name, **params):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(reverse(name), params)


# My results ---------------------------------------------------------------------------------------------------


def test_my_results_shows_the_ratio_of_sums_not_the_mean_of_days(client, numbers):
    body = get(client, numbers.trainee.user, "kpis:my-results").content.decode()
    assert "87.5%" in body
    assert "57.5%" not in body


def test_my_results_shows_only_my_own_numbers(client, numbers):
    body = get(client, numbers.trainee.user, "kpis:my-results").content.decode()
    assert "75.0%" not in body  # the mentor's 60/80
    assert "100.0%" not in body  # Trainee B's


def test_my_results_shows_the_band_of_my_target(client, numbers):
    fcr = Kpi.objects.get(code="fcr")
    TargetFactory(kpi=fcr, target="0.85", excellent_at="0.95", far_below_at="0.70")
    response = get(client, numbers.trainee.user, "kpis:my-results")
    assert 'data-kpi="fcr"' in response.content.decode()
    fcr_cell = next(cell for cell in response.context["results"].cells if cell.kpi.code == "fcr")
    assert fcr_cell.band == "meets"


def test_my_results_for_another_month_is_empty(client, numbers):
    response = get(client, numbers.trainee.user, "kpis:my-results", month="2026-10")
    assert all(cell.value is None for cell in response.context["results"].cells)


def test_my_results_weekly_trend_has_a_table_and_chart_data(client, numbers):
    response = get(client, numbers.trainee.user, "kpis:my-results")
    body = response.content.decode()
    assert 'id="weekly-table"' in body
    assert 'data-chart="weekly"' in body
    assert "js/kpi_charts.js" in body


def test_my_results_answers_404_without_an_employee_record(client, numbers):
    assert get(client, numbers.hr, "kpis:my-results").status_code == 404


def test_my_results_in_chinese(client, numbers):
    client.force_login(numbers.trainee.user, backend=MODEL_BACKEND)
    response = client.get(reverse("kpis:my-results"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "首次解决率" in response.content.decode()


# Team KPIs ----------------------------------------------------------------------------------------------------


def test_team_kpis_totals_are_the_ratio_of_the_members_sums(client, numbers):
    response = get(client, numbers.supervisor.user, "kpis:team-kpis")
    totals = {cell.kpi.code: cell.value for cell in response.context["results"].totals}
    assert float(totals["fcr"]) == pytest.approx(151 / 184)  # not the mean of 87.5 % and 75 %
    assert 'id="team-totals"' in response.content.decode()


def test_team_kpis_lists_members_with_their_values(client, numbers):
    response = get(client, numbers.supervisor.user, "kpis:team-kpis")
    names = [row.employee.name for row in response.context["page"]]
    assert "Trainee A" in names and "Mentor A" in names
    assert "Trainee B" not in names


def test_team_kpis_sorts_by_a_kpi(client, numbers):
    response = get(client, numbers.supervisor.user, "kpis:team-kpis", sort="fcr")
    named = [row.employee.name for row in response.context["page"] if row.cells[0].value is not None]
    assert named[:2] == ["Mentor A", "Trainee A"]


def test_team_kpis_of_another_team_answers_404_for_a_supervisor(client, numbers):
    response = get(client, numbers.supervisor.user, "kpis:team-kpis", team=numbers.other_team.pk)
    assert response.status_code == 404


def test_hr_picks_any_team(client, numbers):
    response = get(client, numbers.hr, "kpis:team-kpis", team=numbers.other_team.pk)
    assert response.context["results"].team == numbers.other_team


@pytest.mark.parametrize("who", ["trainee", "mentor"])
def test_team_kpis_answers_404_to_people_who_lead_no_team(client, numbers, who):
    assert get(client, getattr(numbers, who).user, "kpis:team-kpis").status_code == 404


def test_a_member_who_moved_away_still_counts_for_the_team_that_month(client, numbers):
    numbers.trainee.team = numbers.other_team
    numbers.trainee.save()  # today's roster changed; her November rows still name Team A
    response = get(client, numbers.supervisor.user, "kpis:team-kpis")
    totals = {cell.kpi.code: cell.value for cell in response.context["results"].totals}
    assert float(totals["fcr"]) == pytest.approx(151 / 184)
    assert "Trainee A" in [row.employee.name for row in response.context["page"]]
    assert "moved to another team" in response.content.decode()


# Centre -------------------------------------------------------------------------------------------------------


def test_centre_shows_connect_rate_per_site_and_centre(client, numbers):
    queue = QueueFactory(site=numbers.team.department.site)
    QueueDayFactory(queue=queue, on=MON, offered=100, answered=90)
    QueueDayFactory(queue=queue, on=TUE, offered=10, answered=1)
    response = get(client, numbers.hr, "kpis:centre", kpi="connect_rate")
    centre_row = response.context["results"].latest[0][1]
    connect = next(cell for cell in centre_row if cell.kpi.code == "connect_rate")
    assert float(connect.value) == pytest.approx(91 / 110)
    assert "82.7%" in response.content.decode()


@pytest.mark.parametrize("who", ["trainee", "mentor", "supervisor"])
def test_centre_is_for_hr_only(client, numbers, who):
    assert get(client, getattr(numbers, who).user, "kpis:centre").status_code == 404


# Today --------------------------------------------------------------------------------------------------------


def test_today_lists_a_member_who_fell_a_band_this_week(client, numbers):
    fcr = Kpi.objects.get(code="fcr")
    TargetFactory(kpi=fcr, target="0.80", excellent_at="0.90", far_below_at="0.60")
    AgentDayFactory(employee=numbers.mentor, on=datetime.date(2026, 11, 10), inbound_handled=10, fcr_resolved=10)
    AgentDayFactory(employee=numbers.mentor, on=datetime.date(2026, 11, 18), inbound_handled=10, fcr_resolved=5)
    body = get(client, numbers.supervisor.user, "staff:today").content.decode()
    assert "Fell a band" in body
    assert "Mentor A" in body


# Query counts -------------------------------------------------------------------------------------------------


def add_history(world, *, people, days, since=60):
    """``people`` more members of Team A, each with ``days`` days of history ending yesterday; the trainee's
    history grows by ``days`` days from ``since`` days ago back."""
    for _ in range(people):
        member = EmployeeFactory(team=world.team)
        for n in range(days):
            AgentDayFactory(employee=member, on=TODAY - datetime.timedelta(days=n + 1), inbound_handled=10)
    for n in range(days):
        AgentDayFactory(employee=world.trainee, on=TODAY - datetime.timedelta(days=since + n), inbound_handled=10)


def count(client, user, name):
    client.force_login(user, backend=MODEL_BACKEND)
    client.get(reverse(name))  # warm: the session and the language
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


PAGES = [("trainee", "kpis:my-results", 11), ("supervisor", "kpis:team-kpis", 13), ("hr", "kpis:centre", 13)]


@pytest.mark.parametrize(("who", "name", "limit"), PAGES)
def test_page_stays_within_its_query_budget(client, numbers, who, name, limit, django_assert_max_num_queries):
    add_history(numbers, people=2, days=3)
    user = numbers.hr if who == "hr" else getattr(numbers, who).user
    client.force_login(user, backend=MODEL_BACKEND)
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(("who", "name", "limit"), PAGES)
def test_doubling_people_and_history_adds_no_query(client, numbers, who, name, limit):
    user = numbers.hr if who == "hr" else getattr(numbers, who).user
    add_history(numbers, people=2, days=3)
    small = count(client, user, name)
    add_history(numbers, people=4, days=6, since=70)
    large = count(client, user, name)
    assert large == small
