"""Writes of the reward catalogue (issue 15 §2): redeeming holds the points (a ``redemption`` entry) and one unit of
stock at once, under locks on the employee's and the reward's rows, so two redemptions at the same moment can
overdraw neither the balance nor the stock; HR approves, or rejects and both come back (a reversal entry)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Employee

from .. import permissions
from ..models import EntryKind, PointsEntry, Redemption, RedemptionStatus, Reward
from ..selectors import ledger as ledger_selectors
from . import ledger


@transaction.atomic
def redeem(*, user, reward_id, idempotency_key=""):
    """``user`` exchanges points for one unit of a reward; it waits for HR's approval. The same
    ``idempotency_key`` again returns the first redemption (a client's retry spends nothing twice)."""
    if not permissions.can_redeem(user):
        raise PermissionDenied
    me = permissions.staff_permissions.employee_of(user)
    # Lock the employee first (as giving recognition does), then the reward: one order, no deadlock.
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=me.pk)
    if idempotency_key:
        done = Redemption.objects.filter(employee=employee, idempotency_key=idempotency_key).first()
        if done is not None:
            return done
    reward = Reward.objects.select_for_update().filter(pk=reward_id).first()
    if reward is None:
        raise ValidationError(_("This reward is no longer offered."))
    if not reward.is_active:
        raise ValidationError(_("This reward is no longer offered."))
    if reward.stock < 1:
        raise ValidationError(_("This reward is out of stock."))
    balance = ledger_selectors.balance(employee)
    if balance < reward.cost:
        raise ValidationError(
            _("This needs %(cost)s points; your balance is %(balance)s.") % {"cost": reward.cost, "balance": balance}
        )
    redemption = Redemption.objects.create(
        employee=employee, reward=reward, points=reward.cost, idempotency_key=idempotency_key or ""
    )
    Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    ledger.record(
        kind=EntryKind.REDEMPTION,
        employee=employee,
        points=-reward.cost,
        source_ref=f"redemption:{redemption.pk}",
        actor=user,
        note=reward.name,
    )
    return redemption


@transaction.atomic
def decide(*, user, redemption_id, approve, note=""):
    """HR approves or rejects a pending redemption; a rejection gives back the points and the unit of stock.
    Deciding the same way again changes nothing."""
    if not permissions.can_decide_redemptions(user):
        raise PermissionDenied
    redemption = Redemption.objects.select_for_update(of=("self",)).filter(pk=redemption_id).first()
    if redemption is None:
        raise PermissionDenied
    target = RedemptionStatus.APPROVED if approve else RedemptionStatus.REJECTED
    if redemption.status == target:
        return redemption
    if redemption.status != RedemptionStatus.PENDING:
        raise ValidationError(_("This redemption was already decided."))
    redemption.status, redemption.decided_by, redemption.decided_at = target, user, timezone.now()
    redemption.note = (note or "")[:200]
    redemption.save(update_fields=["status", "decided_by", "decided_at", "note"])
    if not approve:
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
        held = PointsEntry.objects.get(source_ref=f"redemption:{redemption.pk}")
        ledger.reverse(user=user, entry_id=held.pk, note=note)
    return redemption
