"""The reporting system under concurrency on PostgreSQL (issue 16 §4): the drafting task fired twice at the same
moment opens each period's reports once and fails neither run; two managers reviewing one report at the same
moment — one approves, one returns — leave exactly one of the two moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from insights.models import Report, ReportEvent, ReportStatus
from insights.services import reports as services
from tests.insights.cohort_factories import centre
from tests.insights.report_factories import weekly
from tests.staff.factories import make_hr_user
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres(reason="two runs at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]
MONDAY = datetime.date(2026, 11, 16)


def test_the_drafting_task_fired_twice_opens_each_report_once(transactional_db):
    centre()
    results = at_once(*[lambda: services.open_due_reports(today=MONDAY)] * 4)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert Report.objects.count() == 3  # Team A's and Team B's week, the centre's October


def test_two_managers_reviewing_at_once_leave_one_move(transactional_db):
    world = centre()
    report = weekly(world.team_a)
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="A steady week.")
    other = make_hr_user()
    results = at_once(
        lambda: services.review(actor=world.hr, report_id=report.pk, approve=True),
        lambda: services.review(actor=other, report_id=report.pk, approve=False, note="Say more about AHT."),
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    report.refresh_from_db()
    reviews = list(ReportEvent.objects.filter(report=report, from_status=ReportStatus.SUBMITTED))
    assert len(reviews) == 1 and reviews[0].to_status == report.status
    assert report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
