"""HR's view of tasks (issue 14 §3): created, assigned, answered, understood, started, delegated and closed on the
pages and the API through improvement.services.tasks, so here they are only looked at; the history is append-only.
Lists stay quick at 10,000 people: rows join what they show, people are searched by employee number."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import Question, Stage, Task, TaskEvent


class StageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Stage
    fields = ["order", "title", "owner", "delegated_by", "due_on", "done_at", "escalation_level"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "delegated_by")


class QuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Question
    fields = ["text", "answer", "answered_at"]
    readonly_fields = fields
    extra = 0


class TaskEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TaskEvent
    fields = ["at", "kind", "stage", "actor", "to", "text", "key"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stage", "actor", "to")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A task, its stages, questions and history: written on the pages and the API only."""

    list_display = ["title", "owner", "assignee", "status", "understood_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["owner", "assignee"]
    search_fields = ["title", "=owner__employee_number", "=assignee__employee_number"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "title",
        "description",
        "initiative",
        "owner",
        "assignee",
        "status",
        "understood_at",
        "started_at",
        "done_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [StageInline, QuestionInline, TaskEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "assignee", "initiative", "created_by")


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "task", "kind", "stage", "actor", "to", "key"]
    list_filter = ["kind"]
    list_select_related = ["task", "stage", "actor", "to"]
    search_fields = ["=task__assignee__employee_number", "=task__owner__employee_number"]
    date_hierarchy = "at"
    show_full_result_count = False
