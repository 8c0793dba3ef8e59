"""Celery tasks of incentives: thin wrappers over idempotent services (STYLE §3)."""

from celery import shared_task  # noqa: F401

# honours


@shared_task(time_limit=600, soft_time_limit=550, acks_late=True)
def send_honour_reminders():
    """Daily (issue 15 §3): remind nominators while a programme's window is open and deciders once it closed with
    nominations undecided; keyed per programme, window and person, so a second run sends nothing."""
    from .services import honours

    return honours.send_reminders()


# pk


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def refresh_pk_standings():
    """Every 30 minutes (issue 15 §4): rank every running PK again from the data (set-based, fixed queries each)."""
    from .services import pk

    return pk.refresh_running()


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def close_due_pk_competitions():
    """Every 30 minutes (issue 15 §4): close each PK whose period has ended — once (a compare-and-set on its
    status), so beat firing twice or a redelivered task closes nothing a second time."""
    from .services import pk

    return pk.close_due()


# pulse


@shared_task(time_limit=900, soft_time_limit=850, acks_late=True)
def run_pulse_waves():
    """Daily (issue 15 §5): open each survey's next wave when due and invite the people it asks, remind those who
    have not answered the day before a wave closes, and raise the alerts of the waves that closed. Every side
    effect is keyed (wave number, wave × person, wave × group × factor), so a second run changes nothing."""
    from .services import pulse

    opened = pulse.open_due_waves()
    reminded = pulse.remind()
    alerts = pulse.evaluate_closed_waves()
    return {"opened": len(opened), "reminded": reminded, "alerts": alerts}


# rituals


@shared_task(time_limit=600, soft_time_limit=570, acks_late=True)
def post_ritual_cards():
    """Daily (CELERY_BEAT_SCHEDULE): welcome cards for newcomers, farewell cards for the week's leavers; the team is
    asked to sign once per card (a second run posts and sends nothing)."""
    from .services.rituals import post_cards

    return post_cards()
