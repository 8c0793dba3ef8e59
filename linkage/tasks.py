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
