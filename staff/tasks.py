from celery import shared_task

from . import services


@shared_task(time_limit=30, soft_time_limit=20, acks_late=True)
def heartbeat(name="heartbeat"):
    """Record that the worker ran a beat-scheduled task (idempotent)."""
    services.record_heartbeat(name=name)
