"""Ingestion API (issue 11 §3, §8): bulk posts by the platform's service account or HR, answers with the ingest's
summary or every bad row, a replay changes nothing; the ingest log; nobody else may use it."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kpis.models import AgentDay, Ingest, QueueDay
from tests.kpis.ingestion_world import World, agent_row, queue_row
from tests.staff.factories import EmployeeFactory, UserFactory

AGENT_DAYS = "/api/kpis/agent-days/"
QUEUE_DAYS = "/api/kpis/queue-days/"
INGESTS = "/api/kpis/ingests/"


@pytest.fixture
def world(db):
    world = World()
    world.platform = UserFactory(username="acd-platform")
    world.platform.user_permissions.add(Permission.objects.get(codename="add_agentday", content_type__app_label="kpis"))
    world.supervisor = EmployeeFactory(team=world.team, stage="management").user
    world.team.supervisor = world.supervisor.employee
    world.team.save()
    world.trainee = world.agent.user
    return world


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def post(user, url, rows):
    return client_for(user).post(url, {"rows": rows}, format="json")


def test_the_platform_posts_agent_days_with_its_token(world):
    response = post(world.platform, AGENT_DAYS, [agent_row(), agent_row("E10016")])
    assert response.status_code == 201, response.content
    ingest = Ingest.objects.get()
    assert response.json() == {
        "id": ingest.pk,
        "status": "done",
        "inserted": 2,
        "replaced": 0,
        "unchanged": 0,
        "first_on": "2026-11-02",
        "last_on": "2026-11-02",
    }
    assert response["Location"] == reverse("kpi-ingest-detail", kwargs={"pk": ingest.pk})
    assert (ingest.actor, ingest.channel) == (world.platform, "api")
    assert AgentDay.objects.count() == 2


def test_a_replayed_request_changes_no_row(world):
    rows = [agent_row(), agent_row("E10016", revision=2)]
    post(world.platform, AGENT_DAYS, rows)
    replay = post(world.platform, AGENT_DAYS, rows)
    assert replay.status_code == 201
    assert (replay.json()["inserted"], replay.json()["replaced"], replay.json()["unchanged"]) == (0, 0, 2)
    assert set(AgentDay.objects.values_list("ingest", flat=True)) == {Ingest.objects.order_by("pk").first().pk}


def test_a_request_with_bad_rows_answers_every_one_and_writes_nothing(world):
    rows = [agent_row("E99999"), agent_row(), agent_row("E10016", fcr_resolved="93")]
    response = post(world.platform, AGENT_DAYS, rows)
    assert response.status_code == 400
    failed = Ingest.objects.get()
    assert response.json() == {
        "rows": [
            {"row": 1, "column": "employee_number", "message": "No employee has this employee number."},
            {"row": 3, "column": "fcr_resolved", "message": "fcr_resolved (93) is more than inbound_handled (92)."},
        ]
    }
    assert failed.status == "failed"
    assert AgentDay.objects.count() == 0


def test_a_nul_in_a_cell_is_refused_and_recorded_like_any_bad_cell(world):
    """PostgreSQL's jsonb cannot store a NUL: the problem quoting the cell is kept with a replacement mark."""
    response = post(world.platform, AGENT_DAYS, [agent_row(line="a\x00b", inbound_handled="9\x001")])

    assert response.status_code == 400
    assert {problem["column"] for problem in response.json()["rows"]} == {"line", "inbound_handled"}
    failed = Ingest.objects.get()
    assert failed.status == "failed" and "\x00" not in str(failed.problems)
    assert AgentDay.objects.count() == 0


def test_problems_are_answered_in_the_callers_language(world):
    response = client_for(world.platform).post(
        AGENT_DAYS, {"rows": [agent_row(outbound_handled="3.5")]}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert response.json()["rows"][0]["message"] == "“3.5”不是整数。"


def test_row_numbers_are_positions_whatever_a_row_claims(world):
    response = post(world.platform, AGENT_DAYS, [agent_row(), {**agent_row("E99999"), "row": 40}])
    assert [problem["row"] for problem in response.json()["rows"]] == [2]


@pytest.mark.parametrize("body", [{}, {"rows": "x"}, ["a"], {"rows": {"a": 1}}])
def test_a_body_without_a_list_of_rows_is_refused(world, body):
    response = client_for(world.platform).post(AGENT_DAYS, body, format="json")
    assert response.status_code == 400
    assert response.json()["rows"][0]["row"] is None
    assert Ingest.objects.count() == 0


def test_a_row_that_is_not_an_object_is_refused(world):
    response = post(world.platform, AGENT_DAYS, [agent_row(), "E10016,2026-11-02"])
    assert response.status_code == 400
    assert [(p["row"], p["column"]) for p in response.json()["rows"]] == [(2, "")]


def test_the_platform_posts_queue_days(world):
    response = post(world.platform, QUEUE_DAYS, [queue_row()])
    assert response.status_code == 201, response.content
    assert QueueDay.objects.get().answered == 480
    assert Ingest.objects.get().source == "queue"


def test_hr_may_post_agent_days(world):
    assert post(world.hr, AGENT_DAYS, [agent_row()]).status_code == 201


@pytest.mark.parametrize("who", ["supervisor", "trainee"])
@pytest.mark.parametrize("url", [AGENT_DAYS, QUEUE_DAYS])
def test_a_supervisor_or_trainee_may_not_post(world, who, url):
    rows = [agent_row()] if url == AGENT_DAYS else [queue_row()]
    assert post(getattr(world, who), url, rows).status_code == 403
    assert (AgentDay.objects.count(), QueueDay.objects.count(), Ingest.objects.count()) == (0, 0, 0)


def test_without_a_token_the_post_is_unauthorized(world):
    assert APIClient().post(AGENT_DAYS, {"rows": [agent_row()]}, format="json").status_code == 401


def test_the_ingest_log_lists_every_ingest_newest_first(world):
    post(world.platform, AGENT_DAYS, [agent_row()])
    post(world.platform, AGENT_DAYS, [agent_row("E99999")])
    response = client_for(world.hr).get(INGESTS)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(item["status"], item["actor"], item["rows_inserted"]) for item in results] == [
        ("failed", "acd-platform", 0),
        ("done", "acd-platform", 1),
    ]
    assert results[0]["problems"][0]["column"] == "employee_number"


def test_the_ingest_log_filters_by_status(world):
    post(world.platform, AGENT_DAYS, [agent_row()])
    post(world.platform, AGENT_DAYS, [agent_row("E99999")])
    response = client_for(world.platform).get(INGESTS, {"status": "done"})
    assert [item["status"] for item in response.json()["results"]] == ["done"]


def test_the_ingest_log_orders_by_declared_fields_only(world):
    post(world.platform, AGENT_DAYS, [agent_row()])
    post(world.platform, AGENT_DAYS, [agent_row(), agent_row("E10016", date="2026-11-03")])
    by_rows = client_for(world.hr).get(INGESTS, {"ordering": "rows_total"}).json()["results"]
    by_problems = client_for(world.hr).get(INGESTS, {"ordering": "file_name"}).json()["results"]
    assert [item["rows_total"] for item in by_rows] == [1, 2]
    assert [item["rows_total"] for item in by_problems] == [2, 1]  # undeclared: the default order


def test_an_ingest_detail_shows_its_counts(world):
    ingest_id = post(world.platform, AGENT_DAYS, [agent_row()]).json()["id"]
    response = client_for(world.hr).get(f"{INGESTS}{ingest_id}/")
    assert (response.status_code, response.json()["rows_inserted"]) == (200, 1)


@pytest.mark.parametrize("who", ["supervisor", "trainee"])
def test_a_supervisor_or_trainee_may_not_read_the_ingest_log(world, who):
    ingest_id = post(world.platform, AGENT_DAYS, [agent_row()]).json()["id"]
    assert client_for(getattr(world, who)).get(INGESTS).status_code == 403
    assert client_for(getattr(world, who)).get(f"{INGESTS}{ingest_id}/").status_code == 403


def test_the_schema_documents_the_posts_with_an_example(world):
    schema = client_for(world.hr).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][AGENT_DAYS]["post"]
    example = operation["requestBody"]["content"]["application/json"]["examples"]
    assert next(iter(example.values()))["value"]["rows"][0]["employee_number"] == "E10015"
    assert set(operation["responses"]) >= {"201", "400", "403"}
    assert datetime.date.fromisoformat(next(iter(example.values()))["value"]["rows"][0]["date"])


def test_a_request_of_thousands_of_rows_is_taken_whole(world):
    from staff.models import Employee

    Employee.objects.bulk_create(
        Employee(employee_number=f"B{n:05d}", name=f"Agent {n}", hire_date="2026-01-05", team=world.team)
        for n in range(3_000)
    )
    rows = [agent_row(f"B{n:05d}") for n in range(3_000)]
    response = post(world.platform, AGENT_DAYS, rows)
    assert response.status_code == 201, response.content[:300]
    assert (response.json()["inserted"], AgentDay.objects.count()) == (3_000, 3_000)
