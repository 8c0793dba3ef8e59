"""GET /api/kpis/values/ (issue 11 §8): KPI values per period for an employee, team, site or the centre, as the
ratio of sums, scoped by kpis.permissions (a trainee only her own; out of scope 404)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.kpis.factories import AgentDayFactory, QueueDayFactory, QueueFactory

MON, TUE, NEXT_MON = datetime.date(2026, 11, 2), datetime.date(2026, 11, 3), datetime.date(2026, 11, 9)
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
URL = "/api/kpis/values/"


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def numbers(world):
    AgentDayFactory(employee=world.trainee, on=MON, inbound_handled=100, fcr_resolved=90)
    AgentDayFactory(employee=world.trainee, on=TUE, inbound_handled=4, fcr_resolved=1)
    AgentDayFactory(employee=world.mentor, on=NEXT_MON, inbound_handled=80, fcr_resolved=60)
    AgentDayFactory(employee=world.other_trainee, on=MON, inbound_handled=10, fcr_resolved=10)
    queue = QueueFactory(site=world.team.department.site)
    QueueDayFactory(queue=queue, on=MON, offered=100, answered=90)
    QueueDayFactory(queue=queue, on=TUE, offered=10, answered=1)
    return world


def values(response, period="2026-11-01"):
    assert response.status_code == 200, response.content
    return next(p["values"] for p in response.json()["periods"] if p["start"] == period)


def test_the_url_is_the_routers(numbers):
    assert reverse("kpi-values-list") == URL


def test_a_trainee_gets_her_own_month_as_the_ratio_of_sums(numbers):
    response = api(numbers.trainee.user).get(URL, NOVEMBER)
    assert values(response)["fcr"] == pytest.approx(91 / 104)
    assert response.json()["id"] == numbers.trainee.pk


def test_a_trainee_asking_for_someone_else_gets_404(numbers):
    response = api(numbers.trainee.user).get(URL, {**NOVEMBER, "level": "employee", "id": numbers.mentor.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("level", ["team", "site", "centre"])
def test_a_trainee_gets_404_above_her_own_level(numbers, level):
    ids = {"team": numbers.team.pk, "site": numbers.team.department.site_id, "centre": None}
    params = {**NOVEMBER, "level": level, **({"id": ids[level]} if ids[level] else {})}
    assert api(numbers.trainee.user).get(URL, params).status_code == 404


def test_a_supervisor_gets_her_team_by_week(numbers):
    response = api(numbers.supervisor.user).get(
        URL, {**NOVEMBER, "level": "team", "id": numbers.team.pk, "grain": "week"}
    )
    assert values(response, "2026-11-02")["fcr"] == pytest.approx(91 / 104)
    assert values(response, "2026-11-09")["fcr"] == pytest.approx(60 / 80)


def test_a_supervisor_gets_404_for_another_team(numbers):
    response = api(numbers.supervisor.user).get(URL, {**NOVEMBER, "level": "team", "id": numbers.other_team.pk})
    assert response.status_code == 404


def test_a_supervisor_gets_a_members_numbers(numbers):
    response = api(numbers.supervisor.user).get(URL, {**NOVEMBER, "id": numbers.trainee.pk})
    assert values(response)["fcr"] == pytest.approx(91 / 104)


def test_hr_gets_a_site_with_its_connect_rate(numbers):
    response = api(numbers.hr).get(URL, {**NOVEMBER, "level": "site", "id": numbers.team.department.site_id})
    found = values(response)
    assert found["connect_rate"] == pytest.approx(91 / 110)
    assert found["fcr"] == pytest.approx(151 / 184)


def test_hr_gets_the_centre_by_day(numbers):
    response = api(numbers.hr).get(URL, {**NOVEMBER, "level": "centre", "grain": "day"})
    assert values(response, "2026-11-02")["fcr"] == pytest.approx(100 / 110)
    assert values(response, "2026-11-03")["connect_rate"] == pytest.approx(0.1)


def test_a_kpi_without_denominator_is_null(numbers):
    assert values(api(numbers.trainee.user).get(URL, NOVEMBER))["escalation_rate"] is None


def test_the_window_limits_the_rows(numbers):
    response = api(numbers.trainee.user).get(URL, {"start": "2026-11-03", "end": "2026-11-03"})
    assert values(response)["fcr"] == pytest.approx(0.25)


def test_a_start_after_the_end_is_refused(numbers):
    response = api(numbers.trainee.user).get(URL, {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 400
    assert "start" in response.json()


def test_an_unknown_grain_is_refused(numbers):
    assert api(numbers.trainee.user).get(URL, {**NOVEMBER, "grain": "year"}).status_code == 400


def test_too_many_days_at_day_grain_is_refused(numbers):
    response = api(numbers.hr).get(URL, {"level": "centre", "grain": "day", "start": "2024-01-01", "end": "2026-11-30"})
    assert response.status_code == 400


def test_anonymous_is_refused(numbers):
    assert APIClient().get(URL, NOVEMBER).status_code == 401


def test_the_schema_documents_the_values_endpoint_with_an_example(numbers, client):
    client.force_login(numbers.hr, backend="django.contrib.auth.backends.ModelBackend")
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"level", "id", "start", "end", "grain"}
    assert "examples" in operation["responses"]["200"]["content"]["application/json"]


def test_doubling_the_history_adds_no_query(numbers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(numbers.supervisor.user)
    params = {"level": "team", "id": numbers.team.pk, "start": "2026-01-01", "end": "2026-11-30", "grain": "week"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    small = count()
    for n in range(1, 40):
        AgentDayFactory(employee=numbers.mentor, on=NEXT_MON - datetime.timedelta(days=n), inbound_handled=10)
    assert count() == small
