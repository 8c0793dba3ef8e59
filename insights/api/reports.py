"""The reporting system's API (issue 16 §4, §5): reports in the caller's scope, read-only; a report's figures are
the same lines as its page, PDF and XLSX, each value to 4 decimal places with its numerator and denominator."""

from django import forms
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from staff.api.filters import IdFilter

from .. import permissions
from ..models import Report, ReportKind, ReportStatus
from ..selectors import reports as selectors


class LineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    unit = serializers.CharField()
    numerator = serializers.CharField(allow_blank=True)
    denominator = serializers.CharField(allow_blank=True)
    shown = serializers.CharField(help_text="The value as the page shows it.")


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    lines = LineSerializer(many=True)


class EffectSerializer(serializers.Serializer):
    initiative = serializers.IntegerField()
    title = serializers.CharField()
    kpi = serializers.CharField()
    before = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    after = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    pilot = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    control = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True, default=None)

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "team",
            "team_name",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    commentary = serializers.CharField(read_only=True)
    review_note = serializers.CharField(read_only=True)
    sections = serializers.SerializerMethodField()
    initiatives = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "commentary", "review_note", "sections", "initiatives"]
        read_only_fields = fields

    def _figures(self, report):
        if not hasattr(report, "_figures"):
            report._figures = selectors.figures_of(report, now=timezone.now())
        return report._figures

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, report):
        return SectionSerializer(selectors.sections(self._figures(report)), many=True).data

    @extend_schema_field(EffectSerializer(many=True))
    def get_initiatives(self, report):
        rows = [
            {
                "initiative": row.initiative_id,
                "title": row.title,
                "kpi": row.kpi,
                **{
                    part: value
                    for part, (value, _text) in zip(("before", "after", "pilot", "control"), row.cells, strict=True)
                },
            }
            for row in selectors.effect_rows(self._figures(report))
        ]
        return EffectSerializer(rows, many=True).data


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.Filter):
    field_class = forms.IntegerField


class ReportFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ReportKind.choices)
    status = filters.ChoiceFilter(choices=ReportStatus.choices)
    team = IdFilter(field_name="team")
    year = YearFilter(field_name="period_start__year", min_value=2000, max_value=2100)

    class Meta:
        model = Report
        fields = ["kind", "status", "team", "year"]


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Reports: every report for HR and the floor managers, her teams' weekly reports for a supervisor; newest
    period first. A report's detail carries its figures (live while it is open, as submitted after)."""

    filterset_class = ReportFilter
    queryset = Report.objects.none()  # for the schema; the rows come from insights.permissions

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied

    def get_queryset(self):
        return (
            permissions.visible_reports(self.request.user)
            .select_related("team")
            .order_by("-period_start", "kind", "team__name", "pk")
        )

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer
