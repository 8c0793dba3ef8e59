"""Level 3 of a person's linkage (issue 12 §7): her supervisor certifies her once she has passed, as owner, each
step she may own; the certification expires after HR's period, and a daily sweep reminds tenured staff and sets
them a refresher drill before it does (seed 002: veterans keep learning)."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Employee, Stage

from .. import notify, permissions
from ..models import (
    Certification,
    DrillMode,
    DrillStatus,
    LinkageRole,
    LinkageSettings,
    PlaybookVersion,
    StepScore,
    VersionStatus,
)
from . import drills

# Who the refresher sweep leaves alone: people not yet on the job, new hires still onboarding, leavers.
NOT_TENURED = (Stage.PRE_JOB, Stage.ONBOARDING, Stage.LEFT)


def add_months(day, months):
    """``day`` plus ``months`` calendar months (31 January + 1 month is the last day of February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _published(playbook):
    return PlaybookVersion.objects.filter(playbook=playbook, status=VersionStatus.PUBLISHED).first()


def owned_steps(employee, version):
    """The scripted steps of ``version`` whose owner role ``employee`` holds through her position."""
    held = LinkageRole.objects.filter(positions=employee.position_id).values("pk")
    return list(version.steps.filter(is_scripted=True, owner__in=held).select_related("owner"))


def _passed_scores(employee, playbook):
    """Her passed step scores, as the step's owner, in scored drills of any version of ``playbook``."""
    return StepScore.objects.filter(
        participant__employee=employee,
        passed=True,
        drill__status=DrillStatus.SCORED,
        drill__mode=DrillMode.SCORED,
        drill__version__playbook=playbook,
    )


@transaction.atomic
def certify(*, actor, employee, playbook, today=None):
    """Certify ``employee`` for ``playbook`` (L3): she holds an owner role of a scored step of its published
    version and has passed each such step (matched by code, any version) in a scored drill. A second
    certification the same day returns the first."""
    if not permissions.can_certify(actor, employee):
        raise PermissionDenied(_("Only HR or her supervisor certifies this person."))
    today = today or timezone.localdate()
    employee = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
    names = {"person": employee.name, "playbook": playbook.name}
    if employee.stage == Stage.LEFT:
        raise ValidationError(_("%(person)s has left.") % names)
    existing = Certification.objects.filter(employee=employee, playbook=playbook, certified_on=today).first()
    if existing is not None:
        return existing
    version = _published(playbook)
    if version is None:
        raise ValidationError(_("%(playbook)s has no published version to certify against.") % names)
    steps = owned_steps(employee, version)
    if not steps:
        raise ValidationError(_("%(person)s holds no role that owns a scored step of %(playbook)s.") % names)
    passed = _passed_scores(employee, playbook)
    passed_codes = set(passed.values_list("step__code", flat=True))
    missing = [step.name for step in steps if step.code not in passed_codes]
    if missing:
        raise ValidationError(
            _("%(person)s has not yet passed these steps as their owner in a scored drill: %(steps)s.")
            % {**names, "steps": ", ".join(missing)}
        )
    last = passed.filter(step__code__in=[step.code for step in steps]).order_by("-drill__scheduled_for").first()
    return Certification.objects.create(
        employee=employee,
        playbook=playbook,
        drill_id=last.drill_id,
        certified_on=today,
        expires_on=add_months(today, LinkageSettings.current().certification_months),
        confirmed_by=actor,
    )


def _due(today, notice_days):
    """The latest certification per person and playbook of tenured staff, expiring within the notice, not yet
    reminded."""
    newer = Certification.objects.filter(
        employee=OuterRef("employee"), playbook=OuterRef("playbook"), certified_on__gt=OuterRef("certified_on")
    )
    return (
        Certification.objects.filter(
            expires_on__lte=today + datetime.timedelta(days=notice_days), reminded_on__isnull=True
        )
        .exclude(employee__stage__in=NOT_TENURED)
        .exclude(Exists(newer))
        .order_by("expires_on", "pk")
    )


def _refresher(cert, today):
    """A scored refresher drill of the published version for her team, examined by its supervisor, with her
    cast in one owner role she holds; None when there is no published version, team supervisor or role."""
    employee, version = cert.employee, _published(cert.playbook)
    team = employee.team
    if version is None or team is None or team.supervisor is None:
        return None
    steps = owned_steps(employee, version)
    if not steps:
        return None
    try:
        return drills._schedule(
            created_by=None,
            version=version,
            team=team,
            scheduled_for=drills.refresher_time(cert.expires_on, today),
            cast=[(employee, steps[0].owner)],
            mode=DrillMode.SCORED,
            examiner=team.supervisor,
            notes="",
            is_refresher=True,
        )
    except ValidationError:
        return None  # e.g. the supervisor may not assess her: she is still reminded


def sweep_refreshers(*, today=None):
    """Daily: claim each due certification (compare-and-set on reminded_on, so a second run or a second worker
    writes nothing), remind its holder and set her a refresher drill. Returns how many were claimed."""
    today = today or timezone.localdate()
    claimed = 0
    due = _due(today, LinkageSettings.current().refresher_notice_days).values_list("pk", flat=True)
    for cert_id in list(due):
        with transaction.atomic():
            if not Certification.objects.filter(pk=cert_id, reminded_on__isnull=True).update(reminded_on=today):
                continue
            cert = Certification.objects.select_related(
                "employee__user", "employee__team__supervisor__user", "playbook"
            ).get(pk=cert_id)
            drill = _refresher(cert, today)
            if drill is not None:
                cert.refresher = drill
                cert.save(update_fields=["refresher"])
            notify.refresher_due(cert, drill)
            claimed += 1
    return claimed
