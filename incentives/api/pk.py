"""The API of PK competitions (issue 15 §4, §7), read-only: competitions and their standings, for the floor's
displays and other tools. Scoped through incentives.permissions like the pages."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from staff.api.filters import IdFilter

from .. import permissions
from ..models import PkCompetition, PkKind, Standing
from ..pk_rules import Status


class CompetitionSerializer(serializers.ModelSerializer):
    lower_is_better = serializers.BooleanField(read_only=True)
    kpi_code = serializers.CharField(source="kpi.code", read_only=True, allow_null=True, default=None)
    # Plain text: "open"/"closed" is a choice set several models share under other labels (one enum name each).
    status = serializers.CharField(read_only=True, help_text=_("open or closed"))

    class Meta:
        model = PkCompetition
        fields = [
            "id",
            "name",
            "kind",
            "starts_on",
            "ends_on",
            "metric",
            "kpi",
            "kpi_code",
            "lower_is_better",
            "normalisation",
            "minimum_volume",
            "pool_unit",
            "pool",
            "cap_per_person",
            "status",
            "refreshed_at",
            "closed_at",
        ]
        read_only_fields = fields


class CompetitionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Status.choices)
    kind = filters.ChoiceFilter(choices=PkKind.choices)

    class Meta:
        model = PkCompetition
        fields = ["status", "kind"]


class CompetitionViewSet(viewsets.ReadOnlyModelViewSet):
    """PK competitions, newest first (every competition is on the floor's boards)."""

    serializer_class = CompetitionSerializer
    filterset_class = CompetitionFilter
    ordering_fields = ["starts_on", "ends_on"]
    queryset = PkCompetition.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return permissions.visible_competitions(self.request.user).select_related("kpi").order_by("-starts_on", "-pk")


class StandingSerializer(serializers.ModelSerializer):
    participant_name = serializers.CharField(source="participant.name", read_only=True)
    team = serializers.IntegerField(source="participant.team_id", read_only=True, allow_null=True)
    site = serializers.IntegerField(source="participant.site_id", read_only=True, allow_null=True)

    class Meta:
        model = Standing
        fields = [
            "id",
            "competition",
            "participant",
            "participant_name",
            "team",
            "site",
            "rank",
            "value",
            "volume",
            "not_ranked",
            "position",
            "refreshed_at",
        ]
        read_only_fields = fields


class StandingFilter(filters.FilterSet):
    competition = IdFilter(field_name="competition")

    class Meta:
        model = Standing
        fields = ["competition"]


class StandingViewSet(viewsets.ReadOnlyModelViewSet):
    """Standings in board order (rank, then the not ranked with their reason); filter by competition."""

    serializer_class = StandingSerializer
    filterset_class = StandingFilter
    ordering_fields = ["position", "rank"]
    queryset = Standing.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return (
            Standing.objects.filter(competition__in=permissions.visible_competitions(self.request.user))
            .select_related("participant__team", "participant__site")
            .order_by("competition", "position", "pk")
        )
