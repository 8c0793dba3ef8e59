"""The admin's employee form changes stage, team, position and mentor through staff.services."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staff import services
from staff.models import Employee, Stage
from staff.permissions import HR_GROUP
from tests.staff.factories import EmployeeFactory, make_hr_user


@pytest.fixture
def hr_client(client, db):
    hr = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    client.force_login(hr)
    client.hr = hr
    return client


@pytest.fixture
def changes_seen():
    seen = []

    def record(changes, *, actor):
        seen.extend(changes)

    services.register_change_listener(record)
    yield seen
    services._listeners.remove(record)


def _post(client, employee, **overrides):
    data = {
        "employee_number": employee.employee_number,
        "name": employee.name,
        "hire_date": employee.hire_date.isoformat(),
        "team": employee.team_id,
        "position": employee.position_id,
        "stage": employee.stage,
        "mentor": employee.mentor_id or "",
        "user": employee.user_id,
        "language": "zh-hans",
        **overrides,
    }
    return client.post(reverse("admin:staff_employee_change", args=[employee.pk]), data)


def test_admin_mentor_change_goes_through_the_service_with_history_and_listeners(hr_client, changes_seen):
    trainee = EmployeeFactory()
    veteran = EmployeeFactory(team=trainee.team, stage=Stage.HIGH_PERFORMER)
    assert _post(hr_client, trainee, mentor=veteran.pk).status_code == 302
    assert Employee.objects.get(pk=trainee.pk).mentor_id == veteran.pk
    assert trainee.history.latest().history_user == hr_client.hr
    assert changes_seen == [services.PersonChange(trainee.pk, "mentor", None, veteran.pk)]


def test_admin_stage_change_writes_one_history_row_by_the_hr_user(hr_client, changes_seen):
    trainee = EmployeeFactory()
    before = trainee.history.count()
    assert _post(hr_client, trainee, stage=Stage.GROWTH).status_code == 302
    assert trainee.history.count() == before + 1
    assert (trainee.history.latest().stage, trainee.history.latest().history_user) == (Stage.GROWTH, hr_client.hr)
    assert changes_seen == [services.PersonChange(trainee.pk, "stage", Stage.ONBOARDING, Stage.GROWTH)]


def test_admin_saves_other_fields_and_a_move_together(hr_client):
    trainee = EmployeeFactory(name="Before")
    assert _post(hr_client, trainee, name="After", stage=Stage.GROWTH).status_code == 302
    saved = Employee.objects.get(pk=trainee.pk)
    assert (saved.name, saved.stage) == ("After", Stage.GROWTH)


def test_admin_shows_an_untenured_mentor_on_the_mentor_field_and_saves_nothing(hr_client):
    trainee = EmployeeFactory(name="Before")
    newcomer = EmployeeFactory(team=trainee.team, stage=Stage.PRE_JOB)
    before = trainee.history.count()
    response = _post(hr_client, trainee, mentor=newcomer.pk, name="After")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["mentor"] == ["A mentor must be a tenured agent."]
    saved = Employee.objects.get(pk=trainee.pk)
    assert (saved.name, saved.mentor_id) == ("Before", None)
    assert trainee.history.count() == before


def test_admin_refuses_an_employee_as_her_own_mentor(hr_client):
    veteran = EmployeeFactory(stage=Stage.GROWTH)
    response = _post(hr_client, veteran, mentor=veteran.pk)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["mentor"]
    assert Employee.objects.get(pk=veteran.pk).mentor_id is None
