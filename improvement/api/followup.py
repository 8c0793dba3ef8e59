"""The API of risk flags (issue 14 §4), read-only: the flags of the people the caller may see (her own, her team's
for a lead, her mentees' for a mentor, all for HR). The daily check raises and clears them
(improvement.services.followup); a flag outside the caller's scope answers 404."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from staff.api.filters import IdFilter

from .. import permissions
from ..models import FlagKind, RiskFlag


class RiskFlagSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = RiskFlag
        fields = ["id", "employee", "kind", "key", "detail", "raised_on", "cleared_on", "is_open"]
        read_only_fields = fields


class RiskFlagFilter(filters.FilterSet):
    employee = IdFilter(field_name="employee")
    kind = filters.ChoiceFilter(choices=FlagKind.choices)
    open = filters.BooleanFilter(field_name="cleared_on", lookup_expr="isnull", label="open")

    class Meta:
        model = RiskFlag
        fields = ["employee", "kind", "open"]


class RiskFlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Risk flags: a KPI band that fell this week, a certification expired and not renewed, task stages overdue.
    ``open=true`` lists those not cleared yet."""

    serializer_class = RiskFlagSerializer
    filterset_class = RiskFlagFilter
    ordering_fields = ["raised_on"]

    def get_queryset(self):
        return permissions.visible_risk_flags(self.request.user).order_by("-raised_on", "pk")
