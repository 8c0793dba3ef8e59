"""The API of tiered authority (issue 13 §3, §6): coupon requests above an agent's limit and their decision, and the
issuance ledger.

Scoped like the pages (linkage.permissions): a request is seen by whoever asked and whoever may decide it, the ledger
by its agent, her supervisor and HR. Writes go through linkage.services.authority — ``issue`` within the caller's
limits, ``request_approval`` above them, ``decide_request`` (approving issues it, once) — whose ValidationError (the
decision's reasons) becomes 400 and PermissionDenied 403. The ledger is immutable: no update or delete here, a
mistake is reversed on the ledger page.
"""

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff import permissions as people
from staff.api.filters import IdFilter
from staff.api.headers import idempotency_key
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import Case, CouponRequest, Issuance, RequestStatus, Risk, Scenario
from ..services import authority as services

KEY_LENGTH = 80  # Issuance.idempotency_key
AMOUNT = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0.01")}


def coupon_requests(user):
    """The requests ``user`` asked for and those within her approval scope."""
    me = people.employee_of(user)
    mine = Q(requested_by=me) if me is not None else Q(pk__in=[])
    return (
        CouponRequest.objects.filter(mine | Q(pk__in=permissions.approval_scope(user).values("pk")))
        .select_related("case", "scenario")
        .order_by("-requested_at", "-pk")
    )


def issuance_list(user):
    return permissions.visible_issuances(user).select_related("case", "scenario").order_by("-issued_at", "-pk")


class _UseSerializer(serializers.Serializer):
    """A use of authority on a case the caller may see (the service checks that she works it)."""

    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none())
    scenario = serializers.PrimaryKeyRelatedField(queryset=Scenario.objects.filter(is_active=True))
    risk = serializers.ChoiceField(choices=Risk.choices)
    amount = serializers.DecimalField(**AMOUNT, help_text=_("CNY, 2 decimals."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["case"].queryset = permissions.visible_cases(request.user if request else None)


# Coupon requests --------------------------------------------------------------------------------------------------


class CouponRequestSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    scenario_code = serializers.CharField(source="scenario.code", read_only=True)

    class Meta:
        model = CouponRequest
        fields = [
            "id",
            "case",
            "case_reference",
            "scenario",
            "scenario_code",
            "risk",
            "amount",
            "requested_by",
            "requested_at",
            "reason",
            "approver_rank",
            "status",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class CouponRequestCreateSerializer(_UseSerializer):
    reason = StrictCharField(max_length=2000, help_text=_("Why the customer should get more than your limit allows."))


class CouponRequestDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text=_("True approves (and issues it, once); false refuses."))
    note = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")


class CouponRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    case = IdFilter(field_name="case")

    class Meta:
        model = CouponRequest
        fields = ["status", "case"]


class CouponRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests above an agent's limit: the caller's own and those she may decide (a supervisor her teams', HR all).
    A higher grade decides; approving issues the coupon, once."""

    filterset_class = CouponRequestFilter
    ordering_fields = ["requested_at", "status"]

    def get_queryset(self):
        return coupon_requests(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return CouponRequestCreateSerializer
        return CouponRequestSerializer

    def _detail(self, found, answer=status.HTTP_200_OK):
        return Response(CouponRequestSerializer(self.get_queryset().get(pk=found.pk)).data, status=answer)

    @extend_schema(request=CouponRequestCreateSerializer, responses={201: CouponRequestSerializer})
    def create(self, request, *args, **kwargs):
        """Ask a higher grade to allow a use above the caller's limit on a case she works."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = services.request_approval(actor=request.user, **serializer.validated_data)
        return self._detail(found, status.HTTP_201_CREATED)

    @extend_schema(request=CouponRequestDecideSerializer, responses=CouponRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or refuse a pending request (a grade of its rank or higher, within her scope; never her own)."""
        found = self.get_object()
        serializer = CouponRequestDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.decide_request(actor=request.user, request_id=found.pk, **serializer.validated_data)
        return self._detail(found)


# The ledger -------------------------------------------------------------------------------------------------------


class IssuanceSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    scenario_code = serializers.CharField(source="scenario.code", read_only=True)

    class Meta:
        model = Issuance
        fields = [
            "id",
            "case",
            "case_reference",
            "scenario",
            "scenario_code",
            "risk",
            "amount",
            "issued_by",
            "team",
            "grade",
            "customer_ref",
            "issued_at",
            "on",
            "request",
            "reverses",
            "at_limit",
        ]
        read_only_fields = fields


class IssuanceCreateSerializer(_UseSerializer):
    idempotency_key = StrictCharField(
        max_length=KEY_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Send the same key again (here or as the Idempotency-Key header) to retry safely: the first issuance "
            "is answered."
        ),
    )


class IssuanceFilter(filters.FilterSet):
    case = IdFilter(field_name="case")
    issued_by = IdFilter(field_name="issued_by")
    team = IdFilter(field_name="team")
    scenario = IdFilter(field_name="scenario")
    on_from = filters.DateFilter(field_name="on", lookup_expr="gte")
    on_to = filters.DateFilter(field_name="on", lookup_expr="lte")

    class Meta:
        model = Issuance
        fields = ["case", "issued_by", "team", "scenario", "on_from", "on_to"]


class IssuanceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The ledger: the caller's own issuances, her teams' (a supervisor), all (HR). An issuance is never changed or
    deleted. Creating one issues a coupon within the caller's authority; above it the answer (400) gives the
    decision's reasons — ask for approval instead."""

    filterset_class = IssuanceFilter
    ordering_fields = ["issued_at", "amount"]

    def get_queryset(self):
        return issuance_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return IssuanceCreateSerializer
        return IssuanceSerializer

    @extend_schema(
        request=IssuanceCreateSerializer,
        parameters=[
            OpenApiParameter(
                name="Idempotency-Key",
                location=OpenApiParameter.HEADER,
                type=str,
                required=False,
                description=_("Any unique string per intended issuance, at most 80 characters (or idempotency_key)."),
            )
        ],
        responses={201: IssuanceSerializer, 200: IssuanceSerializer},
        description=_("201 a new issuance; 200 the one an earlier call with the same idempotency key made."),
    )
    def create(self, request, *args, **kwargs):
        """Issue a coupon on a case the caller works, within her grade's limits."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        me = people.employee_of(request.user)
        key = data["idempotency_key"] or idempotency_key(request, max_length=KEY_LENGTH)
        data["idempotency_key"] = key
        retried = bool(key) and Issuance.objects.filter(issued_by=me, idempotency_key=key).exists()
        issuance = services.issue(actor=request.user, **data)
        answer = status.HTTP_200_OK if retried else status.HTTP_201_CREATED
        return Response(IssuanceSerializer(self.get_queryset().get(pk=issuance.pk)).data, status=answer)
