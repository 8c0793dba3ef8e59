"""HR's back office for KASH: the framework, source weights, position targets, and the
assessment trail (read-only here: assessments are written through the pages and the API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from staff.admin import ReadOnlyAdminMixin, SpreadsheetAdmin

from ..models import Assessment, Indicator, PositionTarget, RubricLevel, Score, SourceWeight
from ..resources import PositionTargetResource


class RubricLevelInline(admin.TabularInline):
    model = RubricLevel
    extra = 0
    max_num = 5


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "dimension", "name_en", "name_zh", "weight", "order", "is_active"]
    list_filter = ["dimension", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [RubricLevelInline]


@admin.register(SourceWeight)
class SourceWeightAdmin(SimpleHistoryAdmin):
    list_display = ["source", "weight"]
    list_editable = ["weight"]


@admin.register(PositionTarget)
class PositionTargetAdmin(SpreadsheetAdmin, SimpleHistoryAdmin):
    resource_classes = [PositionTargetResource]
    list_display = ["position", "indicator", "stage", "level"]
    list_filter = ["position", "indicator__dimension", "stage"]
    list_select_related = ["position", "indicator"]
    search_fields = ["position__title", "position__code", "indicator__code", "indicator__name_zh"]
    autocomplete_fields = ["position", "indicator"]


class ScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Score
    fields = ["indicator", "level", "evidence"]
    readonly_fields = fields
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail of every score. Nobody edits an assessment here: a correction is a new assessment."""

    list_display = ["subject", "source", "assessed_on", "assessor", "status", "supersedes", "submitted_at"]
    list_filter = ["source", "status", "assessed_on", "subject__team"]
    list_select_related = ["subject", "assessor", "supersedes__subject"]
    search_fields = ["subject__name", "subject__employee_number", "context"]
    date_hierarchy = "assessed_on"
    inlines = [ScoreInline]
