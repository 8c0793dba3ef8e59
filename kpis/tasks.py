"""Thin Celery tasks over idempotent services (STYLE §3): they take plain values, call one service, and own only
their time limits and retry policy."""

import datetime

from celery import shared_task
from django.conf import settings

from . import files
from .services import scorecards as scorecard_services


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True, reject_on_worker_lost=True)
def compute_scorecards(today=None):
    """Nightly (CELERY_BEAT_SCHEDULE): compute the open month's scorecards, and the previous month's while HR
    has not closed it. Idempotent (a rerun changes nothing), so a redelivery is harmless. ``today``: ISO date."""
    day = datetime.date.fromisoformat(today) if today else None
    results = scorecard_services.compute_open_months(today=day)
    return [
        {"month": r.month.isoformat(), "frozen": r.is_frozen, "created": r.created, "updated": r.updated}
        for r in results
    ]


@shared_task(
    time_limit=settings.IMPORT_JOB_TIME_LIMIT_SECONDS, soft_time_limit=settings.IMPORT_JOB_TIME_LIMIT_SECONDS - 30
)
def ingest_file(ingest_id):
    """Ingest a big uploaded file (kpis.files.run); a second delivery finds the Ingest claimed and does nothing."""
    files.run(ingest_id)


@shared_task(time_limit=60, soft_time_limit=50)
def sweep_file_ingests():
    """Start the file ingests whose publish was lost; fail those whose worker died."""
    return files.sweep()
