"""The one team/stage filter of the pages over one's teams (My team, the KASH team heatmap)."""

from django.urls import reverse

from staff.forms import TeamStageFilterForm
from staff.models import Stage
from tests.staff.factories import TeamFactory


def test_no_filter_selects_every_team_the_supervisor_leads_and_every_stage(world):
    second = TeamFactory(name="Team C", supervisor=world.supervisor)
    form = TeamStageFilterForm({}, user=world.supervisor.user)
    assert sorted(form.team_ids) == sorted([world.team.pk, second.pk])
    assert form.selected_stage == ""


def test_a_led_team_and_a_stage_are_selected(world):
    TeamFactory(name="Team C", supervisor=world.supervisor)
    form = TeamStageFilterForm({"team": str(world.team.pk), "stage": Stage.ONBOARDING}, user=world.supervisor.user)
    assert (form.team_ids, form.selected_team, form.selected_stage) == ([world.team.pk], world.team.pk, "onboarding")


def test_a_team_the_supervisor_does_not_lead_falls_back_to_her_own_teams(world):
    form = TeamStageFilterForm({"team": str(world.other_team.pk)}, user=world.supervisor.user)
    assert form.team_ids == [world.team.pk]
    assert form.selected_team is None


def test_an_unknown_stage_is_ignored_but_a_valid_team_is_kept(world):
    form = TeamStageFilterForm({"team": str(world.team.pk), "stage": "retired"}, user=world.supervisor.user)
    assert (form.team_ids, form.selected_stage) == ([world.team.pk], "")


def test_hr_may_pick_any_team(world):
    form = TeamStageFilterForm({"team": str(world.other_team.pk)}, user=world.hr)
    assert form.team_ids == [world.other_team.pk]


def test_the_heatmap_ignores_a_team_the_supervisor_does_not_lead(client, world):
    client.force_login(world.supervisor.user)
    response = client.get(reverse("training:team-heatmap"), {"team": world.other_team.pk})
    names = {row.employee.name for row in response.context["rows"]}
    assert "Trainee B" not in names
    assert "Trainee A" in names
