"""training's hooks into staff: mentor changes made anywhere notify trainee and mentor, and the employee
page shows the onboarding status."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from staff import services as people
from staff.models import Stage
from staff.permissions import HR_GROUP
from tests.staff.factories import EmployeeFactory, UserFactory, make_hr_user
from tests.training.onboarding_factories import PRE_JOB_DAYS, at, enrollment_of, make_program, open_batch
from training.models import Enrollment
from training.views.onboarding import employee_panel

TODAY = datetime.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def enrollment(world, tiny):
    world.trainee.stage = Stage.PRE_JOB
    world.trainee.save()
    start_on = TODAY - datetime.timedelta(days=PRE_JOB_DAYS - 2)
    batch = open_batch(tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=start_on)
    return enrollment_of(batch, world.trainee)


@pytest.fixture
def veteran(world):
    return EmployeeFactory(name="Veteran", team=world.team, stage=Stage.HIGH_PERFORMER, user__username="veteran")


def _mentor_notices():
    return sorted(Notification.objects.filter(kind="mentor_assigned").values_list("recipient__username", flat=True))


def _admin_post(client, employee, **overrides):
    hr = make_hr_user(username="hr_admin")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    client.force_login(hr)
    data = {
        "employee_number": employee.employee_number,
        "name": employee.name,
        "hire_date": employee.hire_date.isoformat(),
        "team": employee.team_id,
        "position": employee.position_id,
        "stage": employee.stage,
        "mentor": employee.mentor_id or "",
        "user": employee.user_id,
        "language": employee.language,
        **overrides,
    }
    return client.post(reverse("admin:staff_employee_change", args=[employee.pk]), data)


def test_a_new_mentor_set_in_the_admin_notifies_trainee_and_mentor(client, world, enrollment, veteran):
    assert _admin_post(client, world.trainee, mentor=veteran.pk).status_code == 302
    assert _mentor_notices() == ["trainee_a", "veteran"]


def test_assign_mentor_notifies_trainee_and_mentor_once_each(world, enrollment, veteran):
    from training import services

    services.assign_mentor(actor=world.supervisor.user, enrollment_id=enrollment.pk, mentor=veteran)
    assert _mentor_notices() == ["trainee_a", "veteran"]


def test_a_new_mentor_without_an_open_enrollment_notifies_nobody(world, enrollment, veteran):
    Enrollment.objects.filter(pk=enrollment.pk).update(state="withdrawn")
    people.change_person(actor=world.hr, employee_id=world.trainee.pk, mentor=veteran)
    assert _mentor_notices() == []


def test_a_stage_change_notifies_nobody(world, enrollment):
    people.change_person(actor=world.hr, employee_id=world.trainee.pk, stage=Stage.ONBOARDING)
    assert not Notification.objects.filter(kind="mentor_assigned").exists()


def _page(client, user, employee):
    client.force_login(user)
    return client.get(reverse("staff:employee-detail", args=[employee.pk]))


def test_employee_page_shows_batch_state_due_date_and_a_link_to_the_onboarding(client, world, enrollment):
    body = _page(client, world.supervisor.user, world.trainee).content.decode()
    assert enrollment.batch.name in body
    assert str(enrollment.get_state_display()) in body
    assert enrollment.due_on.isoformat() in body
    assert reverse("training:enrollment-detail", args=[enrollment.pk]) in body
    assert "Gate failed" not in body


def test_employee_page_flags_a_failed_gate(client, world, enrollment):
    Enrollment.objects.filter(pk=enrollment.pk).update(is_gate_failed=True)
    assert "Gate failed" in _page(client, world.supervisor.user, world.trainee).content.decode()


def test_employee_page_of_someone_never_enrolled_has_no_onboarding_panel(client, world, enrollment):
    response = _page(client, world.supervisor.user, world.mentor)
    assert response.context["panels"] == []


def test_the_panel_offers_no_link_to_whoever_may_not_open_the_enrollment(world, enrollment):
    _, context = employee_panel(UserFactory(username="stranger"), world.trainee)
    assert context["can_open"] is False


def _page_queries(client, employee):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("staff:employee-detail", args=[employee.pk])).status_code == 200
    return len(queries)


def test_employee_page_queries_do_not_grow_with_enrollments_or_moves(client, world, tiny, enrollment, veteran):
    _page(client, world.supervisor.user, world.trainee)  # log in and warm up
    few = _page_queries(client, world.trainee)
    second = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=TODAY, code="batch-2"
    )
    assert second.enrollments.count() == 1
    for stage in (Stage.ONBOARDING, Stage.GROWTH, Stage.ONBOARDING):
        people.change_person(actor=world.hr, employee_id=world.trainee.pk, stage=stage, mentor=veteran)
    assert _page_queries(client, world.trainee) == few
