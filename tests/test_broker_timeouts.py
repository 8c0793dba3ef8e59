"""A save never waits on the broker more than 0.2 s (issue 10 §4): a gate check or an approval with a broker
that accepts the connection and never answers is saved as fast as with one that refuses it, and its e-mail
waits in the outbox for the periodic delivery sweep (config.celery.publish_quickly)."""

import logging
import socket
import threading
import time

import pytest
from django.utils import timezone

from notifications import services as notifications
from notifications.models import Notification
from tests.training.celery_stack import publishing_to
from tests.training.onboarding_factories import enrollment_of, make_program, meet_gate, open_batch, walk_to
from training import cycles, services
from training.models import GateCheck

MAX_EXTRA_SECONDS = 0.2
WATCHDOG_SECONDS = 10  # if the publish regresses to waiting forever, closing the listener ends the test


@pytest.fixture
def enrollment(world):
    world.trainee.user.email = "trainee@example.com"
    world.trainee.user.save(update_fields=["email"])
    tiny = make_program()
    start_on = timezone.localdate()
    batch = open_batch(tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=start_on)
    return walk_to(enrollment_of(batch, world.trainee), "cycle_1", actor=world.hr)


@pytest.fixture
def brokers():
    """Two fake Redis addresses on 127.0.0.1: ``hung`` accepts connections and never answers; ``refused``
    has nobody listening (the baseline: a publish there fails at once)."""
    with socket.socket() as hung, socket.socket() as free:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        free.bind(("127.0.0.1", 0))
        watchdog = threading.Timer(WATCHDOG_SECONDS, hung.close)
        watchdog.start()
        try:
            yield {name: f"redis://127.0.0.1:{s.getsockname()[1]}/0" for name, s in (("hung", hung), ("refused", free))}
        finally:
            watchdog.cancel()


def timed(capture, save):
    """Seconds for ``save`` and its on-commit callbacks (the e-mail kick), as in a request."""
    started = time.monotonic()
    with capture(execute=True):
        save()
    return time.monotonic() - started


def gate_check(world, enrollment):
    return lambda: services.record_gate_check(actor=world.supervisor.user, enrollment_id=enrollment.pk, score=90)


def approval(world, enrollment):
    return lambda: services.move_enrollment(
        actor=world.supervisor.user, enrollment_id=enrollment.pk, move=cycles.ADVANCE, from_state="cycle_1"
    )


def warm_up(broker_url):
    """The first publish of a process imports the transport (about 0.1 s, once); not a wait on the broker."""
    with publishing_to(broker_url):
        notifications.kick_delivery()


def test_a_gate_check_with_a_hung_broker_is_saved_without_waiting(
    world, enrollment, brokers, django_capture_on_commit_callbacks, caplog
):
    warm_up(brokers["refused"])
    with publishing_to(brokers["refused"]):
        baseline = timed(django_capture_on_commit_callbacks, gate_check(world, enrollment))
    with publishing_to(brokers["hung"]), caplog.at_level(logging.WARNING, logger="notifications.services"):
        elapsed = timed(django_capture_on_commit_callbacks, gate_check(world, enrollment))

    assert elapsed - baseline < MAX_EXTRA_SECONDS, f"{elapsed:.2f} s against {baseline:.2f} s without a broker"
    assert "Broker unreachable" in caplog.text  # published for real to the hung broker, and given up
    assert GateCheck.objects.filter(enrollment=enrollment).count() == 2


def test_an_approval_with_a_hung_broker_is_saved_and_its_email_goes_out_later(
    world, enrollment, brokers, django_capture_on_commit_callbacks, mailoutbox
):
    meet_gate(enrollment, actor=world.hr)
    mailoutbox.clear()
    warm_up(brokers["refused"])
    with publishing_to(brokers["hung"]):
        with django_capture_on_commit_callbacks() as after_commit:
            approval(world, enrollment)()
        started = time.monotonic()
        for callback in after_commit:
            callback()
        waited = time.monotonic() - started

    assert after_commit and waited < MAX_EXTRA_SECONDS, f"the kicks after commit waited {waited:.2f} s"
    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    told = Notification.objects.get(recipient=world.trainee.user, kind="enrollment_advance")
    assert told.emailed_at is None and mailoutbox == []

    assert notifications.deliver_emails() > 0  # the periodic outbox sweep (deliver-emails in beat)
    told.refresh_from_db()
    assert told.emailed_at is not None
    assert told.title in [m.subject for m in mailoutbox if m.to == ["trainee@example.com"]]
