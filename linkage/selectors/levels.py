"""Levels per person per playbook (issue 12 §7): L1 read, L2 drilled, L3 certified (until it expires).

levels_for answers for any number of people and playbooks in three queries (acknowledgements, passed scored
drills, latest certifications), so the team pages and the API stay flat whatever the team size or history."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

from .. import drill_rules, permissions
from ..models import Acknowledgement, Certification, DrillMode, DrillParticipant, DrillStatus
from .drills import recent_drills


@dataclass(frozen=True)
class Level:
    level: int
    acknowledged: bool
    drilled_on: date | None
    certified_until: date | None
    expired: bool  # she was certified and it has run out (the level fell back)


NONE = Level(0, False, None, None, False)


def levels_for(employee_ids, playbook_ids, *, today):
    """{(employee_id, playbook_id): Level} for every pair of ``employee_ids`` × ``playbook_ids``. Three queries."""
    employee_ids, playbook_ids = list(employee_ids), list(playbook_ids)
    if not employee_ids or not playbook_ids:
        return {}
    acknowledged = set(
        Acknowledgement.objects.filter(
            employee_id__in=employee_ids,
            version__playbook_id__in=playbook_ids,
            version__status__in=permissions.ACKNOWLEDGED_STATUSES,
        )
        .order_by()
        .values_list("employee_id", "version__playbook_id")
        .distinct()
    )
    drilled = {
        (row["employee_id"], row["drill__version__playbook_id"]): timezone.localtime(row["last"]).date()
        for row in DrillParticipant.objects.filter(
            employee_id__in=employee_ids,
            passed=True,
            drill__mode=DrillMode.SCORED,
            drill__status=DrillStatus.SCORED,
            drill__version__playbook_id__in=playbook_ids,
        )
        .order_by()
        .values("employee_id", "drill__version__playbook_id")
        .annotate(last=Max("drill__scheduled_for"))
    }
    certified = {
        (row["employee_id"], row["playbook_id"]): row["until"]
        for row in Certification.objects.filter(employee_id__in=employee_ids, playbook_id__in=playbook_ids)
        .order_by()
        .values("employee_id", "playbook_id")
        .annotate(until=Max("expires_on"))
    }
    levels = {}
    for employee_id in employee_ids:
        for playbook_id in playbook_ids:
            key = (employee_id, playbook_id)
            until = certified.get(key)
            levels[key] = Level(
                level=drill_rules.level_of(
                    acknowledged=key in acknowledged, drilled=key in drilled, certified_until=until, today=today
                ),
                acknowledged=key in acknowledged,
                drilled_on=drilled.get(key),
                certified_until=until,
                expired=until is not None and until < today,
            )
    return levels


@dataclass(frozen=True)
class MyLevel:
    """A row of the "My linkage" page: a playbook that applies to her, the version in force, her level and her
    latest drills of it (DrillParticipant rows, the drill loaded)."""

    playbook: object
    version: object
    level: Level
    drills: list


def my_levels(user, employee, *, today=None):
    """Her level for each playbook that applies to her, with her latest drills. PermissionDenied unless
    ``user`` may see her levels (herself, her supervisor, her mentor, HR). Five queries."""
    if not permissions.can_view_levels(user, employee):
        raise PermissionDenied
    today = today or timezone.localdate()
    versions = list(
        permissions.versions_for_employee(employee)
        .select_related("playbook")
        .order_by("playbook__kind", "playbook__code", "-number")
    )
    in_force = {}
    for version in versions:  # a published version and a pilot of the same playbook: the newest number
        in_force.setdefault(version.playbook_id, version)
    levels = levels_for([employee.pk], list(in_force), today=today)
    drills = recent_drills(employee, list(in_force)) if in_force else {}
    return [
        MyLevel(version.playbook, version, levels.get((employee.pk, playbook_id), NONE), drills.get(playbook_id, []))
        for playbook_id, version in in_force.items()
    ]
