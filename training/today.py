"""Training's items on the supervisor's "Today" (staff.today, registered in TrainingConfig.ready()): gates due
or failed, overdue activities, coaching due (the supervisor's own 事前 / 事后 sessions included),
coaching sessions the trainee has not acknowledged, trainees at risk, cycle-4 trainees whose weekly mood is
falling (issue 15 §9) — each with the page or form that acts on it. Read through training.selectors.landings
and training.selectors.mood, scoped by training.permissions.led_enrollments."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff.today import Item, Urgency

from . import cycles, mood_rules
from .models import ActivityKind, ActivityOwner
from .selectors import landings
from .selectors import mood as mood_selectors

GATE_AHEAD_DAYS = landings.AT_RISK_DAYS  # a cycle ending this soon has its gate due


def supervisor_items(user, *, today, now):
    attention = landings.supervisor_attention(user, today=today, now=now)
    items = []
    listed_gate_activity = {a.enrollment_id for a in attention.activities if a.template.kind == ActivityKind.GATE}
    for card in attention.cards:
        item = _enrollment_item(card, today, has_gate_activity=card.enrollment.pk in listed_gate_activity)
        if item is not None:
            items.append(item)
    falling = mood_selectors.falling([card.enrollment for card in attention.cards])
    for card in attention.cards:
        if card.enrollment.pk in falling:
            items.append(_mood_item(card.enrollment, falling[card.enrollment.pk], today))
    items += [_activity_item(activity, today) for activity in attention.activities]
    items += [_coaching_item(session) for session in attention.coaching]
    for sessions in attention.unacknowledged.values():
        items.append(_unacknowledged_item(sessions))
    return items


def _detail(enrollment, anchor=""):
    url = reverse("training:enrollment-detail", args=[enrollment.pk])
    return f"{url}#{anchor}" if anchor else url


def _enrollment_item(card, today, *, has_gate_activity):
    """At most one item per trainee for her gate: failed, met, a check due, or at risk (in that order)."""
    enrollment = card.enrollment
    due = enrollment.due_on
    check = card.failed_check
    if check is not None and not enrollment.is_gate_failed:
        text = _("Scored %(score)s, below the pass mark %(mark)s: a retake, or extend the cycle.") % {
            "score": f"{check.check_score:g}",
            "mark": f"{check.pass_mark:g}",
        }
        return _gate_item(enrollment, "check-failed", _("Gate check failed"), text, _("Decide"))
    if enrollment.is_gate_failed:
        text = _("Extended until %(date)s with a remediation plan; decide the gate by then.") % {
            "date": due.isoformat()
        }
        return _gate_item(enrollment, "gate-failed", _("Gate failed"), text, _("Open"))
    if card.is_gate_met:
        text = _("%(cycle)s: every condition of the gate is met; approve it.") % {
            "cycle": cycles.STATE_LABELS[enrollment.state]
        }
        return _gate_item(enrollment, "gate-met", _("Gate met"), text, _("Approve"))
    if card.gate is None or (due - today).days > GATE_AHEAD_DAYS:
        return None
    progress = card.gate.progress
    if progress.check_required and progress.check_score is None and not has_gate_activity:
        text = _("The pass-the-gate check is due by %(date)s (pass mark %(mark)s).") % {
            "date": due.isoformat(),
            "mark": f"{progress.pass_mark:g}",
        }
        url = reverse("training:gate-check-new", args=[enrollment.pk])
        return _gate_item(enrollment, "check-due", _("Gate check due"), text, _("Run gate check"), url=url)
    reasons = " ".join(str(r) for r in card.gate.result.reasons)
    text = _("The gate is due on %(date)s and not met: %(reason)s") % {"date": due.isoformat(), "reason": reasons}
    return _gate_item(
        enrollment, "at-risk", _("At risk"), text, _("Open"), url=_detail(enrollment), urgency=Urgency.WATCH
    )


def _gate_item(enrollment, key, kind, text, action, *, url=None, urgency=Urgency.DECIDE):
    """The one item about a trainee's gate, dated by the end of her cycle; a decision by default, taken in the
    enrollment's actions."""
    return Item(
        urgency,
        kind,
        person=enrollment.trainee.name,
        text=text,
        url=url or _detail(enrollment, "actions"),
        action=action,
        due_on=enrollment.due_on,
        key=f"{key}:{enrollment.pk}",
    )


def _mood_item(enrollment, trend, today):
    """A cycle-4 trainee whose weekly mood is falling (training.mood_rules): the low tide the supervisor watches."""
    if trend.kind == mood_rules.STREAK_KIND:
        text = ngettext(
            "Mood falling for %(weeks)d week in a row: talk with the trainee this week.",
            "Mood falling for %(weeks)d weeks in a row: talk with the trainee this week.",
            trend.weeks,
        ) % {"weeks": trend.weeks}
    else:
        text = _("Mood %(mood)d of 5 this week, against %(average)s on average before: talk with the trainee.") % {
            "mood": trend.last,
            "average": f"{trend.earlier_average:.1f}",
        }
    return Item(
        Urgency.WATCH,
        _("Mood falling"),
        person=enrollment.trainee.name,
        text=text,
        url=_detail(enrollment, "mood"),
        action=_("Open"),
        due_on=today,
        key=f"mood-falling:{enrollment.pk}",
    )


def _activity_item(activity, today):
    """An overdue activity (anyone's: the supervisor follows up), or the supervisor's own due soon."""
    template, enrollment = activity.template, activity.enrollment
    is_overdue = activity.due_on < today
    is_mine = template.owner == ActivityOwner.SUPERVISOR
    if is_mine and template.kind == ActivityKind.GATE:
        url, action = reverse("training:gate-check-new", args=[enrollment.pk]), _("Run gate check")
    elif is_mine and template.kind == ActivityKind.COACHING:
        url, action = reverse("training:coaching-new", args=[enrollment.pk]), _("Log coaching")
    else:
        url, action = _detail(enrollment, f"note-{activity.pk}"), _("Open") if is_mine else _("Follow up")
    not_overdue = Urgency.DECIDE if template.kind == ActivityKind.GATE else Urgency.DUE
    urgency = Urgency.OVERDUE if is_overdue else not_overdue
    return Item(
        urgency,
        template.get_kind_display(),
        person=enrollment.trainee.name,
        text=f"{template.title} · {template.get_owner_display()}",
        url=url,
        action=action,
        due_on=activity.due_on,
        key=f"activity:{activity.pk}",
    )


def _coaching_item(session):
    return Item(
        Urgency.DUE,
        _("Coaching session"),
        person=session.enrollment.trainee.name,
        text=_("%(phase)s, %(time)s")
        % {"phase": session.get_phase_display(), "time": _local(session.scheduled_at).strftime("%Y-%m-%d %H:%M")},
        url=_detail(session.enrollment, f"phase-{session.phase}"),
        action=_("Open"),
        due_on=_local(session.scheduled_at).date(),
        key=f"coaching:{session.pk}",
    )


def _unacknowledged_item(sessions):
    first = sessions[0]
    return Item(
        Urgency.FOLLOW_UP,
        _("Not acknowledged"),
        person=first.enrollment.trainee.name,
        text=ngettext(
            "A coaching session of %(date)s is not acknowledged by the trainee.",
            "%(count)d coaching sessions are not acknowledged by the trainee, the first of %(date)s.",
            len(sessions),
        )
        % {"count": len(sessions), "date": _local(first.scheduled_at).date().isoformat()},
        url=_detail(first.enrollment, f"phase-{first.phase}"),
        action=_("Follow up"),
        due_on=_local(first.scheduled_at).date(),
        key=f"unacknowledged:{first.enrollment_id}",
    )


def _local(moment):
    return timezone.localtime(moment)
