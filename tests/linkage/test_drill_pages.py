"""The drill pages (issue 12 §6–7, §10): a supervisor schedules and scores her team's drill on the tablet form, an
agent sees her own result and scores nothing, another team's supervisor sees nothing (404); the form's result
creates the step scores and KASH assessments once; certification is confirmed from the result; the list answers
in a fixed number of queries."""

import datetime

from django.urls import reverse

from linkage.models import Certification, Drill, DrillStatus, StepScore
from linkage.services.drills import schedule_drill, score_drill
from tests.linkage.factories import step_result
from training.models import Assessment

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
WHEN = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


def schedule(world, kit, **kwargs):
    return schedule_drill(
        actor=world.supervisor.user,
        version=kit.version,
        team=world.team,
        scheduled_for=kwargs.pop("scheduled_for", WHEN),
        cast=[(world.trainee, kit.agent), (world.mentor, kit.specialist)],
        **kwargs,
    )


def as_user(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def tablet_post(kit, *, spot_action=True, explain_signal=True, seconds="40"):
    """What the tablet form posts: checkboxes present when ticked."""
    data = {f"handoff_{kit.spot.pk}": "on", f"seconds_{kit.spot.pk}": seconds, f"notes_{kit.spot.pk}": "Calm."}
    if spot_action:
        data[f"action_{kit.spot.pk}"] = "on"
    data.update({f"action_{kit.explain.pk}": "on", f"handoff_{kit.explain.pk}": "on", f"seconds_{kit.explain.pk}": ""})
    if explain_signal:
        data[f"signal_{kit.explain.pk}"] = "on"
    return data


# Scheduling -----------------------------------------------------------------------------------------------------


def test_the_supervisor_schedules_her_teams_drill_with_one_cast_row_per_owner_role(client, world, kit):
    url = reverse("linkage:drill-new") + f"?playbook={kit.playbook.code}&team={world.team.pk}"
    page = as_user(client, world.supervisor.user).get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert [field.label for field in form.cast_fields] == ["Agent", "Specialist"]  # "Note" is guidance only
    assert form["examiner"].initial == world.supervisor.pk

    response = client.post(
        url,
        {
            "version": kit.version.pk,
            "scheduled_for": "2026-12-10T10:00",
            "mode": "scored",
            "examiner": world.supervisor.pk,
            f"cast_{kit.agent.pk}": world.trainee.pk,
            f"cast_{kit.specialist.pk}": world.mentor.pk,
        },
    )
    drill = Drill.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("linkage:drill", args=[drill.pk])
    assert (drill.team, drill.examiner, drill.status) == (world.team, world.supervisor, DrillStatus.SCHEDULED)
    assert set(drill.participants.values_list("employee_id", "role_id")) == {
        (world.trainee.pk, kit.agent.pk),
        (world.mentor.pk, kit.specialist.pk),
    }


def test_scheduling_with_nobody_cast_shows_the_services_reason_and_saves_nothing(client, world, kit):
    url = reverse("linkage:drill-new") + f"?playbook={kit.playbook.code}&team={world.team.pk}"
    data = {"version": kit.version.pk, "scheduled_for": "2026-12-10T10:00", "mode": "scored"}
    response = as_user(client, world.supervisor.user).post(url, {**data, "examiner": world.supervisor.pk})
    assert response.status_code == 200
    assert "Cast at least one person" in " ".join(response.context["form"].non_field_errors())
    assert not Drill.objects.exists()


def test_another_teams_supervisor_cannot_pick_our_team(client, world, kit):
    url = reverse("linkage:drill-new") + f"?playbook={kit.playbook.code}&team={world.team.pk}"
    response = as_user(client, world.other_supervisor.user).get(url)
    assert response.context["form"] is None and "team" in response.context["choose"].errors


def test_an_agent_has_no_schedule_page(client, world, kit):
    assert as_user(client, world.trainee.user).get(reverse("linkage:drill-new")).status_code == 404


# Scoring --------------------------------------------------------------------------------------------------------


def test_the_tablet_form_shows_a_row_per_step_and_no_inputs_for_guidance(client, world, kit):
    drill = schedule(world, kit)
    response = as_user(client, world.supervisor.user).get(reverse("linkage:drill-score", args=[drill.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.step.code: row for row in response.context["rows"]}
    assert list(rows) == ["spot", "explain", "note"]
    assert rows["spot"].is_scored and rows["spot"].signal is None  # Spot names no signal: no "Signal used"
    assert rows["explain"].signal is not None and "Specialist please" in html
    assert not rows["note"].is_scored and "Guidance only — not scored" in html
    assert f'name="action_{kit.note.pk}"' not in html and f'name="seconds_{kit.note.pk}"' not in html
    assert f'name="seconds_{kit.spot.pk}"' in html and 'inputmode="numeric"' in html


def test_posting_the_tablet_form_scores_the_drill_and_creates_the_assessments_once(client, world, kit):
    drill = schedule(world, kit)
    url = reverse("linkage:drill-score", args=[drill.pk])
    response = as_user(client, world.supervisor.user).post(url, tablet_post(kit))
    assert response.status_code == 302 and response["Location"] == reverse("linkage:drill", args=[drill.pk])
    scores = {score.step_id: score for score in StepScore.objects.filter(drill=drill)}
    assert set(scores) == {kit.spot.pk, kit.explain.pk}
    assert (scores[kit.spot.pk].seconds, scores[kit.spot.pk].notes, scores[kit.spot.pk].passed) == (40, "Calm.", True)
    assert scores[kit.explain.pk].signal_ok is True and scores[kit.explain.pk].seconds is None
    assessments = Assessment.objects.filter(idempotency_key__startswith=f"linkage-drill:{drill.pk}:")
    assert set(assessments.values_list("subject_id", flat=True)) == {world.trainee.pk, world.mentor.pk}
    before = sorted(StepScore.objects.values_list("pk", "passed")), assessments.count()

    again = client.post(url, tablet_post(kit, spot_action=False, explain_signal=False))

    assert again.status_code == 302
    assert (sorted(StepScore.objects.values_list("pk", "passed")), assessments.count()) == before
    assert dict(drill.participants.values_list("employee_id", "passed")) == {
        world.trainee.pk: True,
        world.mentor.pk: True,
    }


def test_a_bad_time_is_shown_on_its_row_and_nothing_is_saved(client, world, kit):
    drill = schedule(world, kit)
    url = reverse("linkage:drill-score", args=[drill.pk])
    response = as_user(client, world.supervisor.user).post(url, tablet_post(kit, seconds="-5"))
    assert response.status_code == 200
    rows = {row.step.code: row for row in response.context["rows"]}
    assert rows["spot"].errors and not rows["explain"].errors
    assert not StepScore.objects.exists() and not Assessment.objects.exists()
    drill.refresh_from_db()
    assert drill.status == DrillStatus.SCHEDULED


def test_an_agent_sees_her_own_result_but_cannot_score(client, world, kit):
    drill = schedule(world, kit)
    as_user(client, world.trainee.user)
    assert client.get(reverse("linkage:drill-score", args=[drill.pk])).status_code == 404
    assert client.post(reverse("linkage:drill-score", args=[drill.pk]), tablet_post(kit)).status_code == 404
    assert not StepScore.objects.exists()

    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit, spot_action=False))
    response = client.get(reverse("linkage:drill", args=[drill.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-passed="no"' in html and "Not passed" in html  # the failed step says so in words
    mine = {p.employee_id: p for p in response.context["participants"]}
    assert mine[world.trainee.pk].assessment is not None  # her own KASH assessment from the drill
    assert mine[world.mentor.pk].assessment is None  # not her colleague's
    assert not any(p.can_certify or p.can_mark for p in mine.values())
    assert "Confirm certification" not in html


def test_another_teams_supervisor_sees_no_drill_of_ours(client, world, kit):
    drill = schedule(world, kit)
    as_user(client, world.other_supervisor.user)
    assert client.get(reverse("linkage:drill", args=[drill.pk])).status_code == 404
    assert client.post(reverse("linkage:drill-score", args=[drill.pk]), tablet_post(kit)).status_code == 404
    assert not StepScore.objects.exists()
    assert drill.pk not in [d.pk for d in client.get(reverse("linkage:drills")).context["page"]]


def scored(kit, *, spot_action=True):
    return {kit.spot.pk: step_result(action_ok=spot_action), kit.explain.pk: step_result(signal_ok=True)}


def test_the_examiner_cancels_a_scheduled_drill_with_a_reason(client, world, kit):
    drill = schedule(world, kit)
    url = reverse("linkage:drill-cancel", args=[drill.pk])
    as_user(client, world.supervisor.user).post(url, {"reason": "Floor too busy."})
    drill.refresh_from_db()
    assert (drill.status, drill.cancel_reason) == (DrillStatus.CANCELLED, "Floor too busy.")


# Certification --------------------------------------------------------------------------------------------------


def test_the_supervisor_confirms_the_certification_of_who_qualifies(client, world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit))
    page = as_user(client, world.supervisor.user).get(reverse("linkage:drill", args=[drill.pk]))
    assert {p.employee_id for p in page.context["participants"] if p.can_certify} == {
        world.trainee.pk,
        world.mentor.pk,
    }

    url = reverse("linkage:certify", args=[world.trainee.pk, kit.playbook.code])
    response = client.post(url, {"drill": drill.pk})

    assert response["Location"] == reverse("linkage:drill", args=[drill.pk])
    certification = Certification.objects.get()
    assert (certification.employee, certification.playbook, certification.confirmed_by) == (
        world.trainee,
        kit.playbook,
        world.supervisor.user,
    )
    after = client.get(reverse("linkage:drill", args=[drill.pk]))
    assert world.trainee.pk not in {p.employee_id for p in after.context["participants"] if p.can_certify}


def test_a_certification_she_does_not_qualify_for_is_refused_with_the_reason(client, world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit, spot_action=False))
    page = as_user(client, world.supervisor.user).get(reverse("linkage:drill", args=[drill.pk]))
    assert world.trainee.pk not in {p.employee_id for p in page.context["participants"] if p.can_certify}

    url = reverse("linkage:certify", args=[world.trainee.pk, kit.playbook.code])
    response = client.post(url, {"drill": drill.pk}, follow=True)

    assert not Certification.objects.exists()
    assert "Spot" in " ".join(str(message) for message in response.context["messages"])


def test_an_agent_cannot_certify_herself(client, world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit))
    url = reverse("linkage:certify", args=[world.trainee.pk, kit.playbook.code])
    assert as_user(client, world.trainee.user).post(url).status_code == 404
    assert not Certification.objects.exists()


# My linkage, the playbook page and the list ---------------------------------------------------------------------


def test_my_linkage_shows_her_level_and_her_drills(client, world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit))
    response = as_user(client, world.trainee.user).get(reverse("linkage:mine"))
    html = response.content.decode()
    assert 'data-level="2"' in html
    assert reverse("linkage:drill", args=[drill.pk]) in html


def test_the_playbook_page_offers_scheduling_to_the_supervisor_only(client, world, kit):
    url = reverse("linkage:playbook", args=[kit.playbook.code])
    assert 'id="schedule-drill"' in as_user(client, world.supervisor.user).get(url).content.decode()
    assert 'id="schedule-drill"' not in as_user(client, world.trainee.user).get(url).content.decode()


def test_the_drills_list_answers_in_a_fixed_number_of_queries(client, world, kit, django_assert_max_num_queries):
    schedule(world, kit)
    as_user(client, world.supervisor.user)
    url = reverse("linkage:drills")
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 1
    for day in range(19):
        drill = schedule(world, kit, scheduled_for=WHEN - datetime.timedelta(days=day + 1))
        if day % 2:
            score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scored(kit))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20


def test_an_agent_lists_only_the_drills_she_takes_part_in(client, world, kit):
    mine = schedule(world, kit)
    other = schedule_drill(
        actor=world.supervisor.user,
        version=kit.version,
        team=world.team,
        scheduled_for=WHEN,
        cast=[(world.mentor, kit.specialist)],
    )
    listed = as_user(client, world.trainee.user).get(reverse("linkage:drills")).context["page"]
    assert [d.pk for d in listed] == [mine.pk]
    assert other.pk != mine.pk
