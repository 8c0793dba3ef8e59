"""KASH API: framework (read), profiles (read), assessments (create and read), scoped by staff.permissions
(people) and training.permissions (private notes)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from staff import permissions as people
from staff import selectors as staff_selectors
from staff.api.filters import IdFilter
from staff.api.serializers import StrictModelSerializer
from staff.models import Employee
from training import services
from training.api import IDEMPOTENCY_KEY, idempotency_key
from training.models import Assessment, Indicator, RubricLevel, Score, Source
from training.permissions import can_view_private_notes
from training.selectors import kash as selectors


class RubricLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricLevel
        fields = ["level", "description_en", "description_zh"]


class IndicatorSerializer(serializers.ModelSerializer):
    levels = RubricLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "dimension",
            "name_en",
            "name_zh",
            "description_en",
            "description_zh",
            "weight",
            "levels",
        ]


class ScoreSerializer(StrictModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.filter(is_active=True))
    level = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Score
        fields = ["indicator", "level", "evidence"]


class VisibleEmployeeField(serializers.PrimaryKeyRelatedField):
    """An employee id, resolved only among the people the caller may see (others: "does not exist")."""

    def get_queryset(self):
        request = self.context.get("request")
        return people.visible_employees(request.user if request else None)


class AssessmentSerializer(StrictModelSerializer):
    """Read and create. ``private_note`` is present only for readers allowed to see it."""

    scores = ScoreSerializer(many=True, min_length=1, error_messages={"min_length": _("Score at least one indicator.")})
    source = serializers.ChoiceField(choices=Source.choices)
    submit = serializers.BooleanField(default=True, write_only=True)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    subject = VisibleEmployeeField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "subject",
            "assessor",
            "source",
            "assessed_on",
            "context",
            "private_note",
            "status",
            "supersedes",
            "submitted_at",
            "scores",
            "submit",
        ]
        read_only_fields = ["assessor", "status", "submitted_at"]
        extra_kwargs = {"private_note": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not can_view_private_notes(request.user, instance.subject):
            data.pop("private_note", None)
        return data

    def validate_scores(self, value):
        codes = [item["indicator"].code for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each indicator may be scored once."))
        return value


class ProfileIndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    dimension = serializers.CharField()
    current = serializers.FloatField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)


class ProfileSerializer(serializers.Serializer):
    employee = serializers.IntegerField()
    employee_number = serializers.CharField()
    name = serializers.CharField()
    dimensions = serializers.DictField(child=serializers.FloatField(allow_null=True))
    indicators = ProfileIndicatorSerializer(many=True)


# Filters: ids are plain numbers, so filtering on someone out of scope finds nothing instead of telling
# that they exist. Nothing filters or orders by a private note: the lists name their fields.


class IndicatorFilter(filters.FilterSet):
    class Meta:
        model = Indicator
        fields = ["dimension"]


class ProfileFilter(filters.FilterSet):
    team = IdFilter(field_name="team")

    class Meta:
        model = Employee
        fields = ["team", "stage"]


class AssessmentFilter(filters.FilterSet):
    subject = IdFilter(field_name="subject")

    class Meta:
        model = Assessment
        fields = ["subject", "source", "status"]


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The competency framework: active indicators with their 1–5 rubric."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["code", "dimension", "weight"]

    def get_queryset(self):
        return Indicator.objects.filter(is_active=True).prefetch_related("levels").order_by("order", "code")


class ProfileViewSet(viewsets.GenericViewSet):
    """Current KASH levels, targets and gaps of the people the caller may see (by employee id)."""

    serializer_class = ProfileSerializer
    filterset_class = ProfileFilter
    ordering_fields = ["employee_number", "name"]

    def get_queryset(self):
        return staff_selectors.employee_list(self.request.user).order_by("employee_number")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(selectors.profile_summaries(page))

    def retrieve(self, request, pk=None):
        employee = self.get_object()
        return Response(selectors.profile_summaries([employee])[0])


class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Assessments: read those the caller may see; post new ones (e.g. from an exam or QA tool).
    Submitted assessments are immutable: there is no update or delete."""

    serializer_class = AssessmentSerializer
    parser_classes = [JSONParser]  # scores are a list of objects: no form encoding can carry them
    filterset_class = AssessmentFilter
    ordering_fields = ["assessed_on", "submitted_at"]

    def get_queryset(self):
        return (
            selectors.visible_assessments(self.request.user)
            .select_related("subject__team", "supersedes")
            .prefetch_related("scores__indicator")
            .order_by("-assessed_on", "-pk")
        )

    @extend_schema(parameters=[IDEMPOTENCY_KEY])
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = services.create_assessment(
            actor=request.user,
            subject=data["subject"],
            source=data["source"],
            assessed_on=data["assessed_on"],
            context=data.get("context", ""),
            private_note=data.get("private_note", ""),
            scores={s["indicator"].pk: (s["level"], s.get("evidence", "")) for s in data["scores"]},
            submit=data["submit"],
            idempotency_key=idempotency_key(request),
        )
        assessment = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)
