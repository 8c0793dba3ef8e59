"""Risk flags before anything goes wrong (issue 14 §4, seed 002: 事前): each day, for every agent still with the
centre, a KPI band that fell under target this week against the week before, a certification that expired and was
not renewed, and stages of tasks she owns past due. Level-triggered and keyed: a cause raises its flag once (or
reopens a cleared one) and warns the agent and her lead once per raising; a flag whose cause is gone is cleared; a
second run the same day writes nothing. A fixed number of queries whatever the number of people."""

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kpis.models import AgentDay
from kpis.selectors.results import fallen_members
from linkage.models import Certification
from notifications.services import Row, queue_rows
from staff.models import Employee
from staff.models import Stage as LifeStage

from .. import followup_rules as rules
from ..models import FlagKind, RiskFlag
from ..selectors.followup import flag_text, kpi_names
from ..selectors.tasks import overdue_stage_counts

RAISED = "improvement_risk_flag"


def _causes(on):
    """{(employee id, kind, key): detail} of every cause standing on ``on``."""
    causes = {}
    for fall in fallen_members(AgentDay.objects.all(), today=on):
        for kpi, before, now in fall.falls:
            if not rules.is_kpi_risk(before, now):
                continue
            causes[(fall.employee.pk, FlagKind.KPI_DROP, rules.kpi_key(kpi.code))] = rules.kpi_detail(before, now)
    # The newest certification of each person and playbook: expired when it ended before ``on``.
    newest = (
        Certification.objects.filter(employee=OuterRef("employee"), playbook=OuterRef("playbook"))
        .order_by("-expires_on", "-pk")
        .values("pk")[:1]
    )
    expired = (
        Certification.objects.filter(pk=Subquery(newest), expires_on__lt=on)
        .values_list("employee_id", "playbook_id", "expires_on")
        .order_by()
    )
    for employee_id, playbook_id, expires_on in expired:
        causes[(employee_id, FlagKind.CERTIFICATION, rules.certification_key(playbook_id))] = expires_on.isoformat()
    for employee_id, count in overdue_stage_counts(None, today=on).items():
        causes[(employee_id, FlagKind.TASKS_OVERDUE, rules.TASKS_KEY)] = str(count)
    return causes


def _still_here(ids, on):
    """The ids of ``ids`` still with the centre on ``on``."""
    return set(
        Employee.objects.filter(pk__in=ids)
        .exclude(stage=LifeStage.LEFT)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def raise_risk_flags(*, on=None):
    """Raise, reopen, update and clear the flags for ``on`` (today); warn the agent and her lead of each flag
    raised. Returns {"raised": n, "cleared": n, "warned": n}."""
    on = on or timezone.localdate()
    causes = _causes(on)
    here = _still_here({employee_id for employee_id, _kind, _key in causes}, on)
    causes = {k: detail for k, detail in causes.items() if k[0] in here}
    stored = {
        (flag.employee_id, flag.kind, flag.key): flag
        for flag in RiskFlag.objects.select_for_update().filter(
            Q(cleared_on__isnull=True) | Q(employee_id__in=list({k[0] for k in causes}))
        )
    }
    new, reopened, changed, cleared = [], [], [], []
    for key, detail in causes.items():
        flag = stored.get(key)
        if flag is None:
            new.append(RiskFlag(employee_id=key[0], kind=key[1], key=key[2], detail=detail, raised_on=on))
        elif flag.cleared_on is not None:
            flag.cleared_on, flag.raised_on, flag.detail = None, on, detail
            reopened.append(flag)
        elif flag.detail != detail:
            flag.detail = detail
            changed.append(flag)
    for key, flag in stored.items():
        if flag.cleared_on is None and key not in causes:
            cleared.append(flag.pk)
    RiskFlag.objects.bulk_create(new, ignore_conflicts=True)
    RiskFlag.objects.bulk_update(reopened, ["cleared_on", "raised_on", "detail"])
    RiskFlag.objects.bulk_update(changed, ["detail"])
    RiskFlag.objects.filter(pk__in=cleared).update(cleared_on=on)
    raised_keys = [(f.employee_id, f.kind, f.key) for f in new] + [(f.employee_id, f.kind, f.key) for f in reopened]
    warned = _warn(raised_keys, on)
    return {"raised": len(raised_keys), "cleared": len(cleared), "warned": warned}


def _warn(keys, on):
    """One notification per raised flag to the agent and one to her team's lead, keyed by flag and day."""
    if not keys:
        return 0
    people = {k[0] for k in keys}
    flags = (
        RiskFlag.objects.filter(employee_id__in=people, raised_on=on, cleared_on__isnull=True)
        .select_related("employee__user", "employee__team__supervisor__user")
        .order_by("pk")
    )
    wanted = set(keys)
    rows = []
    names = kpi_names()
    for flag in flags:
        if (flag.employee_id, flag.kind, flag.key) not in wanted:
            continue
        employee = flag.employee
        url = reverse("improvement:followup-person", args=[employee.pk])
        lead = employee.team.supervisor if employee.team_id else None
        told = []
        if employee.user_id and employee.user.is_active:
            told.append((employee.user_id, employee.language, True))
        if lead is not None and lead.pk != employee.pk and lead.user_id and lead.user.is_active:
            told.append((lead.user_id, lead.language, False))
        for user_id, language, own in told:
            language = language or settings.LANGUAGE_CODE
            with translation.override(language):
                what = flag_text(flag, names)
                if own:
                    title = _("Heads-up: %(what)s") % {"what": what}
                else:
                    title = _("Risk flag for %(name)s: %(what)s") % {"name": employee.name, "what": what}
                body = _("Talk it through now, before it becomes a problem.")
            rows.append(Row(user_id, RAISED, f"{RAISED}:{flag.pk}:{on.isoformat()}:{user_id}", title, body, url))
    return queue_rows(rows)
