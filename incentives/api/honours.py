"""The API of the honour system (issue 15 §3, §7): award programmes (read) and nominations (the ones the caller
may see; nominating as the caller). Scoped like the pages through incentives.permissions (outside scope answers
404); writes go through incentives.services.honours."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from staff.api.filters import MAX_ID, IdFilter
from staff.api.headers import idempotency_key, idempotency_key_parameter
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import AwardProgramme, Nomination, NominationStatus, ProgrammeKind
from ..services import honours as services


class AwardProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardProgramme
        fields = [
            "id",
            "kind",
            "name",
            "name_zh",
            "description",
            "criteria",
            "starts_on",
            "ends_on",
            "opens_on",
            "closes_on",
            "nominators",
            "decided_by",
            "decider",
            "site",
            "team",
            "winners",
            "points",
        ]
        read_only_fields = fields


class AwardProgrammeFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=ProgrammeKind.choices)

    class Meta:
        model = AwardProgramme
        fields = ["kind"]


class AwardProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """The award programmes the caller sees (HR all), the latest window first."""

    serializer_class = AwardProgrammeSerializer
    filterset_class = AwardProgrammeFilter
    ordering_fields = ["closes_on", "opens_on"]
    queryset = AwardProgramme.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return permissions.visible_programmes(self.request.user).order_by("-closes_on", "-pk")


class NominationSerializer(serializers.ModelSerializer):
    nominee_name = serializers.CharField(source="nominee.name", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "programme",
            "nominee",
            "nominee_name",
            "reason",
            "evidence",
            "recognition",
            "status",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


class NominationCreateSerializer(serializers.Serializer):
    programme = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    nominee = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("Employee id of the nominee."))
    reason = StrictCharField(max_length=4000)
    evidence = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")
    recognition = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text=_("A recognition id.")
    )


class NominationFilter(filters.FilterSet):
    programme = IdFilter(field_name="programme")
    nominee = IdFilter(field_name="nominee")
    status = filters.ChoiceFilter(choices=NominationStatus.choices)

    class Meta:
        model = Nomination
        fields = ["programme", "nominee", "status"]


class NominationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Nominations the caller may see: her own, about her, of the teams she leads, of the programmes she decides,
    and every winner of the programmes she sees; HR all. Newest first."""

    filterset_class = NominationFilter
    ordering_fields = ["created_at", "decided_at"]
    queryset = Nomination.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return (
            permissions.visible_nominations(self.request.user).select_related("nominee").order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return NominationCreateSerializer if self.action == "create" else NominationSerializer

    @extend_schema(
        request=NominationCreateSerializer,
        parameters=[idempotency_key_parameter(_("Any unique string per intended nomination, at most 80 characters."))],
        responses={201: NominationSerializer, 200: NominationSerializer},
        description=_("201 a new nomination; 200 the one an earlier call with the same idempotency key made."),
    )
    def create(self, request, *args, **kwargs):
        """Nominate a colleague as the caller while the programme's window is open, with a reason."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = idempotency_key(request, max_length=80)
        retried = (
            bool(key)
            and Nomination.objects.filter(
                programme_id=data["programme"], nominator=request.user, nominee_id=data["nominee"], idempotency_key=key
            ).exists()
        )
        item = services.nominate(
            user=request.user,
            programme_id=data["programme"],
            nominee_id=data["nominee"],
            reason=data["reason"],
            evidence=data["evidence"],
            recognition_id=data["recognition"],
            idempotency_key=key,
        )
        answer = status.HTTP_200_OK if retried else status.HTTP_201_CREATED
        return Response(NominationSerializer(item).data, status=answer)
