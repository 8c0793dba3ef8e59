"""The API of initiatives (issue 14 §2, §5): the initiatives the caller may see (improvement.permissions:
HR all, the owner hers, people whose team or site is in scope), and the read-only ``effects`` action returning the
computed Check: per goal and guardrail KPI, before vs after, pilot vs control, month by month. Values are strings
with 4 decimal places (a ratio of sums); null when a window has no data."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.filters import IdFilter

from .. import effects, permissions
from ..models import ActDecision, Initiative, InitiativeKpi, InitiativeStatus


class InitiativeKpiSerializer(serializers.ModelSerializer):
    kpi = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = InitiativeKpi
        fields = ["id", "kpi", "role", "baseline", "target", "threshold"]
        read_only_fields = fields


class InitiativeSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kpis = InitiativeKpiSerializer(many=True, read_only=True)
    decision = serializers.ChoiceField(
        choices=ActDecision.choices, allow_blank=True, read_only=True, help_text=_("Blank until the Act decision.")
    )

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "goal",
            "method",
            "owner",
            "owner_name",
            "status",
            "scope_sites",
            "scope_teams",
            "pilot_teams",
            "baseline_from",
            "baseline_to",
            "pilot_start",
            "rollout_start",
            "after_to",
            "decision",
            "decision_note",
            "decided_at",
            "kpis",
        ]
        read_only_fields = fields


class FourPlaces(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=4, allow_null=True, read_only=True, **kwargs)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    value = FourPlaces()


class PilotMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    pilot = FourPlaces()
    control = FourPlaces()


class KpiEffectSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.code")
    role = serializers.CharField()
    direction = serializers.CharField(source="kpi.direction")
    before = FourPlaces()
    after = FourPlaces()
    after_minus_before = FourPlaces(source="before_after.difference")
    after_vs_before_percent = FourPlaces(source="before_after.relative")
    pilot = FourPlaces()
    control = FourPlaces()
    pilot_minus_control = FourPlaces(source="pilot_control.difference")
    pilot_vs_control_percent = FourPlaces(source="pilot_control.relative")
    threshold = FourPlaces()
    monthly = serializers.SerializerMethodField()
    pilot_monthly = serializers.SerializerMethodField()

    @extend_schema_field(MonthSerializer(many=True))
    def get_monthly(self, effect):
        return MonthSerializer([{"month": m, "value": v} for m, v in effect.monthly], many=True).data

    @extend_schema_field(PilotMonthSerializer(many=True))
    def get_pilot_monthly(self, effect):
        rows = [{"month": m, "pilot": p, "control": c} for m, p, c in effect.pilot_monthly]
        return PilotMonthSerializer(rows, many=True).data


class CheckSerializer(serializers.Serializer):
    initiative = serializers.IntegerField(source="initiative_id")
    goals = KpiEffectSerializer(many=True)
    guardrails = KpiEffectSerializer(many=True)


class InitiativeFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=InitiativeStatus.choices)
    owner = IdFilter(field_name="owner")

    class Meta:
        model = Initiative
        fields = ["status", "owner"]


class InitiativeViewSet(viewsets.ReadOnlyModelViewSet):
    """Initiatives the caller may see; their Check with ``effects``."""

    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    ordering_fields = ["rollout_start", "status"]

    def get_queryset(self):
        return (
            permissions.visible_initiatives(self.request.user)
            .select_related("owner")
            .prefetch_related("kpis__kpi", "scope_sites", "scope_teams", "pilot_teams")
            .order_by("-rollout_start", "-pk")
        )

    @extend_schema(responses=CheckSerializer)
    @action(detail=True, methods=["get"])
    def effects(self, request, pk=None):
        """The Check computed from the KPI data (never typed in), to 4 decimal places."""
        initiative = self.get_object()
        check = effects.check_of(initiative, today=timezone.localdate())
        check.initiative_id = initiative.pk
        return Response(CheckSerializer(check).data)
