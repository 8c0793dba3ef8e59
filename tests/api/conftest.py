"""An API world: the shared world with a KASH framework, assessments carrying private notes, and the trainee in
cycle 1 of the default program with an activity, a coaching session and a gate check (all through services)."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from staff.models import Stage
from tests.kpis.factories import IngestFactory, ScorecardFactory
from tests.linkage.factories import matrix_case, matrix_drill, matrix_linkage, matrix_qa_sample
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.training.factories import AssessmentFactory, IndicatorFactory, ScoreFactory
from tests.training.onboarding_factories import in_cycle_one_with_records

ROLES = ["anonymous", "trainee", "other_trainee", "mentor", "supervisor", "batch_supervisor", "hr"]


def user_of(world, role):
    """The user acting as ``role``, or None for anonymous."""
    if role == "anonymous":
        return None
    if role == "hr":
        return world.hr
    return getattr(world, role).user


def token_of(user):
    return Token.objects.get_or_create(user=user)[0].key


def api_client(world, role):
    client = APIClient()
    user = user_of(world, role)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_of(user)}")
    return client


@pytest.fixture
def api_world(world):
    team_c = TeamFactory(name="Team C")
    world.batch_supervisor = EmployeeFactory(name="Supervisor C", team=team_c, stage=Stage.MANAGEMENT)
    team_c.supervisor = world.batch_supervisor
    team_c.save()
    world.teamless = EmployeeFactory(name="Teamless", team=None, position=None, stage=Stage.PRE_JOB)
    world.indicator = IndicatorFactory(code="talk", dimension="S")
    # Two assessments of the trainee whose private notes sort against their dates: newest note "a", oldest "z".
    world.newer = AssessmentFactory(
        subject=world.trainee,
        assessor=world.supervisor.user,
        assessed_on=datetime.date(2026, 11, 10),
        private_note="a: watch her breaks",
    )
    world.older = AssessmentFactory(
        subject=world.trainee,
        assessor=world.supervisor.user,
        assessed_on=datetime.date(2026, 11, 1),
        private_note="z: ready for the queue",
    )
    for assessment in (world.newer, world.older):
        ScoreFactory(assessment=assessment, indicator=world.indicator)
    world.scorecard = ScorecardFactory(employee=world.trainee)
    world.ingest = IngestFactory(actor=world.hr)
    matrix_linkage(world)
    matrix_drill(world)
    matrix_case(world)  # the trainee's case, a step handed to her mentor
    matrix_qa_sample(world)  # her open case with a request waiting for her supervisor, an issuance, its QA sample
    return in_cycle_one_with_records(world, code="api")
