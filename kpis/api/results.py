"""KPI values API (issue 11 §8): every KPI's value per period for one employee, team, site or the centre over a
date range, as the ratio of sums (kpis.selectors.results), scoped by kpis.permissions: a trainee reads only her
own numbers; anything outside the caller's scope answers 404."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from staff import permissions as people

from .. import permissions
from ..models import Kpi, Source
from ..selectors import results as selectors

LEVELS = ("employee", "team", "site", "centre")
MAX_DAYS = {"day": 366, "week": 3 * 366, "month": 5 * 366}  # answers stay small whatever the history


class ValuesQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS, default="employee")
    id = serializers.IntegerField(
        required=False, min_value=1, help_text=_("The employee, team or site; none for the centre, or for yourself.")
    )
    start = serializers.DateField(required=False, help_text=_("First day; the current month's first day if none."))
    end = serializers.DateField(required=False, help_text=_("Last day (included); today if none."))
    grain = serializers.ChoiceField(choices=tuple(selectors.GRAINS), default="month")

    def validate(self, data):
        today = timezone.localdate()
        data.setdefault("end", today)
        data.setdefault("start", data["end"].replace(day=1))
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"start": _("The start must not be after the end.")})
        if (data["end"] - data["start"]).days >= MAX_DAYS[data["grain"]]:
            raise serializers.ValidationError(
                {"start": _("Ask for at most %(days)s days at this grain.") % {"days": MAX_DAYS[data["grain"]]}}
            )
        return data


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = ["code", "name_en", "name_zh", "unit", "direction"]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("The period's first day (a Monday for weeks)."))
    values = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text=_("KPI code → value; percentages as fractions (0.8123); null when the denominator's sum is 0."),
    )


class ValuesSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=LEVELS)
    id = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    grain = serializers.CharField()
    kpis = KpiSerializer(many=True)
    periods = PeriodSerializer(many=True, help_text=_("The periods with data, oldest first."))


EXAMPLE = {
    "level": "team",
    "id": 7,
    "start": "2026-11-01",
    "end": "2026-11-30",
    "grain": "month",
    "kpis": [
        {
            "code": "fcr",
            "name_en": "First-contact resolution",
            "name_zh": "首次解决率",
            "unit": "percent",
            "direction": "higher",
        },
        {
            "code": "aht",
            "name_en": "Average handle time",
            "name_zh": "平均处理时长",
            "unit": "seconds",
            "direction": "lower",
        },
    ],
    "periods": [{"start": "2026-11-01", "values": {"fcr": 0.8734, "aht": 312.5}}],
}


def scoped_rows(user, level, pk):
    """The agent and queue rows of one employee, team, site or the centre, or 404 when outside the scope."""
    agent_days = permissions.visible_agent_days(user)
    if level == "employee":
        me = people.employee_of(user)
        pk = pk or (me.pk if me else None)
        employee = get_object_or_404(people.visible_employees(user), pk=pk or 0)
        return employee.pk, agent_days.filter(employee=employee), None
    if level == "team":
        team = get_object_or_404(permissions.visible_teams(user), pk=pk or 0)
        return team.pk, agent_days.filter(team=team), None
    if level == "site":
        site = get_object_or_404(permissions.visible_sites(user), pk=pk or 0)
        return site.pk, agent_days.filter(site=site), permissions.visible_queue_days(user).filter(site=site)
    if not permissions.can_view_centre(user):
        raise NotFound
    return None, agent_days, permissions.visible_queue_days(user)


class _OneObject(AutoSchema):
    """The values answer one object (the periods inside it), although the router calls the action "list"."""

    def _is_list_view(self, serializer=None):
        return False


class KpiValuesViewSet(viewsets.ViewSet):
    """GET only: the KPI values of an employee, team, site or the centre, per day, week or month."""

    schema = _OneObject()

    @extend_schema(
        summary="KPI values per period",
        parameters=[ValuesQuerySerializer],
        responses=ValuesSerializer,
        examples=[OpenApiExample("A team's November", value=EXAMPLE, response_only=True)],
    )
    def list(self, request):
        query = ValuesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        pk, agent_rows, queue_rows = scoped_rows(request.user, q["level"], q.get("id"))
        kpis = selectors.active_kpis(None if queue_rows is not None else Source.AGENT)
        window = {"on__range": (q["start"], q["end"])}
        found = selectors.results(
            kpis,
            agent_rows.filter(**window),
            queue_rows.filter(**window) if queue_rows is not None else None,
            grain=q["grain"],
        )
        periods = [
            {"start": period, "values": {code: _number(value) for code, value in values.items()}}
            for (_group, period), values in sorted(found.items(), key=lambda item: item[0][1] or datetime.date.min)
        ]
        data = {**q, "id": pk, "kpis": kpis, "periods": periods}
        return Response(ValuesSerializer(data).data)


def _number(value):
    return None if value is None else float(value)
