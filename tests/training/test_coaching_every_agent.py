"""The coaching log is every employee's (issues 13 and 14): her lead, mentor or HR log a session for an agent who is
not in onboarding; an in-flight correction is marked done; an after-action review of the same kind of error within
90 days is a repeat; the agent sees and acknowledges her own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from training.models import CoachingSession
from training.permissions import visible_coaching
from training.services.onboarding import acknowledge_coaching, complete_correction, log_employee_coaching


def _log(actor, employee, **extra):
    values = {"phase": "after", "scheduled_at": timezone.now(), "notes": "Talked it through."} | extra
    return log_employee_coaching(actor=actor, employee_id=employee.pk, **values)


def test_her_lead_mentor_and_hr_coach_an_agent_not_in_onboarding(world):
    assert not world.trainee.enrollments.exists()
    for coach in (world.supervisor.user, world.mentor.user, world.hr):
        session = _log(coach, world.trainee)
        assert session.employee == world.trainee and session.enrollment is None
    for outsider in (world.other_supervisor.user, world.other_trainee.user, world.trainee.user):
        with pytest.raises(PermissionDenied):
            _log(outsider, world.trainee)
    assert CoachingSession.objects.count() == 3


def test_the_same_kind_of_error_within_90_days_is_a_repeat(world):
    now = timezone.now()
    first = _log(
        world.supervisor.user, world.trainee, error_kind="process", scheduled_at=now - datetime.timedelta(days=100)
    )
    other_kind = _log(
        world.supervisor.user, world.trainee, error_kind="system", scheduled_at=now - datetime.timedelta(days=30)
    )
    after_100_days = _log(
        world.supervisor.user, world.trainee, error_kind="process", scheduled_at=now - datetime.timedelta(days=5)
    )
    again = _log(world.supervisor.user, world.trainee, error_kind="process", scheduled_at=now)
    assert [first.is_repeat, other_kind.is_repeat, after_100_days.is_repeat, again.is_repeat] == [
        False,
        False,
        False,
        True,
    ]


def test_a_correction_is_marked_done_once_and_the_agent_acknowledges_her_own(world):
    target = timezone.localdate() + datetime.timedelta(days=7)
    session = _log(world.supervisor.user, world.trainee, phase="during", follow_up_on=target)
    with pytest.raises(PermissionDenied):
        complete_correction(actor=world.other_supervisor.user, session_id=session.pk)
    done = complete_correction(actor=world.supervisor.user, session_id=session.pk).corrected_at
    assert done is not None
    assert complete_correction(actor=world.hr, session_id=session.pk).corrected_at == done
    with pytest.raises(PermissionDenied):
        acknowledge_coaching(actor=world.supervisor.user, session_id=session.pk)
    assert acknowledge_coaching(actor=world.trainee.user, session_id=session.pk).acknowledged_at is not None


def test_who_sees_an_agents_coaching(world):
    session = _log(world.supervisor.user, world.trainee)
    for reader in (world.trainee.user, world.supervisor.user, world.mentor.user, world.hr):
        assert session in visible_coaching(reader)
    for outsider in (world.other_trainee.user, world.other_supervisor.user):
        assert session not in visible_coaching(outsider)


def test_a_retry_with_the_same_key_logs_once(world):
    first = _log(world.supervisor.user, world.trainee, idempotency_key="k-1")
    assert _log(world.supervisor.user, world.trainee, idempotency_key="k-1") == first
    assert CoachingSession.objects.count() == 1
