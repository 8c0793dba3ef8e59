"""Acknowledging a playbook version (issue 12 §5): level 1 of a person's linkage, "read"."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people

from .. import permissions
from ..models import Acknowledgement
from . import onboarding


@transaction.atomic
def acknowledge(*, user, version):
    """``user`` has read ``version``: one row per version and person, so a double click or a retry changes
    nothing (the unique constraint backs it). Returns (acknowledgement, created)."""
    if not permissions.can_acknowledge(user, version):
        raise PermissionDenied(_("This playbook version does not apply to you."))
    me = people.employee_of(user)
    acknowledgement, created = Acknowledgement.objects.get_or_create(
        version=version, employee=me, defaults={"acknowledged_at": timezone.now()}
    )
    if created:
        onboarding.acknowledged(user=user, employee=me, version=version)
    return acknowledgement, created
