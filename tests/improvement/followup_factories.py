"""Follow-up test data (issue 14 §4): risk flags and coaching sessions for any agent."""

import datetime

from django.utils import timezone

from improvement.models import RiskFlag


def flag(employee, kind="tasks_overdue", key="tasks", *, detail="2", raised_on=None, cleared_on=None):
    return RiskFlag.objects.create(
        employee=employee,
        kind=kind,
        key=key,
        detail=detail,
        raised_on=raised_on or timezone.localdate(),
        cleared_on=cleared_on,
    )


def session(employee, coach, phase="during", *, days_ago=0, **fields):
    from training.models import CoachingSession

    return CoachingSession.objects.create(
        employee=employee,
        coach=coach,
        phase=phase,
        scheduled_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def matrix_followup(world):
    """For tests/test_authorization_matrix.py: an open flag on the trainee and an in-flight correction of hers by
    her supervisor; made once per world."""
    if getattr(world, "risk_flag", None) is None:
        world.risk_flag = flag(world.trainee)
        world.correction = session(
            world.trainee, world.supervisor.user, follow_up_on=timezone.localdate() + datetime.timedelta(days=3)
        )
    return world
