"""The demo's weekly mood check-ins (issue 15 §9): every trainee the demo has in cycle 4 answered "How was your
week?" each week since she entered the cycle, through training.services.mood; one of them, the first by
enrollment, is on the low tide (DOMAIN §3, cycle 4), so the batch board and the supervisor's "Today" flag her.

A trainee who already has check-ins is skipped, so a second run, or a run on a later day, adds nothing."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import mood_rules, services
from ..models import Enrollment, MoodCheckIn

ANSWER_WEEKDAY = 4  # Friday: the week is nearly over
# The last answers of each trainee, oldest first (the tail as long as her weeks in cycle 4 is used): the falling
# one falls however many weeks she has (two answers: a drop; three or more: a streak), the others hold steady.
FALLING = (4, 4, 4, 3, 1)
STEADY = ((4, 4, 3, 4, 4), (3, 4, 4, 3, 4), (4, 5, 4, 4, 5))
FALLING_NOTES = {3: "投诉电话多了，下班后有点累。", 1: "这周很低落，连着两个客户投诉，想和带教老师聊聊。"}
STEADY_NOTE = "这周还不错，带教老师帮我复盘了两通电话。"


def _weeks(enrollment, today):
    week, last = mood_rules.week_of(enrollment.cycle_started_on), mood_rules.week_of(today)
    weeks = []
    while week <= last:
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    return weeks


def _note(index, mood, is_first_week):
    if index == 0:
        return FALLING_NOTES.get(mood, "")
    return STEADY_NOTE if mood >= 4 and is_first_week else ""


def seed_mood_demo(*, today, stdout=None):
    """Write the check-ins of the demo's trainees in cycle 4; returns the Counts-like dict {"mood_checkins": n}."""
    asked = (
        Enrollment.objects.filter(cycle=mood_rules.ASKED_CYCLE, state__in=mood_rules.ASKED_STATES)
        .exclude(mood_checkins__isnull=False)
        .filter(trainee__user__is_active=True)
        .select_related("trainee__user")
        .order_by("pk")
    )
    written = 0
    for index, enrollment in enumerate(asked):
        weeks = _weeks(enrollment, today)
        moods = (FALLING if index == 0 else STEADY[index % len(STEADY)])[-len(weeks) :]
        for week, mood in zip(weeks[-len(moods) :], moods, strict=True):
            day = min(week + datetime.timedelta(days=ANSWER_WEEKDAY), today)
            note = _note(index, mood, week == weeks[0])
            checkin = services.check_in(
                actor=enrollment.trainee.user, enrollment_id=enrollment.pk, mood=mood, note=note, today=day
            )
            # Answered that evening, never later than now (the service stamps the current time).
            answered_at = min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(18))), timezone.now())
            MoodCheckIn.objects.filter(pk=checkin.pk).update(created_at=answered_at, updated_at=answered_at)
            written += 1
    if written and stdout is not None:
        stdout.write(_("Mood demo: %(count)d weekly check-ins of trainees in cycle 4.") % {"count": written})
    return {"mood_checkins": written}
