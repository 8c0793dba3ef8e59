"""What the training app tells people, and when (DOMAIN §3: follow up before, during, after).

Builds notifications.Message rows; notifications.services writes them in each recipient's
language and delivers e-mail after commit. Every key names (kind, object, day, recipient), so a
retry, a rerun or a second worker writes nothing twice."""

import datetime
from functools import partial

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import Message, Row, queue, queue_rows

from . import cycles
from .models import Activity, CoachingSession, Enrollment


def _user(employee):
    return employee.user if employee is not None and employee.user_id and employee.user.is_active else None


def _to(recipients, kind, obj_key, day, title, body="", url=""):
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        yield Message(user, kind, f"{kind}:{obj_key}:{day.isoformat()}:{user.pk}", title, body, url)


def _state_label(state, cycle=0):
    """The state's name; an extension says which cycle it extends (the board card says the same)."""
    if state == cycles.EXTENDED and cycle:
        return _("Extended · cycle %(n)s") % {"n": cycle}
    return str(cycles.STATE_LABELS[state])


def _move_title(before, after):
    """The title of a move with the trainee's name and the new due date left as placeholders. A repeated
    extension (extended → extended) says so instead of naming the same state twice."""
    if before.state == after.state:
        return _("%(name)s: %(state)s again, now due %(date)s") % {
            "name": "%(name)s",
            "state": _state_label(after.state, after.cycle).replace("%", "%%"),
            "date": "%(date)s",
        }
    return _("%(name)s: %(old)s → %(new)s") % {
        "name": "%(name)s",
        "old": _state_label(before.state, before.cycle).replace("%", "%%"),
        "new": _state_label(after.state, after.cycle).replace("%", "%%"),
    }


def _onboarding_url(enrollment):
    return reverse("training:enrollment-detail", args=[enrollment.pk])


def moves_made(changes, *, actor, today):
    """Tell the trainee and mentor of each move (and the batch supervisor, when someone else made it),
    each in their own language: one query for the recipients, each title rendered once per language and
    pair of placements, one insert for the whole chunk (DOMAIN §3; the sweep moves thousands at once)."""
    by_id = {c.enrollment_id: c for c in changes}
    people = (
        Enrollment.objects.filter(pk__in=by_id)
        .order_by()
        .values_list(
            "pk",
            "trainee__name",
            *(f"{who}__{column}" for who in RECIPIENTS for column in ("user_id", "user__is_active", "language")),
        )
    )
    marker = 987654321
    url_head, url_tail = reverse("training:enrollment-detail", args=[marker]).split(str(marker))
    titles = {}
    rows = []
    day = today.isoformat()
    for pk, name, *columns in people:
        change = by_id[pk]
        old = change.before.state
        seen = set()
        for index, who in enumerate(RECIPIENTS):
            user_id, is_active, language = columns[3 * index : 3 * index + 3]
            if user_id is None or not is_active or user_id in seen:
                continue
            if who == SUPERVISOR and actor is not None and user_id == actor.pk:
                continue  # she made the move herself
            seen.add(user_id)
            language = language or settings.LANGUAGE_CODE
            key = (language, change.before, change.after)
            if key not in titles:
                with translation.override(language):
                    titles[key] = _move_title(change.before, change.after)
            due_on = change.fields.get("due_on")
            rows.append(
                Row(
                    user_id,
                    change.notification,
                    f"{change.notification}:{pk}:{old}:{day}:{user_id}",
                    titles[key] % {"name": name, "date": due_on.isoformat() if due_on else ""},
                    change.body,
                    f"{url_head}{pk}{url_tail}",
                )
            )
    return queue_rows(rows)


SUPERVISOR = "batch__supervisor"
RECIPIENTS = ("trainee", "trainee__mentor", SUPERVISOR)


def gate_checked(check):
    enrollment = Enrollment.objects.select_related(
        "trainee__user", "trainee__mentor__user", "batch__supervisor__user"
    ).get(pk=check.enrollment_id)
    trainee = enrollment.trainee
    queue(
        _to(
            [_user(trainee), _user(trainee.mentor), _user(enrollment.batch.supervisor)],
            "gate_checked",
            f"{check.pk}",
            check.taken_on,
            lambda: (
                (
                    _("%(name)s passed the gate check (%(score)d)")
                    if check.passed
                    else _("%(name)s did not pass the gate check (%(score)d)")
                )
                % {"name": trainee.name, "score": check.score}
            ),
            url=_onboarding_url(enrollment),
        )
    )


def mentor_assigned(enrollment, mentor):
    queue(
        _to(
            [_user(enrollment.trainee), _user(mentor)],
            "mentor_assigned",
            f"{enrollment.pk}:{mentor.pk}",
            timezone.localdate(),
            lambda: (
                _("%(mentor)s is now the mentor of %(trainee)s")
                % {"mentor": mentor.name, "trainee": enrollment.trainee.name}
            ),
            url=_onboarding_url(enrollment),
        )
    )


def _owner_user(activity):
    enrollment = activity.enrollment
    owner = activity.template.owner
    if owner == "mentor":
        return _user(enrollment.trainee.mentor)
    if owner == "supervisor":
        return _user(enrollment.batch.supervisor)
    return _user(enrollment.trainee)


def send_reminders(*, today=None):
    """All reminders due today, level-triggered; returns how many were new."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    related = (
        "template",
        "enrollment__trainee__user",
        "enrollment__trainee__mentor__user",
        "enrollment__batch__supervisor__user",
    )
    messages = []
    open_activities = Activity.objects.filter(done_at__isnull=True, enrollment__state__in=cycles.ACTIVE).select_related(
        *related
    )
    for activity in open_activities.filter(due_on=tomorrow).iterator(chunk_size=1000):
        messages += _to(
            [_owner_user(activity)],
            "activity_due",
            activity.pk,
            activity.due_on,
            _activity_text(activity, gettext_lazy("Due tomorrow: %(activity)s")),
            url=_onboarding_url(activity.enrollment),
        )
    for activity in open_activities.filter(due_on__lt=today).iterator(chunk_size=1000):
        messages += _to(
            [_owner_user(activity), _user(activity.enrollment.batch.supervisor)],
            "activity_overdue",
            activity.pk,
            activity.due_on,
            _activity_text(activity, gettext_lazy("Overdue: %(activity)s")),
            url=_onboarding_url(activity.enrollment),
        )
    sessions = CoachingSession.objects.filter(
        scheduled_at__date=tomorrow, enrollment__state__in=cycles.ACTIVE
    ).select_related("coach__employee", "enrollment__trainee__user")
    for session in sessions:
        # Each side is told whom she meets: the trainee her coach, the coach the trainee.
        for reader, other in (
            (_user(session.enrollment.trainee), _coach_name(session.coach)),
            (session.coach, session.enrollment.trainee.name),
        ):
            messages += _to(
                [reader],
                "coaching_tomorrow",
                session.pk,
                tomorrow,
                partial(_coaching_title, other),
                url=_onboarding_url(session.enrollment),
            )
    # Cycles that end in two days and need a pass-the-gate check (one filter(): the same cycle row).
    gates = Enrollment.objects.filter(
        state__in=cycles.ACTIVE,
        due_on=today + datetime.timedelta(days=2),
        batch__program__cycles__number=F("cycle"),
        batch__program__cycles__check_required=True,
    ).select_related("trainee__user", "trainee__mentor__user", "batch__supervisor__user")
    for enrollment in gates:
        messages += _to(
            [_user(enrollment.trainee), _user(enrollment.trainee.mentor), _user(enrollment.batch.supervisor)],
            "gate_coming",
            f"{enrollment.pk}:{enrollment.cycle}",
            enrollment.due_on,
            lambda e=enrollment: (
                _("Gate check of cycle %(cycle)d for %(name)s is due on %(date)s")
                % {"cycle": e.cycle, "name": e.trainee.name, "date": e.due_on.isoformat()}
            ),
            url=_onboarding_url(enrollment),
        )
    if today.weekday() == 0:
        messages += _weekly_digests(today)
    return queue(messages)


def _coach_name(user):
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def _coaching_title(name):
    return _("Coaching session tomorrow with %(name)s") % {"name": name}


def _activity_text(activity, template):
    """``template`` is lazy: it is translated when the message is written, in the reader's language."""
    return lambda: str(template) % {"activity": f"{activity.enrollment.trainee.name} · {activity.template.title}"}


def _weekly_digests(today):
    """Every Monday: each supervisor and mentor gets their trainees' week at a glance."""
    enrollments = list(
        Enrollment.objects.filter(state__in=cycles.OPEN).select_related(
            "trainee__user", "trainee__mentor__user", "batch__supervisor__user"
        )
    )
    overdue = set(
        Activity.objects.filter(done_at__isnull=True, due_on__lt=today, enrollment__in=enrollments).values_list(
            "enrollment_id", flat=True
        )
    )
    by_reader = {}
    supervisors = set()
    for enrollment in enrollments:
        supervisor = _user(enrollment.batch.supervisor)
        supervisors.add(supervisor)
        # A set: a supervisor who also mentors the trainee lists her once.
        for reader in {supervisor, _user(enrollment.trainee.mentor)} - {None}:
            by_reader.setdefault(reader, []).append(enrollment)
    # A batch's supervisor opens the batch board; a mentor only her own page of mentees.
    board, mentees = reverse("training:batch-board"), reverse("staff:my-mentees")
    return [
        message
        for reader, items in by_reader.items()
        for message in _to(
            [reader],
            "weekly_digest",
            "week",
            today,
            partial(_digest_title, len(items)),
            partial(_digest_body, items, overdue),
            board if reader in supervisors else mentees,
        )
    ]


def _digest_title(count):
    return _("Your trainees this week: %(count)d") % {"count": count}


def _digest_body(enrollments, overdue):
    lines = []
    for e in enrollments:
        flags = [_("overdue activities")] if e.pk in overdue else []
        if e.is_gate_failed:
            flags.append(_("gate failed"))
        lines.append(
            f"- {e.trainee.name}: {_state_label(e.state, e.cycle)}" + (f" ({', '.join(flags)})" if flags else "")
        )
    return "\n".join(lines)


def people_changed(changes, *, actor):
    """staff's change listener: a trainee with an open enrollment who gets a new mentor is told, and so is
    the mentor, whichever path made the change (the onboarding page or the admin)."""
    from staff.models import Employee

    new_mentor = {c.employee_id: c.new for c in changes if c.field == "mentor" and c.new is not None}
    if not new_mentor:
        return
    mentors = Employee.objects.select_related("user").in_bulk(set(new_mentor.values()))
    enrollments = Enrollment.objects.filter(trainee_id__in=new_mentor, state__in=cycles.OPEN)
    for enrollment in enrollments.select_related("trainee__user"):
        mentor_assigned(enrollment, mentors[new_mentor[enrollment.trainee_id]])
