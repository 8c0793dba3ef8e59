import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import Stage
from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, ScoreFactory
from training.models import Assessment, AssessmentStatus, PositionTarget

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def assess(subject, indicator, level, *, source="supervisor", on=datetime.date(2026, 10, 1), note="", by=None):
    assessment = AssessmentFactory(subject=subject, source=source, assessed_on=on, private_note=note, assessor=by)
    ScoreFactory(assessment=assessment, indicator=indicator, level=level, evidence=f"evidence {level}")
    return assessment


def test_profile_shows_current_target_gap_and_evidence(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 2)
    body = login(client, world.supervisor.user).get(reverse("training:kash-profile", args=[world.trainee.pk]))
    rows = {r.indicator.code: r for r in body.context["profile"].rows}
    assert (rows["talk"].current, rows["talk"].target, rows["talk"].gap) == (2.0, 4, 2.0)
    assert rows["notes"].current is None
    assert "evidence 2" in body.content.decode()
    assert [r.indicator.code for r in body.context["profile"].gaps] == ["talk"]


def test_a_trainee_never_sees_a_private_note_on_her_own_profile(client, world, indicators):
    assess(world.trainee, indicators[0], 2, note="watch her breaks")
    body = login(client, world.trainee.user).get(reverse("training:my-kash")).content.decode()
    assert "watch her breaks" not in body


def test_the_supervisor_sees_the_private_note(client, world, indicators):
    assess(world.trainee, indicators[0], 2, note="watch her breaks")
    body = login(client, world.supervisor.user).get(reverse("training:kash-profile", args=[world.trainee.pk]))
    assert "watch her breaks" in body.content.decode()


def test_the_mentor_does_not_see_the_private_note(client, world, indicators):
    assess(world.trainee, indicators[0], 2, note="watch her breaks")
    body = login(client, world.mentor.user).get(reverse("training:kash-profile", args=[world.trainee.pk]))
    assert body.status_code == 200
    assert "watch her breaks" not in body.content.decode()


def test_a_trainee_gets_404_for_a_peers_profile(client, world, indicators):
    response = login(client, world.trainee.user).get(reverse("training:kash-profile", args=[world.other_trainee.pk]))
    assert response.status_code == 404


def test_a_correction_replaces_the_old_score_in_the_profile(client, world, indicators, targets):
    old = assess(world.trainee, indicators[0], 2)
    new = assess(world.trainee, indicators[0], 5, on=datetime.date(2026, 9, 1))
    new.supersedes = old
    new.save()
    response = login(client, world.supervisor.user).get(reverse("training:kash-profile", args=[world.trainee.pk]))
    rows = {r.indicator.code: r for r in response.context["profile"].rows}
    assert rows["talk"].current == 5.0


def test_supervisor_assesses_through_the_form(client, world, indicators):
    login(client, world.supervisor.user)
    url = reverse("training:assessment-new", args=[world.trainee.pk])
    response = client.post(
        url,
        {
            "source": "supervisor",
            "assessed_on": "2026-11-02",
            f"level_{indicators[0].pk}": "4",
            f"evidence_{indicators[0].pk}": "calm with an angry caller",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(subject=world.trainee)
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.scores.get().evidence == "calm with an angry caller"


def test_the_form_shows_each_levels_behaviour(client, world, indicators):
    body = login(client, world.supervisor.user).get(reverse("training:assessment-new", args=[world.trainee.pk]))
    assert "Level 3 looks like this" in body.content.decode()


@pytest.mark.parametrize("level", ["0", "6", "x"])
def test_the_form_refuses_a_level_outside_one_to_five(client, world, indicators, level):
    login(client, world.supervisor.user)
    response = client.post(
        reverse("training:assessment-new", args=[world.trainee.pk]),
        {"source": "supervisor", "assessed_on": "2026-11-02", f"level_{indicators[0].pk}": level, "submit": "1"},
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_the_trainee_self_assesses(client, world, indicators):
    login(client, world.trainee.user)
    response = client.post(
        reverse("training:assessment-new", args=[world.trainee.pk]),
        {"source": "self", "assessed_on": "2026-11-02", f"level_{indicators[1].pk}": "3", "submit": "1"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get().source == "self"


def test_the_trainee_cannot_open_the_form_for_a_peer(client, world, indicators):
    response = login(client, world.trainee.user).get(reverse("training:assessment-new", args=[world.other_trainee.pk]))
    assert response.status_code == 404


def test_a_conflicting_save_keeps_what_the_user_typed(client, world, indicators):
    login(client, world.supervisor.user)
    draft = Assessment.objects.create(
        subject=world.trainee,
        assessor=world.supervisor.user,
        source="supervisor",
        assessed_on=datetime.date(2026, 11, 1),
    )
    ScoreFactory(assessment=draft, indicator=indicators[0], level=2)
    Assessment.objects.filter(pk=draft.pk).update(version=2)  # someone else saved meanwhile
    response = client.post(
        reverse("training:assessment-edit", args=[draft.pk]),
        {
            "source": "supervisor",
            "assessed_on": "2026-11-01",
            "version": "1",
            f"level_{indicators[0].pk}": "5",
            f"evidence_{indicators[0].pk}": "my careful notes",
            "save": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "my careful notes" in body
    assert "Someone else saved this assessment" in body
    assert draft.scores.get().level == 2


def test_a_submitted_assessment_has_no_edit_page(client, world, indicators):
    assessment = assess(world.trainee, indicators[0], 2, by=world.supervisor.user)
    response = login(client, world.supervisor.user).get(reverse("training:assessment-edit", args=[assessment.pk]))
    assert response.status_code == 404


def test_heatmap_colours_gaps_and_lists_who_needs_what(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 2)
    assess(world.mentor, indicators[0], 5)
    response = login(client, world.supervisor.user).get(reverse("training:team-heatmap"))
    needs = dict(response.context["needs"])
    assert [(e.name, gap) for e, gap in needs[indicators[0]]] == [("Trainee A", "2.0")]  # the gap as the page shows it
    assert "heat-3" in response.content.decode()


def test_heatmap_filters_by_stage_and_sorts_by_gap(client, world, indicators, targets):
    assess(world.trainee, indicators[0], 1)
    response = login(client, world.supervisor.user).get(
        reverse("training:team-heatmap"), {"stage": Stage.ONBOARDING, "sort": "gap"}
    )
    names = [r.employee.name for r in response.context["rows"]]
    assert names[0] == "Trainee A"
    assert "Mentor A" not in names


def _history(world, members, months, indicators):
    team_members = [world.trainee] + EmployeeFactory.create_batch(members - 1, team=world.team, mentor=world.mentor)
    for member in team_members:
        PositionTarget.objects.get_or_create(position=member.position, indicator=indicators[0], defaults={"level": 4})
    for month in range(months):
        day = datetime.date(2026, 11, 1) - datetime.timedelta(days=30 * month)
        for member in team_members:
            for source in ("supervisor", "mentor"):
                assessment = AssessmentFactory(subject=member, source=source, assessed_on=day)
                for indicator in indicators:
                    ScoreFactory(assessment=assessment, indicator=indicator, level=1 + (month + member.pk) % 5)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_heatmap_and_profile_queries_do_not_grow_with_team_or_history(client, world, indicators):
    login(client, world.supervisor.user)
    _history(world, 5, 1, indicators)
    small = (_queries(client, reverse("training:team-heatmap")), _queries(client, PROFILE(world)))
    _history(world, 45, 24, indicators)
    large = (_queries(client, reverse("training:team-heatmap")), _queries(client, PROFILE(world)))
    assert small == large
    assert max(large) <= 12


def PROFILE(world):
    return reverse("training:kash-profile", args=[world.trainee.pk])


def test_the_date_field_is_iso_in_chinese_too(client, world, indicators):
    login(client, world.supervisor.user)
    response = client.get(reverse("training:assessment-new", args=[world.trainee.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    field = response.context["form"]["assessed_on"]
    assert f'value="{field.initial.isoformat()}"' in str(field)
