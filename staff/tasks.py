from celery import shared_task

from . import imports, services


@shared_task(time_limit=30, soft_time_limit=20, acks_late=True)
def heartbeat(name="heartbeat"):
    """Record that the worker ran a beat-scheduled task (idempotent)."""
    services.record_heartbeat(name=name)


@shared_task(time_limit=120, soft_time_limit=100)
def remove_expired_uploads():
    """Delete the uploads of import previews never confirmed (idempotent); return how many."""
    return imports.remove_expired_uploads()
