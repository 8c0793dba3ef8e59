"""HR's view of cases (issue 13 §1–2): the categories with their targets, the escalation levels and each site's
staffing floor are HR's settings; cases and everything written about them (history, hand-offs, follow-ups,
coordination reports) are written on the pages and the API through linkage.services.cases, so here they are only
looked at — a closed case never changes, and the history is append-only.

Lists stay quick at 10,000 people: rows join what they show, people are searched by employee number (or a case
by its reference), never listed in a filter.
"""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import (
    Case,
    CaseCategory,
    CaseEvent,
    CoordinationReport,
    EscalationLevel,
    FollowUp,
    Handoff,
    SiteStaffing,
)

# HR's settings ---------------------------------------------------------------------------------------------------


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_zh",
        "first_response_minutes",
        "resolution_hours",
        "remind_before_minutes",
        "is_complaint",
        "is_active",
        "order",
    ]
    list_filter = ["is_complaint", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]

    def has_delete_permission(self, request, obj=None):
        """A category in use keeps its cases (deactivate it instead)."""
        if obj is not None and Case.objects.filter(category=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(EscalationLevel)
class EscalationLevelAdmin(admin.ModelAdmin):
    list_display = ["number", "role", "after_minutes"]
    list_select_related = ["role"]


@admin.register(SiteStaffing)
class SiteStaffingAdmin(admin.ModelAdmin):
    list_display = ["site", "min_on_phones"]
    list_select_related = ["site"]
    search_fields = ["site__name", "site__code"]


# Written on the pages: read-only here ---------------------------------------------------------------------------


class CaseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseEvent
    fields = ["at", "kind", "actor", "text", "supersedes", "key"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class HandoffInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Handoff
    fields = ["handed_at", "to_role", "to_employee", "reason_code", "reason", "back_due_at", "returned_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_role", "to_employee")


class FollowUpInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FollowUp
    fields = ["due_at", "is_outbound_call", "note", "started_at", "done_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A case, its history, hand-offs and follow-ups: opened, handed off and closed on the pages only."""

    list_display = ["reference", "opened_at", "owner", "team", "category", "channel", "status", "outcome"]
    list_filter = ["status", "outcome", "channel", "category"]
    list_select_related = ["owner", "team", "category"]
    search_fields = ["=reference", "=owner__employee_number"]
    date_hierarchy = "opened_at"
    show_full_result_count = False
    fields = [
        "reference",
        "customer_ref",
        "channel",
        "category",
        "playbook",
        "summary",
        "owner",
        "team",
        "status",
        "outcome",
        "opened_at",
        "first_response_due_at",
        "first_response_at",
        "resolution_due_at",
        "closed_at",
        "reopen_count",
        "escalation_level",
        "created_by",
    ]
    readonly_fields = fields
    inlines = [CaseEventInline, HandoffInline, FollowUpInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "team", "category", "playbook", "created_by")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "case", "kind", "actor", "key"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor"]
    search_fields = ["=case__reference", "=case__owner__employee_number"]
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(Handoff)
class HandoffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["handed_at", "case", "to_role", "to_employee", "reason_code", "back_due_at", "returned_at"]
    list_filter = ["reason_code", "to_role"]
    list_select_related = ["case", "to_role", "to_employee"]
    search_fields = ["=case__reference", "=to_employee__employee_number", "=case__owner__employee_number"]
    date_hierarchy = "handed_at"
    show_full_result_count = False


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["due_at", "case", "is_outbound_call", "started_at", "done_at"]
    list_filter = ["is_outbound_call"]
    list_select_related = ["case"]
    search_fields = ["=case__reference", "=case__owner__employee_number"]
    date_hierarchy = "due_at"
    show_full_result_count = False


@admin.register(CoordinationReport)
class CoordinationReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "follow_up", "on_phones", "minimum", "reported_by"]
    list_select_related = ["follow_up", "reported_by"]
    search_fields = ["=follow_up__case__reference", "=follow_up__case__owner__employee_number"]
    date_hierarchy = "at"
    show_full_result_count = False
