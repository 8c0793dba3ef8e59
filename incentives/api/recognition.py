"""The API of recognition and points (issue 15 §1, §2, §7): the recognitions the caller may see and giving one as
the caller; the points ledger read-only (her own entries; HR all). Scoped like the pages through
incentives.permissions (outside scope answers 404); writes go through incentives.services."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.filters import MAX_ID, IdFilter
from staff.api.headers import idempotency_key, idempotency_key_parameter
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import EarnedBy, EntryKind, Kind, PointsEntry, ReactionLabel, Recognition
from ..recognition_rules import Motivator
from ..services import recognition as services


class RecognitionSerializer(serializers.ModelSerializer):
    giver_name = serializers.CharField(source="giver.name", read_only=True)
    recipients = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # Plain text here: the choice set is documented once, on RecognitionCreate (one enum name, no collision).
    kind = serializers.CharField(read_only=True, help_text=_("spiritual or material"))
    earned_by_kind = serializers.ChoiceField(choices=EarnedBy.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Recognition
        fields = [
            "id",
            "giver",
            "giver_name",
            "recipients",
            "message",
            "motivator",
            "kind",
            "points",
            "earned_by_kind",
            "earned_by_id",
            "created_at",
        ]
        read_only_fields = fields


class RecognitionCreateSerializer(serializers.Serializer):
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=50,
        help_text=_("Employee ids of the colleagues recognised."),
    )
    message = StrictCharField(max_length=2000)
    motivator = serializers.ChoiceField(choices=Motivator.choices)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default=Kind.SPIRITUAL)
    points = serializers.IntegerField(
        min_value=0, max_value=10000, required=False, default=0, help_text=_("Points each, from your allowance.")
    )
    earned_by_kind = serializers.ChoiceField(choices=EarnedBy.choices, required=False, allow_blank=True, default="")
    earned_by_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )


class ReactionSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=ReactionLabel.choices)


class RecognitionFilter(filters.FilterSet):
    motivator = filters.ChoiceFilter(choices=Motivator.choices)
    giver = IdFilter(field_name="giver")

    class Meta:
        model = Recognition
        fields = ["motivator", "giver"]


class RecognitionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Recognitions the caller may see (given or received in her teams; HR all), newest first."""

    filterset_class = RecognitionFilter
    ordering_fields = ["created_at"]
    queryset = Recognition.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return (
            permissions.visible_recognitions(self.request.user)
            .select_related("giver")
            .prefetch_related("recipients")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "reaction":
            return ReactionSerializer
        return RecognitionCreateSerializer if self.action == "create" else RecognitionSerializer

    @extend_schema(
        methods=["PUT"],
        request=ReactionSerializer,
        responses={200: ReactionSerializer},
        description=_("Hold this reaction (replacing the caller's other one); again, nothing changes."),
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None}, description=_("Take back the reaction."))
    @action(detail=True, methods=["put", "delete"])
    def reaction(self, request, pk=None):
        """The caller's reaction on a recognition she sees."""
        recognition = self.get_object()
        if request.method == "DELETE":
            services.remove_reaction(user=request.user, recognition=recognition)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        label = services.set_reaction(user=request.user, recognition=recognition, **serializer.validated_data)
        return Response({"label": label})

    @extend_schema(
        request=RecognitionCreateSerializer,
        parameters=[idempotency_key_parameter(_("Any unique string per intended recognition, at most 80 characters."))],
        responses={201: RecognitionSerializer, 200: RecognitionSerializer},
        description=_("201 a new recognition; 200 the one an earlier call with the same idempotency key made."),
    )
    def create(self, request, *args, **kwargs):
        """Recognise colleagues as the caller (an employee): one motivator, optional points each."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = idempotency_key(request, max_length=80)
        me = permissions.staff_permissions.employee_of(request.user)
        retried = bool(key) and me is not None and Recognition.objects.filter(giver=me, idempotency_key=key).exists()
        item = services.give_recognition(user=request.user, idempotency_key=key, **serializer.validated_data)
        answer = status.HTTP_200_OK if retried else status.HTTP_201_CREATED
        return Response(RecognitionSerializer(self.get_queryset().get(pk=item.pk)).data, status=answer)


class PointsEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "kind", "employee", "points", "source_ref", "recognition", "reverses", "note", "created_at"]
        read_only_fields = fields


class PointsEntryFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=EntryKind.choices)
    employee = IdFilter(field_name="employee")

    class Meta:
        model = PointsEntry
        fields = ["kind", "employee"]


class PointsEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The points ledger, read-only: the caller's own entries (HR all), newest first. A balance is their sum."""

    serializer_class = PointsEntrySerializer
    filterset_class = PointsEntryFilter
    ordering_fields = ["created_at"]
    queryset = PointsEntry.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return permissions.visible_points_entries(self.request.user).order_by("-created_at", "-pk")
