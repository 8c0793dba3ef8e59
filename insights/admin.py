"""HR's view of the reports (issue 16 §4): opened by the nightly task and moved only by their authors and
reviewers (insights.services.reports), so here they are only looked at, with their trail."""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from .models import Report, ReportEvent


class ReportEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportEvent
    fields = ["at", "actor", "from_status", "to_status", "note"]
    extra = 0


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "team", "period_start", "status", "due_on", "author", "reviewer"]
    list_filter = ["kind", "status", "period_start"]
    search_fields = ["=team__code", "team__name"]
    list_select_related = ["team", "author", "reviewer"]
    date_hierarchy = "period_start"
    exclude = ["figures"]
    inlines = [ReportEventInline]
    show_full_result_count = False
