"""The one DRF router and the one exception handler: every app registers its API viewsets here."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import include, path
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from improvement.api.followup import RiskFlagViewSet
from improvement.api.initiatives import InitiativeViewSet
from improvement.api.suggestions import CampaignViewSet as SuggestionCampaignViewSet
from improvement.api.suggestions import SuggestionViewSet
from improvement.api.tasks import TaskViewSet
from incentives.api.honours import AwardProgrammeViewSet, NominationViewSet
from incentives.api.pk import CompetitionViewSet as PkCompetitionViewSet
from incentives.api.pk import StandingViewSet as PkStandingViewSet
from incentives.api.pulse import OpenWaveViewSet, PulseAnswerViewSet, PulseResultsViewSet
from incentives.api.recognition import PointsEntryViewSet, RecognitionViewSet
from incentives.api.rewards import RedemptionViewSet
from insights.api.cohorts import CohortViewSet
from insights.api.overview import DashboardViewSet, EffectsViewSet, HealthViewSet, PlaybookEffectsViewSet
from insights.api.ramp import RampViewSet
from insights.api.reports import ReportViewSet
from kpis.api.ingestion import AgentDayIngestViewSet, IngestViewSet, QueueDayIngestViewSet
from kpis.api.results import KpiValuesViewSet
from kpis.api.scorecards import ScorecardViewSet
from linkage.api.authority import CouponRequestViewSet, IssuanceViewSet
from linkage.api.cases import CaseViewSet
from linkage.api.drills import DrillViewSet
from linkage.api.levels import CoverageViewSet, LevelViewSet, RoleModelViewSet
from linkage.api.playbooks import AcknowledgementViewSet, CommentViewSet, PlaybookViewSet, VersionViewSet
from linkage.api.qa import QAReviewViewSet
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


# The answers of exception_handler, documented once for every operation (SPECTACULAR_SETTINGS' hook).
def _error_components():
    any_messages = {"anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}]}
    return {
        "Error": {
            "type": "object",
            "description": gettext("401, 403, 404: why the request was refused."),
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
        "ValidationError": {
            "description": gettext(
                "400: the messages per field (a list of messages, or one object per item of a list such as "
                "scores), or a list of messages when the refusal concerns no single field."
            ),
            "anyOf": [
                {"type": "object", "additionalProperties": any_messages},
                {"type": "array", "items": {"type": "string"}},
            ],
        },
    }


def _error(description, component):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def document_errors(result, generator, request, public):
    """Every operation may answer 401 (no or bad credentials) and 403 (not allowed); one with an id (in the path
    or the query, or a team or site to narrow to) or a page 404 (nothing the caller may see has it); one that takes
    input 400
    (exception_handler's messages)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(_error_components())
    for route, item in result.get("paths", {}).items():
        for method, operation in item.items():
            parameters = operation.get("parameters", ())
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", _error(gettext("Not authenticated."), "Error"))
            responses.setdefault("403", _error(gettext("Not allowed."), "Error"))
            if "{" in route or any(parameter["name"] in ("page", "id", "team", "site") for parameter in parameters):
                not_found = gettext("Not found, out of the caller's scope, or no such page.")
                responses.setdefault("404", _error(not_found, "Error"))
            takes_input = any(parameter["in"] != "path" for parameter in parameters)
            if takes_input or "requestBody" in operation or method in ("post", "put", "patch"):
                responses.setdefault("400", _error(gettext("The input was refused."), "ValidationError"))
    return result


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
router.register("kpis/values", KpiValuesViewSet, basename="kpi-values")
router.register("kpis/scorecards", ScorecardViewSet, basename="kpi-scorecard")
router.register("kpis/agent-days", AgentDayIngestViewSet, basename="kpi-agent-day")
router.register("kpis/queue-days", QueueDayIngestViewSet, basename="kpi-queue-day")
router.register("kpis/ingests", IngestViewSet, basename="kpi-ingest")
router.register("linkage/playbooks", PlaybookViewSet, basename="linkage-playbook")
router.register("linkage/versions", VersionViewSet, basename="linkage-version")
router.register("linkage/comments", CommentViewSet, basename="linkage-comment")
router.register("linkage/acknowledgements", AcknowledgementViewSet, basename="linkage-acknowledgement")
router.register("linkage/drills", DrillViewSet, basename="linkage-drill")
router.register("linkage/levels", LevelViewSet, basename="linkage-level")
router.register("linkage/coverage", CoverageViewSet, basename="linkage-coverage")
router.register("linkage/role-models", RoleModelViewSet, basename="linkage-role-model")
router.register("linkage/cases", CaseViewSet, basename="linkage-case")
router.register("linkage/coupon-requests", CouponRequestViewSet, basename="linkage-coupon-request")
router.register("linkage/issuances", IssuanceViewSet, basename="linkage-issuance")
router.register("linkage/qa-reviews", QAReviewViewSet, basename="linkage-qa-review")
router.register("improvement/suggestions", SuggestionViewSet, basename="improvement-suggestion")
router.register(
    "improvement/suggestion-campaigns", SuggestionCampaignViewSet, basename="improvement-suggestion-campaign"
)
router.register("improvement/initiatives", InitiativeViewSet, basename="improvement-initiative")
router.register("improvement/tasks", TaskViewSet, basename="improvement-task")
router.register("improvement/risk-flags", RiskFlagViewSet, basename="improvement-risk-flag")
router.register("incentives/recognitions", RecognitionViewSet, basename="incentives-recognition")
router.register("incentives/points", PointsEntryViewSet, basename="incentives-points-entry")
# incentives: honours (routes)
router.register("incentives/award-programmes", AwardProgrammeViewSet, basename="incentives-award-programme")
router.register("incentives/nominations", NominationViewSet, basename="incentives-nomination")
# incentives: pk (routes)
router.register("incentives/pk-competitions", PkCompetitionViewSet, basename="incentives-pk-competition")
router.register("incentives/pk-standings", PkStandingViewSet, basename="incentives-pk-standing")
# incentives: pulse (routes)
router.register("incentives/pulse-waves", OpenWaveViewSet, basename="incentives-pulse-wave")
router.register("incentives/pulse-answers", PulseAnswerViewSet, basename="incentives-pulse-answer")
router.register("incentives/pulse-results", PulseResultsViewSet, basename="incentives-pulse-result")
# incentives: redemptions (issue 15 §7)
router.register("incentives/redemptions", RedemptionViewSet, basename="incentives-redemption")
# insights: dashboard and organisation health
router.register("insights/dashboard", DashboardViewSet, basename="insights-dashboard")
router.register("insights/health", HealthViewSet, basename="insights-health")
router.register("insights/effects", EffectsViewSet, basename="insights-effects")
router.register("insights/playbooks", PlaybookEffectsViewSet, basename="insights-playbooks")
# insights: cohorts
router.register("insights/cohorts", CohortViewSet, basename="insights-cohort")
router.register("insights/ramp", RampViewSet, basename="insights-ramp")
# insights: reports
router.register("insights/reports", ReportViewSet, basename="insights-report")

urlpatterns = [
    path("", include(router.urls)),
]
