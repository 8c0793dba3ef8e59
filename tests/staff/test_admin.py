"""The Django admin is HR's back office: who may enter, pages that load in fixed queries, history."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.forms import PositionAdminForm
from staff.models import Heartbeat, Stage, Team
from staff.permissions import HR_GROUP
from tests.staff.factories import (
    DepartmentFactory,
    EmployeeFactory,
    PositionDutyFactory,
    PositionFactory,
    SiteFactory,
    TeamFactory,
    UserFactory,
    make_hr_user,
)


def _heartbeat(n):
    Heartbeat.objects.create(name=f"beat-{n}", last_run_at=timezone.now())


MAKERS = {
    "site": lambda n: SiteFactory(),
    "department": lambda n: DepartmentFactory(),
    "team": lambda n: TeamFactory(supervisor=EmployeeFactory()),
    "position": lambda n: PositionDutyFactory(position__department=DepartmentFactory()),
    "employee": lambda n: EmployeeFactory(mentor=EmployeeFactory()),
    "heartbeat": _heartbeat,
}


@pytest.fixture
def hr(db):
    """A plain HR member (not a superuser) whose group holds the staff permissions."""
    user = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return user


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def changelist_queries(client, model_name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"admin:staff_{model_name}_changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("model_name", MAKERS)
def test_changelist_loads_in_queries_that_do_not_grow_with_rows(hr_client, model_name):
    for n in range(3):
        MAKERS[model_name](n)
    few = changelist_queries(hr_client, model_name)
    for n in range(3, 30):
        MAKERS[model_name](n)

    assert changelist_queries(hr_client, model_name) == few


@pytest.mark.parametrize("model_name", ["site", "department", "team", "position", "employee"])
def test_add_page_loads(hr_client, model_name):
    MAKERS[model_name](0)

    assert hr_client.get(reverse(f"admin:staff_{model_name}_add")).status_code == 200


@pytest.mark.parametrize("model_name", ["site", "department", "team", "position", "employee"])
@pytest.mark.parametrize("page", ["import", "export"])
def test_import_and_export_pages_load(hr_client, model_name, page):
    assert hr_client.get(reverse(f"admin:staff_{model_name}_{page}")).status_code == 200


def test_changelist_search_and_filters_work(hr_client):
    trainee = EmployeeFactory(name="Needle", stage=Stage.ONBOARDING)
    EmployeeFactory(name="Haystack", stage=Stage.GROWTH)
    url = reverse("admin:staff_employee_changelist")

    response = hr_client.get(url, {"q": "Needle", "stage__exact": "onboarding", "team__id__exact": trainee.team_id})

    assert list(response.context["cl"].result_list) == [trainee]


def test_employee_history_shows_who_changed_what(hr_client, hr):
    employee = EmployeeFactory(name="Before")
    url = reverse("admin:staff_employee_change", args=[employee.pk])
    data = {
        "employee_number": employee.employee_number,
        "name": "After",
        "hire_date": "2026-01-05",
        "team": employee.team_id,
        "position": employee.position_id,
        "stage": Stage.GROWTH,
        "user": employee.user_id,
        "language": "zh-hans",
    }
    assert hr_client.post(url, data).status_code == 302

    response = hr_client.get(reverse("admin:staff_employee_history", args=[employee.pk]))

    assert response.status_code == 200
    record = employee.history.latest()
    assert (record.name, record.history_user) == ("After", hr)
    assert hr.username in response.content.decode()


def test_position_change_page_and_history_load(hr_client):
    duty = PositionDutyFactory(activity="Answer calls")

    change = hr_client.get(reverse("admin:staff_position_change", args=[duty.position_id]))
    history = hr_client.get(reverse("admin:staff_position_history", args=[duty.position_id]))

    assert change.status_code == 200
    assert "Answer calls" in change.content.decode()
    assert history.status_code == 200


def test_heartbeat_is_read_only_and_says_if_it_is_fresh(hr_client):
    now = timezone.now()
    Heartbeat.objects.create(name="fresh-beat", last_run_at=now)
    Heartbeat.objects.create(name="stale-beat", last_run_at=now - datetime.timedelta(hours=1))

    response = hr_client.get(reverse("admin:staff_heartbeat_changelist"))

    rows = {beat.name: response.context["cl"].model_admin.is_fresh(beat) for beat in response.context["cl"].result_list}
    assert rows == {"fresh-beat": True, "stale-beat": False}
    assert hr_client.get(reverse("admin:staff_heartbeat_add")).status_code == 403


def test_staff_user_outside_hr_cannot_enter_the_admin(client, db):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:staff_employee_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_hr_member_without_staff_flag_cannot_enter_the_admin(client, hr):
    hr.is_staff = False
    hr.save()
    client.force_login(hr)

    assert client.get(reverse("admin:index")).status_code == 302


def test_hr_member_can_enter_the_admin(hr_client):
    assert hr_client.get(reverse("admin:index")).status_code == 200


def test_the_position_form_refuses_a_superior_that_would_put_it_above_itself(db):
    lead = PositionFactory(code="LEAD")
    agent = PositionFactory(code="AGENT", superior=lead, department=lead.department)
    data = {k: v for k, v in model_to_dict(lead).items() if v is not None}
    form = PositionAdminForm(data={**data, "superior": agent.pk}, instance=lead)
    assert not form.is_valid()
    loop = "The superiors form a loop: LEAD → AGENT → LEAD. A position cannot be above itself."
    assert form.errors["superior"] == [loop]
    itself = PositionAdminForm(data={**data, "superior": lead.pk}, instance=lead)
    assert not itself.is_valid() and "LEAD → LEAD" in itself.errors["superior"][0]
    fine = PositionAdminForm(data={**data, "superior": PositionFactory(code="HEAD").pk}, instance=lead)
    assert fine.is_valid(), fine.errors


def test_a_code_typed_in_the_admin_is_stored_as_an_import_matches_it(hr_client):
    department = DepartmentFactory()
    url = reverse("admin:staff_team_add")

    response = hr_client.post(url, {"code": "Ｔ０９\u200b", "name": "Team nine", "department": department.pk})

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Team.objects.get(name="Team nine").code == "T09"
    again = hr_client.post(url, {"code": " T09", "name": "Team nine again", "department": department.pk})
    assert again.status_code == 200 and "code" in again.context["adminform"].form.errors
