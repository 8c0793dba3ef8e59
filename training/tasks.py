"""Thin Celery tasks over idempotent services (STYLE §3): beat may fire twice, Celery may deliver twice."""

from celery import shared_task

from . import notify, services


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def sweep_enrollments():
    """Daily: advance every enrollment whose cycle has ended and whose gate is met; extend the rest."""
    return services.sweep_due_enrollments()


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def send_reminders():
    """Daily: due tomorrow, overdue, coaching tomorrow, gate check coming; Mondays the weekly digest."""
    return notify.send_reminders()
