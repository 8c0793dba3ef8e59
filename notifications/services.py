"""Writes for notifications: queue (inbox + e-mail outbox), mark read, deliver e-mail."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from config import bulk
from config.celery import publish_quickly

from .models import Notification

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


@dataclass(frozen=True)
class Message:
    """A notification to write. ``title`` and ``body`` are callables taking no argument, called
    with the recipient's language active, so each person reads it in their own language."""

    recipient: object
    kind: str
    key: str
    title: object
    body: object = ""
    url: str = ""


def language_of(user):
    employee = getattr(user, "employee", None)
    return getattr(employee, "language", "") or settings.LANGUAGE_CODE


def _render(text):
    return str(text() if callable(text) else text)


def queue(messages):
    """Write messages to the inbox/outbox; a key already written is skipped. Returns how many were new.

    Runs inside the caller's transaction; e-mail goes out after commit (or later, by the sweep, if
    the broker is down). Messages are rendered one language at a time (switching languages costs)."""
    by_language = defaultdict(list)
    for message in messages:
        by_language[language_of(message.recipient)].append(message)
    rows = []
    for language, group in by_language.items():
        with translation.override(language):
            rows += [Row(m.recipient.pk, m.kind, m.key, _render(m.title), _render(m.body), m.url) for m in group]
    return queue_rows(rows)


class Row(NamedTuple):
    """A notification already rendered in its reader's language (for writers that render in bulk)."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def queue_rows(rows):
    """Insert rendered rows in one go (config.bulk), skipping keys already written (the key is unique:
    a rerun writes nothing twice); e-mail is kicked after commit. Returns how many were new."""
    now = timezone.now()
    fresh = bulk.insert_rows(
        Notification,
        ("recipient_id", "kind", "key", "title", "body", "url", "created_at", "email_attempts"),
        [(r.recipient_id, r.kind, r.key[:200], r.title[:200], r.body, r.url, now, 0) for r in rows],
        ignore_conflicts=True,
    )
    if fresh:
        transaction.on_commit(kick_delivery)
    return fresh


def kick_delivery():
    """Ask the worker to deliver e-mail now, waiting on the broker at most config.celery.PUBLISH_WAIT_SECONDS.
    If the broker is down or hung the rows wait in the outbox for the periodic delivery sweep, so a
    supervisor's save never fails, nor waits, because of Redis."""
    from .tasks import deliver_emails

    try:
        publish_quickly(deliver_emails)
    except Exception:  # kombu raises several kinds of errors for an unreachable broker
        log.warning("Broker unreachable; e-mail stays in the outbox for the next sweep.", exc_info=True)


def mark_read(*, user, notification_ids=None):
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def deliver_emails(*, chunk_size=200):
    """Send pending e-mail, claiming rows so two workers never send the same one; returns the count."""
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
                .select_related("recipient")
                .order_by("pk")[:chunk_size]
            )
            if not batch:
                return sent
            for notification in batch:
                notification.email_attempts += 1
                address = notification.recipient.email
                if address:
                    try:
                        send_mail(notification.title, notification.body, None, [address])
                    except OSError:
                        log.warning("Could not e-mail notification %s", notification.pk, exc_info=True)
                        continue
                notification.emailed_at = timezone.now()
                sent += 1 if address else 0
            Notification.objects.bulk_update(batch, ["emailed_at", "email_attempts"])
