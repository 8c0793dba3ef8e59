"""Tasks (seed 002 execution): an overall owner who stays accountable, stages each with a stage owner and a due
date; at assignment the owner asks questions, the assignee answers and the owner marks the task understood before
it starts (comprehension check); delegation keeps the delegator accountable (授权不授责); overdue stages remind
and escalate like cases; anyone on the task may escalate past her lead (越级反馈)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee

from .initiatives import Initiative


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("Assigned (to be understood)")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("initiative")
    )
    owner = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="owned_tasks", verbose_name=_("overall owner")
    )
    assignee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="assigned_tasks", verbose_name=_("assignee")
    )
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    understood_at = models.DateTimeField(_("understood at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A double click or a client retry of the same creation makes one task (STYLE §9: form token or header).
    idempotency_key = models.CharField(_("idempotency key"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_idx"),
            models.Index(fields=["owner", "status"], name="task_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="in_progress") | Q(understood_at__isnull=False),
                name="task_started_only_when_understood",
            ),
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"], condition=~Q(idempotency_key=""), name="task_idempotency_key_once"
            ),
        ]

    def __str__(self):
        return self.title


class Stage(models.Model):
    """A stage of a task with its own owner and due date. ``delegated_by`` is who handed the stage on: she stays
    accountable (reminders and escalations go to her too)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="stages", verbose_name=_("task"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=160)
    owner = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="task_stages", verbose_name=_("stage owner")
    )
    delegated_by = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegated by (still accountable)"),
    )
    due_on = models.DateField(_("due on"), db_index=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["task", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["task", "order"], name="stage_order_once")]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A comprehension question the owner asks at assignment; the assignee answers."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="questions", verbose_name=_("task"))
    text = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("comprehension question")
        verbose_name_plural = _("comprehension questions")
        ordering = ["task", "pk"]

    def __str__(self):
        return self.text


class TaskEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Questions answered")
    UNDERSTOOD = "understood", _("Marked understood")
    STARTED = "started", _("Started")
    STAGE_DONE = "stage_done", _("Stage done")
    DELEGATED = "delegated", _("Stage delegated")
    REMINDED = "reminded", _("Reminded before the due date")
    ESCALATED = "escalated", _("Escalated")
    RAISED = "raised", _("Raised past the lead")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskEvent(models.Model):
    """The task's append-only history; ``key`` makes the sweep's events happen once (e.g. "overdue:12:1")."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events", verbose_name=_("task"))
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=TaskEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    to = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to")
    )
    text = models.TextField(_("text"), blank=True)
    at = models.DateTimeField(_("at"))
    key = models.CharField(_("key"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["task", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "key"], condition=~Q(key=""), name="task_event_key_once"),
        ]

    def __str__(self):
        return f"{self.task_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
