"""Applying a rule as written (issue 15 §8): a reward grants its points, a penalty deducts them, each entry citing
the rule in the points ledger (incentives.services.ledger.record: once per idempotency key, so a double click or a
retry writes one entry). The points are the rule's standard points unless HR or the lead sets others, within
[1, 10 × standard] — a rule is applied as written, not as a blank cheque."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from staff.models import Employee

from .. import permissions
from ..models import EntryKind, IncentiveRule, RuleKind
from .ledger import record

MAX_TIMES_STANDARD = 10


@transaction.atomic
def apply_rule(*, user, employee_id, rule_id, note, points=None, idempotency_key):
    """Grant (a reward) or deduct (a penalty) by ``rule`` for ``employee``; returns (entry, created)."""
    employee = Employee.objects.select_related("team").get(pk=employee_id)
    if not permissions.can_apply_rule_to(user, employee):
        raise PermissionDenied(
            _("You may apply a rule only to the people you lead (HR: to anyone), never to yourself.")
        )
    rule = IncentiveRule.objects.filter(pk=rule_id, is_active=True).first()
    if rule is None:
        raise ValidationError({"rule": [_("Choose an active rule.")]})
    if not note.strip():
        raise ValidationError({"note": [_("Say what happened: the rule is applied to a fact.")]})
    if not idempotency_key:
        raise ValidationError({"idempotency_key": [_("A key is needed so that a retry writes one entry.")]})
    points = rule.points if points is None else points
    if not 1 <= points <= rule.points * MAX_TIMES_STANDARD:
        raise ValidationError(
            {"points": [_("Between 1 and %(max)s points for this rule.") % {"max": rule.points * MAX_TIMES_STANDARD}]}
        )
    penalty = rule.kind == RuleKind.PENALTY
    return record(
        kind=EntryKind.PENALTY if penalty else EntryKind.GRANT,
        employee=employee,
        points=-points if penalty else points,
        source_ref=f"rule:{rule.code}:{employee.pk}:{idempotency_key}"[:120],
        actor=user,
        note=note.strip(),
        rule=rule,
    )
