"""The one DRF router: every app registers its API viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from staff.api.views import EmployeeViewSet, PositionViewSet, TeamViewSet
from training.api.kash import AssessmentViewSet, IndicatorViewSet, ProfileViewSet
from training.api.onboarding import ActivityViewSet, CoachingSessionViewSet, EnrollmentViewSet, GateCheckViewSet

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
