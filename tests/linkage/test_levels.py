"""Levels per person per playbook (issue 12 §7): 0 → 1 on acknowledging, → 2 on passing a scored drill, → 3 when
her supervisor certifies her, and back to 2 (expired) when the certification runs out; certifying needs a pass
of each step she may own; levels_for answers in a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkage.models import Certification, Drill, DrillParticipant, LinkageSettings
from linkage.selectors.levels import levels_for, my_levels
from linkage.services.drills import schedule_drill, score_drill
from linkage.services.levels import add_months, certify
from tests.linkage.factories import AcknowledgementFactory, drill_version, step_result
from tests.staff.factories import EmployeeFactory

TODAY = datetime.date(2026, 11, 20)
AT_TEN = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def kit(world):
    kit = drill_version()
    kit.agent.positions.add(world.trainee.position)
    return kit


def drill(world, kit, *, passed=True, version=None):
    """A scored drill of the trainee as the agent, scored by her supervisor."""
    held = schedule_drill(
        actor=world.supervisor.user,
        version=version or kit.version,
        team=world.team,
        scheduled_for=AT_TEN,
        cast=[(world.trainee, kit.agent)],
    )
    spot = (version.steps.get(code="spot") if version else kit.spot).pk
    return score_drill(actor=world.supervisor.user, drill_id=held.pk, scores={spot: step_result(action_ok=passed)})


def level(world, kit, today=TODAY):
    return levels_for([world.trainee.pk], [kit.playbook.pk], today=today)[(world.trainee.pk, kit.playbook.pk)]


# Transitions --------------------------------------------------------------------------------------------------


def test_each_transition_and_expiry(world, kit, time_machine):
    assert level(world, kit).level == 0

    AcknowledgementFactory(version=kit.version, employee=world.trainee)
    assert (level(world, kit).level, level(world, kit).acknowledged) == (1, True)

    drill(world, kit, passed=False)
    assert level(world, kit).level == 1  # a failed drill is no pass

    drill(world, kit)
    assert (level(world, kit).level, level(world, kit).drilled_on) == (2, TODAY)

    certification = certify(actor=world.supervisor.user, employee=world.trainee, playbook=kit.playbook)
    assert certification.expires_on == datetime.date(2027, 11, 20)
    assert (level(world, kit).level, level(world, kit).certified_until, level(world, kit).expired) == (
        3,
        datetime.date(2027, 11, 20),
        False,
    )

    time_machine.move_to(datetime.datetime(2027, 11, 21, 8, 0, tzinfo=datetime.UTC), tick=False)
    later = datetime.date(2027, 11, 21)
    expired = level(world, kit, today=later)
    assert (expired.level, expired.expired, expired.certified_until) == (2, True, datetime.date(2027, 11, 20))
    assert level(world, kit, today=datetime.date(2027, 11, 20)).level == 3  # valid through its last day


def test_hr_sets_the_certification_period(world, kit):
    LinkageSettings.objects.create(pk=1, certification_months=3)
    drill(world, kit)
    certification = certify(actor=world.hr, employee=world.trainee, playbook=kit.playbook)
    assert certification.expires_on == datetime.date(2027, 2, 20)
    assert certification.confirmed_by == world.hr


def test_months_are_added_to_the_calendar():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 20), 14) == datetime.date(2028, 1, 20)


# Certifying ---------------------------------------------------------------------------------------------------


def test_certifying_needs_a_pass_of_each_step_she_may_own(world, kit):
    kit.specialist.positions.add(world.trainee.position)  # she now may own "explain" too
    drill(world, kit)
    with pytest.raises(ValidationError) as refused:
        certify(actor=world.supervisor.user, employee=world.trainee, playbook=kit.playbook)
    assert "Explain" in str(refused.value) and "Spot" not in str(refused.value)
    assert not Certification.objects.exists()


def test_certifying_someone_who_holds_no_owner_role_is_refused(world, kit):
    with pytest.raises(ValidationError, match="Mentor A"):
        certify(actor=world.supervisor.user, employee=world.mentor, playbook=kit.playbook)


def test_only_her_supervisor_or_hr_certifies(world, kit):
    drill(world, kit)
    for outsider in (world.other_supervisor.user, world.mentor.user, world.trainee.user):
        with pytest.raises(PermissionDenied):
            certify(actor=outsider, employee=world.trainee, playbook=kit.playbook)
    assert not Certification.objects.exists()


def test_a_pass_in_an_earlier_version_counts_by_step_code_and_certifying_twice_a_day_is_one(world, kit):
    drill(world, kit)
    kit.version.status = "retired"
    kit.version.save()
    next_version = drill_version(playbook=kit.playbook, number=2)
    next_version.agent.positions.add(world.trainee.position)

    first = certify(actor=world.supervisor.user, employee=world.trainee, playbook=kit.playbook)
    again = certify(actor=world.supervisor.user, employee=world.trainee, playbook=kit.playbook)
    assert first.pk == again.pk
    assert Certification.objects.count() == 1


def test_a_practice_pass_does_not_certify(world, kit):
    held = schedule_drill(
        actor=world.mentor.user,
        version=kit.version,
        team=world.team,
        scheduled_for=AT_TEN,
        cast=[(world.trainee, kit.agent)],
        mode="practice",
    )
    score_drill(actor=world.mentor.user, drill_id=held.pk, scores={kit.spot.pk: step_result()})
    with pytest.raises(ValidationError, match="Spot"):
        certify(actor=world.supervisor.user, employee=world.trainee, playbook=kit.playbook)


# Reads --------------------------------------------------------------------------------------------------------


def _history(world, kit, people):
    """Per person: an acknowledgement, a passed scored drill and a certification (rows written directly)."""
    for person in people:
        AcknowledgementFactory(version=kit.version, employee=person)
        held = Drill.objects.create(
            version=kit.version,
            team=world.team,
            status="scored",
            scored_at=AT_TEN,
            scheduled_for=AT_TEN,
            examiner=world.supervisor,
        )
        DrillParticipant.objects.create(drill=held, employee=person, role=kit.agent, passed=True)
        Certification.objects.create(
            employee=person, playbook=kit.playbook, certified_on=TODAY, expires_on=datetime.date(2027, 11, 20)
        )


def _queries(people, playbook_ids):
    with CaptureQueriesContext(connection) as queries:
        levels = levels_for([p.pk for p in people], playbook_ids, today=TODAY)
    return len(queries), levels


def test_levels_for_takes_the_same_queries_for_one_person_or_twenty(world, kit):
    one = [world.trainee]
    twenty = [EmployeeFactory(team=world.team) for _ in range(20)]
    _history(world, kit, one)
    _history(world, kit, twenty)
    other_kit = drill_version()

    few, levels = _queries(one, [kit.playbook.pk])
    many, more_levels = _queries(twenty, [kit.playbook.pk, other_kit.playbook.pk])

    assert few == many == 3
    assert levels[(world.trainee.pk, kit.playbook.pk)].level == 3
    assert {more_levels[(p.pk, kit.playbook.pk)].level for p in twenty} == {3}
    assert {more_levels[(p.pk, other_kit.playbook.pk)].level for p in twenty} == {0}


def test_my_levels_for_herself_and_her_supervisor_only(world, kit):
    AcknowledgementFactory(version=kit.version, employee=world.trainee)
    drill(world, kit)
    rows = {row.playbook.pk: row for row in my_levels(world.supervisor.user, world.trainee, today=TODAY)}
    assert rows[kit.playbook.pk].level.level == 2
    assert [p.employee_id for p in rows[kit.playbook.pk].drills] == [world.trainee.pk]
    assert my_levels(world.trainee.user, world.trainee, today=TODAY)
    with pytest.raises(PermissionDenied):
        my_levels(world.other_trainee.user, world.trainee, today=TODAY)
