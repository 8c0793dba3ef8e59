"""The staff demo's history shows when things really happened, not when the demo was seeded."""

import datetime

import pytest
from django.utils import timezone

from staff.demo import seed_demo
from staff.models import Employee

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def seeded(db):
    return seed_demo(today=TODAY)


def test_a_person_hired_in_2020_has_a_creation_row_dated_at_the_hire_date(seeded):
    veteran = Employee.objects.filter(hire_date__year=2020).order_by("employee_number").first()
    assert veteran is not None
    created = veteran.history.get(history_type="+")
    assert timezone.localtime(created.history_date).date() == veteran.hire_date


def test_every_seeded_creation_row_is_dated_at_its_hire_date(seeded):
    rows = Employee.history.filter(history_type="+").values_list("history_date", "hire_date")
    assert {timezone.localtime(at).date() == hired for at, hired in rows} == {True}
