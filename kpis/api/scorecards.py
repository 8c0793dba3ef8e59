"""Scorecard API (read): monthly scorecards scoped by kpis.permissions.visible_scorecards (a trainee her own, a
supervisor her team's, HR everyone's); ``?month=YYYY-MM`` picks a month."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from staff.api.filters import IdFilter

from .. import permissions
from ..models import Band, Scorecard
from ..selectors.scorecards import parse_month


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthField(serializers.DateField):
    """A month, written YYYY-MM."""


class ComponentSerializer(serializers.Serializer):
    kpi = serializers.CharField(help_text=gettext_lazy("The KPI's code."))
    value = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("The month's value (a fraction for percent KPIs); null: no data.")
    )
    normalised = serializers.FloatField(allow_null=True, help_text=gettext_lazy("0–100 between worst and best."))
    weight = serializers.IntegerField(help_text=gettext_lazy("The weight in the site's set."))
    effective_weight = serializers.FloatField(
        help_text=gettext_lazy("The weight carried this month: KPIs without data pass theirs to the others.")
    )


class ScorecardSerializer(serializers.ModelSerializer):
    employee_number = serializers.CharField(source="employee.employee_number", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    month = MonthField(format="%Y-%m", read_only=True)
    site = serializers.CharField(source="site.code", read_only=True)
    team = serializers.CharField(source="team.code", read_only=True)
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "employee",
            "employee_number",
            "name",
            "month",
            "site",
            "team",
            "composite",
            "band",
            "pay_grade",
            "pay_coefficient",
            "components",
            "computed_at",
        ]
        read_only_fields = fields


class ScorecardFilter(filters.FilterSet):
    month = filters.CharFilter(method="filter_month", help_text=gettext_lazy("A month as YYYY-MM."))
    team = IdFilter(field_name="team")
    site = IdFilter(field_name="site")
    employee = IdFilter(field_name="employee")
    band = filters.ChoiceFilter(choices=Band.choices)

    class Meta:
        model = Scorecard
        fields = ["month", "team", "site", "employee", "band"]

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        if month is None:
            raise serializers.ValidationError({"month": [_("Enter a month as YYYY-MM, e.g. 2026-11.")]})
        return queryset.filter(month=month)


EXAMPLE = {
    "id": 812,
    "employee": 1042,
    "employee_number": "E10042",
    "name": "王芳",
    "month": "2026-11",
    "site": "SH",
    "team": "SH-T03",
    "composite": "81.25",
    "band": "meets",
    "pay_grade": "G2",
    "pay_coefficient": "1.00",
    "components": [
        {"kpi": "fcr", "value": 0.8125, "normalised": 78.13, "weight": 40, "effective_weight": 40.0},
        {"kpi": "csat", "value": 0.9312, "normalised": 86.24, "weight": 40, "effective_weight": 40.0},
        {"kpi": "aht", "value": 312.5, "normalised": 75.0, "weight": 20, "effective_weight": 20.0},
    ],
    "computed_at": "2026-12-01T02:30:04+08:00",
}


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("Monthly scorecards"),
        description=gettext_lazy(
            "Each agent's month: every weighted KPI normalised to 0–100 by her site's weight set, the composite, "
            "its band and the pay coefficient for that band and her pay grade. Scoped: a trainee sees her own, a "
            "supervisor her team's, HR everyone's. An open month's scorecards are recomputed nightly; a closed "
            "month's are frozen for payroll."
        ),
        examples=[OpenApiExample("November 2026", value=EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One monthly scorecard"),
        examples=[OpenApiExample("November 2026", value=EXAMPLE, response_only=True)],
    ),
)
class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    search_fields = ["employee__name", "employee__employee_number"]
    ordering_fields = ["month", "composite"]

    def get_queryset(self):
        return (
            permissions.visible_scorecards(self.request.user)
            .select_related("employee", "site", "team")
            .order_by("-month", "employee__employee_number")
        )
