from celery import shared_task

from . import services


@shared_task(time_limit=120, soft_time_limit=100, acks_late=True)
def deliver_emails():
    """Send whatever is pending in the outbox (idempotent: rows are claimed and marked sent)."""
    return services.deliver_emails()
