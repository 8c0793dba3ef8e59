"""The API of cases (issue 13 §1, §6): the cases the caller may see, logging a case she took, handing off a step and
closing it.

Scoped like the pages (linkage.permissions.visible_cases): a case outside the caller's scope answers 404. Writes go
through linkage.services.cases — only the owner hands off and closes, every transfer names a reason code — whose
ValidationError becomes 400 and PermissionDenied 403 (config.api.exception_handler). The customer is only ever the
masked reference the service stored: a reference sent in full is masked before it is kept and never answered back.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.filters import IdFilter
from staff.api.serializers import PlausibleDateTimeField, StrictCharField
from staff.models import Employee

from .. import permissions
from ..models import (
    Case,
    CaseCategory,
    CaseChannel,
    CaseOutcome,
    CaseStatus,
    Handoff,
    HandoffReason,
    LinkageRole,
    Playbook,
    Step,
)
from ..selectors import cases as case_selectors
from ..services import cases as services


def case_list(user):
    """The cases ``user`` may see with their hand-offs (two queries for a page)."""
    handoffs = Handoff.objects.select_related("to_role").order_by("handed_at", "pk")
    return (
        permissions.visible_cases(user)
        .select_related("category", "owner")
        .prefetch_related(Prefetch("handoffs", queryset=handoffs))
        .order_by("-opened_at", "-pk")
    )


class HandoffSerializer(serializers.ModelSerializer):
    to_role_code = serializers.CharField(source="to_role.code", read_only=True)

    class Meta:
        model = Handoff
        fields = [
            "id",
            "step",
            "to_role",
            "to_role_code",
            "to_employee",
            "reason_code",
            "reason",
            "handed_at",
            "back_due_at",
            "returned_at",
        ]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    outcome = serializers.ChoiceField(
        choices=CaseOutcome.choices, allow_blank=True, read_only=True, help_text=_("Blank while the case is open.")
    )
    handoffs = HandoffSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "customer_ref",
            "channel",
            "category",
            "category_code",
            "playbook",
            "summary",
            "owner",
            "owner_name",
            "team",
            "status",
            "outcome",
            "opened_at",
            "first_response_due_at",
            "first_response_at",
            "resolution_due_at",
            "closed_at",
            "reopen_count",
            "escalation_level",
            "handoffs",
        ]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    """A case the caller took: she owns it. The customer's reference is masked before it is stored."""

    customer_ref = StrictCharField(
        max_length=64, help_text=_("The customer's reference; it is masked (at most 3 + 4 characters kept).")
    )
    channel = serializers.ChoiceField(choices=CaseChannel.choices)
    category = serializers.PrimaryKeyRelatedField(queryset=CaseCategory.objects.filter(is_active=True))
    summary = StrictCharField(max_length=4000)
    playbook = serializers.PrimaryKeyRelatedField(
        queryset=Playbook.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        versions = permissions.applicable_versions(request.user if request else None)
        self.fields["playbook"].queryset = Playbook.objects.filter(pk__in=versions.values("playbook_id"))


class CaseHandoffSerializer(serializers.Serializer):
    to_role = serializers.PrimaryKeyRelatedField(queryset=LinkageRole.objects.all())
    reason_code = serializers.ChoiceField(
        choices=HandoffReason.choices, help_text=_("Every transfer needs a reason code.")
    )
    reason = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    to_employee = serializers.PrimaryKeyRelatedField(
        queryset=Employee.objects.none(), required=False, allow_null=True, default=None
    )
    step = serializers.PrimaryKeyRelatedField(
        queryset=Step.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A step of the playbook the case uses."),
    )
    back_due_at = PlausibleDateTimeField(required=False, allow_null=True, default=None)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["to_employee"].queryset = case_selectors.handoff_people(case)
            self.fields["step"].queryset = Step.objects.filter(version__playbook_id=case.playbook_id)


class CaseCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)
    note = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    category = IdFilter(field_name="category")
    team = IdFilter(field_name="team")
    owner = IdFilter(field_name="owner")

    class Meta:
        model = Case
        fields = ["status", "category", "team", "owner"]


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases the caller may see: her own, those a step of which was handed to her, those of the teams she leads;
    HR all. Only the owner hands off and closes; a closed case takes no more hand-offs and never changes here."""

    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "resolution_due_at", "status"]
    search_fields = ["=reference"]

    def get_queryset(self):
        return case_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return CaseCreateSerializer
        return CaseSerializer

    def _detail(self, case, answer=status.HTTP_200_OK):
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data, status=answer)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        """Log a case the caller took (an active team member); she owns it to closure."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.open_case(actor=request.user, **serializer.validated_data)
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseHandoffSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def handoff(self, request, pk=None):
        """Hand a step to another role (and a person holding it) with a reason code; the owner stays the owner."""
        case = self.get_object()
        serializer = CaseHandoffSerializer(data=request.data, case=case)
        serializer.is_valid(raise_exception=True)
        services.hand_off(actor=request.user, case_id=case.pk, **serializer.validated_data)
        return self._detail(case)

    @extend_schema(request=CaseCloseSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the case with its outcome: only its owner."""
        case = self.get_object()
        serializer = CaseCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.close_case(actor=request.user, case_id=case.pk, **serializer.validated_data)
        return self._detail(case)
