"""The drills, levels, coverage and role-model API (issue 12 §10): writes go through linkage.services.drills, so a
result creates its KASH assessments once; a supervisor schedules and scores the drills of her team only; an agent
sees her own drills and levels; lists keep a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from linkage.models import Drill, DrillStatus, RoleModel
from linkage.services.drills import schedule_drill
from tests.linkage.factories import AcknowledgementFactory, CertificationFactory, drill_version, scored_drill_rows
from tests.staff.factories import EmployeeFactory
from training.models import Assessment

AT_TEN = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
DRILLS = reverse("linkage-drill-list")


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def schedule(world, kit):
    return schedule_drill(
        actor=world.supervisor.user,
        version=kit.version,
        team=world.team,
        scheduled_for=AT_TEN,
        cast=[(world.trainee, kit.agent), (world.mentor, kit.specialist)],
    )


def payload(kit, **spot):
    return {
        "scores": [
            {"step": kit.spot.pk, "action_ok": True, "handoff_ok": True, "seconds": 40, **spot},
            {"step": kit.explain.pk, "action_ok": True, "handoff_ok": True, "signal_ok": True},
        ],
        "notes": "Good hand-off.",
    }


def score_url(drill, verb="score"):
    return reverse(f"linkage-drill-{verb}", args=[drill.pk])


def drill_assessments(drill):
    return Assessment.objects.filter(idempotency_key__startswith=f"linkage-drill:{drill.pk}:")


# Drills -------------------------------------------------------------------------------------------------------


def test_a_supervisor_schedules_a_drill_of_her_team(world, kit):
    body = {
        "version": kit.version.pk,
        "team": world.team.pk,
        "scheduled_for": "2026-11-21T10:00:00+08:00",
        "cast": [
            {"employee": world.trainee.pk, "role": kit.agent.pk},
            {"employee": world.mentor.pk, "role": kit.specialist.pk},
        ],
    }

    response = api(world.supervisor.user).post(DRILLS, body, format="json")

    assert response.status_code == 201, response.content
    drill = Drill.objects.get(pk=response.json()["id"])
    assert (drill.team, drill.examiner, drill.status, drill.created_by) == (
        world.team,
        world.supervisor,
        DrillStatus.SCHEDULED,
        world.supervisor.user,
    )
    assert {p["employee"] for p in response.json()["participants"]} == {world.trainee.pk, world.mentor.pk}


def test_an_agent_cannot_schedule_a_drill(world, kit):
    body = {
        "version": kit.version.pk,
        "team": world.team.pk,
        "scheduled_for": "2026-11-21T10:00:00+08:00",
        "mode": "practice",
        "cast": [{"employee": world.trainee.pk, "role": kit.agent.pk}],
    }

    response = api(world.trainee.user).post(DRILLS, body, format="json")

    assert response.status_code == 403
    assert not Drill.objects.exists()


def test_a_score_through_the_api_creates_the_assessments_once(world, kit):
    drill = schedule(world, kit)
    client = api(world.supervisor.user)

    first = client.post(score_url(drill), payload(kit), format="json")
    assert first.status_code == 200, first.content
    assert first.json()["status"] == DrillStatus.SCORED
    assert {s["step"] for s in first.json()["scores"]} == {kit.spot.pk, kit.explain.pk}
    assert set(drill_assessments(drill).values_list("subject_id", flat=True)) == {world.trainee.pk, world.mentor.pk}
    before = list(drill_assessments(drill).values_list("pk", flat=True))

    again = client.post(score_url(drill), payload(kit, action_ok=False), format="json")

    assert again.status_code == 200
    assert list(drill_assessments(drill).values_list("pk", flat=True)) == before
    assert {p["passed"] for p in again.json()["participants"]} == {True}


def test_a_supervisor_of_another_team_cannot_see_or_score_the_drill(world, kit):
    drill = schedule(world, kit)
    client = api(world.other_supervisor.user)

    assert client.get(reverse("linkage-drill-detail", args=[drill.pk])).status_code == 404
    assert client.post(score_url(drill), payload(kit), format="json").status_code == 404
    drill.refresh_from_db()
    assert drill.status == DrillStatus.SCHEDULED and not drill_assessments(drill).exists()


def test_a_participant_sees_her_drill_but_cannot_score_it(world, kit):
    drill = schedule(world, kit)
    client = api(world.trainee.user)

    assert client.get(reverse("linkage-drill-detail", args=[drill.pk])).status_code == 200
    assert client.post(score_url(drill), payload(kit), format="json").status_code == 403
    assert not drill_assessments(drill).exists()


def test_a_step_scored_twice_in_the_payload_is_refused(world, kit):
    drill = schedule(world, kit)
    body = payload(kit)
    body["scores"].append(body["scores"][0])

    response = api(world.supervisor.user).post(score_url(drill), body, format="json")

    assert response.status_code == 400
    assert Drill.objects.get(pk=drill.pk).status == DrillStatus.SCHEDULED


def test_a_guidance_step_in_the_payload_is_refused_by_the_service(world, kit):
    drill = schedule(world, kit)
    body = payload(kit)
    body["scores"].append({"step": kit.note.pk, "action_ok": True, "handoff_ok": True})

    response = api(world.supervisor.user).post(score_url(drill), body, format="json")

    assert response.status_code == 400
    assert "guidance only" in str(response.json())
    assert not drill_assessments(drill).exists()


def test_cancelling_needs_a_reason(world, kit):
    drill = schedule(world, kit)
    client = api(world.supervisor.user)

    assert client.post(score_url(drill, "cancel"), {"reason": ""}, format="json").status_code == 400
    response = client.post(score_url(drill, "cancel"), {"reason": "The floor is too busy."}, format="json")

    assert response.status_code == 200
    drill.refresh_from_db()
    assert (drill.status, drill.cancel_reason) == (DrillStatus.CANCELLED, "The floor is too busy.")


def test_the_list_is_scoped_and_filtered(world, kit):
    drill = schedule(world, kit)
    other = scored_drill_rows(kit.version, world.other_team, world.other_supervisor, [])

    def ids(user, **query):
        return [row["id"] for row in api(user).get(DRILLS, query).json()["results"]]

    assert ids(world.supervisor.user) == [drill.pk]
    assert ids(world.trainee.user) == [drill.pk]
    assert ids(world.other_trainee.user) == []
    assert set(ids(world.hr)) == {drill.pk, other.pk}
    assert ids(world.hr, team=world.other_team.pk) == [other.pk]
    assert ids(world.hr, status="scheduled") == [drill.pk]
    assert ids(world.hr, playbook=kit.playbook.pk, mode="practice") == []
    assert ids(world.supervisor.user, team=world.other_team.pk) == []


def test_the_list_keeps_its_queries_whatever_the_number_of_drills(world, kit):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api(world.hr).get(DRILLS).status_code == 200
        return len(captured)

    results = [(world.trainee, kit.agent, [(kit.spot, True)]), (world.mentor, kit.specialist, [(kit.explain, True)])]
    scored_drill_rows(kit.version, world.team, world.supervisor, results)
    queries()  # warm the caches that any first request fills
    few = queries()
    for _ in range(4):
        scored_drill_rows(kit.version, world.team, world.supervisor, results)

    assert queries() == few


# Levels, coverage, role models --------------------------------------------------------------------------------


def levels(user, **query):
    response = api(user).get(reverse("linkage-level-list"), query)
    assert response.status_code == 200, response.content
    return {row["playbook"]: row for row in response.json()["results"]}


def test_an_agent_sees_her_own_levels(world, kit):
    AcknowledgementFactory(version=kit.version, employee=world.trainee)

    mine = levels(world.trainee.user)

    assert mine[kit.playbook.pk]["level"] == 1 and mine[kit.playbook.pk]["acknowledged"] is True
    assert {row["employee"] for row in mine.values()} == {world.trainee.pk}


def test_levels_are_seen_by_her_supervisor_and_hr_not_by_a_colleague(world, kit):
    CertificationFactory(employee=world.trainee, playbook=kit.playbook, certified_on=datetime.date(2026, 6, 1))
    query = {"employee": world.trainee.pk, "playbook": kit.playbook.pk}

    assert levels(world.supervisor.user, **query)[kit.playbook.pk]["level"] == 3
    assert levels(world.hr, **query)[kit.playbook.pk]["certified_until"] == "2027-06-01"
    assert levels(world.other_trainee.user, **query) == {}
    assert levels(world.other_supervisor.user, **query) == {}


def test_an_expired_certification_falls_back_and_says_so(world, kit):
    CertificationFactory(employee=world.trainee, playbook=kit.playbook, certified_on=datetime.date(2025, 6, 1))
    results = [(world.trainee, kit.agent, [(kit.spot, True)])]
    scored_drill_rows(kit.version, world.team, world.supervisor, results)

    row = levels(world.trainee.user, playbook=kit.playbook.pk)[kit.playbook.pk]

    assert (row["level"], row["expired"], row["drilled_on"]) == (2, True, "2026-11-02")


def coverage(user, **query):
    response = api(user).get(reverse("linkage-coverage-list"), query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_supervisor_sees_the_coverage_of_her_team_only(world, kit):
    CertificationFactory(employee=world.trainee, playbook=kit.playbook)

    rows = {row["step"]: row for row in coverage(world.supervisor.user) if row["playbook"] == kit.playbook.pk}

    assert {row["team"] for row in coverage(world.supervisor.user)} == {world.team.pk}
    assert (rows[kit.spot.pk]["certified"], rows[kit.spot.pk]["is_weak"]) == (1, False)
    assert (rows[kit.explain.pk]["certified"], rows[kit.explain.pk]["is_weak"]) == (0, True)
    assert kit.note.pk not in rows  # guidance steps have no owners to certify
    assert coverage(world.supervisor.user, team=world.other_team.pk) == []
    assert coverage(world.trainee.user) == []


def test_hr_sees_every_team_and_filters_one(world, kit):
    assert {row["team"] for row in coverage(world.hr, team=world.other_team.pk)} == {world.other_team.pk}
    assert {world.team.pk, world.other_team.pk} <= {row["team"] for row in coverage(world.hr)}


def test_agents_see_the_active_role_models_of_their_playbooks(world, kit):
    shown = RoleModel.objects.create(
        playbook=kit.playbook, employee=world.mentor, what_they_did="Calm hand-off.", marked_by=world.hr
    )
    hidden = RoleModel.objects.create(
        playbook=kit.playbook, employee=world.trainee, what_they_did="Old.", marked_by=world.hr, is_active=False
    )
    elsewhere = drill_version(status="pilot", pilot_teams=[world.other_team])
    RoleModel.objects.create(
        playbook=elsewhere.playbook, employee=EmployeeFactory(), what_they_did="Pilot.", marked_by=world.hr
    )

    def ids(user):
        return {row["id"] for row in api(user).get(reverse("linkage-role-model-list")).json()["results"]}

    assert ids(world.trainee.user) == {shown.pk}
    assert ids(world.hr) >= {shown.pk, hidden.pk}
