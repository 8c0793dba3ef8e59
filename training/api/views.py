"""KASH API: framework (read), profiles (read), assessments (create and read), scoped by staff.permissions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from staff import selectors as staff_selectors
from training import selectors, services
from training.models import Indicator

from .serializers import AssessmentSerializer, IndicatorSerializer, ProfileSerializer


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The competency framework: active indicators with their 1–5 rubric."""

    serializer_class = IndicatorSerializer
    filterset_fields = ["dimension"]

    def get_queryset(self):
        return Indicator.objects.filter(is_active=True).prefetch_related("levels").order_by("order", "code")


class ProfileViewSet(viewsets.GenericViewSet):
    """Current KASH levels, targets and gaps of the people the caller may see (by employee id)."""

    serializer_class = ProfileSerializer
    filterset_fields = ["team", "stage"]

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
    filterset_fields = ["subject", "source", "status"]

    def get_queryset(self):
        return (
            selectors.visible_assessments(self.request.user)
            .select_related("subject__team", "supersedes")
            .prefetch_related("scores__indicator")
            .order_by("-assessed_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            assessment = services.create_assessment(
                actor=request.user,
                subject=data["subject"],
                source=data["source"],
                assessed_on=data["assessed_on"],
                context=data.get("context", ""),
                private_note=data.get("private_note", ""),
                scores={s["indicator"].pk: (s["level"], s.get("evidence", "")) for s in data["scores"]},
                submit=data["submit"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        assessment = self.get_queryset().get(pk=assessment.pk)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)
