"""Pages of tasks (issue 14 §3, §5): my tasks, the team's tasks, a new task with its stages and comprehension
questions, one task (stages, Q&A, Start disabled with the reason until understood) and its POST-only actions.
Parse → check access through improvement.permissions → services / selectors → redirect or render; a task outside
the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff import permissions as people
from staff.api.filters import MAX_ID
from staff.models import Employee

from .. import permissions
from ..forms.tasks import AnswersForm, DelegateForm, RaiseForm, TaskForm, TeamTaskFilterForm, question_formset
from ..forms.tasks import stage_formset as make_stage_formset
from ..models import Stage, Task
from ..selectors import tasks as selectors
from ..services import tasks as services


def _task_or_404(user, pk):
    if pk > MAX_ID:
        raise Http404
    try:
        return selectors.task_detail(user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _done(request, task_pk, action, success=""):
    """Run ``action()``; refusals and invalid input become messages on the task page."""
    try:
        action()
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)
    return redirect("improvement:task", pk=task_pk)


@login_required
def my_tasks(request):
    page = Paginator(selectors.my_tasks(request.user), selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "can_create": permissions.can_create_task(request.user),
        "can_team": permissions.can_view_team_tasks(request.user),
    }
    return render(request, "improvement/tasks/mine.html", context)


def _filter_people(user):
    """The people offered in the team filter: a supervisor's own; for HR the assignees of open tasks."""
    if people.is_hr(user):
        open_tasks = Task.objects.filter(status__in=selectors.OPEN_STATUSES).values("assignee_id")
        return Employee.objects.filter(pk__in=open_tasks).order_by("name", "pk")
    return permissions.task_assignable(user).order_by("name", "pk")


@login_required
def team_tasks(request):
    if not permissions.can_view_team_tasks(request.user):
        raise Http404
    form = TeamTaskFilterForm(request.GET or None, people=_filter_people(request.user))
    chosen = form.cleaned_data if form.is_valid() else {}
    listed = selectors.team_tasks(
        request.user,
        status=chosen.get("status", ""),
        overdue=chosen.get("overdue", False),
        person=chosen.get("person"),
    )
    page = Paginator(listed, selectors.PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "today": timezone.localdate(),
        "overdue_people": selectors.overdue_by_person(request.user),
    }
    return render(request, "improvement/tasks/team.html", context)


@login_required
def task_new(request):
    user = request.user
    if not permissions.can_create_task(user):
        raise Http404
    assignable = permissions.task_assignable(user).order_by("name", "pk")
    data = request.POST if request.method == "POST" else None
    form = TaskForm(data, people=assignable)
    stages = make_stage_formset(data, people=assignable)
    questions = question_formset(data)
    if data is not None and form.is_valid() and stages.is_valid() and questions.is_valid():
        try:
            task = services.create_task(
                actor=user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                assignee=form.cleaned_data["assignee"],
                stages=[row for row in stages.cleaned_data if row.get("title")],
                questions=[row["text"] for row in questions.cleaned_data if row.get("text")],
                idempotency_key=form.cleaned_data["token"],
            )
        except (ValidationError, PermissionDenied) as error:
            for message in getattr(error, "messages", [str(error)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Task assigned: the assignee answers its questions first."))
            return redirect("improvement:task", pk=task.pk)
    return render(request, "improvement/tasks/new.html", {"form": form, "stages": stages, "questions": questions})


@login_required
def task(request, pk):
    user = request.user
    found = _task_or_404(user, pk)
    stages = list(found.stages.all())
    questions = list(found.questions.all())
    is_owner = permissions.is_task_owner(user, found)
    is_assignee = permissions.is_task_assignee(user, found)
    can_answer = is_assignee and found.status == "assigned" and found.understood_at is None
    targets = permissions.delegation_targets(user).order_by("name", "pk")
    for stage in stages:
        stage.can_work = found.status == "in_progress" and not stage.done_at and permissions.can_work_stage(user, stage)
        stage.can_delegate = (
            found.status in selectors.OPEN_STATUSES
            and not stage.done_at
            and permissions.can_delegate_stage(user, stage)
        )
        stage.is_overdue = not stage.done_at and stage.due_on < timezone.localdate()
    context = {
        "task": found,
        "stages": stages,
        "questions": questions,
        "events": list(found.events.all()),
        "is_owner": is_owner,
        "is_assignee": is_assignee,
        "answers_form": AnswersForm(questions=questions) if can_answer and questions else None,
        "start_problems": selectors.start_problems(found) if is_assignee else [],
        "can_understand": is_owner and found.status == "assigned" and found.understood_at is None,
        "can_finish": is_owner and found.status == "in_progress",
        "can_cancel": found.status in selectors.OPEN_STATUSES and permissions.can_cancel_task(user, found),
        "can_raise": found.status in selectors.OPEN_STATUSES and permissions.is_on_task(user, found, stages),
        "delegate_form": DelegateForm(people=targets) if any(s.can_delegate for s in stages) else None,
        "raise_form": RaiseForm(),
    }
    return render(request, "improvement/tasks/detail.html", context)


def _scoped(user, pk):
    """The visible task for an action; 404 outside the scope."""
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(permissions.visible_tasks(user), pk=pk)


def _scoped_stage(user, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(Stage.objects.filter(task__in=permissions.visible_tasks(user)), pk=pk)


@login_required
@require_POST
def task_answer(request, pk):
    found = _scoped(request.user, pk)
    form = AnswersForm(request.POST, questions=list(found.questions.all()))
    if not form.is_valid():
        messages.error(request, _("Write an answer to every question."))
        return redirect("improvement:task", pk=found.pk)
    return _done(
        request,
        found.pk,
        lambda: services.answer_questions(actor=request.user, task_id=found.pk, answers=form.answers()),
        _("Answers saved: the owner confirms you understood."),
    )


@login_required
@require_POST
def task_understood(request, pk):
    found = _scoped(request.user, pk)
    return _done(request, found.pk, lambda: services.mark_understood(actor=request.user, task_id=found.pk))


@login_required
@require_POST
def task_start(request, pk):
    found = _scoped(request.user, pk)
    return _done(request, found.pk, lambda: services.start_task(actor=request.user, task_id=found.pk))


@login_required
@require_POST
def task_finish(request, pk):
    found = _scoped(request.user, pk)
    return _done(request, found.pk, lambda: services.finish_task(actor=request.user, task_id=found.pk))


@login_required
@require_POST
def task_cancel(request, pk):
    found = _scoped(request.user, pk)
    text = request.POST.get("text", "")
    return _done(request, found.pk, lambda: services.cancel_task(actor=request.user, task_id=found.pk, text=text))


@login_required
@require_POST
def task_raise(request, pk):
    found = _scoped(request.user, pk)
    form = RaiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you raise past your lead."))
        return redirect("improvement:task", pk=found.pk)
    text = form.cleaned_data["text"]
    return _done(
        request,
        found.pk,
        lambda: services.raise_past_lead(actor=request.user, task_id=found.pk, text=text),
        _("Raised past your lead."),
    )


@login_required
@require_POST
def stage_complete(request, pk):
    stage = _scoped_stage(request.user, pk)
    return _done(request, stage.task_id, lambda: services.complete_stage(actor=request.user, stage_id=stage.pk))


@login_required
@require_POST
def stage_delegate(request, pk):
    stage = _scoped_stage(request.user, pk)
    form = DelegateForm(request.POST, people=permissions.delegation_targets(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose whom to delegate the stage to."))
        return redirect("improvement:task", pk=stage.task_id)
    data = form.cleaned_data
    return _done(
        request,
        stage.task_id,
        lambda: services.delegate_stage(actor=request.user, stage_id=stage.pk, to=data["to"], text=data["text"]),
        _("Stage delegated: you stay accountable for it."),
    )
