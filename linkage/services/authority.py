"""Every write of tiered authority (issue 13 §3, seed 003): grades held, the matrix of limits, issuing a coupon
within a limit, requests above it and their one decision, reversals.

The ledger (Issuance) is append-only: a mistake is corrected by a reversal row with a negative amount naming the
one it reverses. A race: two issuances at the same moment could each see the day's total below the limit and
together pass it, so every issuance first locks the agent's Employee row (select_for_update) and only then sums
her day and month; the second waits for the first to commit and sees its row."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people
from staff.models import Employee

from .. import authority_rules as rules
from .. import permissions
from ..models import (
    AuthorityLimit,
    Case,
    CaseEvent,
    CouponRequest,
    EventKind,
    Grade,
    GradeHolding,
    Issuance,
    RequestStatus,
    Scenario,
)

CENT = Decimal("0.01")


def _fail(reasons):
    raise ValidationError([str(reason) for reason in reasons])


# Grades and the matrix ---------------------------------------------------------------------------------------


def current_grade(employee, *, at=None):
    """The grade ``employee`` holds now (the newest holding that has started), or None."""
    if employee is None:
        return None
    holding = (
        GradeHolding.objects.filter(employee=employee, since__lte=at or timezone.now())
        .select_related("grade")
        .order_by("-since", "-pk")
        .first()
    )
    return holding.grade if holding else None


@transaction.atomic
def set_grade(*, actor, employee, grade, reason, since=None):
    """``employee`` holds ``grade`` from ``since`` (now): a new row, rows are never changed. HR, or the system
    (actor None: a confirmed QA finding lowers a grade)."""
    if actor is not None and not permissions.can_manage_authority(actor):
        raise PermissionDenied
    return GradeHolding.objects.create(
        employee=employee, grade=grade, since=since or timezone.now(), reason=reason, granted_by=actor
    )


@transaction.atomic
def set_limit(*, actor, grade, scenario, risk, per_use, per_day, per_month):
    """Set what ``grade`` may issue alone in ``scenario`` at ``risk`` (HR); ``raised_at`` moves when any figure goes
    up (QA samples issuances right after a raise: issue 13 §4)."""
    if not permissions.can_manage_authority(actor):
        raise PermissionDenied
    figures = {"per_use": Decimal(per_use), "per_day": Decimal(per_day), "per_month": Decimal(per_month)}
    if (
        any(value < 0 for value in figures.values())
        or not figures["per_use"] <= figures["per_day"] <= (figures["per_month"])
    ):
        _fail([_("Limits must be zero or more, per use ≤ per day ≤ per month.")])
    limit = AuthorityLimit.objects.select_for_update().filter(grade=grade, scenario=scenario, risk=risk).first()
    if limit is None:
        return AuthorityLimit.objects.create(
            grade=grade, scenario=scenario, risk=risk, raised_at=timezone.now(), **figures
        )
    raised = any(value > getattr(limit, name) for name, value in figures.items())
    for name, value in figures.items():
        setattr(limit, name, value)
    if raised:
        limit.raised_at = timezone.now()
    limit.save(update_fields=[*figures, "raised_at"])
    return limit


# The decision ------------------------------------------------------------------------------------------------


def used(employee_id, scenario_id, on):
    """(today, this month) already issued by the agent in the scenario, reversals netted (two sums in one query)."""
    month = Issuance.objects.filter(
        issued_by_id=employee_id, scenario_id=scenario_id, on__gte=on.replace(day=1), on__lte=on
    ).aggregate(month=Sum("amount"), day=Sum("amount", filter=Q(on=on)))
    return month["day"] or Decimal("0"), month["month"] or Decimal("0")


def decision_for(employee, scenario, risk, amount, *, on=None, grade=None):
    """The decision (authority_rules.decide) for ``employee`` issuing ``amount`` in ``scenario`` at ``risk``."""
    on = on or timezone.localdate()
    grade = grade if grade is not None else current_grade(employee)
    limits = {limit.grade_id: limit for limit in AuthorityLimit.objects.filter(scenario=scenario, risk=risk)}
    rank = grade.rank if grade else 0
    higher = [rules.Tier(g.rank, limits.get(g.pk), g.name) for g in Grade.objects.filter(rank__gt=rank)]
    used_today, used_month = used(employee.pk, scenario.pk, on)
    return rules.decide(
        grade_rank=rank,
        limit=limits.get(grade.pk) if grade else None,
        amount=Decimal(amount).quantize(CENT),
        used_today=used_today,
        used_month=used_month,
        scenario_active=scenario.is_active,
        standard_min=scenario.standard_min,
        standard_max=scenario.standard_max,
        higher=higher,
    )


def _lock(employee_id):
    """Lock the agent's row: her issuances are summed and written one at a time (see the module's docstring)."""
    return Employee.objects.select_for_update().get(pk=employee_id)


def _write(*, case, scenario, risk, amount, agent, grade, decision, request=None, key=""):
    now = timezone.now()
    return Issuance.objects.create(
        case=case,
        scenario=scenario,
        risk=risk,
        amount=Decimal(amount).quantize(CENT),
        issued_by=agent,
        team_id=agent.team_id,
        grade=grade,
        customer_ref=case.customer_ref,
        issued_at=now,
        on=timezone.localdate(now),
        request=request,
        at_limit=decision.at_limit,
        idempotency_key=key,
    )


# Issue, request, decide ----------------------------------------------------------------------------------------


@transaction.atomic
def issue(*, actor, case, scenario, risk, amount, idempotency_key=""):
    """Issue a coupon on ``case`` within the actor's authority; a retry with the same key returns the first row.
    Refused or above her limit: a ValidationError with the decision's reasons (the page then offers a request)."""
    case = Case.objects.get(pk=getattr(case, "pk", case))
    if not permissions.can_issue(actor, case):
        raise PermissionDenied
    agent = _lock(people.employee_of(actor).pk)
    if idempotency_key:
        done = Issuance.objects.filter(issued_by=agent, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    grade = current_grade(agent)
    decision = decision_for(agent, scenario, risk, amount, grade=grade)
    if not decision.allowed:
        _fail(decision.reasons)
    return _write(
        case=case,
        scenario=scenario,
        risk=risk,
        amount=amount,
        agent=agent,
        grade=grade,
        decision=decision,
        key=idempotency_key,
    )


@transaction.atomic
def request_approval(*, actor, case, scenario, risk, amount, reason):
    """Ask a higher grade to allow a use above the actor's limit (the decision names the lowest grade that may). A
    second identical request while the first waits returns the first."""
    case = Case.objects.get(pk=getattr(case, "pk", case))
    if not permissions.can_issue(actor, case):
        raise PermissionDenied
    agent = _lock(people.employee_of(actor).pk)
    if not (reason or "").strip():
        _fail([_("Say why the customer should get more than your limit allows.")])
    amount = Decimal(amount).quantize(CENT)
    decision = decision_for(agent, scenario, risk, amount)
    if decision.allowed:
        _fail([_("This is within your authority: issue it yourself.")])
    if decision.refused:
        _fail(decision.reasons)
    waiting = CouponRequest.objects.filter(
        case=case, scenario=scenario, risk=risk, amount=amount, requested_by=agent, status=RequestStatus.PENDING
    ).first()
    if waiting is not None:
        return waiting
    return CouponRequest.objects.create(
        case=case,
        scenario=scenario,
        risk=risk,
        amount=amount,
        requested_by=agent,
        requested_at=timezone.now(),
        reason=reason.strip(),
        approver_rank=decision.approver_rank,
    )


@transaction.atomic
def decide_request(*, actor, request_id, approve, note=""):
    """Approve (which issues it, once: the request row is locked and a decided one returns as it is) or refuse a
    pending request. The approver holds a grade of the request's rank or above, within her scope (HR decides any,
    as the top grade); on approval that grade's limit is checked against what the agent has used by now."""
    request = permissions.approval_scope(actor).select_for_update(of=("self",)).filter(pk=request_id).first()
    if request is None:
        raise PermissionDenied
    if request.status != RequestStatus.PENDING:
        if request.status == (RequestStatus.APPROVED if approve else RequestStatus.REFUSED):
            return request
        _fail([_("This request was already decided: %(status)s.") % {"status": request.get_status_display()}])
    grade = current_grade(people.employee_of(actor))
    if (grade is None or grade.rank < request.approver_rank) and people.is_hr(actor):
        # HR (the centre, who sets the matrix) decides any request, within the top grade's limits.
        grade = Grade.objects.order_by("-rank").first()
    if grade is None or grade.rank < request.approver_rank:
        _fail([_("Your grade may not decide this request: it needs a higher grade.")])
    if approve:
        agent = _lock(request.requested_by_id)
        decision = decision_for(agent, request.scenario, request.risk, request.amount, grade=grade)
        if not decision.allowed:
            _fail(decision.reasons)
        _write(
            case=request.case,
            scenario=request.scenario,
            risk=request.risk,
            amount=request.amount,
            agent=agent,
            grade=current_grade(agent) or grade,
            decision=decision,
            request=request,
        )
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


@transaction.atomic
def cancel_request(*, actor, request_id):
    """The person who asked withdraws her pending request."""
    request = CouponRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or not permissions.can_cancel_request(actor, request):
        if request is not None and request.status == RequestStatus.CANCELLED:
            return request
        raise PermissionDenied
    request.status = RequestStatus.CANCELLED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


@transaction.atomic
def reverse_issuance(*, actor, issuance_id, reason):
    """Correct a mistaken issuance: a negative row naming it (the ledger never changes), on the original's day so
    the day's and month's totals net out; the reason is written in the case's history. Once: a second call
    returns the first reversal. HR or the supervisor of the issuance's team."""
    original = Issuance.objects.select_for_update(of=("self",)).select_related("team").get(pk=issuance_id)
    done = Issuance.objects.filter(reverses=original).first()
    if done is not None:
        return done
    if not permissions.can_reverse_issuance(actor, original):
        raise PermissionDenied
    if not (reason or "").strip():
        _fail([_("Say why the issuance is reversed.")])
    now = timezone.now()
    reversal = Issuance.objects.create(
        case_id=original.case_id,
        scenario_id=original.scenario_id,
        risk=original.risk,
        amount=-original.amount,
        issued_by_id=original.issued_by_id,
        team_id=original.team_id,
        grade_id=original.grade_id,
        customer_ref=original.customer_ref,
        issued_at=now,
        on=original.on,
        reverses=original,
    )
    CaseEvent.objects.create(
        case_id=original.case_id,
        kind=EventKind.CORRECTION,
        actor=actor,
        at=now,
        text=reason.strip(),
        data={"issuance": original.pk, "reversal": reversal.pk, "amount": str(original.amount)},
        key=f"reversal:{original.pk}",
    )
    return reversal


def scenarios_in_use():
    return Scenario.objects.filter(is_active=True).order_by("code")
