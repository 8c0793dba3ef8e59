"""Reads of the cycle-4 mood check-in (issue 15 §9), scoped by training.permissions: the trainee's own week, an
enrollment's history, and which trainees' mood is falling (training.mood_rules) — set-based, one query for a
whole board or "Today", none when no enrollment on it is in cycle 4."""

from ..models import MoodCheckIn
from ..mood_rules import ASKED_CYCLE, is_asked, trend, week_of
from ..permissions import visible_mood_checkins


def this_week(enrollment, *, today):
    """The trainee's answer of ``today``'s week, or None."""
    return MoodCheckIn.objects.filter(enrollment=enrollment, week=week_of(today)).first()


def history(user, enrollment):
    """The enrollment's check-ins, oldest first, as ``user`` may see them. Only an enrollment that reached cycle 4
    has any (its cycle stays 4 once completed or withdrawn there), so others cost no query."""
    if enrollment.cycle != ASKED_CYCLE:
        return []
    return list(visible_mood_checkins(user).filter(enrollment=enrollment).order_by("week"))


def falling(enrollments):
    """{enrollment id: mood_rules.Trend} of the ``enrollments`` (already scoped by the caller) in cycle 4 whose mood
    is falling: one query for all of them, none when none is in cycle 4."""
    asked = [e.pk for e in enrollments if is_asked(e.state, e.cycle)]
    if not asked:
        return {}
    moods = {}
    rows = MoodCheckIn.objects.filter(enrollment_id__in=asked).order_by("enrollment_id", "week")
    for enrollment_id, mood in rows.values_list("enrollment_id", "mood"):
        moods.setdefault(enrollment_id, []).append(mood)
    trends = {pk: trend(values) for pk, values in moods.items()}
    return {pk: found for pk, found in trends.items() if found.is_falling}
