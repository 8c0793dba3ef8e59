"""Every write of a PDCA initiative (issue 14 §2, STYLE §2): save the plan (goal KPIs with baseline and target,
guardrails with thresholds, risks, milestones), move the status, record the Act decision, and the daily guardrail
check. The Check itself is computed (improvement.effects), never written."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import Message, queue

from .. import effects, initiative_rules, permissions
from ..models import (
    GuardrailBreach,
    Initiative,
    InitiativeEvent,
    InitiativeKpi,
    InitiativeRisk,
    InitiativeStatus,
    KpiRole,
    Milestone,
)

GUARDRAIL_DAYS = 7  # the daily check reads the last seven days: one day's volume is too noisy to alert on
BREACH = "improvement_guardrail_breach"

PLAN_FIELDS = ("title", "goal", "method", "owner", "baseline_from", "baseline_to", "pilot_start", "rollout_start")
PLAN_FIELDS += ("after_to",)
CHILDREN = {
    "kpis": (InitiativeKpi, ("kpi", "role", "baseline", "target", "threshold")),
    "risks": (InitiativeRisk, ("risk", "counter_measure", "owner")),
    "milestones": (Milestone, ("title", "due_on", "done_on")),
}


def _fail(reasons):
    raise ValidationError([str(reason) for reason in reasons])


def _sync(initiative, model, fields, rows):
    """Rows are dicts of ``fields`` with an optional ``id`` (an existing child of this initiative) and ``delete``."""
    for row in rows:
        pk = row.get("id")
        if pk and row.get("delete"):
            model.objects.filter(initiative=initiative, pk=pk).delete()
        elif pk:
            model.objects.filter(initiative=initiative, pk=pk).update(**{f: row.get(f) for f in fields})
        elif not row.get("delete"):
            model.objects.create(initiative=initiative, **{f: row.get(f) for f in fields})


@transaction.atomic
def save_plan(*, actor, initiative=None, plan, scope_teams=(), scope_sites=(), pilot_teams=(), children=None):
    """Create an initiative (HR, a supervisor) or change its plan (its owner, HR; not once closed). ``plan``: the
    PLAN_FIELDS; ``children``: {"kpis"|"risks"|"milestones": [row dicts]}. A goal KPI without a baseline gets the
    value computed over the scope in the before window, when there is data."""
    if initiative is None:
        if not permissions.can_create_initiative(actor):
            raise PermissionDenied
        initiative = Initiative(created_by=actor)
    else:
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if not permissions.can_edit_initiative_plan(actor, initiative):
            raise PermissionDenied
    for name in PLAN_FIELDS:
        if name in plan:
            setattr(initiative, name, plan[name])
    problems = plan_problems(initiative)
    if problems:
        _fail(problems)
    initiative.save()
    initiative.scope_teams.set(scope_teams)
    initiative.scope_sites.set(scope_sites)
    initiative.pilot_teams.set(pilot_teams)
    for key, rows in (children or {}).items():
        model, fields = CHILDREN[key]
        try:
            with transaction.atomic():
                _sync(initiative, model, fields, rows)
        except IntegrityError:
            _fail([_("A KPI is listed twice in the same role, or a guardrail has no threshold.")])
    _fill_baselines(initiative)
    return initiative


def plan_problems(initiative):
    """What is wrong with the plan's windows (translated; empty when nothing)."""
    problems = []
    if initiative.baseline_to < initiative.baseline_from:
        problems.append(_("The before window ends before it starts."))
    if initiative.baseline_to >= (initiative.pilot_start or initiative.rollout_start):
        problems.append(_("The before window must end before the pilot (or, without one, the go-live)."))
    if initiative.pilot_start and initiative.pilot_start > initiative.rollout_start:
        problems.append(_("The pilot starts on or before the go-live."))
    if initiative.after_to and initiative.after_to < initiative.rollout_start:
        problems.append(_("The after window ends before the go-live."))
    return problems


def _fill_baselines(initiative):
    today = timezone.localdate()
    for row in initiative.kpis.filter(role=KpiRole.GOAL, baseline__isnull=True).select_related(
        "kpi__numerator", "kpi__denominator"
    ):
        value = effects.before_value(initiative, row.kpi, today=today)
        if value is not None:
            InitiativeKpi.objects.filter(pk=row.pk).update(baseline=effects.quantised(value))


def _locked(initiative_id, actor):
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    if not permissions.can_manage_initiative(actor, initiative):
        raise PermissionDenied
    return initiative


def _event(initiative, actor, from_status, note=""):
    InitiativeEvent.objects.create(
        initiative=initiative, actor=actor, from_status=from_status, to_status=initiative.status, note=note
    )


@transaction.atomic
def move_status(*, actor, initiative_id, to_status, note=""):
    """Move along plan → do → check (and back), out of act (closed; or after "adjust" plan or do again). The move
    into act is ``decide``. A move to the status it is in changes nothing."""
    initiative = _locked(initiative_id, actor)
    if initiative.status == to_status:
        return initiative
    if to_status == InitiativeStatus.ACT:
        _fail([_("Record the decision to act.")])
    verdict = initiative_rules.can_move(initiative.status, to_status, decision=initiative.decision)
    if not verdict.allowed:
        _fail(verdict.reasons)
    from_status = initiative.status
    initiative.status = to_status
    initiative.save(update_fields=["status"])
    _event(initiative, actor, from_status, note)
    return initiative


@transaction.atomic
def decide(*, actor, initiative_id, decision, note, standard_playbook=None, standard_note=""):
    """Act: record the decision (standardise, adjust, abandon) with its note and, for a standard, the playbook
    version published or the other standard changed (e.g. the authority matrix). Deciding again while in act
    changes nothing."""
    initiative = _locked(initiative_id, actor)
    if initiative.status == InitiativeStatus.ACT:
        return initiative
    verdict = initiative_rules.can_move(initiative.status, InitiativeStatus.ACT, decision=decision, note=note)
    if not verdict.allowed:
        _fail(verdict.reasons)
    from_status = initiative.status
    initiative.status = InitiativeStatus.ACT
    initiative.decision = decision
    initiative.decision_note = note.strip()
    initiative.decided_by = actor
    initiative.decided_at = timezone.now()
    initiative.standard_playbook = standard_playbook if decision == initiative_rules.STANDARDISE else None
    initiative.standard_note = standard_note.strip() if decision == initiative_rules.STANDARDISE else ""
    initiative.save(
        update_fields=[
            "status",
            "decision",
            "decision_note",
            "decided_by",
            "decided_at",
            "standard_playbook",
            "standard_note",
        ]
    )
    _event(initiative, actor, from_status, note.strip())
    return initiative


# The daily guardrail check ----------------------------------------------------------------------------------


def check_guardrails(*, on=None):
    """Daily (improvement.tasks.check_guardrails) while an initiative is in do or check: each guardrail KPI's value
    over the scope in the last seven days up to yesterday (GUARDRAIL_DAYS; ``on`` is the day of the check)
    against its threshold. A breach opens ONE GuardrailBreach keyed by the day it started and alerts the owner once
    (the notification is keyed by the breach); back within the threshold the breach is cleared; a new breach later
    opens (and alerts) again. Returns {"opened": n, "cleared": n}."""
    on = on or timezone.localdate()
    last_day = on - datetime.timedelta(days=1)
    counts = {"opened": 0, "cleared": 0}
    running = Initiative.objects.filter(status__in=initiative_rules.WATCHED).select_related("owner__user")
    for initiative in running:
        guardrails = initiative.kpis.filter(role=KpiRole.GUARDRAIL).select_related("kpi__numerator", "kpi__denominator")
        for guardrail in guardrails:
            value = effects.recent_value(initiative, guardrail.kpi, on=last_day, days=GUARDRAIL_DAYS)
            if value is None:
                continue
            breached = initiative_rules.is_breach(guardrail.kpi.direction, value, guardrail.threshold)
            with transaction.atomic():
                result = _record(initiative, guardrail, breached, value, on)
            if result:
                counts[result] += 1
    return counts


def _record(initiative, guardrail, breached, value, on):
    open_breach = GuardrailBreach.objects.select_for_update().filter(guardrail=guardrail, cleared_on__isnull=True)
    current = open_breach.first()
    if breached and current is None:
        breach, created = GuardrailBreach.objects.get_or_create(
            guardrail=guardrail, started_on=on, defaults={"value": effects.quantised(value)}
        )
        if created:
            _alert(initiative, guardrail, breach)
            return "opened"
    if not breached and current is not None:
        GuardrailBreach.objects.filter(pk=current.pk, cleared_on__isnull=True).update(cleared_on=on)
        return "cleared"
    return None


def _alert(initiative, guardrail, breach):
    owner = initiative.owner.user
    if owner is None or not owner.is_active:
        return
    from kpis.templatetags.kpi_results import kpi_value

    names = lambda: {  # noqa: E731  (rendered in the owner's language)
        "kpi": guardrail.kpi.name,
        "initiative": initiative.title,
        "value": kpi_value(breach.value, guardrail.kpi),
        "threshold": kpi_value(guardrail.threshold, guardrail.kpi),
    }
    queue(
        [
            Message(
                recipient=owner,
                kind=BREACH,
                key=f"{BREACH}:{breach.pk}",
                title=lambda: _("Guardrail breached: %(kpi)s in %(initiative)s") % names(),
                body=lambda: (
                    _("%(kpi)s was %(value)s over the last seven days; the threshold is %(threshold)s.") % names()
                ),
                url=reverse("improvement:initiative", args=[initiative.pk]),
            )
        ]
    )
