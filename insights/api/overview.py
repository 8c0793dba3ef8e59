"""The API of the dashboard, effects and organisation health (issue 16 §5): the same figures as the pages, read-only and
scoped by insights.permissions; rates with numerator, denominator and value to 4 decimal places."""

from django.core.paginator import EmptyPage, Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from improvement.effects import quantised
from staff.api.filters import MAX_ID

from .. import health_rules as rules
from .. import permissions
from ..selectors import authority as authority_selectors
from ..selectors import dashboard as dashboard_selectors
from ..selectors import effects as effect_selectors
from ..selectors import health as health_selectors
from ..selectors import playbooks as playbook_selectors
from .schema import OneObject, RateSerializer


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class ShareSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    share = RateSerializer()


class DashboardSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    onboarding = serializers.IntegerField()
    pipeline = CountSerializer(many=True)
    month = serializers.DateField(allow_null=True)
    bands = ShareSerializer(many=True)
    initiatives_in_flight = serializers.IntegerField()
    hygiene_alerts = serializers.IntegerField()


class DashboardQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=_("One team only."))


class DashboardViewSet(viewsets.ViewSet):
    """GET only: the dashboard's figures (the centre for HR and floor managers, her teams for a supervisor; one
    team of those with ``team``)."""

    schema = OneObject()

    @extend_schema(
        summary="The manager's dashboard", parameters=[DashboardQuerySerializer], responses=DashboardSerializer
    )
    def list(self, request):
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        team = query.validated_data.get("team")
        if team and not permissions.insight_teams(request.user).filter(pk=team).exists():
            raise NotFound
        board = dashboard_selectors.dashboard(request.user, today=timezone.localdate(), team=team)
        data = {
            "people": board.people,
            "onboarding": board.onboarding,
            "pipeline": [{"key": k, "label": str(label), "count": n} for k, label, n in board.pipeline],
            "month": board.month,
            "bands": [{"key": k, "label": str(label), "share": r.as_dict()} for k, label, r in board.bands],
            "initiatives_in_flight": board.initiative_count,
            "hygiene_alerts": len(board.alerts),
        }
        return Response(DashboardSerializer(data).data)


class SpanSerializer(serializers.Serializer):
    lead = serializers.IntegerField()
    name = serializers.CharField()
    span = serializers.IntegerField()
    assessment = serializers.ChoiceField(choices=[rules.WIDE, rules.NARROW, rules.FINE])


class SeatSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    title = serializers.CharField()
    headcount = serializers.IntegerField()
    filled = serializers.IntegerField()
    open = serializers.IntegerField()


class TurnoverSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    turnover = RateSerializer()


class PayRowSerializer(serializers.Serializer):
    pay_grade = serializers.CharField()
    cells = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text="By band; null where suppressed (fewer than 5)."
    )
    total = serializers.IntegerField(allow_null=True)


class HealthSerializer(serializers.Serializer):
    spans = SpanSerializer(many=True)
    seats = SeatSerializer(many=True)
    turnover_by_team = TurnoverSerializer(many=True)
    turnover_by_stage = TurnoverSerializer(many=True)
    pay_month = serializers.DateField(allow_null=True)
    pay = PayRowSerializer(many=True)


def _turnover(rows):
    return [{"key": str(row.key), "label": str(row.label), "turnover": row.turnover.as_dict()} for row in rows]


class HealthViewSet(viewsets.ViewSet):
    """GET only: organisation health for HR and the floor managers (others: 404, as the page)."""

    schema = OneObject()

    @extend_schema(
        summary="Organisation health",
        responses={
            200: HealthSerializer,
            404: OpenApiResponse(description=_("Not found: organisation health is for HR and the floor managers.")),
        },
    )
    def list(self, request):
        if not permissions.can_view_organisation_health(request.user):
            raise NotFound
        today = timezone.localdate()
        pay = health_selectors.pay_table()
        data = {
            "spans": [
                {"lead": lead.pk, "name": lead.name, "span": lead.span, "assessment": rules.span_flag(lead.span)}
                for lead in health_selectors.spans()
            ],
            "seats": [
                {
                    "position": s.position.pk,
                    "title": s.position.title,
                    "headcount": s.headcount,
                    "filled": s.filled,
                    "open": s.open,
                }
                for s in map(health_selectors.seat_of, health_selectors.seats())
            ],
            "turnover_by_team": _turnover(health_selectors.turnover_by_team(today=today)),
            "turnover_by_stage": _turnover(health_selectors.turnover_by_stage(today=today)),
            "pay_month": pay.month,
            "pay": [
                {"pay_grade": grade, "cells": dict(zip(pay.bands, cells, strict=True)), "total": total}
                for grade, cells, total in pay.rows
            ],
        }
        return Response(HealthSerializer(data).data)


class GoalSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.code")
    before = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    after = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    pilot = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    control = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class InitiativeEffectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    goals = GoalSerializer(many=True)


class TeamMotivationSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    name = serializers.CharField()
    headcount = serializers.IntegerField()
    recognitions = serializers.IntegerField()
    recognitions_per_head = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    hygiene = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text=_("Null unless published on its own (5 or more).")
    )
    attrition = RateSerializer()


class AuthoritySideSerializer(serializers.Serializer):
    cases = serializers.IntegerField()
    payout = serializers.DecimalField(max_digits=14, decimal_places=2)
    payout_per_case = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    escalation = RateSerializer()


class AuthorityEffectSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["raised", "lowered"])
    changes = serializers.IntegerField()
    before = AuthoritySideSerializer()
    after = AuthoritySideSerializer()


class EffectsSerializer(serializers.Serializer):
    initiatives = InitiativeEffectSerializer(many=True)
    authority = AuthorityEffectSerializer(many=True)
    pages = serializers.IntegerField()
    wave = serializers.IntegerField(allow_null=True)
    teams = TeamMotivationSerializer(many=True)


class EffectsQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, default=1)


class EffectsViewSet(viewsets.ViewSet):
    """GET only: the initiatives' Checks (a page of them) and each team's recognition, hygiene and attrition."""

    schema = OneObject()

    @extend_schema(summary="Effects", parameters=[EffectsQuerySerializer], responses=EffectsSerializer)
    def list(self, request):
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied
        query = EffectsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        paginator = Paginator(effect_selectors.initiatives(request.user), effect_selectors.PER_PAGE)
        try:
            page = paginator.page(query.validated_data["page"])
        except EmptyPage as empty:
            raise NotFound from empty
        teams, wave = effect_selectors.team_motivation(request.user, today=today)
        data = {
            "initiatives": [
                {"id": i.pk, "title": i.title, "status": i.status, "goals": check.goals}
                for i, check in effect_selectors.checks(page, today=today)
            ],
            "pages": paginator.num_pages,
            "authority": [
                {
                    "direction": row.direction,
                    "changes": row.changes,
                    **{
                        name: {
                            "cases": side.cases,
                            "payout": side.payout,
                            "payout_per_case": side.payout_per_case,
                            "escalation": side.escalation.as_dict(),
                        }
                        for name, side in (("before", row.before), ("after", row.after))
                    },
                }
                for row in authority_selectors.authority_effects(request.user)
            ],
            "wave": wave.pk if wave else None,
            "teams": [
                {
                    "team": row.team.pk,
                    "name": row.team.name,
                    "headcount": row.headcount,
                    "recognitions": row.recognitions,
                    "recognitions_per_head": row.per_head,
                    "hygiene": row.hygiene,
                    "attrition": row.attrition.as_dict(),
                }
                for row in teams
            ],
        }
        return Response(EffectsSerializer(data).data)


class PlaybookKpiSerializer(GoalSerializer):
    kpi = serializers.CharField()
    drilled = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    not_drilled = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)


class PlaybookEffectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    published_on = serializers.DateField()
    pilot_from = serializers.DateField(allow_null=True)
    pilot_to = serializers.DateField(allow_null=True)
    drilled_from = serializers.DateField(allow_null=True)
    drilled_teams = serializers.IntegerField()
    teams = serializers.IntegerField()
    kpis = PlaybookKpiSerializer(many=True)


class PlaybookEffectsSerializer(serializers.Serializer):
    pages = serializers.IntegerField()
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text=_("When the nightly refresh last ran."))
    playbooks = PlaybookEffectSerializer(many=True)


PLAYBOOK_PARTS = ("before", "after", "pilot", "control", "drilled", "not_drilled")


def playbook_data(effect):
    return {
        "code": effect.playbook.code,
        "name": effect.playbook.name,
        "published_on": effect.published_on,
        "pilot_from": effect.pilot.start if effect.pilot else None,
        "pilot_to": effect.pilot.end if effect.pilot else None,
        "drilled_from": effect.drilled_from,
        "drilled_teams": effect.drilled_teams,
        "teams": effect.teams,
        "kpis": [
            {
                "kpi": row[0].code,
                **{part: quantised(value) for part, value in zip(PLAYBOOK_PARTS, row[1:], strict=True)},
            }
            for row in effect.rows
        ],
    }


class PlaybookEffectsViewSet(viewsets.ViewSet):
    """GET only: each published playbook's effect on the KPIs it targets (a page of them): before/after its first
    publication, pilot/control during its pilot, drilled/not yet drilled teams since its first scored drill."""

    schema = OneObject()

    @extend_schema(summary="Playbook effects", parameters=[EffectsQuerySerializer], responses=PlaybookEffectsSerializer)
    def list(self, request):
        if not permissions.can_view_insights(request.user):
            raise PermissionDenied
        query = EffectsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Paginator(playbook_selectors.playbooks(), playbook_selectors.PER_PAGE)
        try:
            page = paginator.page(query.validated_data["page"])
        except EmptyPage as empty:
            raise NotFound from empty
        found = playbook_selectors.effects(page, request.user, today=timezone.localdate())
        data = {
            "pages": paginator.num_pages,
            "refreshed_at": playbook_selectors.refreshed_at(),
            "playbooks": [playbook_data(effect) for effect in found],
        }
        return Response(PlaybookEffectsSerializer(data).data)
