"""Issue 13 §6: the API of cases, coupon requests, issuances and QA reviews. Scoped like the pages; only the owner
hands off and closes; every transfer names a reason; the masked customer reference never unmasks; the ledger and a
closed case never change through the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from linkage.models import Case, CouponRequest, Finding, Issuance, LinkageRole, QAReview, Scenario
from tests.linkage.factories import case_category, matrix_case, matrix_issuance, matrix_qa_sample, open_case_for
from tests.staff.factories import EmployeeFactory

RAW = "13812345678"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _case_url(case, action=None):
    if action:
        return reverse(f"linkage-case-{action}", args=[case.pk])
    return reverse("linkage-case-detail", args=[case.pk])


@pytest.fixture
def specialist():
    return LinkageRole.objects.get(code="second-line-specialist")


@pytest.fixture
def scenario():
    return Scenario.objects.get(code="fee-charged-in-error")


# Cases ---------------------------------------------------------------------------------------------------------


def test_an_agent_logs_a_case_she_owns_and_the_reference_is_masked(world):
    body = {"customer_ref": RAW, "channel": "phone", "category": case_category().pk, "summary": "Fee charged twice."}
    response = _client(world.trainee.user).post(reverse("linkage-case-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.data["owner"] == world.trainee.pk
    assert response.data["customer_ref"] == "138****5678"
    assert RAW not in response.content.decode()
    assert Case.objects.get(pk=response.data["id"]).customer_ref == "138****5678"
    listed = _client(world.supervisor.user).get(reverse("linkage-case-list"), {"search": response.data["reference"]})
    assert [row["id"] for row in listed.data["results"]] == [response.data["id"]]
    assert RAW not in listed.content.decode()


def test_cases_are_scoped_like_the_pages(world):
    matrix_case(world)  # the trainee's case, a step handed to her mentor
    url = _case_url(world.linkage_case)
    expected = {world.trainee: 200, world.mentor: 200, world.supervisor: 200, world.other_trainee: 404}
    expected |= {world.other_supervisor: 404}
    assert {person: _client(person.user).get(url).status_code for person in expected} == expected
    assert _client(world.hr).get(url).status_code == 200
    ids = [row["id"] for row in _client(world.other_trainee.user).get(reverse("linkage-case-list")).data["results"]]
    assert ids == []


def test_every_transfer_needs_a_reason_code_and_ownership_stays(world, specialist):
    case = open_case_for(world.trainee, customer_ref=RAW)
    client = _client(world.trainee.user)
    refused = client.post(_case_url(case, "handoff"), {"to_role": specialist.pk}, format="json")
    assert refused.status_code == 400 and "reason_code" in refused.data
    body = {"to_role": specialist.pk, "reason_code": "specialist", "to_employee": world.mentor.pk}
    response = client.post(_case_url(case, "handoff"), body, format="json")
    assert response.status_code == 200, response.content
    assert response.data["owner"] == world.trainee.pk
    assert [(h["to_role_code"], h["to_employee"], h["reason_code"]) for h in response.data["handoffs"]] == [
        ("second-line-specialist", world.mentor.pk, "specialist")
    ]
    other = "other"
    missing_why = client.post(_case_url(case, "handoff"), {"to_role": specialist.pk, "reason_code": other})
    assert missing_why.status_code == 400
    # Only the owner hands off: her mentor (who sees the case) and her supervisor are refused.
    for person in (world.mentor, world.supervisor):
        assert _client(person.user).post(_case_url(case, "handoff"), body, format="json").status_code == 403


def test_a_hand_off_to_someone_outside_the_case_is_refused(world, specialist):
    case = open_case_for(world.trainee)
    body = {"to_role": specialist.pk, "reason_code": "specialist", "to_employee": world.other_trainee.pk}
    response = _client(world.trainee.user).post(_case_url(case, "handoff"), body, format="json")
    assert response.status_code == 400 and "to_employee" in response.data


def test_only_the_owner_closes_and_a_closed_case_never_changes_through_the_api(world, specialist):
    case = open_case_for(world.trainee)
    close = {"outcome": "first_contact", "note": "Refunded."}
    assert _client(world.hr).post(_case_url(case, "close"), close, format="json").status_code == 403
    assert _client(world.supervisor.user).post(_case_url(case, "close"), close, format="json").status_code == 403
    owner = _client(world.trainee.user)
    response = owner.post(_case_url(case, "close"), close, format="json")
    assert response.status_code == 200 and response.data["status"] == "closed"
    closed = Case.objects.values().get(pk=case.pk)
    handoff = {"to_role": specialist.pk, "reason_code": "specialist"}
    assert owner.post(_case_url(case, "handoff"), handoff, format="json").status_code == 403
    assert owner.post(_case_url(case, "close"), {"outcome": "later"}, format="json").status_code == 403
    for client in (owner, _client(world.hr)):
        assert client.put(_case_url(case), {"summary": "x"}, format="json").status_code == 405
        assert client.patch(_case_url(case), {"summary": "x"}, format="json").status_code == 405
        assert client.delete(_case_url(case)).status_code == 405
    assert Case.objects.values().get(pk=case.pk) == closed


def test_the_case_list_is_a_fixed_number_of_queries(world, specialist):
    client = _client(world.supervisor.user)
    open_case_for(world.trainee)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("linkage-case-list")).status_code == 200
    for _n in range(4):
        case = open_case_for(world.mentor)
        _client(world.mentor.user).post(
            _case_url(case, "handoff"), {"to_role": specialist.pk, "reason_code": "specialist"}, format="json"
        )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("linkage-case-list")).data["results"]) == 5
    assert len(many) == len(few)


# Coupon requests and the ledger -------------------------------------------------------------------------------


def _use(world, scenario, amount, **extra):
    return {"case": world.authority_case.pk, "scenario": scenario.pk, "risk": "low", "amount": amount, **extra}


def test_an_issuance_within_her_limit_is_in_the_ledger_once(world, scenario):
    matrix_issuance(world)
    client = _client(world.trainee.user)
    url = reverse("linkage-issuance-list")
    first = client.post(url, _use(world, scenario, "15.00", idempotency_key="call-1"), format="json")
    assert first.status_code == 201, first.content
    assert (first.data["issued_by"], first.data["amount"], first.data["customer_ref"]) == (
        world.trainee.pk,
        "15.00",
        "138****5678",
    )
    again = client.post(url, _use(world, scenario, "15.00"), format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    assert (again.status_code, again.data["id"]) == (200, first.data["id"])
    assert Issuance.objects.filter(issued_by=world.trainee).count() == 2  # the fixture's and this one


def test_above_her_limit_the_issuance_is_refused_with_the_reasons(world, scenario):
    matrix_issuance(world)
    response = _client(world.trainee.user).post(
        reverse("linkage-issuance-list"), _use(world, scenario, "45.00"), format="json"
    )
    assert response.status_code == 400 and response.data
    assert Issuance.objects.filter(amount=45).count() == 0


def test_the_ledger_never_changes_through_the_api(world):
    matrix_issuance(world)
    issuance = world.authority_issuance
    url = reverse("linkage-issuance-detail", args=[issuance.pk])
    before = Issuance.objects.values().get(pk=issuance.pk)
    for user in (world.trainee.user, world.supervisor.user, world.hr):
        client = _client(user)
        assert client.get(url).status_code == 200
        assert client.put(url, {"amount": "1.00"}, format="json").status_code == 405
        assert client.patch(url, {"amount": "1.00"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
    assert Issuance.objects.values().get(pk=issuance.pk) == before
    assert _client(world.other_trainee.user).get(url).status_code == 404
    assert _client(world.mentor.user).get(url).status_code == 404


def test_a_request_above_her_limit_is_decided_by_a_higher_grade_once(world, scenario):
    matrix_issuance(world)
    agent = _client(world.trainee.user)
    body = _use(world, scenario, "40.00", reason="Charged three times.")
    response = agent.post(reverse("linkage-coupon-request-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert (response.data["status"], response.data["approver_rank"]) == ("pending", 2)
    decide = reverse("linkage-coupon-request-decide", args=[response.data["id"]])
    assert agent.post(decide, {"approve": True}, format="json").status_code == 403  # never her own
    assert _client(world.other_supervisor.user).post(decide, {"approve": True}, format="json").status_code == 404
    supervisor = _client(world.supervisor.user)
    approved = supervisor.post(decide, {"approve": True, "note": "OK."}, format="json")
    assert approved.status_code == 200 and approved.data["status"] == "approved"
    assert supervisor.post(decide, {"approve": True}, format="json").status_code == 200
    assert Issuance.objects.filter(request_id=response.data["id"]).count() == 1
    assert supervisor.delete(reverse("linkage-coupon-request-detail", args=[response.data["id"]])).status_code == 405
    request = CouponRequest.objects.get(pk=response.data["id"])
    assert request.decided_by == world.supervisor.user


# QA reviews ----------------------------------------------------------------------------------------------------


def _qa_person(name):
    person = EmployeeFactory(name=name, team=None, stage="management")
    LinkageRole.objects.get(code="qa").positions.add(person.position)
    return person.user


def test_qa_staff_review_a_sample_and_a_finding_opens_on_the_agent(world):
    matrix_qa_sample(world)
    qa = _client(_qa_person("QA 1"))
    url = reverse("linkage-qa-review-list")
    finding = {"sample": world.qa_sample.pk, "result": "finding", "kind": "over_standard", "severity": "minor"}
    assert qa.post(url, finding, format="json").status_code == 400  # a finding needs its evidence
    response = qa.post(url, {**finding, "evidence": "¥20 on a ¥10 case."}, format="json")
    assert response.status_code == 201, response.content
    assert (response.data["agent"], response.data["issuance"], response.data["result"]) == (
        world.trainee.pk,
        world.authority_issuance.pk,
        "finding",
    )
    assert Finding.objects.get(pk=response.data["finding"]).agent == world.trainee
    assert qa.post(url, {**finding, "evidence": "Again."}, format="json").status_code == 400  # once per reviewer
    calibration = _client(_qa_person("QA 2")).post(url, {"sample": world.qa_sample.pk, "result": "compliant"})
    assert calibration.status_code == 201 and calibration.data["finding"] is None
    listed = qa.get(url, {"sample": world.qa_sample.pk}).data["results"]
    assert sorted(row["result"] for row in listed) == ["compliant", "finding"]


def test_only_qa_staff_and_hr_see_and_write_reviews(world):
    matrix_qa_sample(world)
    url = reverse("linkage-qa-review-list")
    body = {"sample": world.qa_sample.pk, "result": "compliant"}
    assert _client(world.hr).post(url, body, format="json").status_code == 201
    for person in (world.trainee, world.supervisor, world.mentor):
        client = _client(person.user)
        assert client.get(url).data["results"] == []
        assert client.post(url, body, format="json").status_code == 403
    assert _client(world.hr).get(url).data["count"] == 1


def test_a_review_never_changes_through_the_api(world):
    matrix_qa_sample(world)
    qa = _client(_qa_person("QA 1"))
    created = qa.post(reverse("linkage-qa-review-list"), {"sample": world.qa_sample.pk, "result": "compliant"})
    detail = f"{reverse('linkage-qa-review-list')}{created.data['id']}/"
    assert qa.get(detail).status_code == 404  # a list and a create: no detail, no update, no delete
    assert qa.delete(detail).status_code == 404
    assert QAReview.objects.get(pk=created.data["id"]).result == "compliant"
