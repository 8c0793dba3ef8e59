"""Writes of the points ledger (issue 15 §2). ``record`` appends one entry per ``source_ref`` (ON CONFLICT
semantics: a retry returns the entry already written, so nothing is credited twice); a correction is a reversal
entry, never an edit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import EntryKind, PointsEntry


def record(*, kind, employee, points, source_ref, actor=None, note="", recognition=None, reverses=None, rule=None):
    """Append an entry once per ``source_ref``; returns (entry, created). A second call with the same reference
    returns the first entry unchanged. An award, a grant outside recognition and a penalty cite their ``rule``
    (issue 15 §8; those that do not are listed by incentives.selectors.rules.exceptions)."""
    with transaction.atomic():
        return PointsEntry.objects.get_or_create(
            source_ref=source_ref,
            defaults={
                "kind": kind,
                "employee": employee,
                "points": points,
                "actor": actor,
                "note": note[:200],
                "recognition": recognition,
                "reverses": reverses,
                "rule": rule,
            },
        )


@transaction.atomic
def reverse(*, user, entry_id, note=""):
    """HR undoes an entry with a new one of the opposite sign; reversing twice returns the first reversal."""
    if not permissions.can_reverse_entry(user):
        raise PermissionDenied
    original = PointsEntry.objects.select_for_update(of=("self",)).get(pk=entry_id)
    if original.kind == EntryKind.REVERSAL:
        raise ValidationError(_("A reversal is not reversed: record a new entry instead."))
    entry, _created = record(
        kind=EntryKind.REVERSAL,
        employee=original.employee,
        points=-original.points,
        source_ref=f"reversal:{original.pk}",
        actor=user,
        note=note,
        reverses=original,
    )
    return entry
