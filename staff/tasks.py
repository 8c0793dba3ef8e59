from celery import shared_task
from django.conf import settings

from . import import_jobs, imports, services


@shared_task(time_limit=30, soft_time_limit=20, acks_late=True)
def heartbeat(name="heartbeat"):
    """Record that the worker ran a beat-scheduled task (idempotent)."""
    services.record_heartbeat(name=name)


@shared_task(time_limit=120, soft_time_limit=100)
def remove_expired_uploads():
    """Delete the uploads of import previews never confirmed (idempotent); return how many."""
    return imports.remove_expired_uploads()


@shared_task(
    time_limit=settings.IMPORT_JOB_TIME_LIMIT_SECONDS, soft_time_limit=settings.IMPORT_JOB_TIME_LIMIT_SECONDS - 30
)
def run_import_job(job_id):
    """Check or import a big upload (staff.import_jobs.run); a second delivery finds the job claimed."""
    import_jobs.run(job_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_import_jobs():
    """Start the import jobs whose publish was lost; stop those whose worker died."""
    return import_jobs.sweep()
