"""Every URL pattern × every role, compared with an expected table (STYLE §4).

A URL pattern without a row in EXPECTED (or the admin rule) fails the suite, so a new page or
endpoint cannot ship without deciding who may reach it.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from staff.models import Stage
from tests.improvement.followup_factories import matrix_followup
from tests.improvement.initiatives_factories import matrix_initiatives
from tests.improvement.suggestions_factories import matrix_suggestion
from tests.improvement.tasks_factories import matrix_task
from tests.incentives.factories import matrix_card, matrix_recognition, matrix_redemption
from tests.incentives.honours_factories import matrix_honours
from tests.incentives.pk_factories import matrix_pk
from tests.incentives.pulse_factories import matrix_pulse
from tests.insights.report_factories import matrix_report
from tests.kpis.factories import IngestFactory, ScorecardFactory
from tests.linkage.factories import (
    matrix_authority,
    matrix_case,
    matrix_drill,
    matrix_issuance,
    matrix_linkage,
    matrix_qa,
)
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.training.factories import AssessmentFactory, IndicatorFactory, ScoreFactory
from tests.training.onboarding_factories import in_cycle_one_with_records

# batch_supervisor: leads another team (Team C) and supervises the batch of the world's trainee. She leads
# the batch's onboarding (issue 8): its enrollment pages and endpoints, never the trainee's people pages.
ROLES = [
    "anonymous",
    "trainee",
    "other_trainee",
    "mentor",
    "supervisor",
    "other_supervisor",
    "batch_supervisor",
    "hr",
    "inactive",
]
LOGIN = "login"  # a redirect to the login page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin's login page
OK, REDIRECT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 401, 403, 404, 405


def _row(anonymous, trainee, other_trainee, mentor, supervisor, other_supervisor, batch_supervisor, hr, inactive):
    values = (anonymous, trainee, other_trainee, mentor, supervisor, other_supervisor, batch_supervisor, hr, inactive)
    return dict(zip(ROLES, values, strict=True))


def everyone(active, *, anonymous=LOGIN):
    return _row(anonymous, active, active, active, active, active, active, active, anonymous)


SCOPED_API = _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, OK, OK, UNAUTHORIZED)
API_POST_ONLY = _row(
    UNAUTHORIZED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    NOT_ALLOWED,
    UNAUTHORIZED,
)

# name → (kwargs factory, expected status per role). Object URLs point at the trainee's own records.
EXPECTED = {
    "home": (None, everyone(REDIRECT)),
    "login": (None, everyone(REDIRECT, anonymous=OK)),
    "logout": (None, everyone(NOT_ALLOWED, anonymous=NOT_ALLOWED)),
    "password_change": (None, everyone(OK)),
    "password_change_done": (None, everyone(OK)),
    "set_language": (None, everyone(REDIRECT, anonymous=REDIRECT)),
    "favicon": (None, everyone(REDIRECT, anonymous=REDIRECT)),  # to the static icon, for everyone
    "staff:hr-home": (None, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "staff:my-profile": (None, everyone(OK)),
    "staff:my-team": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "staff:today": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, 404, LOGIN)),  # supervisors of work
    "staff:my-mentees": (None, _row(LOGIN, 404, 404, OK, 404, 404, 404, 404, LOGIN)),
    "staff:employee-detail": (
        lambda w: {"pk": w.trainee.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    "staff:position-detail": (lambda w: {"pk": w.trainee.position_id}, everyone(OK)),
    "api-root": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "api-schema": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "api-docs": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "employee-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "employee-detail": (
        lambda w: {"pk": w.trainee.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "team-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "team-detail": (lambda w: {"pk": w.team.pk}, _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED)),
    "position-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "position-detail": (lambda w: {"pk": w.trainee.position_id}, everyone(OK, anonymous=UNAUTHORIZED)),
    # KASH pages (issue 3): a draft is its assessor's alone; a correction is for the assessor and HR.
    "training:my-kash": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, 404, LOGIN)),
    "training:kash-profile": (lambda w: {"pk": w.trainee.pk}, _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN)),
    "training:assessment-new": (lambda w: {"pk": w.trainee.pk}, _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN)),
    "training:assessment-edit": (lambda w: {"pk": w.draft.pk}, _row(LOGIN, 404, 404, 404, OK, 404, 404, 404, LOGIN)),
    "training:assessment-correct": (
        lambda w: {"pk": w.submitted.pk},
        _row(LOGIN, 404, 404, 404, OK, 404, 404, OK, LOGIN),
    ),
    "training:team-heatmap": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "kash-indicator-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "kash-indicator-detail": (lambda w: {"pk": w.indicator.pk}, everyone(OK, anonymous=UNAUTHORIZED)),
    "kash-profile-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "kash-profile-detail": (
        lambda w: {"pk": w.trainee.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "kash-assessment-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "kash-assessment-detail": (
        lambda w: {"pk": w.submitted.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    # Onboarding pages (issue 4): the trainee's enrollment, activity and coaching session.
    "training:my-onboarding": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, 404, LOGIN)),
    "training:mentee-board": (None, _row(LOGIN, 404, 404, REDIRECT, 404, 404, 404, 404, LOGIN)),
    "training:batch-board": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "training:enrollment-detail": (
        lambda w: {"pk": w.enrollment.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, OK, OK, LOGIN),
    ),
    "training:coaching-new": (lambda w: {"pk": w.enrollment.pk}, _row(LOGIN, 404, 404, OK, OK, 404, OK, OK, LOGIN)),
    "training:gate-check-new": (lambda w: {"pk": w.enrollment.pk}, _row(LOGIN, 404, 404, OK, OK, 404, OK, OK, LOGIN)),
    # POST-only actions: a GET is refused for everyone (their POST scoping is tested with the pages).
    "training:enrollment-move": (lambda w: {"pk": w.enrollment.pk}, everyone(NOT_ALLOWED)),
    "training:mentor-assign": (lambda w: {"pk": w.enrollment.pk}, everyone(NOT_ALLOWED)),
    "training:activity-done": (lambda w: {"pk": w.activity.pk}, everyone(NOT_ALLOWED)),
    "training:coaching-ack": (lambda w: {"pk": w.session.pk}, everyone(NOT_ALLOWED)),
    "notifications:inbox": (None, everyone(OK)),
    "notifications:mark-read": (None, everyone(NOT_ALLOWED)),
    # Onboarding API (issue 4).
    "onboarding-enrollment-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "onboarding-enrollment-detail": (lambda w: {"pk": w.enrollment.pk}, SCOPED_API),
    "onboarding-enrollment-move": (lambda w: {"pk": w.enrollment.pk}, API_POST_ONLY),
    "onboarding-activity-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "onboarding-activity-detail": (lambda w: {"pk": w.activity.pk}, SCOPED_API),
    "onboarding-activity-done": (lambda w: {"pk": w.activity.pk}, API_POST_ONLY),
    "onboarding-coaching-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "onboarding-coaching-detail": (lambda w: {"pk": w.session.pk}, SCOPED_API),
    "onboarding-coaching-acknowledge": (lambda w: {"pk": w.session.pk}, API_POST_ONLY),
    "onboarding-gate-check-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "onboarding-gate-check-detail": (lambda w: {"pk": w.gate_check.pk}, SCOPED_API),
    # kpis: results (rows added below this line)
    # Everyone with an employee record sees her own results (HR in the world has none); Team KPIs for whoever leads a
    # team and HR; the centre view for HR. The values API defaults to the caller's own numbers.
    "kpis:my-results": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, 404, LOGIN)),
    "kpis:team-kpis": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "kpis:centre": (None, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpi-values-list": (None, _row(UNAUTHORIZED, OK, OK, OK, OK, OK, OK, 404, UNAUTHORIZED)),
    # kpis: ingestion (rows added below this line)
    # Only HR and the platform's service account (kpis.add_agentday) may send rows or read the ingest log; a GET of
    # a POST-only endpoint is refused to everyone else before its method is.
    "kpi-agent-day-list": (None, _row(UNAUTHORIZED, 403, 403, 403, 403, 403, 403, NOT_ALLOWED, UNAUTHORIZED)),
    "kpi-queue-day-list": (None, _row(UNAUTHORIZED, 403, 403, 403, 403, 403, 403, NOT_ALLOWED, UNAUTHORIZED)),
    "kpi-ingest-list": (None, _row(UNAUTHORIZED, 403, 403, 403, 403, 403, 403, OK, UNAUTHORIZED)),
    "kpi-ingest-detail": (
        lambda w: {"pk": IngestFactory(actor=w.hr).pk},
        _row(UNAUTHORIZED, 403, 403, 403, 403, 403, 403, OK, UNAUTHORIZED),
    ),
    # The KPI file pages and the ingest log: HR only (kpis.permissions.can_ingest); the confirm is POST-only.
    "kpis:ingest-log": (None, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpis:ingest-upload": (None, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpis:ingest-confirm": (None, everyone(NOT_ALLOWED)),
    "kpis:ingest-detail": (
        lambda w: {"pk": IngestFactory(actor=w.hr).pk},
        _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN),
    ),
    # kpis: scorecards (rows added below this line)
    "kpis:scorecard-months": (None, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpis:scorecard-month": (lambda w: {"month": "2026-11"}, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpis:scorecard-export": (lambda w: {"month": "2026-11"}, _row(LOGIN, 404, 404, 404, 404, 404, 404, OK, LOGIN)),
    "kpis:scorecard-month-compute": (None, everyone(NOT_ALLOWED)),
    "kpis:scorecard-month-close": (lambda w: {"month": "2026-11"}, everyone(NOT_ALLOWED)),
    "kpis:scorecard-month-reopen": (lambda w: {"month": "2026-11"}, everyone(NOT_ALLOWED)),
    "kpis:scorecard-late-revisions-reviewed": (lambda w: {"month": "2026-11"}, everyone(NOT_ALLOWED)),
    "kpi-scorecard-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "kpi-scorecard-detail": (
        lambda w: {"pk": ScorecardFactory(employee=w.trainee).pk},
        # A scorecard carries pay: the mentor sees her mentee's KPIs, not her scorecard.
        _row(UNAUTHORIZED, OK, 404, 404, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    # linkage: playbooks (rows added below this line)
    # The library for everyone with an employee record and HR; Team A's pilot only for Team A's members and HR.
    "linkage:library": (None, everyone(OK)),
    "linkage:mine": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, 404, LOGIN)),  # HR in the world has no record
    "linkage:team-acknowledgements": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "linkage:playbook": (
        lambda w: {"code": matrix_linkage(w).linkage_pilot.playbook.code},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    "linkage:acknowledge": (
        lambda w: {"code": matrix_linkage(w).linkage_pilot.playbook.code, "number": 1},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:comment": (
        lambda w: {"code": matrix_linkage(w).linkage_pilot.playbook.code, "number": 2},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:comment-answer": (
        lambda w: {"pk": matrix_linkage(w).linkage_comment.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage-playbook-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-playbook-detail": (
        lambda w: {"code": matrix_linkage(w).linkage_pilot.playbook.code},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "linkage-version-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-version-detail": (
        lambda w: {"pk": matrix_linkage(w).linkage_pilot.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "linkage-version-acknowledge": (lambda w: {"pk": matrix_linkage(w).linkage_pilot.pk}, API_POST_ONLY),
    "linkage-comment-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-comment-detail": (
        lambda w: {"pk": matrix_linkage(w).linkage_comment.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "linkage-comment-answer": (lambda w: {"pk": matrix_linkage(w).linkage_comment.pk}, API_POST_ONLY),
    "linkage-acknowledgement-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-acknowledgement-detail": (
        lambda w: {"pk": matrix_linkage(w).linkage_acknowledgement.pk},
        _row(UNAUTHORIZED, OK, 404, 404, OK, 404, 404, OK, UNAUTHORIZED),
    ),  # linkage: drill pages and role models (rows added below this line)
    # Team A's drill (the trainee and her mentor cast, its supervisor examines): seen by them and HR, scored by the
    # examiner and HR (seeing it is not scoring it: 404). Scheduling for whoever leads a team or mentors someone in
    # one; marking role models for HR and supervisors. POST-only actions refuse a GET before any lookup.
    "linkage:drills": (None, everyone(OK)),
    "linkage:drill-new": (None, _row(LOGIN, 404, 404, OK, OK, OK, OK, OK, LOGIN)),
    "linkage:drill": (
        lambda w: {"pk": matrix_drill(w).linkage_drill.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    "linkage:drill-score": (
        lambda w: {"pk": matrix_drill(w).linkage_drill.pk},
        _row(LOGIN, 404, 404, 404, OK, 404, 404, OK, LOGIN),
    ),
    "linkage:drill-cancel": (
        lambda w: {"pk": matrix_drill(w).linkage_drill.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:certify": (
        lambda w: {"employee_pk": w.trainee.pk, "code": matrix_drill(w).linkage_drill_kit.playbook.code},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:role-model-new": (
        lambda w: {"code": matrix_drill(w).linkage_drill_kit.playbook.code},
        _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN),
    ),
    "linkage:role-model-remove": (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN)),
    # linkage: coverage and four abilities (rows added below this line)
    # HR any team, a supervisor the teams she leads (another team in ?team= is 404: tests/linkage/test_coverage.py)
    "linkage:coverage": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "linkage:abilities": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    # linkage: drills, levels and coverage API (rows added below this line)
    # A drill of Team A with the trainee and her mentor cast, examined by its supervisor: seen by them and HR. Levels,
    # coverage and role models are lists scoped to the caller (empty when she may see none).
    "linkage-drill-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-drill-detail": (
        lambda w: {"pk": matrix_drill(w).linkage_drill.pk},
        _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
    ),
    "linkage-drill-score": (lambda w: {"pk": matrix_drill(w).linkage_drill.pk}, API_POST_ONLY),
    "linkage-drill-cancel": (lambda w: {"pk": matrix_drill(w).linkage_drill.pk}, API_POST_ONLY),
    "linkage-level-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-coverage-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-role-model-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    # linkage: cases pages (rows added below this line)
    # The trainee's case in Team A, a step handed to her mentor: seen by her, the mentor, Team A's supervisor and HR
    # (tests/linkage/test_case_pages.py); logging a case needs a team membership (HR in the world has none, and
    # lands on the team view). POST-only actions refuse a GET before any lookup.
    "linkage:cases": (None, everyone(OK)),
    "linkage:case-new": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, 404, LOGIN)),
    "linkage:case": (
        lambda w: {"pk": matrix_case(w).linkage_case.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    **{
        name: (lambda w: {"pk": matrix_case(w).linkage_case.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in (
            "linkage:case-handoff",
            "linkage:case-close",
            "linkage:case-reopen",
            "linkage:case-note",
            "linkage:case-escalate",
            "linkage:case-follow-up",
        )
    },
    "linkage:follow-up-start": (
        lambda w: {"pk": matrix_case(w).linkage_case_follow_up.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:follow-up-finish": (
        lambda w: {"pk": matrix_case(w).linkage_case_follow_up.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:handoff-back": (
        lambda w: {"pk": matrix_case(w).linkage_case_handoff.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    # linkage: authority pages (rows added below this line)
    # The matrix and the ledger (scoped to the reader) for everyone; the coupon page for whoever works the open case
    # (the trainee owns it: HR may not issue on someone's case); the approval inbox lists what each may decide (the
    # trainee's request waits for Team A's supervisor, G3); POST-only actions refuse a GET before any lookup.
    "linkage:authority": (None, everyone(OK)),
    "linkage:coupon-new": (
        lambda w: {"pk": matrix_authority(w).authority_case.pk},
        _row(LOGIN, OK, 404, 404, 404, 404, 404, 404, LOGIN),
    ),
    "linkage:approvals": (None, everyone(OK)),
    "linkage:approval-decide": (
        lambda w: {"pk": matrix_authority(w).authority_request.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "linkage:ledger": (None, everyone(OK)),
    "linkage:issuance-reverse": (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN)),
    # linkage: QA pages (rows added below this line)
    # The queue and the review form are QA staff's and HR's (the world has no QA persona: tests/linkage/test_qa_pages.py
    # proves QA access); the findings page lists each reader's own (and her teams'); decisions and disputes are POSTs.
    "linkage:qa-queue": (None, _row(LOGIN, *[NOT_FOUND] * 6, OK, LOGIN)),
    "linkage:qa-review": (lambda w: {"pk": matrix_qa(w).qa_sample.pk}, _row(LOGIN, *[NOT_FOUND] * 6, OK, LOGIN)),
    "linkage:findings": (None, everyone(OK)),
    "linkage:finding-dispute": (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN)),
    "linkage:finding-decide": (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN)),
    # linkage: cases, authority and QA API (rows added below this line)
    # Lists scoped to the caller for everyone; the trainee's case (a step handed to her mentor), her request (decided
    # by Team A's supervisor) and her issuance: 404 outside that scope (Team C's supervisor leads no Team A case).
    # POST-only actions refuse a GET; reviews are QA's (tests/linkage/test_empowerment_api.py proves QA access).
    "linkage-case-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-case-detail": (
        lambda w: {"pk": matrix_case(w).linkage_case.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    "linkage-case-handoff": (lambda w: {"pk": matrix_case(w).linkage_case.pk}, API_POST_ONLY),
    "linkage-case-close": (lambda w: {"pk": matrix_case(w).linkage_case.pk}, API_POST_ONLY),
    "linkage-coupon-request-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-coupon-request-detail": (
        lambda w: {"pk": matrix_authority(w).authority_request.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    "linkage-coupon-request-decide": (lambda w: {"pk": matrix_authority(w).authority_request.pk}, API_POST_ONLY),
    "linkage-issuance-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "linkage-issuance-detail": (
        lambda w: {"pk": matrix_issuance(w).authority_issuance.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    "linkage-qa-review-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),  # empty but for QA staff and HR
    # The agent withdraws her own pending request: a POST (tests/linkage/test_authority_pages.py proves who may).
    "linkage:request-withdraw": (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN)),
    # improvement: suggestions (rows added below this line)
    # A private suggestion of the trainee: she, her supervisor and HR see it; the box for everyone; submitting for
    # people with an employee; triage and campaigns for reviewers; participation for HR; actions POST-only.
    "improvement:suggestions": (None, everyone(OK)),
    "improvement:suggestion-new": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, FORBIDDEN, LOGIN)),
    "improvement:suggestion-triage": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "improvement:suggestion-participation": (None, _row(LOGIN, 403, 403, 403, 403, 403, 403, OK, LOGIN)),
    "improvement:suggestion-campaigns": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "improvement:suggestion-campaign-new": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "improvement:suggestion": (
        lambda w: {"pk": matrix_suggestion(w).improvement_suggestion.pk},
        _row(LOGIN, OK, 404, 404, OK, 404, 404, OK, LOGIN),
    ),
    **{
        name: (lambda w: {"pk": matrix_suggestion(w).improvement_suggestion.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in (
            "improvement:suggestion-support",
            "improvement:suggestion-follow",
            "improvement:suggestion-comment",
            "improvement:suggestion-move",
            "improvement:suggestion-merge",
        )
    },
    "improvement-suggestion-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "improvement-suggestion-detail": (
        lambda w: {"pk": matrix_suggestion(w).improvement_suggestion.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    **{
        name: (lambda w: {"pk": matrix_suggestion(w).improvement_suggestion.pk}, API_POST_ONLY)
        for name in ("improvement-suggestion-support", "improvement-suggestion-move", "improvement-suggestion-merge")
    },
    "improvement-suggestion-campaign-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "improvement-suggestion-campaign-detail": (
        lambda w: {"pk": matrix_suggestion(w).improvement_campaign.pk},
        everyone(OK, anonymous=UNAUTHORIZED),
    ),
    # improvement: initiatives (rows added below this line)
    # An initiative owned by the supervisor, scoped to Team A: Team A sees it (agents read-only), its owner and HR edit
    # it; HR and supervisors create; moves and the decision are POST-only (tests/improvement/test_initiative_pages.py).
    "improvement:initiatives": (None, everyone(OK)),
    "improvement:initiative-new": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "improvement:initiative": (
        lambda w: {"pk": matrix_initiatives(w).initiative.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    "improvement:initiative-edit": (
        lambda w: {"pk": matrix_initiatives(w).initiative.pk},
        _row(LOGIN, 403, 404, 403, OK, 404, 404, OK, LOGIN),
    ),
    **{
        name: (lambda w: {"pk": matrix_initiatives(w).initiative.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in ("improvement:initiative-move", "improvement:initiative-decide")
    },
    "improvement-initiative-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    **{
        name: (
            lambda w: {"pk": matrix_initiatives(w).initiative.pk},
            _row(UNAUTHORIZED, OK, 404, OK, OK, 404, 404, OK, UNAUTHORIZED),
        )
        for name in ("improvement-initiative-detail", "improvement-initiative-effects")
    },
    # improvement: tasks (rows added below this line)
    # The supervisor's task assigned to the trainee, a stage owned by her mentor: seen by the three of them and HR
    # (tests/improvement/test_tasks_pages.py). Team tasks and a new task for supervisors and HR; POST-only actions
    # refuse a GET before any lookup.
    "improvement:tasks": (None, everyone(OK)),
    "improvement:team-tasks": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "improvement:task-new": (None, _row(LOGIN, 404, 404, 404, OK, OK, OK, OK, LOGIN)),
    "improvement:task": (
        lambda w: {"pk": matrix_task(w).improvement_task.pk},
        _row(LOGIN, OK, 404, OK, OK, 404, 404, OK, LOGIN),
    ),
    **{
        name: (lambda w: {"pk": matrix_task(w).improvement_task.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in (
            "improvement:task-answer",
            "improvement:task-understood",
            "improvement:task-start",
            "improvement:task-finish",
            "improvement:task-cancel",
            "improvement:task-raise",
        )
    },
    **{
        name: (lambda w: {"pk": matrix_task(w).improvement_stage.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in ("improvement:task-stage-complete", "improvement:task-stage-delegate")
    },
    "improvement-task-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "improvement-task-detail": (
        lambda w: {"pk": matrix_task(w).improvement_task.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    **{
        name: (lambda w: {"pk": matrix_task(w).improvement_task.pk}, API_POST_ONLY)
        for name in (
            "improvement-task-answer",
            "improvement-task-understood",
            "improvement-task-start",
            "improvement-task-complete-stage",
            "improvement-task-delegate",
            "improvement-task-raise",
        )
    },
    # incentives: recognition and points
    # The mentor recognised the trainee with 5 points: Team A (the trainee, the mentor, their supervisor) and HR see it;
    # giving and "My points" need an employee record (HR here has none); the ledger is each one's own, HR all.
    "incentives:give": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, FORBIDDEN, LOGIN)),
    "incentives:wall": (None, everyone(OK)),
    "incentives:my-points": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, FORBIDDEN, LOGIN)),
    "incentives:react": (
        lambda w: {"pk": matrix_recognition(w).incentives_recognition.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "incentives-recognition-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-recognition-detail": (
        lambda w: {"pk": matrix_recognition(w).incentives_recognition.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    # The reward catalogue for everyone who may hold points and HR; HR decides redemptions; actions POST-only.
    "incentives:rewards": (None, everyone(OK)),
    "incentives:redemptions": (None, _row(LOGIN, 403, 403, 403, 403, 403, 403, OK, LOGIN)),
    **{
        name: (lambda w: {"pk": 1}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in ("incentives:reward-redeem", "incentives:redemption-decide")
    },
    "incentives-points-entry-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-points-entry-detail": (
        lambda w: {"pk": matrix_recognition(w).incentives_entry.pk},
        _row(UNAUTHORIZED, OK, *[NOT_FOUND] * 5, OK, UNAUTHORIZED),
    ),
    # training: cycle-4 mood check-in
    # The trainee's own weekly question: everyone with an employee record reaches it (someone not in cycle 4, as the
    # world's trainee in cycle 1, reads that there is nothing to answer); HR here has none. The answers are shown on
    # the enrollment page, scoped as it is (tests/training/test_mood.py).
    "training:my-mood": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, NOT_FOUND, LOGIN)),
    # incentives: honours (rows below)
    # incentives: honours
    # Team A's monthly award (window open, HR decides) with the mentor's nomination of the trainee, undecided: Team A
    # and HR see the programme; the nomination is seen by HR, its nominator, its nominee and her supervisor. A
    # person's honours are seen as the person is (staff's scopes); "My honours" needs an employee record.
    "incentives:honours": (None, everyone(OK)),
    "incentives:honours-programme": (
        lambda w: {"pk": matrix_honours(w).honours_programme.pk},
        _row(LOGIN, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    ),
    **{
        name: (lambda w: {"pk": matrix_honours(w).honours_programme.pk}, _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN))
        for name in ("incentives:honours-nominate", "incentives:honours-decide")
    },
    "incentives:my-honours": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, FORBIDDEN, LOGIN)),
    "incentives:honours-person": (
        lambda w: {"pk": w.trainee.pk},
        _row(LOGIN, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    ),
    "incentives-award-programme-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-award-programme-detail": (
        lambda w: {"pk": matrix_honours(w).honours_programme.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    "incentives-nomination-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-nomination-detail": (
        lambda w: {"pk": matrix_honours(w).honours_nomination.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    # incentives: pk (rows below)
    # PK boards are the floor's display: everyone sees every competition, its standings and its split page (each
    # person's amount only to HR, the organiser and the winner's supervisor); HR and supervisors organise; the
    # organiser (HR here) enters external results; closing early is POST-only.
    "incentives:pk-list": (None, everyone(OK)),
    "incentives:pk-create": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "incentives:pk-detail": (lambda w: {"pk": matrix_pk(w).pk_competition.pk}, everyone(OK)),
    "incentives:pk-split": (lambda w: {"pk": matrix_pk(w).pk_competition.pk}, everyone(OK)),
    "incentives:pk-results": (
        lambda w: {"pk": matrix_pk(w).pk_external.pk},
        _row(LOGIN, 403, 403, 403, 403, 403, 403, OK, LOGIN),
    ),
    "incentives:pk-close": (
        lambda w: {"pk": matrix_pk(w).pk_competition.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "incentives-pk-competition-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-pk-competition-detail": (
        lambda w: {"pk": matrix_pk(w).pk_competition.pk},
        everyone(OK, anonymous=UNAUTHORIZED),
    ),
    "incentives-pk-standing-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-pk-standing-detail": (
        lambda w: {"pk": matrix_pk(w).pk_standing.pk},
        everyone(OK, anonymous=UNAUTHORIZED),
    ),
    # incentives: pulse (rows below)
    # incentives: pulse
    # A survey with an open wave nobody answered: answering is for people with an employee record (HR here has none;
    # a supervisor reads that there is nothing for her); results and the Herzberg balance for HR and supervisors;
    # answers are POST-only (no GET of one's own answers); results outside the caller's scope answer 404.
    "incentives:pulse": (None, _row(LOGIN, OK, OK, OK, OK, OK, OK, FORBIDDEN, LOGIN)),
    "incentives:pulse-results": (
        lambda w: matrix_pulse(w).no_kwargs,
        _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK, LOGIN),
    ),
    "incentives:balance": (None, _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK, LOGIN)),
    "incentives-pulse-wave-list": (lambda w: matrix_pulse(w).no_kwargs, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-pulse-answer-list": (None, API_POST_ONLY),
    "incentives-pulse-result-list": (
        lambda w: matrix_pulse(w).no_kwargs,
        _row(UNAUTHORIZED, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK, UNAUTHORIZED),
    ),
    # incentives: rules as written and the joining and leaving rituals (issue 15 §8, §1)
    # everyone reads the rules; HR and team leads apply them; HR reads the exceptions
    "incentives:rules": (None, everyone(OK)),
    "incentives:rules-apply": (None, _row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK, OK, LOGIN)),
    "incentives:rules-exceptions": (None, _row(LOGIN, *[NOT_FOUND] * 6, OK, LOGIN)),
    # the trainee's welcome card: Team A, its lead, HR and the trainee herself
    "incentives:card": (
        lambda w: {"pk": matrix_card(w).incentives_card.pk},
        _row(LOGIN, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    ),
    # improvement: follow-up and coaching for every agent (rows added below this line)
    # the list: who follows people up; an agent is sent to her own follow-up page
    "improvement:followup": (None, _row(LOGIN, REDIRECT, REDIRECT, OK, OK, OK, OK, OK, LOGIN)),
    "improvement:followup-leads": (None, _row(LOGIN, *[NOT_FOUND] * 6, OK, LOGIN)),
    # the trainee's own page; her mentor, her lead and HR (who may coach her) see and write it
    "improvement:followup-person": (
        lambda w: {"pk": w.trainee.pk},
        _row(LOGIN, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    ),
    "improvement:followup-log": (
        lambda w: {"pk": w.trainee.pk},
        _row(LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    ),
    "improvement:followup-correction-done": (
        lambda w: {"pk": matrix_followup(w).correction.pk},
        _row(LOGIN, *[NOT_ALLOWED] * 7, LOGIN),
    ),
    "improvement-risk-flag-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "improvement-risk-flag-detail": (
        lambda w: {"pk": matrix_followup(w).risk_flag.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, OK, OK, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    # incentives: redemptions and reactions (issue 15 §7)
    # the trainee's redemption: hers and HR's; deciding is HR's and POST-only; a reaction is PUT or DELETE
    "incentives-redemption-list": (None, everyone(OK, anonymous=UNAUTHORIZED)),
    "incentives-redemption-detail": (
        lambda w: {"pk": matrix_redemption(w).incentives_redemption.pk},
        _row(UNAUTHORIZED, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, UNAUTHORIZED),
    ),
    "incentives-redemption-decide": (lambda w: {"pk": matrix_redemption(w).incentives_redemption.pk}, API_POST_ONLY),
    "incentives-recognition-reaction": (
        lambda w: {"pk": matrix_recognition(w).incentives_recognition.pk},
        API_POST_ONLY,
    ),
    # insights: dashboard and organisation health
    # Insight pages are for HR and the floor managers (the centre) and for team leads (their teams; the world's
    # batch supervisor leads one too); organisation
    # health (pay analysis, spans) for the centre's viewers only, 404 to everyone else.
    "insights:dashboard": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "insights:health": (None, _row(LOGIN, *[NOT_FOUND] * 6, OK, LOGIN)),
    "insights-dashboard-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    "insights-health-list": (None, _row(UNAUTHORIZED, *[NOT_FOUND] * 6, OK, UNAUTHORIZED)),
    # insights: cohorts
    "insights:cohorts": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "insights:effects": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "insights-effects-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    "insights-playbooks-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    "insights-cohort-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    "insights:ramp": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "insights-ramp-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    # insights: reports (a team's weekly report: its supervisor and HR; other supervisors do not see it)
    "insights:reports": (None, _row(LOGIN, 403, 403, 403, OK, OK, OK, OK, LOGIN)),
    "insights:report": (lambda w: {"pk": matrix_report(w).pk}, _row(LOGIN, 403, 403, 403, OK, 404, 404, OK, LOGIN)),
    "insights:report-pdf": (
        lambda w: {"pk": matrix_report(w).pk},
        _row(LOGIN, 403, 403, 403, OK, 404, 404, OK, LOGIN),
    ),
    "insights:report-xlsx": (
        lambda w: {"pk": matrix_report(w).pk},
        _row(LOGIN, 403, 403, 403, OK, 404, 404, OK, LOGIN),
    ),
    "insights-report-list": (None, _row(UNAUTHORIZED, 403, 403, 403, OK, OK, OK, OK, UNAUTHORIZED)),
    "insights-report-detail": (
        lambda w: {"pk": matrix_report(w).pk},
        _row(UNAUTHORIZED, 403, 403, 403, OK, 404, 404, OK, UNAUTHORIZED),
    ),
}


@pytest.fixture
def world(world):
    """The shared world, plus a KASH indicator, a supervisor's draft and a submitted assessment of the trainee,
    and Team C's supervisor, who supervises the trainee's batch."""
    team_c = TeamFactory(name="Team C")
    world.batch_supervisor = EmployeeFactory(
        name="Supervisor C", team=team_c, stage=Stage.MANAGEMENT, user__username="sup_c"
    )
    team_c.supervisor = world.batch_supervisor
    team_c.save()
    world.indicator = IndicatorFactory()
    world.draft = AssessmentFactory(
        subject=world.trainee, assessor=world.supervisor.user, status="draft", submitted_at=None
    )
    world.submitted = AssessmentFactory(subject=world.trainee, assessor=world.supervisor.user)
    ScoreFactory(assessment=world.submitted, indicator=world.indicator)
    # The trainee in cycle 1 of the default program, with an activity, a coaching session and a gate check.
    return in_cycle_one_with_records(world, code="matrix")


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns and namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def all_patterns():
    return list(_walk(get_resolver().url_patterns))


def is_admin(route):
    return route.startswith("admin/")


def _client_for(client, world, role):
    users = {
        "trainee": world.trainee.user,
        "other_trainee": world.other_trainee.user,
        "mentor": world.mentor.user,
        "supervisor": world.supervisor.user,
        "other_supervisor": world.other_supervisor.user,
        "batch_supervisor": world.batch_supervisor.user,
        "hr": world.hr,
        "inactive": world.inactive.user,
    }
    if role in users:
        client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        return REDIRECT
    return response.status_code


def test_every_url_pattern_has_a_row():
    missing = [(route, name) for route, name, _ in all_patterns() if not is_admin(route) and name not in EXPECTED]
    assert missing == [], f"URL patterns without a row in the authorization matrix: {missing}"
    stale = set(EXPECTED) - {name for _, name, _ in all_patterns()}
    assert stale == set(), f"rows for URL names that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_api_answer_each_role_as_expected(client, world, role):
    _client_for(client, world, role)
    unexpected = []
    for route, name, _ in all_patterns():
        if is_admin(route):
            continue
        kwargs_for, expected = EXPECTED[name]
        url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
        got = _outcome(client.get(url))
        if got != expected[role]:
            unexpected.append((name, url, expected[role], got))
    assert unexpected == []


def _admin_url(name, pattern, world):
    """Reverse an admin URL, filling object ids with a real row of that model where one exists."""
    route_kwargs = list(pattern.pattern.regex.groupindex)
    unnamed = pattern.pattern.regex.groups - len(route_kwargs)
    if unnamed:
        # django-simple-history's historical record page: (object id, history id).
        model = _admin_model(name)
        obj = model._default_manager.order_by("pk").first() if model else None
        record = obj.history.order_by("history_id").first() if obj is not None and hasattr(obj, "history") else None
        args = [obj.pk if obj else 999999, record.history_id if record else 999999][:unnamed]
        return reverse(name, args=args)
    if name == "admin:autocomplete":
        return reverse(name) + "?app_label=staff&model_name=employee&field_name=mentor"
    if not route_kwargs:
        return reverse(name)
    kwargs = {}
    for key in route_kwargs:
        if key == "object_id":
            model = _admin_model(name)
            obj = model._default_manager.order_by("pk").first() if model else None
            kwargs[key] = obj.pk if obj else 999999
        elif key == "app_label":
            kwargs[key] = "staff"
        elif key in ("content_type_id",):
            kwargs[key] = 1
        else:
            kwargs[key] = "1"
    return reverse(name, kwargs=kwargs)


def _admin_model(name):
    short = name.split(":", 1)[1]
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short.startswith(prefix):
            return model
    return None


# The admin's own login/logout and the view-on-site redirect answer everyone; checked in the row below.
PUBLIC_ADMIN = {"admin:login", "admin:logout", "admin:view_on_site"}

# Admin pages refused to HR too: onboarding records are written through services, never typed in;
# django-axes' logs cannot be hand-written; HR only views user accounts and groups' membership
# (whoever can change a user or group can grant superuser powers).
READ_ONLY_FOR_HR = {
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:auth_user_add",
    "admin:auth_user_delete",
    "admin:auth_user_password_change",
    "admin:auth_group_changelist",
    "admin:auth_group_add",
    "admin:auth_group_change",
    "admin:auth_group_delete",
    "admin:auth_group_history",
    "admin:auth_app_list",
    "admin:staff_heartbeat_add",  # the worker writes heartbeats; nobody types them in
    "admin:staff_heartbeat_delete",
    "admin:training_assessment_add",  # assessments are written through the pages and the API only,
    "admin:training_assessment_delete",  # and a submitted one never changes (issue 3)
    "admin:training_activity_add",
    "admin:training_activity_delete",
    "admin:training_coachingsession_add",
    "admin:training_coachingsession_delete",
    "admin:training_gatecheck_add",
    "admin:training_gatecheck_delete",
    "admin:training_enrollment_delete",  # withdraw instead (issue 4)
    "admin:notifications_notification_add",
    "admin:notifications_notification_delete",
    # kpis: scorecards — months, scorecards and late revisions are written by kpis.services.scorecards only
    "admin:kpis_month_add",
    "admin:kpis_month_delete",
    "admin:kpis_scorecard_add",
    "admin:kpis_scorecard_delete",
    "admin:kpis_laterevision_add",
    "admin:kpis_laterevision_delete",
    # kpis: ingestion — ingests and daily rows are written by kpis.services.ingestion only; a built-in measure
    # (the first one) is a column of the daily rows and is never deleted
    "admin:kpis_ingest_add",
    "admin:kpis_ingest_delete",
    "admin:kpis_agentday_add",
    "admin:kpis_agentday_delete",
    "admin:kpis_queueday_add",
    "admin:kpis_queueday_delete",
    "admin:kpis_measure_delete",
    # linkage: events, comments and acknowledgements are written on the pages; the first playbook, version and
    # step are the shipped published ones, which never change (issue 12 §3); steps are added on their version
    "admin:linkage_versionevent_add",
    "admin:linkage_versionevent_delete",
    "admin:linkage_comment_add",
    "admin:linkage_comment_delete",
    "admin:linkage_acknowledgement_add",
    "admin:linkage_acknowledgement_delete",
    "admin:linkage_playbook_delete",
    "admin:linkage_playbookversion_delete",
    "admin:linkage_step_add",
    "admin:linkage_step_delete",
    # linkage: drills are scheduled and scored, certifications confirmed and role models marked on the pages (through
    # linkage.services); the settings are one row, never deleted
    "admin:linkage_drill_add",
    "admin:linkage_drill_delete",
    "admin:linkage_certification_add",
    "admin:linkage_certification_delete",
    "admin:linkage_rolemodel_add",
    "admin:linkage_rolemodel_delete",
    "admin:linkage_linkagesettings_delete",
    # linkage: cases, authority and QA are written on the pages and the API through linkage.services (the ledger and a
    # closed case never change); the QA settings are one row, never deleted
    *(
        f"admin:linkage_{model}_{view}"
        for model in (
            "case",
            "caseevent",
            "handoff",
            "followup",
            "coordinationreport",
            "gradeholding",
            "couponrequest",
            "issuance",
            "qasample",
            "qareview",
            "finding",
        )
        for view in ("add", "delete")
    ),
    "admin:linkage_qasettings_delete",
    # improvement: suggestions (admin rows added below this line)
    # suggestions move through improvement.services.suggestions: the admin only looks at them
    *(f"admin:improvement_suggestion_{view}" for view in ("add", "delete")),
    # improvement: initiatives (admin rows added below this line)
    # status and decisions move through improvement.services.initiatives; breaches and history are only looked at
    "admin:improvement_initiative_delete",
    *(
        f"admin:improvement_{model}_{view}"
        for model in ("guardrailbreach", "initiativeevent")
        for view in ("add", "delete")
    ),
    # improvement: tasks (admin rows added below this line)
    # tasks are written on the pages and the API through improvement.services.tasks: the admin only looks at them
    *(f"admin:improvement_{model}_{view}" for model in ("task", "taskevent") for view in ("add", "delete")),
    # incentives: recognition and points (admin rows)
    # recognitions are given on the pages and the API, the ledger is append-only, redemptions are decided on the
    # approvals page; the settings are one row
    *(
        f"admin:incentives_{model}_{view}"
        for model in ("recognition", "pointsentry", "redemption")
        for view in ("add", "delete")
    ),
    "admin:incentives_incentivesettings_delete",
    # incentives: honours (admin rows below)
    # incentives: honours — nominations are made and decided on the pages and the API: the admin only looks at them
    *(f"admin:incentives_nomination_{view}" for view in ("add", "delete")),
    # incentives: pk (admin rows below)
    # competitions are organised on the pages, ranked by Celery and closed once by the sweep: the admin only looks
    *(
        f"admin:incentives_{model}_{view}"
        for model in ("pkcompetition", "standing", "pkhonour", "pkaward")
        for view in ("add", "delete")
    ),
    # incentives: pulse (admin rows below)
    # incentives: pulse
    # surveys are deactivated, never deleted; waves are opened by the beat and alerts raised after a wave closes
    # (incentives.services.pulse): only looked at. Who answered and the answer counts are not in the admin at all.
    "admin:incentives_survey_delete",
    *(f"admin:incentives_{model}_{view}" for model in ("wave", "pulsealert") for view in ("add", "delete")),
    # improvement: follow-up (admin rows added below this line)
    # risk flags are raised and cleared by the daily check (improvement.services.followup): only looked at
    *(f"admin:improvement_riskflag_{view}" for view in ("add", "delete")),
    # insights: reports are opened by the nightly task and moved by their authors and reviewers: only looked at
    *(f"admin:insights_report_{view}" for view in ("add", "delete")),
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_hr_only(client, world, role):
    """Rule for every admin/ pattern: HR gets in; every other role is sent to the admin login."""
    _client_for(client, world, role)
    unexpected = []
    for route, name, pattern in all_patterns():
        if not is_admin(route) or name in PUBLIC_ADMIN:
            continue
        # The one unnamed admin pattern is its catch-all: unknown admin URLs.
        url = _admin_url(name, pattern, world) if name else "/admin/no-such-page/"
        got = _outcome(client.get(url))
        if role == "hr" and name is None:
            if got != NOT_FOUND:
                unexpected.append(("admin catch-all", url, NOT_FOUND, got))
        elif role == "hr" and name in READ_ONLY_FOR_HR:
            if got != FORBIDDEN:
                unexpected.append((name, url, FORBIDDEN, got))
        elif role == "hr":
            if got in (ADMIN_LOGIN, LOGIN, FORBIDDEN):
                unexpected.append((name, url, "allowed", got))
        elif got != ADMIN_LOGIN:
            unexpected.append((name, url, ADMIN_LOGIN, got))
    assert unexpected == []


@pytest.mark.parametrize("role", ROLES)
def test_admin_login_page_never_admits_a_non_hr_user(client, world, role):
    _client_for(client, world, role)
    response = client.get(reverse("admin:index"))
    if role == "hr":
        assert response.status_code == OK
    else:
        assert _outcome(response) == ADMIN_LOGIN
