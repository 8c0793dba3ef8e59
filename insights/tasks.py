"""Celery tasks of insights: thin wrappers over idempotent services (STYLE §3)."""

from celery import shared_task


@shared_task(time_limit=300, soft_time_limit=270, acks_late=True)
def open_due_reports():
    """Daily (CELERY_BEAT_SCHEDULE): each team's report of last week and the centre's of last month, opened once
    (the unique constraints make a second firing open nothing)."""
    from .services.reports import open_due_reports as open_reports

    return open_reports()


@shared_task(time_limit=300, soft_time_limit=270, acks_late=True)
def remind_report_authors():
    """Daily (CELERY_BEAT_SCHEDULE): authors of open reports from two days before they are due, keyed per day."""
    from .services.reports import remind_authors

    return remind_authors()


@shared_task(time_limit=1800, soft_time_limit=1740, acks_late=True)
def refresh_aggregates():
    """Nightly (CELERY_BEAT_SCHEDULE): rewrite the KPI ramp's weeks that the day's ingests touched and the
    proficiency of everyone not yet proficient and the playbooks' effect sums; the mark rows are locked for the run
    and a rerun writes the same rows."""
    from .services.aggregates import refresh_playbooks, refresh_proficiency, refresh_ramp

    start = refresh_ramp()
    refresh_proficiency()
    refresh_playbooks()
    return None if start is None or start is False else start.isoformat()
