"""HR's back office for measures and ingestion (issue 11 §1–4): measures (a built-in one keeps its code, source
and kind: it is a column of the daily rows), KPIs over two measures of one source, queues, targets, and — read
only, since only kpis.services.ingestion writes them — ingests and the agents' and queues' daily rows."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from staff.admin import ReadOnlyAdminMixin

from ..models import AgentDay, Direction, Ingest, Kpi, Measure, Queue, QueueDay, Target

# Measures and KPIs -------------------------------------------------------------------------------------------


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_en", "name_zh", "source", "is_builtin", "is_decimal", "order"]
    list_filter = ["source", "is_builtin"]
    search_fields = ["code", "name_en", "name_zh"]
    ordering = ["source", "order", "code"]

    def get_readonly_fields(self, request, obj=None):
        """A built-in measure is a column of AgentDay or QueueDay: its code, source and kind stay."""
        if obj is not None and obj.is_builtin:
            return ["code", "source", "is_decimal", "is_builtin"]
        return ["is_builtin"]

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_builtin) and super().has_delete_permission(request, obj)


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = [
            "code",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "numerator",
            "denominator",
            "factor",
            "unit",
            "direction",
            "kind",
            "order",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        numerator, denominator = cleaned.get("numerator"), cleaned.get("denominator")
        if numerator and denominator and numerator.source != denominator.source:
            raise ValidationError(
                _("The numerator and the denominator must be measures of the same source (both agent or both queue)."),
                code="mixed_sources",
            )
        return cleaned


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    """value = factor × Σnumerator / Σdenominator; semi-quantitative KPIs are allowed but carry no weight."""

    form = KpiForm
    list_display = ["code", "name_en", "name_zh", "numerator", "denominator", "factor", "unit", "direction", "kind"]
    list_filter = ["kind", "unit", "direction", "is_active"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["numerator", "denominator"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "site"]
    list_filter = ["site"]
    search_fields = ["code", "name"]
    list_select_related = ["site"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["kpi", "position", "stage", "valid_from", "excellent_at", "target", "far_below_at"]

    def clean(self):
        """The limits in the KPI's direction: excellent at least as good as the target, the target at least as
        good as the far-below limit."""
        cleaned = super().clean()
        kpi, excellent, target, far_below = (cleaned.get(k) for k in ("kpi", "excellent_at", "target", "far_below_at"))
        if None in (kpi, excellent, target, far_below):
            return cleaned
        limits = (excellent, target, far_below) if kpi.direction == Direction.HIGHER else (far_below, target, excellent)
        if not limits[0] >= limits[1] >= limits[2]:
            raise ValidationError(
                _(
                    "For this KPI (%(direction)s) “excellent from” must be at least as good as the target, and the "
                    "target at least as good as “far below beyond”."
                )
                % {"direction": kpi.get_direction_display()},
                code="band_order",
            )
        return cleaned


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = TargetForm
    list_display = ["kpi", "position", "stage", "valid_from", "excellent_at", "target", "far_below_at"]
    list_filter = ["kpi", "stage", "position"]
    list_select_related = ["kpi", "position"]
    date_hierarchy = "valid_from"


# Ingestion (read only) ----------------------------------------------------------------------------------------


@admin.register(Ingest)
class IngestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: kpis.services.ingestion records every ingest; HR uploads files on the KPI upload page."""

    list_display = [
        "pk",
        "created_at",
        "source",
        "channel",
        "actor",
        "status",
        "first_on",
        "last_on",
        "rows_total",
        "rows_inserted",
        "rows_replaced",
        "rows_unchanged",
        "page",
    ]
    list_filter = ["source", "channel", "status"]
    search_fields = ["file_name", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    show_full_result_count = False

    @admin.display(description=_("page"))
    def page(self, ingest):
        return format_html('<a href="{}">{}</a>', reverse("kpis:ingest-detail", args=[ingest.pk]), _("Open page"))


class _DayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the daily rows change only through kpis.services.ingestion (the highest revision wins)."""

    date_hierarchy = "on"
    show_full_result_count = False  # millions of rows: no second count per page


@admin.register(AgentDay)
class AgentDayAdmin(_DayAdmin):
    list_display = [
        "employee",
        "on",
        "team",
        "site",
        "revision",
        "from_platform",
        "inbound_handled",
        "fcr_resolved",
        "csat_satisfied",
    ]
    list_filter = ["from_platform", "site", "team"]
    search_fields = ["=employee__employee_number"]
    list_select_related = ["employee", "team", "site"]


@admin.register(QueueDay)
class QueueDayAdmin(_DayAdmin):
    list_display = ["queue", "on", "site", "revision", "offered", "answered", "abandoned"]
    list_filter = ["site"]
    search_fields = ["=queue__code"]
    list_select_related = ["queue", "site"]
