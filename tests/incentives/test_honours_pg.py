"""Concurrency on PostgreSQL (issue 15 §3): two decisions at the same moment cannot together pass a programme's
number of winners (the programme's row is locked), and a decision retried at the same moment credits the points
once."""

import pytest
from django.core.exceptions import ValidationError

from incentives.models import EntryKind, Nomination, PointsEntry
from staff.models import Stage
from tests.incentives.honours_factories import ProgrammeFactory, decide, nominate
from tests.incentives.test_recognition_pg import at_once
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user

pytestmark = [
    pytest.mark.postgres(reason="two decisions at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def award(transactional_db):
    team = TeamFactory(name="Team H")
    lead = EmployeeFactory(name="Lead", team=team, stage=Stage.MANAGEMENT, user__username="lead_h")
    team.supervisor = lead
    team.save()
    people = [EmployeeFactory(name=f"Agent {i}", team=team, user__username=f"agent_h{i}") for i in range(2)]
    programme = ProgrammeFactory(team=team, winners=1, points=40)
    rows = [nominate(lead.user, programme, person) for person in people]
    return make_hr_user(username="hr_h"), rows


def test_two_winners_at_once_cannot_pass_the_number_of_winners(award):
    hr, rows = award
    results = at_once(lambda: decide(hr, rows[0]).status, lambda: decide(hr, rows[1]).status)
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert "won" in results
    assert Nomination.objects.filter(status="won").count() == 1
    assert PointsEntry.objects.filter(kind=EntryKind.AWARD).count() == 1


def test_the_same_decision_twice_at_once_credits_once(award):
    hr, rows = award
    results = at_once(lambda: decide(hr, rows[0]).status, lambda: decide(hr, rows[0]).status)
    assert results == ["won", "won"]
    assert PointsEntry.objects.filter(source_ref=f"award:{rows[0].pk}").count() == 1
