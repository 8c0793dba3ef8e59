"""What tasks tell people (issue 14 §3). Rows are rendered once per language and written in one insert by
notifications.services.queue_rows inside the write's transaction; each key names (kind, task or event, [stage,
level,] recipient), so a rerun, a retry or a second worker writes nothing twice."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import Row, queue_rows

ASSIGNED = "improvement_task_assigned"
ANSWERED = "improvement_task_answered"
UNDERSTOOD = "improvement_task_understood"
STAGE_DONE = "improvement_task_stage_done"
DELEGATED = "improvement_task_delegated"
RAISED = "improvement_task_raised"
REMINDER = "improvement_task_reminder"
ESCALATED = "improvement_task_escalated"


def person(employee):
    """[(user id, language)] of ``employee`` when she has an active account."""
    if employee is None or employee.user_id is None or not employee.user.is_active:
        return []
    return [(employee.user_id, employee.language)]


def _queue(task, recipients, kind, key, title, body=lambda: ""):
    """One row per distinct recipient, title and body rendered once per language."""
    texts, rows, seen, url = {}, [], set(), reverse("improvement:task", args=[task.pk])
    for user_id, language in recipients:
        if user_id in seen:
            continue
        seen.add(user_id)
        language = language or settings.LANGUAGE_CODE
        if language not in texts:
            with translation.override(language):
                texts[language] = (title(), body())
        rows.append(Row(user_id, kind, f"{key}:{user_id}", *texts[language], url))
    return queue_rows(rows)


def task_assigned(task):
    return _queue(
        task,
        person(task.assignee),
        ASSIGNED,
        f"{ASSIGNED}:{task.pk}",
        lambda: _("New task for you: %(title)s — answer its questions") % {"title": task.title},
    )


def questions_answered(task, event):
    return _queue(
        task,
        person(task.owner),
        ANSWERED,
        f"{ANSWERED}:{event.pk}",
        lambda: (
            _("%(name)s answered the questions of %(title)s: mark it understood")
            % {"name": task.assignee.name, "title": task.title}
        ),
    )


def task_understood(task):
    return _queue(
        task,
        person(task.assignee),
        UNDERSTOOD,
        f"{UNDERSTOOD}:{task.pk}",
        lambda: _("Task %(title)s is understood: you may start") % {"title": task.title},
    )


def stage_done(stage, event):
    task = stage.task
    return _queue(
        task,
        person(task.owner),
        STAGE_DONE,
        f"{STAGE_DONE}:{event.pk}",
        lambda: _("Stage done: %(stage)s of %(title)s") % {"stage": stage.title, "title": task.title},
    )


def stage_delegated(stage, event):
    task = stage.task
    return _queue(
        task,
        person(stage.owner),
        DELEGATED,
        f"{DELEGATED}:{event.pk}",
        lambda: _("A stage is handed to you: %(stage)s of %(title)s") % {"stage": stage.title, "title": task.title},
    )


def raised(task, event, recipients):
    return _queue(
        task,
        recipients,
        RAISED,
        f"{RAISED}:{event.pk}",
        lambda: _("Raised past the lead on task %(title)s") % {"title": task.title},
        lambda: event.text,
    )


def stage_reminder(stage, recipients):
    task = stage.task
    return _queue(
        task,
        recipients,
        REMINDER,
        f"{REMINDER}:{stage.pk}",
        lambda: (
            _("Stage %(stage)s of %(title)s is due on %(day)s")
            % {"stage": stage.title, "title": task.title, "day": stage.due_on.isoformat()}
        ),
    )


def stage_escalated(stage, level, recipients):
    task = stage.task
    return _queue(
        task,
        recipients,
        ESCALATED,
        f"{ESCALATED}:{stage.pk}:{level}",
        lambda: (
            _("Escalation level %(n)s: stage %(stage)s of %(title)s (owner %(owner)s) is overdue")
            % {"n": level, "stage": stage.title, "title": task.title, "owner": stage.owner.name}
        ),
    )
