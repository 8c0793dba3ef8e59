"""HR's view of the points ledger (issue 15 §2): read-only. Entries are appended by incentives.services.ledger;
nobody changes or deletes one (a correction is a reversal entry)."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import PointsEntry


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "employee", "kind", "points", "source_ref", "actor"]
    list_filter = ["kind"]
    list_select_related = ["employee", "actor"]
    search_fields = ["=employee__employee_number", "source_ref"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ["employee", "kind", "points", "source_ref", "recognition", "reverses", "actor", "note", "created_at"]
    readonly_fields = fields
