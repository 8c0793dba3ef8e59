"""The last working day (Employee.left_on) follows the move to and from the "left" stage (staff.services)."""

import datetime
import zoneinfo

import pytest

from staff.models import Stage
from staff.services import change_people, move_employee
from tests.staff.factories import EmployeeFactory, make_hr_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def hr(db):
    return make_hr_user(username="hr")


def test_moving_to_left_sets_the_last_working_day_to_the_change_date(hr):
    agent = EmployeeFactory(stage=Stage.GROWTH)
    evening = datetime.datetime(2026, 11, 20, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: still the 20th in the centre
    change_people(actor=hr, employee_ids=[agent.pk], stage=Stage.LEFT, changed_at=evening)
    agent.refresh_from_db()
    assert agent.left_on == datetime.date(2026, 11, 20)
    assert agent.history.order_by("-history_id").first().left_on == datetime.date(2026, 11, 20)


def test_a_last_working_day_already_recorded_is_kept(hr):
    agent = EmployeeFactory(stage=Stage.GROWTH, left_on=datetime.date(2026, 11, 15))
    move_employee(employee_id=agent.pk, actor=hr, stage=Stage.LEFT)
    agent.refresh_from_db()
    assert agent.left_on == datetime.date(2026, 11, 15)


def test_coming_back_from_left_clears_the_last_working_day(hr):
    agent = EmployeeFactory(stage=Stage.LEFT, left_on=datetime.date(2026, 11, 15))
    move_employee(employee_id=agent.pk, actor=hr, stage=Stage.GROWTH)
    agent.refresh_from_db()
    assert agent.left_on is None


def test_other_moves_leave_the_last_working_day_alone(hr):
    agent = EmployeeFactory(stage=Stage.ONBOARDING)
    move_employee(employee_id=agent.pk, actor=hr, stage=Stage.GROWTH)
    agent.refresh_from_db()
    assert agent.left_on is None
