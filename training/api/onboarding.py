"""Onboarding API (DOMAIN §3): enrollments and their moves, activities, coaching sessions, gate checks.

Every object is reached through its enrollment, so the scope is training.permissions.visible_enrollments
(the trainee's people scope, or the batch one supervises): anything else answers 404. Every write goes
through training.services, whose PermissionDenied becomes 403 and whose ValidationError becomes 400 with
its messages (config.api.exception_handler).
"""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.filters import IdFilter
from staff.api.serializers import PlausibleDateField, StrictCharField, StrictModelSerializer
from training import cycles, services
from training.api import IDEMPOTENCY_KEY, idempotency_key
from training.models import (
    Activity,
    ActivityKind,
    ActivityOwner,
    CoachingPhase,
    CoachingSession,
    Enrollment,
    EnrollmentState,
    GateCheck,
    Indicator,
)
from training.permissions import (
    visible_activities,
    visible_coaching,
    visible_enrollments,
    visible_gate_checks,
)

# Scoped querysets: the scope itself lives in training.permissions. ------------------------------


def enrollment_list(user):
    """Visible enrollments with the progress of their current cycle, in one query."""
    current = Q(activities__cycle=F("cycle"))
    done = Q(activities__done_at__isnull=False)
    required = Q(activities__template__is_required=True)
    return (
        visible_enrollments(user)
        .select_related("trainee", "batch")
        .annotate(
            activities_total=Count("activities", filter=current),
            activities_done=Count("activities", filter=current & done),
            required_total=Count("activities", filter=current & required),
            required_done=Count("activities", filter=current & required & done),
        )
        .order_by("-batch__start_on", "batch_id", "trainee__name", "pk")
    )


def activity_list(user):
    return (
        visible_activities(user)
        .select_related("enrollment", "template")
        .order_by("enrollment_id", "cycle", "due_on", "template__order", "pk")
    )


def coaching_list(user):
    """The onboarding sessions ``user`` may see: those of an enrollment (every agent's coaching log outside
    onboarding is read on the follow-up pages, improvement.views.followup)."""
    return (
        visible_coaching(user)
        .filter(enrollment__isnull=False)
        .select_related("enrollment")
        .prefetch_related("focus_indicators")
        .order_by("-scheduled_at", "-pk")
    )


def gate_check_list(user):
    return visible_gate_checks(user).select_related("enrollment").order_by("enrollment_id", "cycle", "attempt")


# Serializers -------------------------------------------------------------------------------


class VisibleEnrollmentField(serializers.PrimaryKeyRelatedField):
    """An enrollment id, resolved only among the enrollments the caller may see (others: "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        return visible_enrollments(request.user if request else None)


@extend_schema_field(serializers.ChoiceField(choices=EnrollmentState.choices), component_name="EnrollmentStateEnum")
class EnrollmentStateField(serializers.ChoiceField):
    """An enrollment state; one schema component for ``state`` and ``from_state`` alike."""

    def __init__(self, **kwargs):
        super().__init__(choices=EnrollmentState.choices, **kwargs)


class EnrollmentSerializer(serializers.ModelSerializer):
    trainee_name = serializers.CharField(source="trainee.name", read_only=True)
    mentor = serializers.IntegerField(source="trainee.mentor_id", read_only=True, allow_null=True)
    batch_code = serializers.CharField(source="batch.code", read_only=True)
    state = EnrollmentStateField(read_only=True)
    activities_total = serializers.IntegerField(read_only=True, help_text=_("Activities of the current cycle."))
    activities_done = serializers.IntegerField(
        read_only=True, help_text=_("Activities of the current cycle that are done.")
    )
    required_total = serializers.IntegerField(
        read_only=True, help_text=_("Required activities of the current cycle (the gate looks at these).")
    )
    required_done = serializers.IntegerField(
        read_only=True, help_text=_("Required activities of the current cycle that are done.")
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "trainee",
            "trainee_name",
            "mentor",
            "batch",
            "batch_code",
            "state",
            "cycle",
            "held_from",
            "cycle_started_on",
            "due_on",
            "is_gate_failed",
            "remediation_plan",
            "activities_total",
            "activities_done",
            "required_total",
            "required_done",
            "updated_at",
        ]
        read_only_fields = fields


class MoveSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=cycles.MOVES)
    from_state = EnrollmentStateField(
        help_text=_("The state the caller saw; if the enrollment has moved on since, nothing changes."),
    )
    reason = StrictCharField(required=False, allow_blank=True, default="")
    remediation_plan = StrictCharField(
        required=False, allow_blank=True, default="", help_text=_("Required to extend a cycle.")
    )
    due_on = PlausibleDateField(
        required=False, allow_null=True, default=None, help_text=_("The new due date; required to extend a cycle.")
    )


class ActivitySerializer(serializers.ModelSerializer):
    trainee = serializers.IntegerField(source="enrollment.trainee_id", read_only=True)
    title_en = serializers.CharField(source="template.title_en", read_only=True)
    title_zh = serializers.CharField(source="template.title_zh", read_only=True)
    kind = serializers.ChoiceField(source="template.kind", choices=ActivityKind.choices, read_only=True)
    owner = serializers.ChoiceField(source="template.owner", choices=ActivityOwner.choices, read_only=True)
    is_required = serializers.BooleanField(source="template.is_required", read_only=True)
    is_done = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "enrollment",
            "trainee",
            "cycle",
            "title_en",
            "title_zh",
            "kind",
            "owner",
            "is_required",
            "due_on",
            "is_done",
            "done_at",
            "done_by",
            "note",
        ]
        read_only_fields = fields


class ActivityDoneSerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, default="", help_text=_("A note or evidence of the work."))


class CoachingSessionSerializer(StrictModelSerializer):
    enrollment = VisibleEnrollmentField()
    trainee = serializers.IntegerField(source="enrollment.trainee_id", read_only=True)
    phase = serializers.ChoiceField(choices=CoachingPhase.choices)
    focus_indicators = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Indicator.objects.filter(is_active=True)
    )

    class Meta:
        model = CoachingSession
        fields = [
            "id",
            "enrollment",
            "trainee",
            "coach",
            "phase",
            "scheduled_at",
            "focus_indicators",
            "notes",
            "agreed_actions",
            "follow_up_on",
            "acknowledged_at",
            "created_at",
        ]
        read_only_fields = ["coach", "acknowledged_at", "created_at"]


class GateCheckSerializer(StrictModelSerializer):
    enrollment = VisibleEnrollmentField()
    trainee = serializers.IntegerField(source="enrollment.trainee_id", read_only=True)
    score = serializers.IntegerField(min_value=0, max_value=100)
    passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = GateCheck
        fields = [
            "id",
            "enrollment",
            "trainee",
            "cycle",
            "attempt",
            "examiner",
            "taken_on",
            "score",
            "pass_mark",
            "passed",
            "notes",
            "assessment",
        ]
        read_only_fields = ["cycle", "attempt", "examiner", "pass_mark", "assessment"]
        extra_kwargs = {"taken_on": {"required": False, "help_text": _("Defaults to today.")}}


# Filters: ids are plain numbers, so filtering on someone else's enrollment finds nothing
# instead of telling that it exists.


class EnrollmentFilter(filters.FilterSet):
    batch = IdFilter(field_name="batch")
    trainee = IdFilter(field_name="trainee")

    class Meta:
        model = Enrollment
        fields = ["batch", "trainee", "state", "cycle", "is_gate_failed"]


class ActivityFilter(filters.FilterSet):
    enrollment = IdFilter(field_name="enrollment")
    done = filters.BooleanFilter(method="filter_done", label=_("done"))

    class Meta:
        model = Activity
        fields = ["enrollment", "cycle", "done"]

    def filter_done(self, queryset, name, value):
        return queryset.filter(done_at__isnull=not value)


class CoachingSessionFilter(filters.FilterSet):
    enrollment = IdFilter(field_name="enrollment")

    class Meta:
        model = CoachingSession
        fields = ["enrollment", "phase"]


class GateCheckFilter(filters.FilterSet):
    enrollment = IdFilter(field_name="enrollment")

    class Meta:
        model = GateCheck
        fields = ["enrollment", "cycle"]


# Viewsets ----------------------------------------------------------------------------------


class EnrollmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrollments of the people the caller may see, with the progress of the current cycle."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter
    ordering_fields = ["due_on", "state", "cycle", "updated_at"]

    def get_queryset(self):
        return enrollment_list(self.request.user)

    @extend_schema(request=MoveSerializer, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Start, advance (the gate must be met), extend, hold, resume or withdraw: the supervisor and HR.
        A move already made (the enrollment is no longer in ``from_state``) changes nothing."""
        enrollment = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.move_enrollment(actor=request.user, enrollment_id=enrollment.pk, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=enrollment.pk)).data)


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities of visible enrollments; their owner (or the supervisor, or HR) marks them done."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["due_on", "cycle", "done_at"]

    def get_queryset(self):
        return activity_list(self.request.user)

    @extend_schema(request=ActivityDoneSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the activity done with a note or evidence; marking it again changes nothing."""
        activity = self.get_object()
        serializer = ActivityDoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.complete_activity(actor=request.user, activity_id=activity.pk, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=activity.pk)).data)


class CoachingSessionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """1:1 coaching sessions (事前 / 事中 / 事后): the mentor, supervisor or HR logs; the trainee acknowledges."""

    serializer_class = CoachingSessionSerializer
    filterset_class = CoachingSessionFilter
    ordering_fields = ["scheduled_at", "created_at"]

    def get_queryset(self):
        return coaching_list(self.request.user)

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = services.log_coaching(
            actor=request.user,
            enrollment_id=data["enrollment"].pk,
            phase=data["phase"],
            scheduled_at=data["scheduled_at"],
            focus_indicators=data.get("focus_indicators", ()),
            notes=data.get("notes", ""),
            agreed_actions=data.get("agreed_actions", ""),
            follow_up_on=data.get("follow_up_on"),
            idempotency_key=idempotency_key(request),
        )
        session = self.get_queryset().get(pk=session.pk)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CoachingSessionSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The trainee confirms the session and its agreed actions; again changes nothing."""
        session = self.get_object()
        services.acknowledge_coaching(actor=request.user, session_id=session.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)


class GateCheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pass-the-gate checks (通关) of the current cycle; each result also becomes a KASH assessment."""

    serializer_class = GateCheckSerializer
    filterset_class = GateCheckFilter
    ordering_fields = ["taken_on", "score"]

    def get_queryset(self):
        return gate_check_list(self.request.user)

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        check = services.record_gate_check(
            actor=request.user,
            enrollment_id=data["enrollment"].pk,
            score=data["score"],
            taken_on=data.get("taken_on"),
            notes=data.get("notes", ""),
            idempotency_key=idempotency_key(request),
        )
        check = self.get_queryset().get(pk=check.pk)
        return Response(self.get_serializer(check).data, status=status.HTTP_201_CREATED)
