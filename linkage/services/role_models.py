"""Role models (树标杆, issue 12 §9, DOMAIN §4 "publicity and role models"): HR or a supervisor marks a person, or
her part in a drill, as a model for a playbook with what she did; the gallery on the playbook page shows them.

A person is shown once per playbook: marking her again with a new story hides the old one (kept for the record);
marking her again with the same story (a double click) returns the row already there."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from staff.models import Employee, Stage

from .. import permissions
from ..models import DrillStatus, RoleModel


def _drill_problem(drill, playbook, employee):
    """Why ``drill`` cannot back the mark (None when it can): a scored drill of the playbook she took part in."""
    names = {"person": employee.name, "playbook": playbook.name}
    if drill.version.playbook_id != playbook.pk:
        return _("This drill is not a drill of %(playbook)s.") % names
    if drill.status != DrillStatus.SCORED:
        return _("Only a scored drill can be shown as a model.")
    if not drill.participants.filter(employee=employee).exists():
        return _("%(person)s did not take part in this drill.") % names
    return None


@transaction.atomic
def mark_role_model(*, actor, playbook, employee, what_they_did, drill=None):
    """Show ``employee`` (and her part in ``drill``) in the gallery of ``playbook`` with what she did."""
    if not permissions.can_mark_role_model(actor, employee):
        raise PermissionDenied(_("Only HR or her supervisor marks this person as a role model."))
    # Her row is the lock: two marks at once must not both find no active role model and both insert.
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    what = (what_they_did or "").strip()
    problems = []
    if not what:
        problems.append(_("Say what they did, so that others can learn from it."))
    if employee.stage == Stage.LEFT:
        problems.append(_("%(person)s has left.") % {"person": employee.name})
    if drill is not None and (problem := _drill_problem(drill, playbook, employee)) is not None:
        problems.append(problem)
    if problems:
        raise ValidationError(problems)
    current = RoleModel.objects.filter(playbook=playbook, employee=employee, is_active=True).first()
    drill_id = drill.pk if drill is not None else None
    if current is not None and current.what_they_did == what and current.drill_id == drill_id:
        return current
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active"])
    return RoleModel.objects.create(
        playbook=playbook, employee=employee, drill=drill, what_they_did=what, marked_by=actor
    )


@transaction.atomic
def remove_role_model(*, actor, role_model_id):
    """Take a role model out of the gallery (the row stays, hidden). Removing it twice changes nothing."""
    found = RoleModel.objects.select_for_update(of=("self",)).select_related("employee__team").get(pk=role_model_id)
    if not permissions.can_mark_role_model(actor, found.employee):
        raise PermissionDenied(_("Only HR or her supervisor removes this role model."))
    if found.is_active:
        found.is_active = False
        found.save(update_fields=["is_active"])
    return found
