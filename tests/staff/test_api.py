import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from staff.models import Employee, Stage
from tests.staff.factories import EmployeeFactory


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def numbers(response):
    return {row["employee_number"] for row in response.json()["results"]}


def test_token_reads_employees_scoped_like_the_pages(world):
    response = token_client(world.supervisor.user).get(reverse("employee-list"))
    assert response.status_code == 200
    assert numbers(response) == {
        e.employee_number for e in (world.supervisor, world.mentor, world.trainee, world.inactive)
    }


def test_trainee_token_sees_only_self(world):
    assert numbers(token_client(world.trainee.user).get(reverse("employee-list"))) == {world.trainee.employee_number}


def test_out_of_scope_employee_answers_404(world):
    response = token_client(world.trainee.user).get(reverse("employee-detail", args=[world.other_trainee.pk]))
    assert response.status_code == 404


def test_no_token_is_refused(world):
    assert APIClient().get(reverse("employee-list")).status_code == 401


def test_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(reverse("employee-list")).status_code == 401


def test_token_of_deactivated_user_is_refused(world):
    client = token_client(world.trainee.user)
    world.trainee.user.is_active = False
    world.trainee.user.save()
    assert client.get(reverse("employee-list")).status_code == 401


def test_employees_filter_by_stage_and_search(world):
    client = token_client(world.hr)
    assert numbers(client.get(reverse("employee-list"), {"stage": Stage.HIGH_PERFORMER})) == {
        world.mentor.employee_number
    }
    assert numbers(client.get(reverse("employee-list"), {"search": "Trainee B"})) == {
        world.other_trainee.employee_number
    }


def test_employees_are_paginated(world):
    EmployeeFactory.create_batch(55, team=world.team)
    body = token_client(world.hr).get(reverse("employee-list")).json()
    assert body["count"] == Employee.objects.count() == 61
    assert len(body["results"]) == 50
    assert body["next"]


def test_api_is_read_only(world):
    response = token_client(world.hr).post(reverse("employee-list"), {"name": "X"})
    assert response.status_code == 405


def test_teams_are_scoped(world):
    body = token_client(world.other_trainee.user).get(reverse("team-list")).json()
    assert [t["code"] for t in body["results"]] == [world.other_team.code]


def test_positions_carry_their_job_description(world):
    body = token_client(world.trainee.user).get(reverse("position-detail", args=[world.trainee.position_id])).json()
    assert body["title"] == world.trainee.position.title
    assert "duties" in body


@pytest.mark.parametrize("name", ["employee-list", "team-list", "position-list"])
def test_list_query_count_does_not_grow(world, django_assert_max_num_queries, name):
    client = token_client(world.hr)
    with django_assert_max_num_queries(8):
        client.get(reverse(name))
    EmployeeFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(reverse(name))


def test_openapi_schema_documents_the_endpoints(world):
    client = APIClient()
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("api-schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/employees/", "/api/teams/", "/api/positions/"} <= set(paths)


def test_swagger_ui_is_self_hosted(world, client):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn" not in body.lower()
