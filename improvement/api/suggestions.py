"""The API of suggestions (issue 14 §1, §5): the suggestions the caller may see, submitting one, and the actions
support, move (status + answer) and merge; campaigns read-only. Scoped like the pages
(improvement.permissions.visible_suggestions: outside scope answers 404). Writes go through
improvement.services.suggestions, whose ValidationError becomes 400 and PermissionDenied 403."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from staff.api.serializers import StrictCharField

from .. import permissions
from ..models import Campaign, Category, Suggestion, SuggestionStatus
from ..services import suggestions as services


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "title", "description", "opens_on", "closes_on"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "author",
            "author_name",
            "category",
            "title",
            "what",
            "why",
            "origin",
            "campaign",
            "is_public",
            "status",
            "answer",
            "merged_into",
            "support_count",
            "created_at",
            "status_changed_at",
            "implemented_at",
        ]
        read_only_fields = fields


class SuggestionCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    title = StrictCharField(max_length=160)
    what = StrictCharField(max_length=4000)
    why = StrictCharField(max_length=4000, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=True)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True, default=None
    )


class SuggestionMoveSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=SuggestionStatus.choices)
    answer = StrictCharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to decline or reopen: the author reads it."),
    )


class SuggestionMergeSerializer(serializers.Serializer):
    target = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=_("The suggestion to merge into."))


class SuggestionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SuggestionStatus.choices)
    category = filters.ChoiceFilter(choices=Category.choices)

    class Meta:
        model = Suggestion
        fields = ["status", "category"]


class SuggestionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Suggestions the caller may see: her own, the public ones, the private ones she reviews; HR all."""

    filterset_class = SuggestionFilter
    ordering_fields = ["created_at", "support_count"]

    def get_queryset(self):
        return (
            permissions.visible_suggestions(self.request.user).select_related("author").order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return SuggestionCreateSerializer if self.action == "create" else SuggestionSerializer

    def _detail(self, pk, answer=status.HTTP_200_OK):
        return Response(SuggestionSerializer(self.get_queryset().get(pk=pk)).data, status=answer)

    @extend_schema(request=SuggestionCreateSerializer, responses={201: SuggestionSerializer})
    def create(self, request, *args, **kwargs):
        """Submit a suggestion as the caller (any active employee)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.submit(user=request.user, today=timezone.localdate(), **serializer.validated_data)
        return self._detail(item.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        """+1 (once; not on one's own)."""
        item = self.get_object()
        services.support(user=request.user, suggestion=item)
        return self._detail(item.pk)

    @extend_schema(request=SuggestionMoveSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """A reviewer moves the status; declining needs the answer."""
        item = self.get_object()
        serializer = SuggestionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.move(user=request.user, suggestion_id=item.pk, **serializer.validated_data)
        return self._detail(item.pk)

    @extend_schema(request=SuggestionMergeSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """A reviewer merges this suggestion into another; its supporters move with it."""
        item = self.get_object()
        serializer = SuggestionMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["target"]
        if not permissions.reviewable_suggestions(request.user).filter(pk=target).exists():
            if not permissions.can_review_suggestion(request.user, item):
                raise PermissionDenied
            raise serializers.ValidationError({"target": [_("Name the suggestion to merge into.")]})
        services.merge(user=request.user, suggestion_id=item.pk, target_id=target)
        return self._detail(item.pk)


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggestion campaigns (read-only), newest first."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()  # for the schema; the rows come from improvement.permissions

    def get_queryset(self):
        return permissions.visible_campaigns(self.request.user).order_by("-opens_on", "pk")
