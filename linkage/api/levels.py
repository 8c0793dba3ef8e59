"""The API of levels, team coverage and role models (issue 12 §7–9): reads, scoped by linkage.permissions."""

from dataclasses import asdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from staff import permissions as people
from staff.api.filters import MAX_ID, IdFilter
from staff.models import Employee, Team

from .. import permissions
from ..models import (
    Playbook,
    RoleModel,
)
from ..selectors.coverage import team_coverage
from ..selectors.levels import levels_for

# Levels, coverage, role models ------------------------------------------------------------------------------


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class LevelSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    playbook = serializers.IntegerField()
    playbook_code = serializers.CharField()
    level = serializers.IntegerField(min_value=0, max_value=3, help_text=_("0 none, 1 read, 2 drilled, 3 certified."))
    acknowledged = serializers.BooleanField()
    drilled_on = serializers.DateField(allow_null=True)
    certified_until = serializers.DateField(allow_null=True)
    expired = serializers.BooleanField(help_text=_("She was certified and it has run out."))


class LevelQuery(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    playbook = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


ID_PARAMETER = {"type": int, "location": OpenApiParameter.QUERY, "required": False}


@extend_schema(
    parameters=[
        OpenApiParameter("employee", description=_("The person (the caller by default)."), **ID_PARAMETER),
        OpenApiParameter("playbook", description=_("One playbook."), **ID_PARAMETER),
    ]
)
class LevelViewSet(viewsets.GenericViewSet):
    """A person's level per playbook that applies to her: herself, her supervisor, her mentor and HR see it. An
    employee outside the caller's scope finds nothing."""

    serializer_class = LevelSerializer
    filter_backends = []

    def get_queryset(self):
        return Playbook.objects.none()  # rows are computed (linkage.selectors.levels)

    def list(self, request):
        query = _query(LevelQuery, request)
        employee_id = query.get("employee")
        if employee_id is None:
            employee = people.employee_of(request.user)
        else:
            employee = Employee.objects.filter(pk=employee_id).select_related("team").first()
        if employee is None or not permissions.can_view_levels(request.user, employee):
            employee = None
        playbooks = Playbook.objects.none()
        if employee is not None:
            versions = permissions.versions_for_employee(employee)
            playbooks = Playbook.objects.filter(pk__in=versions.values("playbook_id")).order_by("kind", "code")
            if "playbook" in query:
                playbooks = playbooks.filter(pk=query["playbook"])
        codes = dict(playbooks.values_list("pk", "code"))
        levels = levels_for([employee.pk], codes, today=timezone.localdate()) if codes else {}
        rows = [
            {"employee": employee.pk, "playbook": pk, "playbook_code": code, **asdict(levels[(employee.pk, pk)])}
            for pk, code in codes.items()
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LevelSerializer(page, many=True).data)


class CoverageSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    playbook = serializers.IntegerField()
    playbook_code = serializers.CharField()
    version = serializers.IntegerField()
    version_number = serializers.IntegerField()
    step = serializers.IntegerField()
    step_code = serializers.CharField()
    step_name_en = serializers.CharField()
    step_name_zh = serializers.CharField()
    owner_role = serializers.CharField(help_text=_("The code of the step's owning role."))
    certified = serializers.IntegerField(help_text=_("Active members certified to own the step."))
    minimum = serializers.IntegerField()
    is_weak = serializers.BooleanField(help_text=_("Fewer certified owners than the minimum: a weak link."))


class CoverageQuery(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


@extend_schema(parameters=[OpenApiParameter("team", description=_("One team."), **ID_PARAMETER)])
class CoverageViewSet(viewsets.GenericViewSet):
    """For each team the caller leads (HR: every team) and each scripted step of each published version, its
    certified owners against HR's minimum; weak links first."""

    serializer_class = CoverageSerializer
    filter_backends = []

    def get_queryset(self):
        return Team.objects.none()  # rows are computed (linkage.selectors.coverage)

    def list(self, request):
        query = _query(CoverageQuery, request)
        teams = permissions.coverage_teams(request.user).order_by("name", "pk")
        if "team" in query:
            teams = teams.filter(pk=query["team"])
        coverage = team_coverage(list(teams.values_list("pk", flat=True)), today=timezone.localdate())
        rows = [
            {
                "team": team_id,
                "playbook": row.version.playbook_id,
                "playbook_code": row.version.playbook.code,
                "version": row.version.pk,
                "version_number": row.version.number,
                "step": row.step.pk,
                "step_code": row.step.code,
                "step_name_en": row.step.name_en,
                "step_name_zh": row.step.name_zh,
                "owner_role": row.owner_role.code,
                "certified": row.certified,
                "minimum": row.minimum,
                "is_weak": row.is_weak,
            }
            for team_id, team_rows in coverage.items()
            for row in team_rows
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(CoverageSerializer(page, many=True).data)


class RoleModelSerializer(serializers.ModelSerializer):
    playbook_code = serializers.CharField(source="playbook.code", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = RoleModel
        fields = [
            "id",
            "playbook",
            "playbook_code",
            "employee",
            "employee_name",
            "drill",
            "what_they_did",
            "marked_at",
            "is_active",
        ]
        read_only_fields = fields


class RoleModelFilter(filters.FilterSet):
    playbook = IdFilter(field_name="playbook")

    class Meta:
        model = RoleModel
        fields = ["playbook"]


class RoleModelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The role models (树标杆) of the playbooks that apply to the caller, shown in their gallery; HR sees every
    one, hidden ones too."""

    serializer_class = RoleModelSerializer
    filterset_class = RoleModelFilter
    ordering_fields = ["marked_at"]

    def get_queryset(self):
        user = self.request.user
        models = RoleModel.objects.select_related("playbook", "employee").order_by("-marked_at", "-pk")
        if people.is_hr(user):
            return models
        playbooks = permissions.applicable_versions(user).values("playbook_id")
        return models.filter(is_active=True, playbook_id__in=playbooks)
