"""The one people filter of the pages over one's teams (My team, the KASH team heatmap)."""

from django.urls import reverse

from staff.forms import PeopleFilterForm
from staff.models import Stage
from tests.staff.factories import DepartmentFactory, TeamFactory


def test_no_filter_selects_every_team_the_supervisor_leads_and_every_stage(world):
    second = TeamFactory(name="Team C", supervisor=world.supervisor)
    form = PeopleFilterForm({}, user=world.supervisor.user)
    assert sorted(form.team_ids) == sorted([world.team.pk, second.pk])
    assert (form.selected_stage, form.search) == ("", "")


def test_a_led_team_and_a_stage_are_selected(world):
    TeamFactory(name="Team C", supervisor=world.supervisor)
    form = PeopleFilterForm({"team": str(world.team.pk), "stage": Stage.ONBOARDING}, user=world.supervisor.user)
    assert (form.team_ids, form.selected_stage) == ([world.team.pk], "onboarding")
    assert form.context()["selected_team"] == world.team.pk


def test_a_team_the_supervisor_does_not_lead_falls_back_to_her_own_teams(world):
    form = PeopleFilterForm({"team": str(world.other_team.pk)}, user=world.supervisor.user)
    assert form.team_ids == [world.team.pk]
    assert form.context()["selected_team"] is None


def test_an_unknown_stage_is_ignored_but_a_valid_team_is_kept(world):
    form = PeopleFilterForm({"team": str(world.team.pk), "stage": "retired"}, user=world.supervisor.user)
    assert (form.team_ids, form.selected_stage) == ([world.team.pk], "")


def test_hr_may_pick_any_team(world):
    form = PeopleFilterForm({"team": str(world.other_team.pk)}, user=world.hr)
    assert form.team_ids == [world.other_team.pk]


def test_hr_narrows_by_site_and_by_department(world):
    department = DepartmentFactory(site=world.other_team.department.site)
    third = TeamFactory(name="Team C", department=department)
    by_site = PeopleFilterForm({"site": str(world.other_team.department.site_id)}, user=world.hr)
    assert sorted(by_site.team_ids) == sorted([world.other_team.pk, third.pk])
    by_department = PeopleFilterForm({"department": str(department.pk)}, user=world.hr)
    assert by_department.team_ids == [third.pk]


def test_a_supervisor_is_offered_only_the_sites_and_departments_of_her_teams(world):
    form = PeopleFilterForm({"site": str(world.other_team.department.site_id)}, user=world.supervisor.user)
    assert [site.pk for site in form.sites] == [world.team.department.site_id]
    assert [department.pk for department in form.departments] == [world.team.department_id]
    assert form.team_ids == [world.team.pk]


def test_the_search_is_trimmed(world):
    assert PeopleFilterForm({"q": "  Trainee "}, user=world.hr).search == "Trainee"


def test_the_heatmap_ignores_a_team_the_supervisor_does_not_lead(client, world):
    client.force_login(world.supervisor.user)
    response = client.get(reverse("training:team-heatmap"), {"team": world.other_team.pk})
    names = {row.employee.name for row in response.context["rows"]}
    assert "Trainee B" not in names
    assert "Trainee A" in names


def test_with_too_many_teams_hr_chooses_a_department_before_the_team_list(client, world, monkeypatch):
    monkeypatch.setattr(PeopleFilterForm, "MAX_TEAM_OPTIONS", 2)
    crowded = DepartmentFactory(site=world.team.department.site)
    TeamFactory.create_batch(3, department=crowded)
    everything = PeopleFilterForm({}, user=world.hr).context()
    assert (everything["teams"], everything["teams_hidden"]) == ([], True)
    narrowed = PeopleFilterForm({"department": str(world.team.department_id)}, user=world.hr).context()
    assert world.team in narrowed["teams"] and not narrowed["teams_hidden"]
    client.force_login(world.hr)
    body = client.get(reverse("training:team-heatmap")).content.decode()
    assert '<select name="team"' not in body and "Choose a department to pick a team." in body
