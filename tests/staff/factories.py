import datetime

import factory
from django.contrib.auth import get_user_model

from staff.models import Department, Employee, Position, PositionDuty, Site, Stage, Team
from staff.services import ensure_hr_group

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    is_active = True


def make_hr_user(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(ensure_hr_group())
    return user


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"Site {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Department {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Team {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    code = factory.Sequence(lambda n: f"P{n:03d}")
    title = factory.Sequence(lambda n: f"Agent level {n}")
    job_family = "Service"
    job_group = "Customer contact"
    grade = 3
    headcount = 10
    summary = "Answers customers' calls."


class PositionDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionDuty

    position = factory.SubFactory(PositionFactory)
    activity = "Answer inbound calls"
    share_percent = 70


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"Employee {n}")
    hire_date = datetime.date(2026, 1, 5)
    team = factory.SubFactory(TeamFactory)
    position = factory.SubFactory(PositionFactory)
    stage = Stage.ONBOARDING
