"""The one DRF router and the one exception handler: every app registers its API viewsets here."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import include, path
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from staff.api.views import EmployeeViewSet, PositionViewSet, TeamViewSet
from training.api.kash import AssessmentViewSet, IndicatorViewSet, ProfileViewSet
from training.api.onboarding import ActivityViewSet, CoachingSessionViewSet, EnrollmentViewSet, GateCheckViewSet


def exception_handler(exc, context):
    """Services raise Django's exceptions; the API answers them like its own (settings.REST_FRAMEWORK).

    ValidationError → 400 with the messages (per field when the service named fields);
    PermissionDenied → 403 with the service's reason. The transaction is rolled back either way.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


router = DefaultRouter()
# One URL per resource: no ".json" suffix patterns, so every route has one row in the authorization matrix.
router.include_format_suffixes = False
router.register("employees", EmployeeViewSet, basename="employee")
router.register("teams", TeamViewSet, basename="team")
router.register("positions", PositionViewSet, basename="position")
router.register("kash/indicators", IndicatorViewSet, basename="kash-indicator")
router.register("kash/profiles", ProfileViewSet, basename="kash-profile")
router.register("kash/assessments", AssessmentViewSet, basename="kash-assessment")
router.register("onboarding/enrollments", EnrollmentViewSet, basename="onboarding-enrollment")
router.register("onboarding/activities", ActivityViewSet, basename="onboarding-activity")
router.register("onboarding/coaching", CoachingSessionViewSet, basename="onboarding-coaching")
router.register("onboarding/gate-checks", GateCheckViewSet, basename="onboarding-gate-check")

urlpatterns = [
    path("", include(router.urls)),
]
