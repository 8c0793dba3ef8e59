"""The API of the reward catalogue (issue 15 §2, §7): the caller's redemptions (HR all), redeeming as the caller
with an optional Idempotency-Key, and HR's decision. Writes go through incentives.services.rewards."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from staff.api.filters import MAX_ID, IdFilter
from staff.api.headers import idempotency_key, idempotency_key_parameter
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import Redemption, RedemptionStatus
from ..services import rewards as services


class RedemptionSerializer(serializers.ModelSerializer):
    reward_name = serializers.CharField(source="reward.name", read_only=True)

    class Meta:
        model = Redemption
        fields = ["id", "employee", "reward", "reward_name", "points", "status", "created_at", "decided_at", "note"]
        read_only_fields = fields


class RedeemSerializer(serializers.Serializer):
    reward = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The reward's id."))


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = StrictCharField(max_length=200, required=False, allow_blank=True, default="")


class RedemptionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RedemptionStatus.choices)
    employee = IdFilter(field_name="employee")

    class Meta:
        model = Redemption
        fields = ["status", "employee"]


class RedemptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Redemptions: the caller's own (HR all), newest first; redeem a reward as the caller; HR approves or rejects."""

    filterset_class = RedemptionFilter
    ordering_fields = ["created_at"]
    queryset = Redemption.objects.none()  # for the schema; the rows come from incentives.permissions

    def get_queryset(self):
        return (
            permissions.visible_redemptions(self.request.user).select_related("reward").order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return {"create": RedeemSerializer, "decide": DecideSerializer}.get(self.action, RedemptionSerializer)

    @extend_schema(
        request=RedeemSerializer,
        parameters=[idempotency_key_parameter(_("Any unique string per intended redemption, at most 80 characters."))],
        responses={201: RedemptionSerializer, 200: RedemptionSerializer},
        description=_("201 a new redemption, waiting for HR; 200 the one an earlier call with the same key made."),
    )
    def create(self, request, *args, **kwargs):
        """Exchange the caller's points for one unit of a reward."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = idempotency_key(request, max_length=80)
        me = permissions.staff_permissions.employee_of(request.user)
        retried = bool(key) and me is not None and Redemption.objects.filter(employee=me, idempotency_key=key).exists()
        item = services.redeem(user=request.user, reward_id=serializer.validated_data["reward"], idempotency_key=key)
        answer = status.HTTP_200_OK if retried else status.HTTP_201_CREATED
        return Response(RedemptionSerializer(item).data, status=answer)

    @extend_schema(request=DecideSerializer, responses={200: RedemptionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """HR approves, or rejects (the points and the unit of stock come back). The same decision again changes
        nothing."""
        if not permissions.can_decide_redemptions(request.user):
            raise PermissionDenied
        redemption = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.decide(user=request.user, redemption_id=redemption.pk, **serializer.validated_data)
        return Response(RedemptionSerializer(item).data)
