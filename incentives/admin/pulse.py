"""HR's pulse surveys (issue 15 §5, §7): surveys with their questions (each tagged with its factor), the schedule of
waves and the alert thresholds. Waves are opened by the beat and alerts raised after a wave closes
(incentives.services.pulse): HR looks at them, never types them. Who answered and the answer counts are not in the
admin at all: watching the two side by side while people answer is the one way to tie a person to a score."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import pgettext_lazy

from staff.admin import ReadOnlyAdminMixin

from ..models import PulseAlert, Question, Survey, Wave


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "text", "factor"]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "is_active", "starts_on", "every_days", "open_days", "alert_below", "alert_drop"]
    list_filter = ["is_active", "site"]
    list_select_related = ["site"]
    search_fields = ["name"]
    fields = ["name", "intro", "site", "is_active", "starts_on", "every_days", "open_days", "alert_below", "alert_drop"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: its waves and results stay


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["survey", "number", "opens_on", "closes_on", "invited", "answered", "evaluated_at"]
    list_filter = ["survey"]
    list_select_related = ["survey"]
    fields = ["survey", "number", "opens_on", "closes_on", "invited", "evaluated_at"]
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_answered=Count("respondents"))

    @admin.display(description=pgettext_lazy("pulse survey", "answered"))
    def answered(self, obj):
        return obj.n_answered


@admin.register(PulseAlert)
class PulseAlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["wave", "group_key", "factor", "average", "previous", "is_below", "has_dropped", "owner"]
    list_filter = ["factor", "owner", "is_below", "has_dropped"]
    list_select_related = ["wave__survey"]
    fields = ["wave", "group_key", "team", "site", "factor", "average", "previous", "is_below", "has_dropped", "owner"]
    readonly_fields = fields
    show_full_result_count = False
