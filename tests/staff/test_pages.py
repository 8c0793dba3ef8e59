import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff import services
from staff.models import Stage
from tests.staff.factories import EmployeeFactory, PositionDutyFactory, TeamFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("hr", "staff:hr-home"),
        ("supervisor", "staff:today"),
        ("mentor", "staff:my-mentees"),
        ("trainee", "staff:my-profile"),
    ],
)
def test_home_routes_each_role_to_its_page(client, world, who, landing):
    user = world.hr if who == "hr" else getattr(world, who).user
    response = login(client, user).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_my_team_lists_members_with_position_stage_hire_date_and_mentor(client, world):
    response = login(client, world.supervisor.user).get(reverse("staff:my-team"))
    body = response.content.decode()
    assert "Trainee A" in body
    assert "Mentor A" in body
    assert world.trainee.position.title in body
    assert "2026-01-05" in body
    assert "Trainee B" not in body


def test_my_team_filters_by_stage(client, world):
    response = login(client, world.supervisor.user).get(reverse("staff:my-team"), {"stage": Stage.HIGH_PERFORMER})
    body = response.content.decode()
    assert "Mentor A" in body
    assert "Trainee A" not in body


def test_my_team_ignores_a_team_the_supervisor_does_not_lead(client, world):
    response = login(client, world.supervisor.user).get(reverse("staff:my-team"), {"team": world.other_team.pk})
    assert "Trainee B" not in response.content.decode()


def test_my_profile_shows_position_job_description_team_supervisor_and_mentor(client, world):
    PositionDutyFactory(position=world.trainee.position, activity="Answer inbound calls", share_percent=70)
    body = login(client, world.trainee.user).get(reverse("staff:my-profile")).content.decode()
    for text in ("Trainee A", "Team A", "Supervisor A", "Mentor A", "Answer inbound calls", "70%"):
        assert text in body


def test_profile_is_translated_to_chinese(client, world):
    response = login(client, world.trainee.user).get(reverse("staff:my-profile"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert "我的档案" in body
    assert "入职日期" in body


def test_employee_detail_shows_moves_with_actor(client, world):
    services.move_employee(employee_id=world.trainee.pk, actor=world.hr, stage=Stage.GROWTH, reason="cycle 4 done")
    body = (
        login(client, world.supervisor.user)
        .get(reverse("staff:employee-detail", args=[world.trainee.pk]))
        .content.decode()
    )
    assert "Growth" in body
    assert world.hr.username in body


def test_move_to_the_same_stage_records_nothing(world):
    before = world.trainee.history.count()
    services.move_employee(employee_id=world.trainee.pk, actor=world.hr, stage=world.trainee.stage)
    assert world.trainee.history.count() == before


def test_hr_home_shows_headcount_and_filled(client, world):
    world.trainee.position.headcount = 5
    world.trainee.position.save()
    response = login(client, world.hr).get(reverse("staff:hr-home"))
    position = next(p for p in response.context["positions"] if p.pk == world.trainee.position_id)
    assert (position.headcount, position.filled, position.vacancies) == (5, 1, 4)


def test_left_employees_do_not_fill_a_position(client, world):
    services.move_employee(employee_id=world.trainee.pk, actor=world.hr, stage=Stage.LEFT)
    response = login(client, world.hr).get(reverse("staff:hr-home"))
    position = next(p for p in response.context["positions"] if p.pk == world.trainee.position_id)
    assert position.filled == 0


def _my_team_queries(client, world, size):
    EmployeeFactory.create_batch(size, team=world.team, mentor=world.mentor)
    login(client, world.supervisor.user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("staff:my-team"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_my_team_query_count_does_not_grow_with_team_size(client, world):
    small = _my_team_queries(client, world, 5)
    large = _my_team_queries(client, world, 45)
    assert small == large
    assert large <= 12


def test_hr_overview_lists_twelve_teams_and_links_to_the_rest(client, world):
    TeamFactory.create_batch(12, department=world.team.department)
    client.force_login(world.hr)
    body = client.get(reverse("staff:hr-home")).content.decode()
    teams_box = body[body.index('<h2 class="h5">Teams</h2>') :]
    assert teams_box.count('href="/staff/team/?team=') == 12
    assert "more teams: choose them in My team" in teams_box
