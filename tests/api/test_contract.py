"""The API contract beyond the generated runs: strict text, plausible dates, nullable fields and documented errors."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework import viewsets

from staff.api.filters import OrderingFilter
from staff.models import Employee
from tests.api.conftest import api_client
from training.models import Activity, CoachingSession


@pytest.fixture(scope="module")
def schema():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    return generated


def each_operation(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


@pytest.mark.parametrize("note", [5, 3.5, True, ["a note"], {"text": "a note"}])
def test_an_activity_note_must_be_text(api_world, note):
    url = reverse("onboarding-activity-done", args=[api_world.activity.pk])
    response = api_client(api_world, "hr").post(url, {"note": note}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    assert Activity.objects.get(pk=api_world.activity.pk).done_at is None


def test_an_activity_note_as_text_is_taken(api_world):
    url = reverse("onboarding-activity-done", args=[api_world.activity.pk])
    response = api_client(api_world, "hr").post(url, {"note": "5 calls reviewed"}, format="json")
    assert response.status_code == 200
    assert response.json()["note"] == "5 calls reviewed"


def test_coaching_notes_must_be_text_and_a_session_a_plausible_time(api_world):
    client = api_client(api_world, "mentor")
    body = {"enrollment": api_world.enrollment.pk, "phase": "during", "scheduled_at": "2026-11-21T10:00:00+08:00"}
    assert client.post(reverse("onboarding-coaching-list"), {**body, "notes": 42}, format="json").status_code == 400
    ancient = {**body, "scheduled_at": "0641-06-09T08:07:52+17:02"}
    answer = client.post(reverse("onboarding-coaching-list"), ancient, format="json")
    assert answer.status_code == 400
    assert "scheduled_at" in answer.json()
    assert CoachingSession.objects.count() == 1  # the world's own


def test_assessments_take_json_only(api_world):
    body = {"subject": api_world.trainee.pk, "source": "exam", "assessed_on": "2026-11-10", "scores": "talk"}
    assert api_client(api_world, "hr").post(reverse("kash-assessment-list"), body).status_code == 415


def test_nulls_the_api_answers_are_nullable_in_the_schema(api_world, schema):
    teamless = api_client(api_world, "hr").get(reverse("employee-detail", args=[api_world.teamless.pk])).json()
    assert [teamless[field] for field in ("team", "team_name", "position", "position_title", "mentor")] == [None] * 5
    assessment = api_client(api_world, "hr").get(reverse("kash-assessment-detail", args=[api_world.newer.pk])).json()
    assert assessment["supersedes"] is None
    components = schema["components"]["schemas"]
    for component, field in [
        ("Employee", "team"),
        ("Employee", "team_name"),
        ("Employee", "position"),
        ("Employee", "position_title"),
        ("Employee", "mentor"),
        ("Assessment", "supersedes"),
        ("Team", "supervisor"),
        ("Position", "department"),
    ]:
        assert components[component]["properties"][field].get("nullable"), (component, field)
    assert Employee.objects.filter(team=None).exists()


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in each_operation(schema):
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "{id}" in path or method == "get":  # a list answers 404 for a page past its end
            assert "404" in responses, (method, path)
        if method == "post" or any(p["in"] == "query" for p in operation.get("parameters", ())):
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ValidationError"
            }
        assert responses["403"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_lists_offer_search_and_ordering_only_where_they_declare_them(schema):
    lists = {path: item["get"] for path, item in schema["paths"].items() if "get" in item}
    parameters = {path: {p["name"] for p in operation.get("parameters", ())} for path, operation in lists.items()}
    assert "search" not in parameters["/api/kash/assessments/"]
    assert "search" in parameters["/api/employees/"]
    ordering = next(
        p for p in schema["paths"]["/api/kash/assessments/"]["get"]["parameters"] if p["name"] == "ordering"
    )
    assert "assessed_on, submitted_at" in ordering["description"]


def test_the_ordering_filter_allows_nothing_undeclared():
    class Silent(viewsets.GenericViewSet):
        pass

    class Everything(viewsets.GenericViewSet):
        ordering_fields = "__all__"

    assert OrderingFilter().get_valid_fields(Employee.objects.all(), Silent()) == []
    assert OrderingFilter().get_schema_operation_parameters(Silent()) == []
    with pytest.raises(ImproperlyConfigured):
        OrderingFilter().get_valid_fields(Employee.objects.all(), Everything())
    assert "staff.api.filters.OrderingFilter" in settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]


def test_the_description_names_the_current_api():
    description = settings.SPECTACULAR_SETTINGS["DESCRIPTION"]
    for topic in ("KASH", "Onboarding", "Staff", "Idempotency-Key", "Token", "401", "404", "ordering"):
        assert topic in description, topic
