"""HR's view of risk flags (issue 14 §4): raised and cleared only by the daily check
(improvement.services.followup), so here they are only looked at. Quick at 10,000 people: rows join the person,
people are searched by employee number."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import RiskFlag


@admin.register(RiskFlag)
class RiskFlagAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "kind", "key", "detail", "raised_on", "cleared_on"]
    list_filter = ["kind", ("cleared_on", admin.EmptyFieldListFilter), "raised_on"]
    search_fields = ["=employee__employee_number"]
    list_select_related = ["employee"]
    date_hierarchy = "raised_on"
    raw_id_fields = ["employee"]
    show_full_result_count = False
