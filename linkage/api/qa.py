"""The API of QA spot checks (issue 13 §4, §6): QA reviews of the weekly samples.

QA staff and HR list the reviews (calibration: several reviewers may review the same sample) and record one on a
sample of the queue; everyone else finds none and may not review. Writes go through linkage.services.qa.review
(once per reviewer, never of her own work; the first finding on a sample opens a finding on the agent), whose
ValidationError becomes 400 and PermissionDenied 403. A review is never changed or deleted.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from staff.api.filters import IdFilter
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import FindingKind, QAReview, QASample, ReviewResult, Severity
from ..services import qa as services


def review_list(user):
    """Every review for QA staff and HR, none for anyone else."""
    if not permissions.can_review_qa(user):
        return QAReview.objects.none()
    return QAReview.objects.select_related("sample", "finding").order_by("-reviewed_at", "-pk")


class QAReviewSerializer(serializers.ModelSerializer):
    week = serializers.DateField(source="sample.week", read_only=True)
    agent = serializers.IntegerField(source="sample.agent_id", read_only=True)
    issuance = serializers.IntegerField(source="sample.issuance_id", read_only=True, allow_null=True)
    case = serializers.IntegerField(source="sample.case_id", read_only=True, allow_null=True)
    kind = serializers.ChoiceField(
        choices=FindingKind.choices, allow_blank=True, read_only=True, help_text=_("Blank when compliant.")
    )
    severity = serializers.ChoiceField(
        choices=Severity.choices, allow_blank=True, read_only=True, help_text=_("Blank when compliant.")
    )
    finding = serializers.SerializerMethodField(help_text=_("The finding this review opened on the agent, if any."))

    class Meta:
        model = QAReview
        fields = [
            "id",
            "sample",
            "week",
            "agent",
            "issuance",
            "case",
            "reviewer",
            "result",
            "kind",
            "severity",
            "evidence",
            "reviewed_at",
            "finding",
        ]
        read_only_fields = fields

    def get_finding(self, review) -> int | None:
        finding = getattr(review, "finding", None)
        return finding.pk if finding is not None else None


class QAReviewCreateSerializer(serializers.Serializer):
    """A verdict on a sample of the queue: compliant, or a finding with its kind, severity and evidence."""

    sample = serializers.PrimaryKeyRelatedField(queryset=QASample.objects.none())
    result = serializers.ChoiceField(choices=ReviewResult.choices)
    kind = serializers.ChoiceField(choices=FindingKind.choices, required=False, allow_blank=True, default="")
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, allow_blank=True, default="")
    evidence = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and permissions.can_review_qa(request.user):
            self.fields["sample"].queryset = QASample.objects.filter(week__lte=timezone.localdate())


class QAReviewFilter(filters.FilterSet):
    sample = IdFilter(field_name="sample")
    agent = IdFilter(field_name="sample__agent")
    result = filters.ChoiceFilter(choices=ReviewResult.choices)

    class Meta:
        model = QAReview
        fields = ["sample", "agent", "result"]


class QAReviewViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """QA reviews: QA staff and HR list them and review a sample of the queue (once each); others find none."""

    filterset_class = QAReviewFilter
    ordering_fields = ["reviewed_at"]

    def get_queryset(self):
        return review_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return QAReviewCreateSerializer
        return QAReviewSerializer

    @extend_schema(request=QAReviewCreateSerializer, responses={201: QAReviewSerializer})
    def create(self, request, *args, **kwargs):
        """Review a sample (QA staff and HR; never one's own work)."""
        if not permissions.can_review_qa(request.user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.review(
            actor=request.user,
            sample_id=data["sample"].pk,
            result=data["result"],
            kind=data["kind"],
            severity=data["severity"],
            evidence=data["evidence"],
        )
        found = review_list(request.user).get(pk=review.pk)
        return Response(QAReviewSerializer(found).data, status=status.HTTP_201_CREATED)
