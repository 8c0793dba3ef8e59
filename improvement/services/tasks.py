"""Writes of tasks (issue 14 §3, seed 002 execution): create and assign with stages and comprehension questions,
answer, mark understood, start, complete or delegate a stage, raise past the lead, finish, cancel.

Each verb locks the task, checks the rule (improvement.task_rules) and the actor (improvement.permissions), writes
a TaskEvent (actor, time) and queues keyed notifications in the same transaction. Delegation keeps the delegator
accountable (授权不授责): she stays on the stage as ``delegated_by``, sees the task and is reminded and escalated
along. The sweep of due stages lives in improvement.services.task_sweep."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people

from .. import permissions, task_rules
from ..models import Question, Stage, Task, TaskEvent, TaskEventKind, TaskStatus
from ..selectors import tasks as selectors
from . import task_notify as notify


def _locked(task_id):
    return Task.objects.select_for_update(of=("self",)).select_related("owner__user", "assignee__user").get(pk=task_id)


def _event(task, kind, actor, *, stage=None, to=None, text="", key=""):
    return TaskEvent.objects.create(
        task=task, stage=stage, kind=kind, actor=actor, to=to, text=text, at=timezone.now(), key=key
    )


def _move(task, target, actor, *, fields=(), text=""):
    """Move ``task`` to ``target`` along the transition table, audited."""
    if not task_rules.can_move(task.status, target):
        raise ValidationError(
            _("A task %(status)s cannot move to %(target)s.")
            % {"status": task.get_status_display(), "target": TaskStatus(target).label}
        )
    task.status = target
    task.save(update_fields=["status", *fields])


def _me(actor):
    me = people.employee_of(actor)
    if me is None:
        raise PermissionDenied(_("Only an employee may do this."))
    return me


@transaction.atomic
def create_task(
    *, actor, title, assignee, stages, questions=(), description="", initiative=None, assign=True, idempotency_key=""
):
    """A task owned by the acting supervisor (or HR, or an initiative owner): ``stages`` are dicts with title, owner
    and due_on; ``questions`` the comprehension questions the assignee answers. Assigned at once unless
    ``assign`` is False (a draft). A second call with the same ``idempotency_key`` returns the first task."""
    if not permissions.can_create_task(actor):
        raise PermissionDenied(_("Only supervisors, HR and initiative owners assign tasks."))
    owner = _me(actor)
    if idempotency_key:
        done = Task.objects.filter(owner=owner, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    allowed = permissions.task_assignable(actor)
    if not (title or "").strip():
        raise ValidationError(_("Give the task a title."))
    if not stages:
        raise ValidationError(_("A task needs at least one stage."))
    people_ids = {assignee.pk, *(stage["owner"].pk for stage in stages)}
    if len(people_ids - set(allowed.filter(pk__in=people_ids).values_list("pk", flat=True)) - {owner.pk}):
        raise ValidationError(_("Give the task and its stages only to active people you lead."))
    task = Task.objects.create(
        title=title.strip(),
        description=description or "",
        initiative=initiative,
        owner=owner,
        assignee=assignee,
        created_by=actor,
        idempotency_key=idempotency_key or "",
    )
    Stage.objects.bulk_create(
        Stage(task=task, order=n, title=stage["title"].strip(), owner=stage["owner"], due_on=stage["due_on"])
        for n, stage in enumerate(stages, start=1)
    )
    Question.objects.bulk_create(Question(task=task, text=text.strip()) for text in questions if text.strip())
    _event(task, TaskEventKind.CREATED, actor)
    if assign:
        assign_task(actor=actor, task_id=task.pk)
        task.refresh_from_db()
    return task


@transaction.atomic
def assign_task(*, actor, task_id):
    """Hand a draft to its assignee (who is told to answer the questions)."""
    task = _locked(task_id)
    if not permissions.is_task_owner(actor, task):
        raise PermissionDenied(_("Only the task's owner assigns it."))
    if task.status == TaskStatus.ASSIGNED:
        return task
    _move(task, TaskStatus.ASSIGNED, actor)
    _event(task, TaskEventKind.ASSIGNED, actor, to=task.assignee)
    notify.task_assigned(task)
    return task


@transaction.atomic
def answer_questions(*, actor, task_id, answers):
    """The assignee answers the comprehension questions (``answers``: {question id: text}); she may change them
    until the owner marks the task understood."""
    task = _locked(task_id)
    if not permissions.is_task_assignee(actor, task):
        raise PermissionDenied(_("Only the assignee answers the questions."))
    if task.status != TaskStatus.ASSIGNED or task.understood_at is not None:
        raise ValidationError(_("The questions are answered only while the task waits to be understood."))
    now = timezone.now()
    questions = {q.pk: q for q in task.questions.all()}
    changed = []
    for pk, text in answers.items():
        question = questions.get(int(pk))
        if question is None:
            raise ValidationError(_("That question is not on this task."))
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("Write an answer to every question."))
        if text != question.answer:
            question.answer, question.answered_at = text, now
            changed.append(question)
    Question.objects.bulk_update(changed, ["answer", "answered_at"])
    if changed and all(q.answered_at for q in questions.values()):
        event = _event(task, TaskEventKind.ANSWERED, actor)
        notify.questions_answered(task, event)
    return task


@transaction.atomic
def mark_understood(*, actor, task_id):
    """The owner confirms the assignee understood the task (every question answered): it may start."""
    task = _locked(task_id)
    if not permissions.is_task_owner(actor, task):
        raise PermissionDenied(_("Only the task's owner marks it understood."))
    if task.understood_at is not None:
        return task
    questions = list(task.questions.all())
    problems = task_rules.understood_problems(
        status=task.status, questions=len(questions), answered=sum(1 for q in questions if q.answered_at)
    )
    if problems:
        raise ValidationError(problems)
    task.understood_at = timezone.now()
    task.save(update_fields=["understood_at"])
    _event(task, TaskEventKind.UNDERSTOOD, actor)
    notify.task_understood(task)
    return task


@transaction.atomic
def start_task(*, actor, task_id):
    """The assignee starts the task, only once it is understood (a check constraint backs this up)."""
    task = _locked(task_id)
    if not permissions.is_task_assignee(actor, task):
        raise PermissionDenied(_("Only the assignee starts the task."))
    if task.status == TaskStatus.IN_PROGRESS:
        return task
    problems = selectors.start_problems(task)
    if problems:
        raise ValidationError(problems)
    task.started_at = timezone.now()
    _move(task, TaskStatus.IN_PROGRESS, actor, fields=["started_at"])
    _event(task, TaskEventKind.STARTED, actor)
    return task


def _locked_stage(stage_id):
    stage = Stage.objects.select_related("task").get(pk=stage_id)
    task = _locked(stage.task_id)
    stage = Stage.objects.select_for_update(of=("self",)).select_related("owner__user", "delegated_by").get(pk=stage_id)
    stage.task = task
    return stage


@transaction.atomic
def complete_stage(*, actor, stage_id):
    """The stage owner (or who delegated it) marks it done; a done stage stops reminding and escalating."""
    stage = _locked_stage(stage_id)
    if not permissions.can_work_stage(actor, stage):
        raise PermissionDenied(_("Only the stage owner or who delegated it completes the stage."))
    if stage.done_at is not None:
        return stage
    if stage.task.status != TaskStatus.IN_PROGRESS:
        raise ValidationError(_("Stages are completed once the task has started."))
    stage.done_at = timezone.now()
    stage.save(update_fields=["done_at"])
    event = _event(stage.task, TaskEventKind.STAGE_DONE, actor, stage=stage)
    notify.stage_done(stage, event)
    return stage


@transaction.atomic
def delegate_stage(*, actor, stage_id, to, text=""):
    """Hand a stage to ``to``; the delegator stays accountable as ``delegated_by`` (授权不授责). The delegator
    handing it back to herself takes it back."""
    stage = _locked_stage(stage_id)
    if not permissions.can_delegate_stage(actor, stage):
        raise PermissionDenied(_("Only the accountable stage owner delegates the stage."))
    if stage.task.status not in task_rules.OPEN or stage.done_at is not None:
        raise ValidationError(_("Only an open stage is delegated."))
    me = _me(actor)
    if to.pk == stage.owner_id:
        raise ValidationError(_("The stage is already theirs."))
    if to.pk != me.pk and not permissions.delegation_targets(actor).filter(pk=to.pk).exists():
        raise ValidationError(_("Delegate only to an active colleague of your team or a person you lead."))
    stage.delegated_by = None if to.pk == me.pk else me
    stage.owner = to
    stage.save(update_fields=["owner", "delegated_by"])
    event = _event(stage.task, TaskEventKind.DELEGATED, actor, stage=stage, to=to, text=(text or "").strip())
    if to.pk != me.pk:
        notify.stage_delegated(stage, event)
    return stage


@transaction.atomic
def raise_past_lead(*, actor, task_id, text):
    """Anyone on the task raises an issue past her lead to the lead's lead (seed 002: 越级反馈); without one in
    the hierarchy the floor managers, without those HR are told."""
    task = _locked(task_id)
    if not permissions.is_on_task(actor, task):
        raise PermissionDenied(_("Only people on the task raise an issue about it."))
    if not (text or "").strip():
        raise ValidationError(_("Say what you raise past your lead."))
    me = _me(actor)
    above = [person for person in selectors.above_lead(me) if person.pk != me.pk]
    event = _event(task, TaskEventKind.RAISED, actor, to=above[0] if above else None, text=text.strip())
    recipients = [row for person in above for row in notify.person(person)] or selectors.hr_recipients()
    notify.raised(task, event, [row for row in recipients if row[0] != actor.pk])
    return event


@transaction.atomic
def finish_task(*, actor, task_id):
    """The owner closes the task once every stage is done."""
    task = _locked(task_id)
    if not permissions.is_task_owner(actor, task):
        raise PermissionDenied(_("Only the task's owner closes it."))
    if task.status == TaskStatus.DONE:
        return task
    stages = list(task.stages.all())
    problems = task_rules.done_problems(
        status=task.status, stages=len(stages), stages_done=sum(1 for s in stages if s.done_at)
    )
    if problems:
        raise ValidationError(problems)
    task.done_at = timezone.now()
    _move(task, TaskStatus.DONE, actor, fields=["done_at"])
    _event(task, TaskEventKind.DONE, actor)
    return task


@transaction.atomic
def cancel_task(*, actor, task_id, text=""):
    """The owner (or HR) cancels an open task; its stages stop reminding and escalating."""
    task = _locked(task_id)
    if not permissions.can_cancel_task(actor, task):
        raise PermissionDenied(_("Only the task's owner cancels it."))
    if task.status == TaskStatus.CANCELLED:
        return task
    _move(task, TaskStatus.CANCELLED, actor)
    _event(task, TaskEventKind.CANCELLED, actor, text=(text or "").strip())
    return task
