"""The KPI ramp's API (issue 16 §1, §5): the same figures as the page, read-only and scoped as the page; every
value with its numerator and denominator, to 4 decimal places."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from improvement.effects import quantised

from .. import permissions
from ..selectors import ramp as selectors
from .cohorts import CohortQuerySerializer
from .schema import OneObject


class RampQuerySerializer(CohortQuerySerializer):
    group = None


class SideSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class RampCellSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    new_hires = SideSerializer()
    tenured = SideSerializer()
    gap = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class RampWeekSerializer(serializers.Serializer):
    tenure_week = serializers.IntegerField(help_text="0 is the week a person started.")
    kpis = RampCellSerializer(many=True)


class RampSerializer(serializers.Serializer):
    refreshed_at = serializers.DateTimeField(allow_null=True)
    weeks = RampWeekSerializer(many=True)


def _side(side):
    return {"numerator": side.numerator, "denominator": side.denominator, "value": quantised(side.value)}


class RampViewSet(viewsets.ViewSet):
    """GET only: new hires' FCR, AHT and CSAT by tenure week against the tenured baseline of the same teams and
    weeks (from the nightly aggregate; ``refreshed_at`` says when)."""

    schema = OneObject()

    @extend_schema(summary="KPI ramp by tenure week", parameters=[RampQuerySerializer], responses=RampSerializer)
    def list(self, request):
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied
        query = RampQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        in_scope = permissions.insight_teams(request.user)
        if data.get("team") and not in_scope.filter(pk=data["team"]).exists():
            raise NotFound
        if data.get("site") and not in_scope.filter(department__site=data["site"]).exists():
            raise NotFound
        found = selectors.ramp(request.user, **data)
        weeks = [
            {
                "tenure_week": week,
                "kpis": [
                    {
                        "kpi": cell.kpi.code,
                        "new_hires": _side(cell.new),
                        "tenured": _side(cell.baseline),
                        "gap": quantised(cell.gap),
                    }
                    for cell in cells
                ],
            }
            for week, cells in found.weeks
        ]
        return Response(RampSerializer({"refreshed_at": found.refreshed_at, "weeks": weeks}).data)
