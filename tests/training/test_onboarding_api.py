"""Onboarding API: enrollments and moves, activities, coaching, gate checks (DOMAIN §3), through HTTP."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.staff.factories import EmployeeFactory
from training import services
from training.models import (
    ActivityKind,
    ActivityOwner,
    ActivityTemplate,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    GateCheck,
    Program,
)


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def program(indicators):
    """A tiny program: four cycles of two activities (the trainee's and the mentor's); cycle 1 has a
    pass-the-gate check whose focus is the first indicator."""
    program = Program.objects.create(code="agents", name_en="New agents", name_zh="新坐席", pre_job_days=5)
    for number in range(1, 5):
        cycle = CycleTemplate.objects.create(
            program=program,
            number=number,
            name_en=f"Cycle {number}",
            name_zh=f"第{number}周期",
            check_required=number == 1,
            pass_mark=80,
        )
        ActivityTemplate.objects.create(
            cycle=cycle, order=1, title_en="Learn the call script", title_zh="学习话术", kind=ActivityKind.LEARNING
        )
        ActivityTemplate.objects.create(
            cycle=cycle,
            order=2,
            title_en="Review shadowed calls",
            title_zh="复盘跟听",
            kind=ActivityKind.PRACTICE,
            owner=ActivityOwner.MENTOR,
        )
    program.cycles.get(number=1).focus_indicators.add(indicators[0])
    return program


def open_batch(world, program, code, supervisor, team):
    return services.open_batch(
        actor=world.hr,
        program=program,
        code=code,
        name=code,
        start_on=timezone.localdate(),
        supervisor=supervisor,
        team=team,
    )


def enroll_in_cycle_1(world, batch, trainee):
    enrollment = services.enroll_trainee(actor=world.hr, batch=batch, trainee=trainee)
    return services.move_enrollment(actor=world.hr, enrollment_id=enrollment.pk, move="start", from_state="pre_job")


@pytest.fixture
def batch(world, program):
    return open_batch(world, program, "batch-a", world.supervisor, world.team)


@pytest.fixture
def enrollment(world, batch):
    """The trainee, in cycle 1 of her supervisor's batch."""
    return enroll_in_cycle_1(world, batch, world.trainee)


@pytest.fixture
def other_enrollment(world, program):
    """The other trainee, in cycle 1 of the other supervisor's batch."""
    other_batch = open_batch(world, program, "batch-b", world.other_supervisor, world.other_team)
    return enroll_in_cycle_1(world, other_batch, world.other_trainee)


def own_activity(enrollment):
    return enrollment.activities.get(cycle=1, template__owner=ActivityOwner.TRAINEE)


def move(user, enrollment, **body):
    return api(user).post(reverse("onboarding-enrollment-move", args=[enrollment.pk]), body, format="json")


# Activities ---------------------------------------------------------------------------------


def test_trainee_marks_her_activity_done(world, enrollment):
    activity = own_activity(enrollment)
    response = api(world.trainee.user).post(
        reverse("onboarding-activity-done", args=[activity.pk]), {"note": "Read it twice"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["is_done"] is True
    activity.refresh_from_db()
    assert (activity.is_done, activity.done_by, activity.note) == (True, world.trainee.user, "Read it twice")


def test_trainee_cannot_mark_another_trainees_activity(world, enrollment, other_enrollment):
    activity = own_activity(other_enrollment)
    response = api(world.trainee.user).post(reverse("onboarding-activity-done", args=[activity.pk]), {}, format="json")
    assert response.status_code == 404
    activity.refresh_from_db()
    assert not activity.is_done


def test_trainee_cannot_mark_her_mentors_activity(world, enrollment):
    activity = enrollment.activities.get(cycle=1, template__owner=ActivityOwner.MENTOR)
    response = api(world.trainee.user).post(reverse("onboarding-activity-done", args=[activity.pk]), {}, format="json")
    assert response.status_code == 403
    activity.refresh_from_db()
    assert not activity.is_done


def test_activities_filter_by_done(world, enrollment):
    done = own_activity(enrollment)
    services.complete_activity(actor=world.trainee.user, activity_id=done.pk)
    client, url = api(world.trainee.user), reverse("onboarding-activity-list")
    assert [row["id"] for row in client.get(url, {"done": "true"}).json()["results"]] == [done.pk]
    open_ids = [row["id"] for row in client.get(url, {"done": "false", "enrollment": enrollment.pk}).json()["results"]]
    assert open_ids == [enrollment.activities.get(cycle=1, template__owner=ActivityOwner.MENTOR).pk]


def test_activities_of_other_teams_are_not_listed(world, enrollment, other_enrollment):
    rows = api(world.supervisor.user).get(reverse("onboarding-activity-list")).json()["results"]
    assert {row["enrollment"] for row in rows} == {enrollment.pk}


# Enrollments and moves ----------------------------------------------------------------------


def test_enrollment_reports_its_progress(world, enrollment):
    services.complete_activity(actor=world.trainee.user, activity_id=own_activity(enrollment).pk)
    body = api(world.trainee.user).get(reverse("onboarding-enrollment-detail", args=[enrollment.pk])).json()
    assert (body["state"], body["cycle"], body["trainee"], body["batch"]) == (
        "cycle_1",
        1,
        world.trainee.pk,
        enrollment.batch_id,
    )
    assert (body["required_total"], body["required_done"], body["activities_total"], body["activities_done"]) == (
        2,
        1,
        2,
        1,
    )


def test_supervisor_cannot_advance_past_an_unmet_gate(world, enrollment):
    response = move(world.supervisor.user, enrollment, move="advance", from_state="cycle_1")
    assert response.status_code == 400
    assert response.json() == [
        "2 required activities are not done.",
        "The pass-the-gate check has not been taken.",
    ]
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_supervisor_advances_once_the_gate_is_met(world, enrollment):
    for activity in enrollment.activities.filter(cycle=1):
        services.complete_activity(actor=world.supervisor.user, activity_id=activity.pk)
    services.record_gate_check(actor=world.mentor.user, enrollment_id=enrollment.pk, score=85)
    response = move(world.supervisor.user, enrollment, move="advance", from_state="cycle_1", reason="Gate met")
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["required_done"]) == ("cycle_2", 0)
    assert enrollment.events.first().reason == "Gate met"


def test_supervisor_extends_a_cycle_with_a_remediation_plan(world, enrollment):
    due_on = timezone.localdate() + datetime.timedelta(days=7)
    response = move(
        world.supervisor.user,
        enrollment,
        move="extend",
        from_state="cycle_1",
        remediation_plan="Two shadowed calls a day",
        due_on=due_on.isoformat(),
    )
    assert response.status_code == 200, response.json()
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.is_gate_failed, enrollment.due_on) == ("extended", True, due_on)
    assert enrollment.remediation_plan == "Two shadowed calls a day"


def test_extending_without_a_remediation_plan_is_refused(world, enrollment):
    due_on = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = move(world.supervisor.user, enrollment, move="extend", from_state="cycle_1", due_on=due_on)
    assert response.status_code == 400
    assert "remediation_plan" in response.json()


def test_other_supervisor_gets_404(world, enrollment):
    client = api(world.other_supervisor.user)
    assert client.get(reverse("onboarding-enrollment-detail", args=[enrollment.pk])).status_code == 404
    response = client.post(
        reverse("onboarding-enrollment-move", args=[enrollment.pk]),
        {"move": "withdraw", "from_state": "cycle_1"},
        format="json",
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_trainee_cannot_move_her_own_enrollment(world, enrollment):
    assert move(world.trainee.user, enrollment, move="withdraw", from_state="cycle_1").status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_enrollments_are_scoped(world, enrollment, other_enrollment):
    url = reverse("onboarding-enrollment-list")
    assert [row["id"] for row in api(world.trainee.user).get(url).json()["results"]] == [enrollment.pk]
    assert [row["id"] for row in api(world.other_supervisor.user).get(url).json()["results"]] == [other_enrollment.pk]
    assert {row["id"] for row in api(world.hr).get(url).json()["results"]} == {enrollment.pk, other_enrollment.pk}


def test_a_move_without_from_state_is_refused(world, enrollment):
    response = move(world.supervisor.user, enrollment, move="withdraw")
    assert response.status_code == 400
    assert "from_state" in response.json()
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_an_unknown_move_is_refused(world, enrollment):
    response = move(world.supervisor.user, enrollment, move="graduate", from_state="cycle_1")
    assert response.status_code == 400
    assert "move" in response.json()


def test_a_move_the_state_machine_forbids_is_refused(world, enrollment):
    response = move(world.supervisor.user, enrollment, move="start", from_state="cycle_1")
    assert response.status_code == 400
    assert response.json() == ["Only a trainee in pre-job training can start cycle 1."]


# Coaching -----------------------------------------------------------------------------------


def test_mentor_logs_coaching(world, enrollment, indicators):
    body = {
        "enrollment": enrollment.pk,
        "phase": "before",
        "scheduled_at": "2026-11-02T10:00:00+08:00",
        "focus_indicators": [indicators[0].code],
        "agreed_actions": "Slow down the greeting",
    }
    response = api(world.mentor.user).post(reverse("onboarding-coaching-list"), body, format="json")
    assert response.status_code == 201, response.json()
    session = CoachingSession.objects.get()
    assert (session.coach, session.enrollment, session.agreed_actions) == (
        world.mentor.user,
        enrollment,
        "Slow down the greeting",
    )
    assert response.json()["focus_indicators"] == [indicators[0].code]


def test_trainee_cannot_log_her_own_coaching(world, enrollment):
    body = {"enrollment": enrollment.pk, "phase": "after", "scheduled_at": "2026-11-02T10:00:00+08:00"}
    assert api(world.trainee.user).post(reverse("onboarding-coaching-list"), body, format="json").status_code == 403
    assert not CoachingSession.objects.exists()


def test_coaching_for_an_enrollment_out_of_scope_is_refused(world, enrollment, other_enrollment):
    body = {"enrollment": other_enrollment.pk, "phase": "after", "scheduled_at": "2026-11-02T10:00:00+08:00"}
    response = api(world.mentor.user).post(reverse("onboarding-coaching-list"), body, format="json")
    assert response.status_code == 400
    assert "enrollment" in response.json()
    assert not CoachingSession.objects.exists()


@pytest.fixture
def session(world, enrollment):
    return services.log_coaching(
        actor=world.mentor.user, enrollment_id=enrollment.pk, phase="during", scheduled_at=timezone.now()
    )


def test_trainee_acknowledges_coaching(world, session):
    response = api(world.trainee.user).post(reverse("onboarding-coaching-acknowledge", args=[session.pk]))
    assert response.status_code == 200, response.json()
    assert response.json()["acknowledged_at"] is not None
    session.refresh_from_db()
    assert session.acknowledged_at is not None


def test_only_the_trainee_acknowledges_coaching(world, session):
    response = api(world.mentor.user).post(reverse("onboarding-coaching-acknowledge", args=[session.pk]))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.acknowledged_at is None


# Gate checks --------------------------------------------------------------------------------


def test_hr_records_a_gate_check_and_a_kash_assessment_appears(world, enrollment, indicators):
    body = {"enrollment": enrollment.pk, "score": 85, "notes": "Handled the angry caller well"}
    response = api(world.hr).post(reverse("onboarding-gate-check-list"), body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["cycle"], response.json()["attempt"], response.json()["passed"]) == (1, 1, True)
    check = GateCheck.objects.get()
    assert (check.examiner, check.score, check.pass_mark) == (world.hr, 85, 80)
    assessments = api(world.supervisor.user).get(
        reverse("kash-assessment-list"), {"subject": world.trainee.pk, "source": "exam"}
    )
    [assessment] = assessments.json()["results"]
    assert assessment["id"] == check.assessment_id
    assert assessment["scores"] == [
        {"indicator": indicators[0].code, "level": 4, "evidence": "Score 85 / pass mark 80"}
    ]


def test_a_score_above_100_is_refused(world, enrollment):
    response = api(world.hr).post(
        reverse("onboarding-gate-check-list"), {"enrollment": enrollment.pk, "score": 101}, format="json"
    )
    assert response.status_code == 400
    assert "score" in response.json()
    assert not GateCheck.objects.exists()


def test_a_gate_check_before_the_first_cycle_is_refused(world, batch):
    pre_job = services.enroll_trainee(actor=world.hr, batch=batch, trainee=world.trainee)
    response = api(world.hr).post(
        reverse("onboarding-gate-check-list"), {"enrollment": pre_job.pk, "score": 90}, format="json"
    )
    assert response.status_code == 400
    assert not GateCheck.objects.exists()


# The whole API ------------------------------------------------------------------------------


@pytest.fixture
def detail_urls(world, enrollment, session):
    check = services.record_gate_check(actor=world.hr, enrollment_id=enrollment.pk, score=50)
    return [
        reverse("onboarding-enrollment-detail", args=[enrollment.pk]),
        reverse("onboarding-activity-detail", args=[own_activity(enrollment).pk]),
        reverse("onboarding-coaching-detail", args=[session.pk]),
        reverse("onboarding-gate-check-detail", args=[check.pk]),
    ]


def test_nothing_is_changed_or_deleted_over_the_api(world, detail_urls):
    client = api(world.hr)
    for url in detail_urls:
        assert client.get(url).status_code == 200
        assert client.put(url, {}, format="json").status_code == 405, url
        assert client.patch(url, {}, format="json").status_code == 405, url
        assert client.delete(url).status_code == 405, url
    assert (Enrollment.objects.count(), CoachingSession.objects.count(), GateCheck.objects.count()) == (1, 1, 1)


def grow(world, batch, indicators, count):
    """``count`` more trainees in the supervisor's batch, each with a coaching session and a gate check."""
    for _ in range(count):
        trainee = EmployeeFactory(team=world.team, mentor=world.mentor)
        enrollment = enroll_in_cycle_1(world, batch, trainee)
        services.log_coaching(
            actor=world.mentor.user,
            enrollment_id=enrollment.pk,
            phase="before",
            scheduled_at=timezone.now(),
            focus_indicators=[indicators[0]],
        )
        services.record_gate_check(actor=world.hr, enrollment_id=enrollment.pk, score=70)


@pytest.mark.parametrize(
    "name",
    [
        "onboarding-enrollment-list",
        "onboarding-activity-list",
        "onboarding-coaching-list",
        "onboarding-gate-check-list",
    ],
)
def test_lists_use_a_fixed_number_of_queries(world, batch, indicators, name):
    client, url = api(world.supervisor.user), reverse(name)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    grow(world, batch, indicators, 3)
    few_queries, few_rows = measure()
    grow(world, batch, indicators, 27)
    many_queries, many_rows = measure()
    assert few_rows < many_rows
    assert few_queries == many_queries


def test_schema_lists_the_onboarding_paths_without_warnings(world, client):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    GENERATOR_STATS.reset()
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    assert {
        "/api/onboarding/enrollments/",
        "/api/onboarding/enrollments/{id}/",
        "/api/onboarding/enrollments/{id}/move/",
        "/api/onboarding/activities/",
        "/api/onboarding/activities/{id}/done/",
        "/api/onboarding/coaching/",
        "/api/onboarding/coaching/{id}/acknowledge/",
        "/api/onboarding/gate-checks/",
        "/api/onboarding/gate-checks/{id}/",
    } <= set(response.json()["paths"])
    assert not GENERATOR_STATS, [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
