"""HR's view of QA spot checks (issue 13 §4): the sampling settings are one row HR keeps (each grade's base rate is
on the grade); samples, reviews and findings are written by the weekly sample and on the QA pages through
linkage.services.qa, so here they are only looked at.
"""

from django.contrib import admin

from staff.admin import ReadOnlyAdminMixin

from ..models import Finding, QAReview, QASample, QASettings


@admin.register(QASettings)
class QASettingsAdmin(admin.ModelAdmin):
    """One row (pk 1): added once, never deleted; until it is saved the defaults apply."""

    list_display = ["__str__", "finding_rate", "new_holder_rate", "dispute_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not QASettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1  # the single row (qa_settings_single_row)
        super().save_model(request, obj, form, change)


@admin.register(QASample)
class QASampleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["week", "agent", "issuance", "case", "reason", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["agent", "issuance__case", "case"]
    search_fields = ["=agent__employee_number", "=case__reference", "=issuance__case__reference"]
    date_hierarchy = "week"
    show_full_result_count = False


@admin.register(QAReview)
class QAReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reviewed_at", "sample", "reviewer", "result", "kind", "severity"]
    list_filter = ["result", "kind", "severity"]
    list_select_related = ["sample", "reviewer"]
    search_fields = ["=sample__agent__employee_number", "=sample__case__reference"]
    date_hierarchy = "reviewed_at"
    show_full_result_count = False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "agent", "status", "dispute_until", "decided_at", "lowered_to"]
    list_filter = ["status"]
    list_select_related = ["agent", "lowered_to__employee", "lowered_to__grade"]
    search_fields = ["=agent__employee_number"]
    date_hierarchy = "dispute_until"
    show_full_result_count = False
