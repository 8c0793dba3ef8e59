"""The cohort API (issue 16 §5): the explorer's figures, read-only and scoped as the page (insights.permissions),
each rate with its numerator, denominator and value to 4 decimal places."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from staff.api.filters import MAX_ID

from .. import cohort_rules as rules
from .. import permissions
from ..selectors import cohorts as selectors
from .schema import OneObject, RateSerializer


class CohortQuerySerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=list(selectors.GROUPS), default=selectors.DEFAULT_GROUP)
    site = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    hired_from = serializers.DateField(required=False, input_formats=["%Y-%m"], help_text=_("YYYY-MM"))
    hired_to = serializers.DateField(required=False, input_formats=["%Y-%m"], help_text=_("YYYY-MM"))

    def validate(self, data):
        first, last = data.get("hired_from"), data.get("hired_to")
        if first and last and first > last:
            raise serializers.ValidationError({"hired_from": _("The first hire month comes after the last.")})
        return data


class CohortSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("A hire month (YYYY-MM-01) or the id of the batch, site, team, mentor."))
    label = serializers.CharField()
    people = serializers.IntegerField()
    retention = serializers.DictField(child=RateSerializer(), help_text=_("By days after hire: 30, 60, 90, 180."))
    gates = serializers.DictField(child=RateSerializer(), help_text=_("By cycle: first attempts passed."))
    extension = RateSerializer()
    withdrawal = RateSerializer()
    kash_growth = serializers.DictField(
        child=serializers.DictField(),
        help_text=_(
            "By cycle: the mean change of level on its focus indicators (mean, null without data) and trainees."
        ),
    )
    proficient = RateSerializer(
        help_text=_("Reached the tenured band (Meets or better) and the KASH targets, over people with a scorecard.")
    )
    days_to_proficiency = serializers.IntegerField(
        allow_null=True,
        help_text=_("Median days from hire to the end of the first month in the tenured band at the KASH targets."),
    )


class CohortsSerializer(serializers.Serializer):
    group = serializers.CharField()
    hired_from = serializers.DateField()
    hired_to = serializers.DateField()
    cohorts = CohortSerializer(many=True)


def cohort_data(cohort):
    return {
        "key": str(cohort.key),
        "label": cohort.label,
        "people": cohort.people,
        "retention": {str(days): cohort.retention[days].as_dict() for days in rules.RETENTION_DAYS},
        "gates": {str(cycle): cohort.gates[cycle].as_dict() for cycle in rules.CYCLES},
        "extension": cohort.extension.as_dict(),
        "withdrawal": cohort.withdrawal.as_dict(),
        "proficient": cohort.proficient.as_dict(),
        "kash_growth": {
            str(cycle): {"mean": None if mean is None else str(mean), "trainees": n}
            for cycle, (mean, n) in cohort.growth.items()
        },
        "days_to_proficiency": cohort.days_to_proficiency,
    }


class CohortViewSet(viewsets.ViewSet):
    """GET only: the cohorts of one grouping with their retention, gate, extension and withdrawal figures."""

    schema = OneObject()

    @extend_schema(summary="Cohort figures", parameters=[CohortQuerySerializer], responses=CohortsSerializer)
    def list(self, request):
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied
        query = CohortQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.Filters(**query.validated_data)
        in_scope = permissions.insight_teams(request.user)
        if filters.team and not in_scope.filter(pk=filters.team).exists():
            raise NotFound
        if filters.site and not in_scope.filter(department__site=filters.site).exists():
            raise NotFound
        today = timezone.localdate()
        first, last = selectors.window(filters, today)
        found = selectors.cohort_figures(request.user, filters, today=today)
        data = {
            "group": filters.group,
            "hired_from": first,
            "hired_to": last,
            "cohorts": [cohort_data(c) for c in found],
        }
        return Response(CohortsSerializer(data).data)
