"""Thin Celery tasks over idempotent services (STYLE §3): beat may fire twice, Celery may deliver twice."""

from celery import shared_task

from . import notify, services


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True, reject_on_worker_lost=True)
def sweep_enrollments(chunk_size=None):
    """Every few minutes (CELERY_BEAT_SCHEDULE): advance every enrollment whose cycle ended by today and whose
    gate is met; extend the rest. Level-triggered and idempotent, so a sweep whose worker is killed is
    redelivered (the pool process: at once; the whole worker: at Redis's visibility timeout) and the next
    scheduled run, minutes later, moves whatever it left due."""
    return services.sweep_due_enrollments(chunk_size=chunk_size)


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def send_reminders():
    """Daily: due tomorrow, overdue, coaching tomorrow, gate check coming; Mondays the weekly digest."""
    return notify.send_reminders()


@shared_task(time_limit=600, soft_time_limit=550, acks_late=True)
def ask_for_mood_checkins():
    """Mondays 09:00: each trainee in cycle 4 is asked "How was your week?" once (keyed by enrollment and week)."""
    return services.ask_for_checkins()
