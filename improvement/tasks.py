"""Celery tasks of improvement: thin wrappers over idempotent services (STYLE §3)."""

from celery import shared_task

# suggestions

# initiatives


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def check_guardrails():
    """Daily (CELERY_BEAT_SCHEDULE): each guardrail of an initiative in do or check against its threshold over the
    last seven days; one keyed breach (and one alert to the owner) per breach, cleared when back within."""
    from .services.initiatives import check_guardrails as check

    return check()


# tasks (stages)


@shared_task(time_limit=600, soft_time_limit=570, acks_late=True)
def sweep_stages():
    """Every 15 minutes (CELERY_BEAT_SCHEDULE): remind stage owners (and delegators) before a stage is late and
    escalate level by level after it; keyed events and a compare-and-set on the level, so a second run writes
    nothing."""
    from .services.task_sweep import sweep_stages as sweep

    return sweep()


# follow-up


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def raise_risk_flags():
    """Daily (CELERY_BEAT_SCHEDULE): raise, reopen and clear every agent's risk flags (a KPI band drop, an expired
    certification, overdue task stages); warn the agent and her lead once per raising; a rerun writes nothing."""
    from .services.followup import raise_risk_flags as raise_flags

    return raise_flags()
