"""Shared worlds. A small named world: a trainee, her mentor, their supervisor, outsiders, HR."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.utils import translation

from staff.models import Stage
from tests import worlds
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user

# Fixtures that need the seeded demo: the session copies the fresh database first when one is collected.
DEMO_FIXTURES = {"demo_world", "demo"}


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgres")
        if marker is not None:
            reason = marker.kwargs.get("reason", "row locks are no-ops on SQLite")
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL (set DATABASE_URL): {reason}"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request the test client made in Chinese leaves the thread's
    language active (LocaleMiddleware never resets it), which would leak into the next test on this worker."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    if any(DEMO_FIXTURES & set(item.fixturenames) for item in request.session.items):
        with django_db_blocker.unblock():
            worlds.save_base()


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The seeded demo (seed_demo's output) shared read-only by a module's tests: restored inside a transaction
    rolled back after the module; each test runs in its own savepoint within it, so what one changes the
    next never sees. Only for modules whose every database test uses it (others would see the demo too)."""
    with django_db_blocker.unblock():
        output = worlds.demo_output()
    with worlds.shared_by_module(django_db_blocker):
        with django_db_blocker.unblock():
            worlds.restore(worlds.DEMO)
        yield output


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
