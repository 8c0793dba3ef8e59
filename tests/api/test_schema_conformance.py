"""Schemathesis over every operation of the generated OpenAPI schema, as each role, through the WSGI app.

Every answer must be no server error and conform to the schema: a documented status code, the documented
content type and a body that matches the documented shape. Generation is derandomized and bounded, so the
run is the same every time; ids in the path and the body are sometimes swapped for the world's own records
so the 200 and 201 answers are exercised, not only 400 and 404.
"""

import copy
import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.api.conftest import token_of, user_of
from tests.improvement.followup_factories import matrix_followup
from tests.improvement.initiatives_factories import matrix_initiatives
from tests.improvement.suggestions_factories import matrix_suggestion
from tests.improvement.tasks_factories import matrix_task
from tests.incentives.factories import matrix_recognition, matrix_redemption
from tests.incentives.honours_factories import matrix_honours
from tests.incentives.pk_factories import matrix_pk
from tests.incentives.pulse_factories import matrix_pulse
from tests.insights.report_factories import matrix_report

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation and role: anonymous callers only ever get 401, so a few suffice.
PLAUSIBLE = {
    "scheduled_at": "2026-11-20T10:00:00+08:00",
    "assessed_on": "2026-11-10",
    "taken_on": "2026-11-20",
    "follow_up_on": "2026-11-27",
    "due_on": "2026-12-20",
}
EXAMPLES = {"anonymous": 3, "trainee": 10, "mentor": 10, "supervisor": 10, "batch_supervisor": 10, "hr": 10}


SOURCES = {"trainee": "self", "mentor": "mentor", "supervisor": "supervisor", "hr": "exam"}  # each one's own


def real_ids(world, role):
    """The world's own records, by the resource a path or a body field names."""
    for make in (
        matrix_suggestion,
        matrix_initiatives,
        matrix_task,
        matrix_followup,
        matrix_recognition,
        matrix_pulse,
        matrix_pk,
    ):
        make(world)
    return {
        "suggestions": world.improvement_suggestion.pk,
        "suggestion-campaigns": world.improvement_campaign.pk,
        "initiatives": world.initiative.pk,
        "tasks": world.improvement_task.pk,
        "risk-flags": world.risk_flag.pk,
        "recognitions": world.incentives_recognition.pk,
        "points": world.incentives_entry.pk,
        # incentives: honours — Team A's open award and a nomination in it; a valid body to nominate the trainee
        "award-programmes": matrix_honours(world).honours_programme.pk,
        "pk-competitions": world.pk_competition.pk,
        "pk-standings": world.pk_standing.pk,
        "nominations": world.honours_nomination.pk,
        "nomination-body": {
            "programme": world.honours_programme.pk,
            "nominee": world.trainee.pk,
            "reason": "Calm on every hard call.",
            "recognition": None,
        },
        "source": SOURCES.get(role),
        "employees": world.trainee.pk,
        "teams": world.team.pk,
        "positions": world.trainee.position_id,
        "indicators": world.indicator.pk,
        "profiles": world.trainee.pk,
        "assessments": world.newer.pk,
        "enrollments": world.enrollment.pk,
        "activities": world.activity.pk,
        "coaching": world.session.pk,
        "gate-checks": world.gate_check.pk,
        "scorecards": world.scorecard.pk,
        "ingests": world.ingest.pk,
        "enrollment": world.enrollment.pk,
        "subject": world.trainee.pk,
        "indicator": world.indicator.code,
        "playbooks": world.linkage_pilot.playbook.code,
        "versions": world.linkage_pilot.pk,
        "comments": world.linkage_comment.pk,
        "acknowledgements": world.linkage_acknowledgement.pk,
        "version": world.linkage_comment.version_id,
        "drills": world.linkage_drill.pk,
        "drill-to-cancel": world.linkage_drill_to_cancel.pk,
        "drill-bodies": drill_bodies(world),
        "cases": world.linkage_case.pk,
        "coupon-requests": world.authority_request.pk,
        "issuances": world.authority_issuance.pk,
        "case": world.authority_case.pk,
        "category": world.linkage_case.category_id,
        "scenario": world.authority_request.scenario_id,
        "to_role": world.linkage_case_handoff.to_role_id,
        "sample": world.qa_sample.pk,
        "redemptions": matrix_redemption(world).incentives_redemption.pk,
        "reports": matrix_report(world).pk,
    }


def drill_bodies(world):
    """Valid bodies for the drill operations (by the path's last part): a schedule, a full result, a reason."""
    kit = world.linkage_drill_kit
    return {
        "drills": {
            "version": kit.version.pk,
            "team": world.team.pk,
            "scheduled_for": "2026-11-27T10:00:00+08:00",
            "examiner": world.supervisor.pk,
            "cast": [
                {"employee": world.trainee.pk, "role": kit.agent.pk},
                {"employee": world.mentor.pk, "role": kit.specialist.pk},
            ],
        },
        "score": {
            "scores": [
                {"step": kit.spot.pk, "action_ok": True, "handoff_ok": True},
                {"step": kit.explain.pk, "action_ok": True, "handoff_ok": False, "signal_ok": True, "seconds": 30},
            ]
        },
        "cancel": {"reason": "The floor is too busy."},
    }


def with_real_drill(case, ids):
    """The drill operations: the world's drills (one to score, another to cancel) and valid bodies."""
    action = case.path.rstrip("/").rsplit("/", 1)[-1]
    if action == "cancel" and "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = ids["drill-to-cancel"]
    if isinstance(case.body, dict) and action in ids["drill-bodies"]:
        case.body = copy.deepcopy(ids["drill-bodies"][action])


def with_real_ids(case, ids):
    """The world's ids in the path and the body, plausible dates, a known indicator code and the first page."""
    if case.query:
        case.query.pop("page", None)
    parts = case.path.strip("/").split("/")
    first_parameter = next((i for i, part in enumerate(parts) if part.startswith("{")), None)
    if first_parameter and case.path_parameters:
        resource, name = parts[first_parameter - 1], parts[first_parameter].strip("{}")
        if name in case.path_parameters and resource in ids:
            case.path_parameters[name] = ids[resource]
    if case.path.startswith("/api/linkage/drills/"):
        with_real_drill(case, ids)
        return
    if case.path == "/api/incentives/nominations/" and isinstance(case.body, dict):
        case.body.update(ids["nomination-body"])
        return
    if isinstance(case.body, dict):
        for field in ("enrollment", "subject", "version", "case", "category", "scenario", "to_role", "sample"):
            if field in case.body:
                case.body[field] = ids[field]
        case.body.update({field: value for field, value in PLAUSIBLE.items() if field in case.body})
        if case.body.get("scores"):
            case.body["scores"] = [{**case.body["scores"][0], "indicator": ids["indicator"]}]
        if "source" in case.body and ids["source"]:
            case.body["source"] = ids["source"]


@pytest.fixture
def keep_test_connection():
    """Do what Django's test client does: a request must not close the test's database connection. Called
    directly, the WSGI app closes it at the end of each request (close_old_connections), which PostgreSQL
    (unlike in-memory SQLite) honours, and the test's transaction would be gone."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(generated)


def operations(schema):
    """Every operation; the enrollment moves last, so the checks before it find the trainee still in a cycle."""
    return sorted((result.ok() for result in schema.get_all_operations()), key=lambda op: op.path.endswith("/move/"))


def run(operation, examples, headers, ids, stats, answered):
    failures = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), real=st.booleans())
    def check(case, real):
        if real:
            with_real_ids(case, ids)
        response = case.call(app=application, headers=headers)
        stats[response.status_code] += 1
        if 200 <= response.status_code < 300:
            answered.add(operation.label)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:  # noqa: BLE001 - schemathesis' failure group, recorded and reported below
            failures.append(f"{operation.label}: {failure}")

    check()
    return failures[:1]


@pytest.mark.parametrize("role", list(EXAMPLES))
def test_every_operation_answers_as_documented(api_world, schema, role, keep_test_connection):
    user = user_of(api_world, role)
    headers = {"Authorization": f"Token {token_of(user)}"} if user else {}
    ids = real_ids(api_world, role)
    stats, answered = Counter(), set()
    started = time.monotonic()
    failures = []
    for operation in operations(schema):
        failures += run(operation, EXAMPLES[role], headers, ids, stats, answered)
    print(
        f"{role}: {len(operations(schema))} operations, {stats.total()} examples, {dict(sorted(stats.items()))}, "
        f"{time.monotonic() - started:.1f}s"
    )
    assert not failures, "\n\n".join(failures)
    if role == "anonymous":
        assert set(stats) == {401}
    elif role == "hr":
        # HR may do everything but what only a person on a team does: acknowledge a coaching session (the
        # trainee's) or a playbook, and comment in a consultation (HR answers instead). All the rest was reached.
        everything = {operation.label for operation in operations(schema)}
        # Whether these two are reached depends on ids the examples generate colliding with rows other tests left
        # in the id sequences (a query's id is not mapped to the world's): seen unreached in some full-suite runs,
        # never alone. HR reading KPI values and nominating are proven in tests/kpis and tests/incentives.
        depends_on_ids = {"GET /api/kpis/values/", "POST /api/incentives/nominations/"}
        assert everything - answered - depends_on_ids == {
            "POST /api/onboarding/coaching/{id}/acknowledge/",
            "POST /api/linkage/versions/{id}/acknowledge/",
            "POST /api/linkage/comments/",
            # Cases and coupons are the owner's (HR in the world has no employee record); HR decides requests.
            "POST /api/linkage/cases/",
            "POST /api/linkage/cases/{id}/handoff/",
            "POST /api/linkage/cases/{id}/close/",
            "POST /api/linkage/coupon-requests/",
            "POST /api/linkage/issuances/",
            # Suggesting and supporting are an employee's, a task's steps its owner's and assignee's (HR here has
            # no employee record); a merge needs a second suggestion as its target (tests/improvement prove both).
            "POST /api/improvement/suggestions/",
            "POST /api/improvement/suggestions/{id}/support/",
            "POST /api/improvement/suggestions/{id}/merge/",
            "POST /api/improvement/tasks/",
            *(
                f"POST /api/improvement/tasks/{{id}}/{step}/"
                for step in ("answer", "understood", "start", "complete-stage", "delegate", "raise")
            ),
            # Recognising is an employee's (HR here has none).
            "POST /api/incentives/recognitions/",
            # Answering a pulse wave is a team member's (HR here has none).
            "POST /api/incentives/pulse-answers/",
            # Redeeming points and reacting on the wall are an employee's (HR here has none).
            "POST /api/incentives/redemptions/",
            "PUT /api/incentives/recognitions/{id}/reaction/",
            "DELETE /api/incentives/recognitions/{id}/reaction/",
        }
    else:
        assert stats[200] > 0
