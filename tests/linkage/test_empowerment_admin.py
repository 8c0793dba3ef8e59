"""HR's back office for cases, authority and QA (issue 13): the settings are HR's (a limit through the service, so a
raise is dated; the QA settings one row); everything written on the pages — cases and their history, grades held,
requests, the ledger, samples, reviews, findings — is only looked at: HR too is refused add, change and delete, so
the ledger and a closed case never change through the admin. Lists load with queries that do not grow."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linkage.models import (
    AuthorityLimit,
    Case,
    CaseEvent,
    CoordinationReport,
    CouponRequest,
    Finding,
    FollowUp,
    Grade,
    GradeHolding,
    Handoff,
    Issuance,
    LinkageRole,
    QAReview,
    QASample,
    QASettings,
    Scenario,
)
from tests.linkage.factories import authority_case, grant
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

READ_ONLY = [
    Case,
    CaseEvent,
    Handoff,
    FollowUp,
    CoordinationReport,
    GradeHolding,
    CouponRequest,
    Issuance,
    QASample,
    QAReview,
    Finding,
]


def url(model, action, *args):
    return reverse(f"admin:linkage_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def rows(world):
    """Each call adds an agent of Team A with a closed case (its history, a hand-off, a follow-up with a coordination
    report), a grade, a request, an issuance sampled by QA, a review with a finding; returns the case."""
    scenario = Scenario.objects.get(code="fee-charged-in-error")
    role = LinkageRole.objects.get(code="second-line-specialist")

    def add():
        now = timezone.now()
        agent = EmployeeFactory(team=world.team)
        holding = grant(agent, "g1")
        case = authority_case(agent)
        CaseEvent.objects.create(case=case, kind="opened", at=now, key="opened")
        Handoff.objects.create(case=case, to_role=role, reason_code="specialist", handed_at=now, handed_by=agent.user)
        follow_up = FollowUp.objects.create(case=case, due_at=now, started_at=now)
        CoordinationReport.objects.create(
            follow_up=follow_up, reason="Urgent.", on_phones=3, minimum=4, reported_by=agent.user, at=now
        )
        CouponRequest.objects.create(
            case=case, scenario=scenario, risk="low", amount="45.00", requested_by=agent, requested_at=now,
            reason="Twice.", approver_rank=2,
        )  # fmt: skip
        issuance = Issuance.objects.create(
            case=case, scenario=scenario, risk="low", amount=Decimal("20.00"), issued_by=agent, team=agent.team,
            grade=holding.grade, customer_ref=case.customer_ref, issued_at=now, on=timezone.localdate(now),
        )  # fmt: skip
        Case.objects.filter(pk=case.pk).update(status="closed", outcome="first_contact", closed_at=now)
        sample = QASample.objects.create(
            week=datetime.date(2026, 11, 30), agent=agent, issuance=issuance, reason="base"
        )
        review = QAReview.objects.create(
            sample=sample, reviewer=world.hr, result="finding", kind="over_standard", severity="minor",
            evidence="Above the standard.", reviewed_at=now,
        )  # fmt: skip
        Finding.objects.create(review=review, agent=agent, dispute_until=now + datetime.timedelta(days=5))
        return case

    return add


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.model_name)
def test_hr_reads_every_list_with_queries_that_do_not_grow(client, hr, rows, model):
    rows()
    queries(client, url(model, "changelist"))
    few = queries(client, url(model, "changelist"))
    for _n in range(3):
        rows()
    assert queries(client, url(model, "changelist")) == few
    assert queries(client, url(model, "change", model.objects.order_by("pk").first().pk)) > 0


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.model_name)
def test_written_rows_refuse_add_change_and_delete_for_hr_too(client, hr, rows, model):
    rows()
    row = model.objects.order_by("pk").first()
    before = model.objects.values().get(pk=row.pk)
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "change", row.pk), {}).status_code == 403
    assert client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.values().get(pk=row.pk) == before


def test_a_closed_case_and_the_ledger_never_change_through_the_admin(client, hr, rows):
    case = rows()
    issuance = Issuance.objects.get(case=case)
    frozen = (Case.objects.values().get(pk=case.pk), Issuance.objects.values().get(pk=issuance.pk))
    assert client.post(url(Case, "change", case.pk), {"status": "open", "summary": "x"}).status_code == 403
    assert client.post(url(Issuance, "change", issuance.pk), {"amount": "1.00"}).status_code == 403
    changelist = {"action": "delete_selected", "_selected_action": [issuance.pk], "post": "yes"}
    client.post(url(Issuance, "changelist"), changelist)
    client.post(url(Case, "changelist"), {**changelist, "_selected_action": [case.pk]})
    assert (Case.objects.values().get(pk=case.pk), Issuance.objects.values().get(pk=issuance.pk)) == frozen


def test_hr_searches_cases_by_reference_and_owner_number(client, hr, rows):
    case, other = rows(), rows()
    page = client.get(url(Case, "changelist"), {"q": case.owner.employee_number})
    assert list(page.context["cl"].result_list) == [case]
    page = client.get(url(Case, "changelist"), {"q": other.reference})
    assert list(page.context["cl"].result_list) == [other]


def _limit_form(limit, **figures):
    values = {"per_use": limit.per_use, "per_day": limit.per_day, "per_month": limit.per_month, **figures}
    return {name: str(value) for name, value in values.items()}


def test_a_limit_is_set_through_the_service_so_a_raise_is_dated(client, hr, time_machine):
    limit = AuthorityLimit.objects.select_related("grade").get(
        grade__code="g1", scenario__code="fee-charged-in-error", risk="low"
    )
    AuthorityLimit.objects.filter(pk=limit.pk).update(raised_at=None)
    lowered = _limit_form(limit, per_use=limit.per_use - 1)
    assert client.post(url(AuthorityLimit, "change", limit.pk), lowered).status_code == 302
    limit.refresh_from_db()
    assert limit.raised_at is None  # lowering is not a raise
    time_machine.move_to(datetime.datetime(2026, 12, 4, 2, 0, tzinfo=datetime.UTC), tick=False)
    raised = _limit_form(limit, per_day=limit.per_day + 10)
    assert client.post(url(AuthorityLimit, "change", limit.pk), raised).status_code == 302
    limit.refresh_from_db()
    assert limit.raised_at == timezone.now()
    assert (limit.grade.code, limit.risk) == ("g1", "low")  # which cell it is never changes


def test_a_limit_breaking_use_day_month_is_refused_in_words(client, hr):
    limit = AuthorityLimit.objects.get(grade__code="g1", scenario__code="fee-charged-in-error", risk="low")
    bad = _limit_form(limit, per_day=limit.per_use - 1)
    response = client.post(url(AuthorityLimit, "change", limit.pk), bad)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    limit.refresh_from_db()
    assert limit.per_day >= limit.per_use


def test_a_new_limit_is_added_through_the_service(client, hr):
    grade, scenario = Grade.objects.get(code="g1"), Scenario.objects.get(code="fee-charged-in-error")
    AuthorityLimit.objects.filter(grade=grade, scenario=scenario, risk="high").delete()
    form = {
        "grade": grade.pk,
        "scenario": scenario.pk,
        "risk": "high",
        "per_use": "5",
        "per_day": "5",
        "per_month": "9",
    }
    assert client.post(url(AuthorityLimit, "add"), form).status_code == 302
    added = AuthorityLimit.objects.get(grade=grade, scenario=scenario, risk="high")
    assert added.per_month == Decimal("9") and added.raised_at is not None


def test_qa_settings_are_one_row_never_deleted(client, hr):
    form = {
        "finding_rate": "0.300",
        "finding_days": 90,
        "new_holder_rate": "0.200",
        "new_holder_days": 30,
        "repeat_customer_days": 30,
        "repeat_customer_times": 2,
        "after_raise_days": 7,
        "dispute_days": 5,
    }
    assert client.post(url(QASettings, "add"), form).status_code == 302
    assert QASettings.current().finding_rate == Decimal("0.300") and QASettings.current().pk == 1
    assert client.get(url(QASettings, "add")).status_code == 403
    assert client.post(url(QASettings, "delete", 1), {"post": "yes"}).status_code == 403
    assert QASettings.objects.count() == 1
