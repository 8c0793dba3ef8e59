"""Celery application (cookiecutter-django wiring). The beat schedule lives in settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A request never waits on the broker longer than this (issue 10 §4): a broker that is down or accepts and
# never answers makes the publish fail at once, and the work waits for its level-triggered sweep.
PUBLISH_WAIT_SECONDS = 0.1
QUICK_OPTIONS = {  # every socket wait bounded, and a refused connection not tried again
    "socket_timeout": PUBLISH_WAIT_SECONDS,
    "socket_connect_timeout": PUBLISH_WAIT_SECONDS,
    "max_retries": 0,
}


def publish_quickly(task, *args, **kwargs):
    """Send ``task`` from a request: one try, on a connection whose every wait is PUBLISH_WAIT_SECONDS, no
    publish retry. Raises the broker's error like ``.delay()``; callers enqueue only work a periodic sweep
    also does (the e-mail outbox), so a publish that fails delays the work and loses nothing."""
    if app.conf.task_always_eager:
        return task.apply_async(args, kwargs)
    quick = app.connection_for_write(connect_timeout=PUBLISH_WAIT_SECONDS, transport_options=QUICK_OPTIONS)
    with quick as connection:
        return task.apply_async(args, kwargs, connection=connection, retry=False)
