"""Thin Celery tasks over idempotent writers (STYLE §3): beat may fire twice, Celery may deliver twice."""

from celery import shared_task

from . import notify


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def send_acknowledgement_reminders():
    """Daily (CELERY_BEAT_SCHEDULE): remind whoever has not acknowledged a version that applies to her; keyed
    per person, version and day, so a second run the same day writes nothing."""
    return notify.send_reminders()


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def sweep_refreshers():
    """Daily (CELERY_BEAT_SCHEDULE): remind tenured staff whose certification expires soon and set each a
    refresher drill; each certification is claimed once, so a second run writes nothing."""
    from .services.levels import sweep_refreshers as sweep

    return sweep()


@shared_task(time_limit=600, soft_time_limit=570, acks_late=True)
def sweep_cases():
    """Every five minutes (CELERY_BEAT_SCHEDULE): remind owners before a case breaches and escalate level by level
    after it; keyed events and a compare-and-set on the level, so a second run writes nothing."""
    from .services.case_sweep import sweep_cases as sweep

    return sweep()


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def check_guardrails():
    """Daily (CELERY_BEAT_SCHEDULE): tell HR of the teams and agents past this month's authority guardrails; keyed
    per team or agent and month, so a second run writes nothing."""
    return notify.guardrail_alerts()


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def feed_kpis(on=None):
    """Daily at 01:30 (CELERY_BEAT_SCHEDULE): yesterday's case and coupon measures into the KPI rows of the agents
    the platform sent none for; a rerun sends only what changed, so it writes nothing (linkage.services.kpi_feed)."""
    import datetime

    from django.utils import timezone

    from .services.kpi_feed import feed_day

    day = datetime.date.fromisoformat(on) if on else timezone.localdate() - datetime.timedelta(days=1)
    ingest = feed_day(on=day)
    return ingest.pk if ingest else None


@shared_task(time_limit=1800, soft_time_limit=1750, acks_late=True)
def qa_sample(week=None):
    """Monday 06:00 (CELERY_BEAT_SCHEDULE): the QA sample of last week (Monday to Sunday); a rerun adds nothing."""
    import datetime

    from django.utils import timezone

    from .services.qa import draw_weekly_sample

    if week:
        monday = datetime.date.fromisoformat(week)
    else:
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday() + 7)
    return draw_weekly_sample(week=monday)


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def qa_confirm():
    """Daily (CELERY_BEAT_SCHEDULE): findings left undisputed past their window are confirmed, once."""
    from .services.qa import confirm_expired_findings

    return confirm_expired_findings()
