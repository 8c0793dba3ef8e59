"""Who a playbook version applies to, who may comment, answer and follow acknowledgements (linkage.permissions)."""

import pytest

from linkage import permissions
from staff.models import Stage
from tests.linkage.factories import AcknowledgementFactory, version_in
from tests.staff.factories import EmployeeFactory


@pytest.fixture
def versions(world):
    """Published (all teams), a pilot of Team A, a pilot of Team B, a draft, a consultation for all teams and one
    for Team B only."""
    world.published = version_in("published")
    world.pilot_a = version_in("pilot", pilot_teams=[world.team])
    world.pilot_b = version_in("pilot", pilot_teams=[world.other_team])
    world.draft = version_in("draft")
    world.consultation_all = version_in("consultation")
    world.consultation_b = version_in("consultation", pilot_teams=[world.other_team])
    return world


def ours(queryset, world):
    mine = {
        world.published,
        world.pilot_a,
        world.pilot_b,
        world.draft,
        world.consultation_all,
        world.consultation_b,
    }
    return set(queryset) & mine


def test_an_agent_has_the_published_version_and_her_teams_pilot(versions):
    applicable = ours(permissions.applicable_versions(versions.trainee.user), versions)
    assert applicable == {versions.published, versions.pilot_a}


def test_an_agent_of_another_team_has_that_teams_pilot(versions):
    applicable = ours(permissions.applicable_versions(versions.other_trainee.user), versions)
    assert applicable == {versions.published, versions.pilot_b}


def test_hr_has_every_version(versions):
    assert len(ours(permissions.applicable_versions(versions.hr), versions)) == 6


def test_someone_who_left_has_no_version(versions):
    gone = EmployeeFactory(team=versions.team, stage=Stage.LEFT)
    assert not ours(permissions.applicable_versions(gone.user), versions)


def test_the_members_of_a_pilot_are_its_pilot_teams_members(versions):
    members = set(permissions.members_of(versions.pilot_a))
    assert versions.trainee in members
    assert versions.other_trainee not in members


def test_an_agent_may_comment_on_a_consultation_for_all_teams(versions):
    assert permissions.can_comment(versions.trainee.user, versions.consultation_all)


def test_an_agent_may_not_comment_on_a_consultation_of_another_teams_pilot(versions):
    assert not permissions.can_comment(versions.trainee.user, versions.consultation_b)


def test_nobody_comments_on_a_published_version(versions):
    assert not permissions.can_comment(versions.trainee.user, versions.published)


def test_only_hr_answers_comments(versions):
    assert permissions.can_answer(versions.hr)
    assert not permissions.can_answer(versions.supervisor.user)


def test_a_supervisor_follows_the_acknowledgements_of_her_team_only(versions):
    assert permissions.can_view_acknowledgements(versions.supervisor.user, versions.team)
    assert not permissions.can_view_acknowledgements(versions.supervisor.user, versions.other_team)


def test_an_agent_sees_her_own_acknowledgements_not_a_colleagues(versions):
    mine = AcknowledgementFactory(version=versions.published, employee=versions.trainee)
    AcknowledgementFactory(version=versions.published, employee=versions.mentor)
    assert list(permissions.visible_acknowledgements(versions.trainee.user)) == [mine]


def test_a_supervisor_sees_the_acknowledgements_of_her_teams_members(versions):
    theirs = AcknowledgementFactory(version=versions.published, employee=versions.trainee)
    AcknowledgementFactory(version=versions.published, employee=versions.other_trainee)
    assert list(permissions.visible_acknowledgements(versions.supervisor.user)) == [theirs]


def test_an_agent_cannot_acknowledge_another_teams_pilot(versions):
    assert not permissions.can_acknowledge(versions.trainee.user, versions.pilot_b)
    assert permissions.can_acknowledge(versions.trainee.user, versions.pilot_a)


def test_hr_without_an_employee_record_cannot_acknowledge(versions):
    assert not permissions.can_acknowledge(versions.hr, versions.published)


def test_a_consultation_with_several_pilot_teams_is_listed_once(versions):
    versions.consultation_b.pilot_teams.add(versions.team)
    consultations = list(permissions.consultations_for_employee(versions.trainee))
    assert consultations.count(versions.consultation_b) == 1
