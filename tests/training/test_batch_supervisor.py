"""The batch supervisor leads the batch's onboarding (issue 8): Supervisor C leads Team C and
supervises the batch of Trainee A (Team A). Service, pages, API and board all let her see and act
on that enrollment; the trainee's employee page and KASH profile stay with Team A."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from staff.models import Stage
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.training.onboarding_factories import (
    PRE_JOB_DAYS,
    enrollment_of,
    make_program,
    make_trainee,
    open_batch,
    walk_to,
)
from training import cycles, services
from training.models import ActivityOwner, Assessment, CoachingSession, GateCheck, Source

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def lead(world):
    """Supervisor C: leads Team C, not the trainee's team."""
    team_c = TeamFactory(name="Team C")
    lead = EmployeeFactory(name="Supervisor C", team=team_c, stage=Stage.MANAGEMENT, user__username="sup_c")
    team_c.supervisor = lead
    team_c.save()
    return lead


@pytest.fixture
def batch(tiny, world, lead):
    start_on = timezone.localdate() - datetime.timedelta(days=PRE_JOB_DAYS)
    return open_batch(tiny, hr=world.hr, supervisor=lead, trainees=[world.trainee], start_on=start_on)


@pytest.fixture
def enrollment(batch, world):
    """Trainee A in pre-job training, in Supervisor C's batch."""
    return enrollment_of(batch, world.trainee)


@pytest.fixture
def in_cycle_1(enrollment, world):
    return walk_to(enrollment, "cycle_1", actor=world.hr)


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def detail_url(enrollment):
    return reverse("training:enrollment-detail", args=[enrollment.pk])


# Service ------------------------------------------------------------------------------------


def test_the_batch_supervisor_starts_cycle_1(enrollment, lead):
    services.move_enrollment(actor=lead.user, enrollment_id=enrollment.pk, move=cycles.START, from_state=cycles.PRE_JOB)
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_the_batch_supervisors_gate_check_creates_her_exam_assessment(in_cycle_1, lead):
    check = services.record_gate_check(actor=lead.user, enrollment_id=in_cycle_1.pk, score=85)
    assert (check.examiner, check.assessment.assessor, check.assessment.source) == (
        lead.user,
        lead.user,
        Source.EXAM,
    )


def test_another_teams_supervisor_cannot_record_a_gate_check(in_cycle_1, world):
    with pytest.raises(PermissionDenied):
        services.record_gate_check(actor=world.other_supervisor.user, enrollment_id=in_cycle_1.pk, score=85)
    assert not GateCheck.objects.exists()


def test_the_batch_supervisor_records_no_exam_once_the_trainee_is_withdrawn(in_cycle_1, lead, tiny):
    services.move_enrollment(
        actor=lead.user, enrollment_id=in_cycle_1.pk, move=cycles.WITHDRAW, from_state="cycle_1", reason="left"
    )
    with pytest.raises(PermissionDenied):
        services.create_assessment(
            actor=lead.user,
            subject=in_cycle_1.trainee,
            source=Source.EXAM,
            assessed_on=timezone.localdate(),
            scores={tiny.habit.pk: (3, "")},
            submit=True,
        )
    assert not Assessment.objects.exists()


def test_the_batch_supervisor_marks_the_supervisors_activity_done(enrollment, lead, world):
    enrollment = walk_to(enrollment, "cycle_3", actor=world.hr)
    activity = enrollment.activities.get(cycle=3, template__owner=ActivityOwner.SUPERVISOR)
    services.complete_activity(actor=lead.user, activity_id=activity.pk)
    activity.refresh_from_db()
    assert activity.done_by == lead.user


# Pages --------------------------------------------------------------------------------------


def test_the_batch_supervisor_opens_the_detail_with_its_actions(client, enrollment, lead):
    response = login(client, lead.user).get(detail_url(enrollment))
    assert response.status_code == 200
    assert response.context["can_manage"]
    assert cycles.START in [move for move, _label, _form in response.context["moves"]]


def test_the_detail_page_offers_the_batch_supervisor_no_kash_profile_link(client, enrollment, lead, world):
    response = login(client, lead.user).get(detail_url(enrollment))
    assert reverse("training:kash-profile", args=[world.trainee.pk]) not in response.content.decode()


def test_the_detail_page_offers_the_team_supervisor_the_kash_profile_link(client, enrollment, world):
    response = login(client, world.supervisor.user).get(detail_url(enrollment))
    assert reverse("training:kash-profile", args=[world.trainee.pk]) in response.content.decode()


def test_the_batch_supervisor_gets_404_for_the_trainees_kash_profile(client, enrollment, lead, world):
    response = login(client, lead.user).get(reverse("training:kash-profile", args=[world.trainee.pk]))
    assert response.status_code == 404


def test_the_batch_supervisor_gets_404_for_the_trainees_employee_page(client, enrollment, lead, world):
    response = login(client, lead.user).get(reverse("staff:employee-detail", args=[world.trainee.pk]))
    assert response.status_code == 404


def test_the_batch_supervisor_moves_the_trainee_on_the_page(client, enrollment, lead):
    response = login(client, lead.user).post(
        reverse("training:enrollment-move", args=[enrollment.pk]), {"move": "start", "from_state": "pre_job"}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_1"


def test_the_batch_supervisor_records_a_gate_check_on_the_page(client, in_cycle_1, lead):
    response = login(client, lead.user).post(
        reverse("training:gate-check-new", args=[in_cycle_1.pk]),
        {"score": 85, "taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    check = GateCheck.objects.get(enrollment=in_cycle_1)
    assert (check.examiner, check.assessment.source) == (lead.user, Source.EXAM)


def test_the_batch_supervisor_logs_coaching_on_the_page(client, in_cycle_1, lead):
    response = login(client, lead.user).post(
        reverse("training:coaching-new", args=[in_cycle_1.pk]),
        {"phase": "during", "scheduled_at": "2026-11-02T10:00"},
    )
    assert response.status_code == 302
    assert CoachingSession.objects.get(enrollment=in_cycle_1).coach == lead.user


def test_the_batch_supervisor_marks_an_activity_done_on_the_page(client, in_cycle_1, lead):
    activity = in_cycle_1.activities.filter(cycle=1).first()
    response = login(client, lead.user).post(reverse("training:activity-done", args=[activity.pk]), {"note": ""})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.done_by == lead.user


def test_the_batch_supervisor_is_offered_the_trainees_team_as_mentors(client, enrollment, lead, world):
    EmployeeFactory(name="Veteran", team=world.team, stage=Stage.GROWTH)
    EmployeeFactory(name="Team C veteran", team=lead.team, stage=Stage.GROWTH)
    candidates = login(client, lead.user).get(detail_url(enrollment)).context["detail"].mentor_candidates
    assert {c.name for c in candidates} == {"Mentor A", "Veteran"}


def test_the_batch_supervisor_assigns_a_mentor_on_the_page(client, enrollment, lead, world):
    veteran = EmployeeFactory(name="Veteran", team=world.team, stage=Stage.GROWTH)
    response = login(client, lead.user).post(
        reverse("training:mentor-assign", args=[enrollment.pk]), {"mentor": veteran.pk}
    )
    assert response.status_code == 302
    world.trainee.refresh_from_db()
    assert world.trainee.mentor == veteran


# Board --------------------------------------------------------------------------------------


def test_the_batch_board_shows_the_batch_supervisor_every_trainee_of_her_batch(client, batch, lead, world):
    services.enroll_trainee(actor=world.hr, batch=batch, trainee=make_trainee(lead.team, name="Trainee C"))
    response = login(client, lead.user).get(reverse("training:batch-board"))
    names = {c.enrollment.trainee.name for _key, _label, cards in response.context["columns"] for c in cards}
    assert names == {"Trainee A", "Trainee C"}


def test_a_batch_supervisor_who_leads_no_team_opens_her_batch_board(client, tiny, world):
    deputy = EmployeeFactory(name="Deputy", team=world.other_team, stage=Stage.MANAGEMENT)
    open_batch(tiny, hr=world.hr, supervisor=deputy, trainees=[world.trainee], start_on=timezone.localdate())
    response = login(client, deputy.user).get(reverse("training:batch-board"))
    assert [c.enrollment.trainee for _key, _label, cards in response.context["columns"] for c in cards] == [
        world.trainee
    ]


# API ----------------------------------------------------------------------------------------


def test_the_api_lists_the_enrollment_to_the_batch_supervisor(enrollment, lead):
    response = api(lead.user).get(reverse("onboarding-enrollment-list"))
    assert [row["id"] for row in response.json()["results"]] == [enrollment.pk]


def test_the_api_moves_the_trainee_for_the_batch_supervisor(enrollment, lead):
    response = api(lead.user).post(
        reverse("onboarding-enrollment-move", args=[enrollment.pk]),
        {"move": "start", "from_state": "pre_job"},
        format="json",
    )
    assert (response.status_code, response.json()["state"]) == (200, "cycle_1")


def test_the_api_records_the_batch_supervisors_gate_check(in_cycle_1, lead):
    response = api(lead.user).post(
        reverse("onboarding-gate-check-list"), {"enrollment": in_cycle_1.pk, "score": 70}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Assessment.objects.get(pk=response.json()["assessment"]).source == Source.EXAM


def test_the_api_logs_the_batch_supervisors_coaching(in_cycle_1, lead):
    response = api(lead.user).post(
        reverse("onboarding-coaching-list"),
        {"enrollment": in_cycle_1.pk, "phase": "before", "scheduled_at": "2026-11-02T10:00:00Z"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_the_api_marks_an_activity_done_for_the_batch_supervisor(in_cycle_1, lead):
    activity = in_cycle_1.activities.filter(cycle=1).first()
    response = api(lead.user).post(reverse("onboarding-activity-done", args=[activity.pk]), {}, format="json")
    assert (response.status_code, response.json()["is_done"]) == (200, True)


def test_the_api_hides_the_trainees_kash_profile_from_the_batch_supervisor(enrollment, lead, world):
    response = api(lead.user).get(reverse("kash-profile-detail", args=[world.trainee.pk]))
    assert response.status_code == 404
