"""Writes of the cycle-4 mood check-in (issue 15 §9; DOMAIN §3, cycle 4: the low tide after the novelty)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue

from .. import mood_rules, permissions
from ..models import Enrollment, Mood, MoodCheckIn

ASKED_KIND = "mood_checkin_asked"
NOTE_MAX = MoodCheckIn._meta.get_field("note").max_length


@transaction.atomic
def check_in(*, actor, enrollment_id, mood, note="", today=None):
    """The trainee's answer for this week: written once, and changed when she answers again the same week (a
    double tap or a retry writes the same row). Returns the MoodCheckIn."""
    today = today or timezone.localdate()
    enrollment = Enrollment.objects.select_for_update(of=("self",)).get(pk=enrollment_id)
    if not permissions.can_check_in(actor, enrollment):
        raise PermissionDenied(_("The weekly check-in is for trainees in cycle 4, about their own week."))
    if mood not in Mood.values:
        raise ValidationError({"mood": _("Choose one of the five answers.")})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Keep the note under %(count)d characters.") % {"count": NOTE_MAX}})
    checkin, _created = MoodCheckIn.objects.update_or_create(
        enrollment=enrollment, week=mood_rules.week_of(today), defaults={"mood": mood, "note": note}
    )
    return checkin


def _ask_title():
    return _("How was your week? One question for your mentor and supervisor.")


def ask_for_checkins(*, today=None):
    """Every Monday (CELERY_BEAT_SCHEDULE): one notification to each trainee in cycle 4 who has not answered this
    week, keyed by enrollment and week, so a second run in the same week sends nothing. Returns how many were new."""
    today = today or timezone.localdate()
    week = mood_rules.week_of(today)
    answered = MoodCheckIn.objects.filter(enrollment=OuterRef("pk"), week=week)
    asked = (
        Enrollment.objects.filter(
            cycle=mood_rules.ASKED_CYCLE,
            state__in=mood_rules.ASKED_STATES,
            trainee__user__isnull=False,
            trainee__user__is_active=True,
        )
        .exclude(Exists(answered))
        .select_related("trainee__user")
        .order_by("pk")
    )
    url = reverse("training:my-mood")
    return queue(
        Message(
            enrollment.trainee.user,
            ASKED_KIND,
            f"{ASKED_KIND}:{enrollment.pk}:{week.isoformat()}",
            _ask_title,
            url=url,
        )
        for enrollment in asked.iterator(chunk_size=1000)
    )
