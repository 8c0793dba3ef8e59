"""Shared worlds. A small named world: a trainee, her mentor, their supervisor, outsiders, HR."""

from dataclasses import dataclass

import pytest
from django.db import connection

from staff.models import Stage
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgres")
        if marker is not None:
            reason = marker.kwargs.get("reason", "row locks are no-ops on SQLite")
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL (set DATABASE_URL): {reason}"))


@dataclass
class World:
    team: object
    other_team: object
    supervisor: object
    other_supervisor: object
    mentor: object
    trainee: object
    other_trainee: object
    hr: object
    inactive: object


@pytest.fixture
def world(db):
    team = TeamFactory(name="Team A")
    other_team = TeamFactory(name="Team B")
    supervisor = EmployeeFactory(name="Supervisor A", team=team, stage=Stage.MANAGEMENT, user__username="sup_a")
    team.supervisor = supervisor
    team.save()
    other_supervisor = EmployeeFactory(
        name="Supervisor B", team=other_team, stage=Stage.MANAGEMENT, user__username="sup_b"
    )
    other_team.supervisor = other_supervisor
    other_team.save()
    mentor = EmployeeFactory(name="Mentor A", team=team, stage=Stage.HIGH_PERFORMER, user__username="mentor_a")
    trainee = EmployeeFactory(name="Trainee A", team=team, mentor=mentor, user__username="trainee_a")
    other_trainee = EmployeeFactory(name="Trainee B", team=other_team, user__username="trainee_b")
    hr = make_hr_user(username="hr_user")
    inactive = EmployeeFactory(name="Inactive", team=team, user__username="inactive", user__is_active=False)
    return World(
        team=team,
        other_team=other_team,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        mentor=mentor,
        trainee=trainee,
        other_trainee=other_trainee,
        hr=hr,
        inactive=inactive,
    )
