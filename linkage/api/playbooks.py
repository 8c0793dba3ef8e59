"""Linkage API (issue 12 §10): playbooks with the version that applies to the caller, versions (read only: a
version is written through the admin and linkage.services only, and a non-draft never changes), consultation
comments, acknowledgements.

Scoped by linkage.permissions, like the pages: anything else answers 404. Writes go through linkage.services,
whose ValidationError becomes 400 and PermissionDenied 403 (config.api.exception_handler).
"""

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from staff import permissions as people
from staff.api.filters import IdFilter
from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import Acknowledgement, Branch, Comment, Playbook, PlaybookKind, PlaybookVersion, Step, VersionStatus
from ..selectors import playbooks as selectors
from ..services import acknowledgements
from ..services import playbooks as playbook_services

# Scoped querysets -------------------------------------------------------------------------------------------


def _steps():
    branches = Branch.objects.select_related("target").order_by("pk")
    return Prefetch(
        "steps",
        queryset=Step.objects.select_related("owner", "receiver", "signal")
        .prefetch_related("indicators", Prefetch("branches", queryset=branches))
        .order_by("order"),
    )


def version_list(user):
    return (
        permissions.visible_versions(user)
        .select_related("playbook")
        .prefetch_related(_steps())
        .order_by("playbook__code", "-number")
    )


def playbook_list(user):
    """Playbooks the caller has a version of, each with its current versions prefetched (``current``), the one
    that applies first: four queries for the list whatever its size."""
    current = selectors.current_versions(user)
    first = VersionStatus.PUBLISHED if people.is_hr(user) else VersionStatus.PILOT
    preference = Case(When(status=first, then=Value(0)), default=Value(1), output_field=IntegerField())
    versions = current.prefetch_related(_steps()).order_by(preference, "-number")
    return (
        Playbook.objects.filter(pk__in=current.values("playbook_id"))
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="current"))
        .order_by("kind", "code")
    )


# Serializers ------------------------------------------------------------------------------------------------


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    name_zh = serializers.CharField(read_only=True)


class SignalSerializer(RoleSerializer):
    kind = serializers.CharField(read_only=True)
    meaning_en = serializers.CharField(read_only=True)
    meaning_zh = serializers.CharField(read_only=True)


class BranchSerializer(serializers.ModelSerializer):
    target_step = serializers.CharField(source="target.code", read_only=True)
    target_version = serializers.IntegerField(source="target.version_id", read_only=True)

    class Meta:
        model = Branch
        fields = ["condition_en", "condition_zh", "target_step", "target_version"]
        read_only_fields = fields


class StepSerializer(serializers.ModelSerializer):
    owner = RoleSerializer(read_only=True)
    receiver = RoleSerializer(read_only=True, allow_null=True)
    signal = SignalSerializer(read_only=True, allow_null=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    branches = BranchSerializer(many=True, read_only=True)

    class Meta:
        model = Step
        fields = [
            "order",
            "code",
            "name_en",
            "name_zh",
            "owner",
            "guidance_en",
            "guidance_zh",
            "is_scripted",
            "handoff_en",
            "handoff_zh",
            "receiver",
            "signal",
            "indicators",
            "expected_seconds",
            "branches",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    playbook_code = serializers.CharField(source="playbook.code", read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = PlaybookVersion
        fields = [
            "id",
            "playbook",
            "playbook_code",
            "number",
            "status",
            "topic_en",
            "topic_zh",
            "trigger_en",
            "trigger_zh",
            "keywords",
            "supersedes",
            "reason",
            "consultation_ends_on",
            "published_at",
            "steps",
        ]
        read_only_fields = fields


class PlaybookSerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField(help_text=_("The version that applies to the caller."))

    class Meta:
        model = Playbook
        fields = ["id", "code", "kind", "name_en", "name_zh", "version"]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_version(self, playbook):
        current = getattr(playbook, "current", None)
        return VersionSerializer(current[0], context=self.context).data if current else None


class AcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Acknowledgement
        fields = ["id", "version", "employee", "acknowledged_at"]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    version = serializers.PrimaryKeyRelatedField(queryset=PlaybookVersion.objects.none())
    step = serializers.PrimaryKeyRelatedField(queryset=Step.objects.all(), required=False, allow_null=True)
    body = StrictCharField(max_length=4000)
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "version", "step", "author", "author_name", "body", "created_at", "answer", "answered_at"]
        read_only_fields = ["author", "created_at", "answer", "answered_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["version"].queryset = permissions.visible_versions(request.user if request else None)


class AnswerSerializer(serializers.Serializer):
    answer = StrictCharField(max_length=4000)


# Filters ----------------------------------------------------------------------------------------------------


class PlaybookFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=PlaybookKind.choices)

    class Meta:
        model = Playbook
        fields = ["kind"]


class VersionFilter(filters.FilterSet):
    playbook = IdFilter(field_name="playbook")

    class Meta:
        model = PlaybookVersion
        fields = ["playbook", "status"]


class CommentFilter(filters.FilterSet):
    version = IdFilter(field_name="version")

    class Meta:
        model = Comment
        fields = ["version"]


class AcknowledgementFilter(filters.FilterSet):
    version = IdFilter(field_name="version")
    employee = IdFilter(field_name="employee")

    class Meta:
        model = Acknowledgement
        fields = ["version", "employee"]


# Views ------------------------------------------------------------------------------------------------------


class PlaybookViewSet(viewsets.ReadOnlyModelViewSet):
    """The playbooks that apply to the caller, each with the version that applies to her and its steps (HR: every
    playbook, with its published version, else its newest)."""

    serializer_class = PlaybookSerializer
    filterset_class = PlaybookFilter
    ordering_fields = ["code", "kind"]
    search_fields = ["code", "name_en", "name_zh"]
    lookup_field = "code"

    def get_queryset(self):
        return playbook_list(self.request.user)


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Playbook versions the caller may open (those that apply to her, consultations open to her; HR all)."""

    serializer_class = VersionSerializer
    filterset_class = VersionFilter
    ordering_fields = ["number", "status", "published_at"]

    def get_queryset(self):
        return version_list(self.request.user)

    @extend_schema(request=None, responses={200: AcknowledgementSerializer, 201: AcknowledgementSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The caller has read this version (level 1); again changes nothing (200 with the first one)."""
        acknowledgement, created = acknowledgements.acknowledge(user=request.user, version=self.get_object())
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(AcknowledgementSerializer(acknowledgement).data, status=answer)


class CommentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Consultation comments on the versions the caller may open; a comment is added while the version is in
    consultation, by the people it will apply to; HR answers."""

    serializer_class = CommentSerializer
    filterset_class = CommentFilter
    ordering_fields = ["created_at", "answered_at"]

    def get_queryset(self):
        versions = permissions.visible_versions(self.request.user)
        return Comment.objects.filter(version__in=versions).select_related("author").order_by("version", "created_at")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = playbook_services.add_comment(
            user=request.user, version=data["version"], body=data["body"], step=data.get("step")
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=comment.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=AnswerSerializer, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """HR answers the comment (again: the answer is replaced) while its version is in consultation."""
        if not permissions.can_answer(request.user):
            raise NotFound
        comment = self.get_object()
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        playbook_services.answer_comment(
            actor=request.user, comment=comment, answer=serializer.validated_data["answer"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)


class AcknowledgementViewSet(viewsets.ReadOnlyModelViewSet):
    """Acknowledgements: the caller's own, those of the teams she leads; HR all."""

    serializer_class = AcknowledgementSerializer
    filterset_class = AcknowledgementFilter
    ordering_fields = ["acknowledged_at"]

    def get_queryset(self):
        return permissions.visible_acknowledgements(self.request.user).order_by("-acknowledged_at", "-pk")
