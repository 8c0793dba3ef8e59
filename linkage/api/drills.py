"""Linkage API for drills and their results (issue 12 §6).

Scoped by linkage.permissions like the pages: a drill outside the caller's scope answers 404, and a filter or a
query id naming something outside it finds nothing. Writes go through linkage.services.drills, whose
ValidationError becomes 400 and PermissionDenied 403 (config.api.exception_handler).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from staff import permissions as people
from staff.api.filters import MAX_ID, IdFilter
from staff.api.serializers import StrictCharField
from staff.models import Employee, Team

from .. import permissions
from ..models import (
    Drill,
    DrillMode,
    DrillParticipant,
    DrillStatus,
    LinkageRole,
    PlaybookVersion,
    StepScore,
    VersionStatus,
)
from ..services import drills as services

# Drills -----------------------------------------------------------------------------------------------------


def drill_list(user):
    """The drills ``user`` may see, with their cast and step scores (three queries for a page)."""
    cast = DrillParticipant.objects.select_related("employee", "role").order_by("role__order", "pk")
    scores = StepScore.objects.select_related("step").order_by("step__order")
    return (
        permissions.visible_drills(user)
        .select_related("version__playbook", "team", "examiner")
        .prefetch_related(Prefetch("participants", queryset=cast), Prefetch("scores", queryset=scores))
        .order_by("-scheduled_for", "-pk")
    )


class DrillParticipantSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    role_code = serializers.CharField(source="role.code", read_only=True)

    class Meta:
        model = DrillParticipant
        fields = ["id", "employee", "employee_name", "role", "role_code", "passed"]
        read_only_fields = fields


class StepScoreSerializer(serializers.ModelSerializer):
    step_code = serializers.CharField(source="step.code", read_only=True)

    class Meta:
        model = StepScore
        fields = [
            "step",
            "step_code",
            "participant",
            "action_ok",
            "handoff_ok",
            "signal_ok",
            "seconds",
            "passed",
            "notes",
        ]
        read_only_fields = fields


class DrillSerializer(serializers.ModelSerializer):
    playbook = serializers.IntegerField(source="version.playbook_id", read_only=True)
    playbook_code = serializers.CharField(source="version.playbook.code", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    examiner_name = serializers.CharField(source="examiner.name", read_only=True)
    participants = DrillParticipantSerializer(many=True, read_only=True)
    scores = StepScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "version",
            "playbook",
            "playbook_code",
            "version_number",
            "team",
            "mode",
            "status",
            "scheduled_for",
            "examiner",
            "examiner_name",
            "is_refresher",
            "scored_at",
            "notes",
            "cancel_reason",
            "participants",
            "scores",
        ]
        read_only_fields = fields


class DrillCastSerializer(serializers.Serializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    role = serializers.PrimaryKeyRelatedField(queryset=LinkageRole.objects.all())


class DrillScheduleSerializer(serializers.Serializer):
    """A drill to schedule: the version, the team, when, and who is cast into which role."""

    version = serializers.PrimaryKeyRelatedField(queryset=PlaybookVersion.objects.none())
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    scheduled_for = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=DrillMode.choices, default=DrillMode.SCORED)
    examiner = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("The examiner; the caller by default."),
    )
    notes = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")
    cast = DrillCastSerializer(many=True, allow_empty=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request else None
        people_in_scope = people.visible_employees(user)
        # A drill is of a version in force somewhere: published, or in pilot (the service checks the team).
        self.fields["version"].queryset = permissions.applicable_versions(user).filter(
            status__in=[VersionStatus.PUBLISHED, VersionStatus.PILOT]
        )
        self.fields["examiner"].queryset = people_in_scope
        self.fields["cast"].child.fields["employee"].queryset = people_in_scope


class DrillScoreEntrySerializer(serializers.Serializer):
    step = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    action_ok = serializers.BooleanField()
    handoff_ok = serializers.BooleanField()
    signal_ok = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Null when the step names no signal.")
    )
    seconds = serializers.IntegerField(min_value=0, max_value=86400, required=False, allow_null=True, default=None)
    notes = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class DrillScoreSerializer(serializers.Serializer):
    """The examiner's result: one entry for each scripted step whose owner is cast."""

    scores = DrillScoreEntrySerializer(many=True, allow_empty=False, max_length=100)
    notes = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")

    def validate_scores(self, entries):
        steps = [entry["step"] for entry in entries]
        if len(steps) != len(set(steps)):
            raise serializers.ValidationError(_("Score each step once."))
        return entries


class DrillCancelSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


class DrillFilter(filters.FilterSet):
    team = IdFilter(field_name="team")
    playbook = IdFilter(field_name="version__playbook")
    status = filters.ChoiceFilter(choices=DrillStatus.choices)
    mode = filters.ChoiceFilter(choices=DrillMode.choices)

    class Meta:
        model = Drill
        fields = ["team", "playbook", "status", "mode"]


class DrillViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Drills the caller may see: HR all, a supervisor those of the teams she leads, an examiner those she
    examines, a person those she takes part in. A drill's detail carries its step scores."""

    filterset_class = DrillFilter
    ordering_fields = ["scheduled_for", "status"]
    parser_classes = [JSONParser]  # a cast and a result are lists of objects: JSON only

    def get_queryset(self):
        return drill_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return DrillScheduleSerializer
        return DrillSerializer

    def _detail(self, drill, answer=status.HTTP_200_OK):
        return Response(DrillSerializer(self.get_queryset().get(pk=drill.pk)).data, status=answer)

    @extend_schema(request=DrillScheduleSerializer, responses={201: DrillSerializer})
    def create(self, request, *args, **kwargs):
        """Schedule a drill (HR or the team's supervisor; a mentor a practice drill of her mentees)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        drill = services.schedule_drill(
            actor=request.user,
            version=data["version"],
            team=data["team"],
            scheduled_for=data["scheduled_for"],
            cast=[(row["employee"], row["role"]) for row in data["cast"]],
            mode=data["mode"],
            examiner=data.get("examiner"),
            notes=data["notes"],
        )
        return self._detail(drill, status.HTTP_201_CREATED)

    @extend_schema(request=DrillScoreSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score the drill (its examiner or HR); a drill already scored is answered unchanged."""
        drill = self.get_object()
        serializer = DrillScoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        scores = {entry.pop("step"): entry for entry in data["scores"]}
        services.score_drill(actor=request.user, drill_id=drill.pk, scores=scores, notes=data["notes"])
        return self._detail(drill)

    @extend_schema(request=DrillCancelSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a scheduled drill with a reason (HR, the team's supervisor or the examiner)."""
        drill = self.get_object()
        serializer = DrillCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cancel_drill(actor=request.user, drill_id=drill.pk, reason=serializer.validated_data["reason"])
        return self._detail(drill)
