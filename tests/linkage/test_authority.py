"""Tiered authority's writes (issue 13 §3): issue within a limit, request above it, one decision per request,
reversals, the matrix; the ledger never changes; two issuances at once cannot pass a daily limit (PostgreSQL)."""

import contextlib
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from linkage.models import AuthorityLimit, CaseEvent, Grade, Issuance, RequestStatus, Scenario
from linkage.selectors.authority import ledger_totals, team_totals
from linkage.services import authority as services
from tests.linkage.factories import authority_case, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee():
    """Shipped scenario (up to ¥50); G1 low risk: ¥30 per use, ¥90 a day, ¥900 a month."""
    return Scenario.objects.get(code="fee-charged-in-error")


@pytest.fixture
def case(world):
    grant(world.trainee, "g1")
    grant(world.supervisor, "g3")
    return authority_case(world.trainee)


def issue(world, case, fee, amount, **kwargs):
    return services.issue(actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D(amount), **kwargs)


def test_an_issuance_within_the_limit_names_its_case_scenario_team_and_grade(world, case, fee):
    row = issue(world, case, fee, "30")
    assert (row.case, row.scenario, row.team, row.grade.code, row.amount) == (case, fee, world.team, "g1", D("30"))
    assert row.customer_ref == case.customer_ref and row.on == timezone.localdate() and row.at_limit


def test_an_amount_above_the_per_use_limit_is_not_issued_and_says_why(world, case, fee):
    with pytest.raises(ValidationError) as error:
        issue(world, case, fee, "31")
    assert "per use" in " ".join(error.value.messages)
    assert not Issuance.objects.exists()


def test_the_daily_limit_counts_what_was_issued_today(world, case, fee):
    for _ in range(3):
        issue(world, case, fee, "30")
    with pytest.raises(ValidationError) as error:
        issue(world, case, fee, "10")
    assert "¥0.00 left today" in " ".join(error.value.messages)


def test_a_retry_with_the_same_key_issues_once(world, case, fee):
    first = issue(world, case, fee, "20", idempotency_key="form-1")
    assert issue(world, case, fee, "20", idempotency_key="form-1") == first
    assert Issuance.objects.count() == 1


def test_only_whoever_works_the_case_issues_on_it(world, case, fee):
    grant(world.other_trainee, "g4")
    with pytest.raises(PermissionDenied):
        services.issue(actor=world.other_trainee.user, case=case, scenario=fee, risk="low", amount=D("10"))


def test_a_request_above_the_limit_goes_to_the_lowest_grade_that_allows_it(world, case, fee):
    request = services.request_approval(
        actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("45"), reason="Charged twice."
    )
    assert (request.status, request.approver_rank, request.requested_by) == ("pending", 2, world.trainee)
    again = services.request_approval(
        actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("45"), reason="Again."
    )
    assert again == request


def test_a_request_within_the_limit_is_refused_issue_it_yourself(world, case, fee):
    with pytest.raises(ValidationError):
        services.request_approval(
            actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("20"), reason="Why not."
        )


def test_a_request_above_the_standard_is_refused_for_everyone(world, case, fee):
    with pytest.raises(ValidationError) as error:
        services.request_approval(
            actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("60"), reason="Angry."
        )
    assert "nobody may issue it" in " ".join(error.value.messages)


@pytest.fixture
def request_45(world, case, fee):
    return services.request_approval(
        actor=world.trainee.user, case=case, scenario=fee, risk="low", amount=D("45"), reason="Charged twice."
    )


def test_approving_issues_it_once(world, request_45):
    approved = services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=True)
    again = services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=True)
    assert approved.status == again.status == RequestStatus.APPROVED
    row = Issuance.objects.get()
    assert (row.request, row.issued_by, row.amount, row.grade.code) == (request_45, world.trainee, D("45"), "g1")


def test_refusing_issues_nothing_and_a_refused_request_cannot_be_approved(world, request_45):
    services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=False, note="No.")
    with pytest.raises(ValidationError):
        services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=True)
    assert not Issuance.objects.exists()


def test_a_supervisor_of_too_low_a_grade_cannot_decide(world, request_45):
    grant(world.supervisor, "g1")  # her newest holding
    with pytest.raises(ValidationError):
        services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=True)
    assert services.current_grade(world.supervisor).code == "g1"


def test_another_teams_supervisor_and_the_agent_herself_cannot_decide(world, request_45):
    grant(world.other_supervisor, "g4")
    for actor in (world.other_supervisor.user, world.trainee.user):
        with pytest.raises(PermissionDenied):
            services.decide_request(actor=actor, request_id=request_45.pk, approve=True)


def test_the_agent_withdraws_her_request(world, request_45):
    services.cancel_request(actor=world.trainee.user, request_id=request_45.pk)
    request_45.refresh_from_db()
    assert request_45.status == RequestStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.decide_request(actor=world.supervisor.user, request_id=request_45.pk, approve=True)


def test_a_reversal_is_a_negative_row_naming_the_original_and_nets_the_totals(world, case, fee):
    original = issue(world, case, fee, "30")
    reversal = services.reverse_issuance(actor=world.supervisor.user, issuance_id=original.pk, reason="Duplicate.")
    assert (reversal.amount, reversal.reverses, reversal.on) == (D("-30"), original, original.on)
    assert services.reverse_issuance(actor=world.hr, issuance_id=original.pk, reason="Again.") == reversal
    original.refresh_from_db()
    assert original.amount == D("30")  # the ledger never changes
    assert ledger_totals([world.trainee.pk], on=original.on) == {world.trainee.pk: (D("0"), D("0"))}
    assert team_totals([world.team.pk], on=original.on)[world.team.pk] == (D("0"), D("0"))
    assert CaseEvent.objects.get(case=case, key=f"reversal:{original.pk}").text == "Duplicate."


def test_the_agent_cannot_reverse_her_own_issuance(world, case, fee):
    original = issue(world, case, fee, "30")
    with pytest.raises(PermissionDenied):
        services.reverse_issuance(actor=world.trainee.user, issuance_id=original.pk, reason="Oops.")


def test_the_ledger_refuses_a_negative_row_that_reverses_nothing(world, case, fee):
    row = issue(world, case, fee, "30")
    with pytest.raises(IntegrityError), transaction.atomic():
        Issuance.objects.create(
            **{f.attname: getattr(row, f.attname) for f in Issuance._meta.concrete_fields if f.name != "id"}
            | {"amount": D("-5"), "idempotency_key": ""}
        )


def test_raising_a_limit_marks_when_lowering_does_not(world, fee):
    grade = Grade.objects.get(code="g1")
    limit = AuthorityLimit.objects.get(grade=grade, scenario=fee, risk="low")
    assert limit.raised_at is None
    kwargs = {"actor": world.hr, "grade": grade, "scenario": fee, "risk": "low"}
    services.set_limit(**kwargs, per_use="25", per_day="90", per_month="900")
    limit.refresh_from_db()
    assert limit.raised_at is None and limit.per_use == D("25")
    services.set_limit(**kwargs, per_use="25", per_day="100", per_month="900")
    limit.refresh_from_db()
    assert limit.raised_at is not None and limit.per_day == D("100")
    with pytest.raises(PermissionDenied):
        services.set_limit(**{**kwargs, "actor": world.supervisor.user}, per_use="1", per_day="1", per_month="1")


def test_a_grade_is_a_new_holding_row(world):
    grant(world.trainee, "g1")
    services.set_grade(actor=None, employee=world.trainee, grade=Grade.objects.get(code="g2"), reason="Promoted.")
    assert services.current_grade(world.trainee).code == "g2"
    with pytest.raises(PermissionDenied):
        services.set_grade(
            actor=world.supervisor.user,
            employee=world.trainee,
            grade=Grade.objects.get(code="g4"),
            reason="Self-serve.",
        )


def _at_once(*calls):
    """Run ``calls`` in threads released together, each on its own database connection; the errors they raised."""
    barrier, errors = threading.Barrier(len(calls)), []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except (ValidationError, PermissionDenied) as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres(reason="two issuances at the same moment need real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_issuances_at_once_cannot_together_pass_the_daily_limit(world, fee, monkeypatch):
    grant(world.trainee, "g1")
    case = authority_case(world.trainee)
    issue(world, case, fee, "30")
    issue(world, case, fee, "30")  # ¥30 left of the day's ¥90
    # Widen the race: after deciding, each waits (2 s at most) for the other to have decided too. Without the lock
    # on the agent both decide on the same total and both write; with it the second decides after the first commits.
    decided, decision_for = threading.Barrier(2), services.decision_for

    def decide_then_wait(*args, **kwargs):
        decision = decision_for(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            decided.wait(timeout=2)
        return decision

    monkeypatch.setattr(services, "decision_for", decide_then_wait)
    errors = _at_once(lambda: issue(world, case, fee, "30"), lambda: issue(world, case, fee, "30"))
    assert len(errors) == 1 and "left today" in " ".join(errors[0].messages)
    assert ledger_totals([world.trainee.pk], on=timezone.localdate())[world.trainee.pk][0] == D("90")
