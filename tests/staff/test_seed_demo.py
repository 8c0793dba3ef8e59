import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from staff.demo import DEMO_PASSWORD, build_plan
from staff.models import Employee, Position, PositionDuty, Site, Stage, Team
from staff.permissions import HR_GROUP, is_hr


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(demo_world, db):
    """The demo, seeded once for the module (tests/conftest.py); what seed_demo printed."""
    return demo_world


def counts():
    return {
        "sites": Site.objects.count(),
        "teams": Team.objects.count(),
        "employees": Employee.objects.count(),
        "users": get_user_model().objects.count(),
        "employee_history": Employee.history.count(),
        "positions": Position.objects.count(),
        "position_history": Position.history.count(),
        "duties": PositionDuty.objects.count(),
    }


def test_seed_builds_two_sites_eight_teams_and_about_120_people(output):
    assert Site.objects.count() == 2
    assert 7 <= Team.objects.count() <= 9
    assert 100 <= Employee.objects.count() <= 140
    assert not Employee.objects.filter(user=None).exists()


def test_seed_prints_the_four_logins(output):
    for username in ("hr", "supervisor", "mentor", "trainee"):
        assert f" {username} " in output
    assert DEMO_PASSWORD in output


@pytest.mark.parametrize("username", ["hr", "supervisor", "mentor", "trainee"])
def test_demo_login_authenticates_with_the_demo_password(output, username):
    # django-axes needs a request to authenticate against.
    assert Client().login(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)


def test_demo_login_refuses_a_wrong_password(output):
    assert not Client().login(request=RequestFactory().post("/"), username="trainee", password="wrong-pass-2026")


def test_trainee_is_mentored_by_mentor_in_the_supervisors_team(output):
    trainee = Employee.objects.get(user__username="trainee")
    supervisor = Employee.objects.get(user__username="supervisor")
    assert trainee.stage == Stage.ONBOARDING
    assert trainee.mentor.user.username == "mentor"
    assert trainee.team.supervisor == supervisor
    assert trainee.mentor.team == trainee.team == supervisor.team


def test_hr_user_is_staff_in_the_hr_group_with_permissions(output):
    hr = get_user_model().objects.get(username="hr")
    assert hr.is_staff
    assert is_hr(hr)
    group = hr.groups.get(name=HR_GROUP)
    assert group.permissions.filter(content_type__app_label="staff", codename="change_employee").exists()
    assert group.permissions.filter(content_type__app_label="django_celery_beat").exists()
    assert hr.has_perm("staff.change_position")


def test_every_team_has_a_supervisor_from_the_team(output):
    for team in Team.objects.select_related("supervisor"):
        assert team.supervisor is not None
        assert team.supervisor.team_id == team.pk


def test_every_new_hire_has_a_mentor_from_their_own_team(output):
    new_hires = Employee.objects.filter(stage=Stage.ONBOARDING).select_related("mentor")
    assert 15 <= len(new_hires) <= 25
    for trainee in new_hires:
        assert trainee.mentor is not None
        assert trainee.mentor.team_id == trainee.team_id
        assert trainee.mentor.stage in {Stage.HIGH_PERFORMER, Stage.GROWTH}


def test_new_hires_joined_in_the_last_weeks(output):
    today = timezone.localdate()
    for hire_date in Employee.objects.filter(stage=Stage.ONBOARDING).values_list("hire_date", flat=True):
        assert today - datetime.timedelta(weeks=7) <= hire_date <= today


def days_since_hired(site):
    today = timezone.localdate()
    new_hires = Employee.objects.filter(stage=Stage.ONBOARDING, team__department__site__code=site)
    return {(today - hire_date).days for hire_date in new_hires.values_list("hire_date", flat=True)}


def test_headquarters_new_hires_started_together_about_six_weeks_ago(output):
    # A Monday 6 weeks before this week's: past pre-job training (10 days) and two cycles (14 + 14), in cycle 3.
    (days,) = days_since_hired("SZ")
    assert 42 <= days <= 48
    assert (timezone.localdate() - datetime.timedelta(days=days)).weekday() == 0


def test_branch_new_hires_started_together_two_to_three_weeks_ago(output):
    (days,) = days_since_hired("WX")
    assert 14 <= days <= 20


def test_duty_shares_sum_to_100_per_position(output):
    shares = Position.objects.annotate(total=Sum("duties__share_percent")).values_list("total", flat=True)
    assert len(shares) == 7
    assert set(shares) == {100}


def test_every_position_has_a_full_job_description(output):
    for position in Position.objects.exclude(code="CS-MGR"):
        assert position.superior is not None
        assert position.job_family and position.job_group and position.department_id
        assert position.summary and position.expected_results and position.training_subjects
        assert position.work_place and position.hours_pattern
    assert Position.objects.get(code="CS-AGENT").promotion_paths.filter(code="CS-SENIOR").exists()


def test_second_run_changes_nothing(output):
    before = counts()
    second = seed()
    assert counts() == before
    assert "nothing changed" in second


def test_second_run_keeps_a_changed_password(output):
    user = get_user_model().objects.get(username="mentor")
    user.set_password("my-own-secret")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("my-own-secret")


def test_second_run_restores_a_changed_stage_with_one_history_row(output):
    trainee = Employee.objects.get(user__username="trainee")
    Employee.objects.filter(pk=trainee.pk).update(stage=Stage.GROWTH)
    history = trainee.history.count()
    seed()
    trainee.refresh_from_db()
    assert trainee.stage == Stage.ONBOARDING
    assert trainee.history.count() == history + 1


def test_plan_is_the_same_on_every_build():
    today = datetime.date(2026, 3, 2)
    assert build_plan(today).people == build_plan(today).people


def login_table(printed, title):
    """The rows of the demo-login table under its title: header, then one row per login (the rule skipped)."""
    lines = printed.split(title, 1)[1].strip().splitlines()
    return [line.split() for line in lines[:1] + lines[2:6]]


@pytest.mark.parametrize(
    "language, title, header, roles",
    [
        (
            "en",
            "Demo logins",
            ["Role", "Username", "Password", "Name", "Team"],
            ["HR", "Supervisor", "Mentor", "Trainee"],
        ),
        ("zh-hans", "演示账号", ["角色", "用户名", "密码", "姓名", "班组"], ["人力资源", "班长", "带教老师", "学员"]),
    ],
)
def test_demo_login_table_is_in_the_readers_language(output, language, title, header, roles):
    with translation.override(language):
        printed = seed()

    table = login_table(printed, title)

    assert table[0] == header
    assert [row[0] for row in table[1:]] == roles
    assert [row[1] for row in table[1:]] == ["hr", "supervisor", "mentor", "trainee"]
