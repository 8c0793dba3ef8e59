"""Every write of a case (issue 13 §1–2, STYLE §2): first-contact ownership (首问负责, seed 003).

The first agent who takes a matter owns it to closure: hand-offs move a step to another role, never the ownership,
and each names a reason code; only the owner closes. The history is append-only: a correction is a new event that
supersedes the one it corrects. Each write locks the case row; a closed case takes no more writes but a reopen.
The staffing floor (seed 003): an outbound follow-up that would take a site's agents on the phones below HR's
minimum goes ahead only with a coordination report (报备)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions as people
from staff.models import Stage

from .. import case_rules, notify, permissions
from ..models import (
    Case,
    CaseChannel,
    CaseEvent,
    CaseStatus,
    CoordinationReport,
    EscalationLevel,
    EventKind,
    FollowUp,
    Handoff,
    HandoffReason,
    SiteStaffing,
)
from ..selectors import cases as selectors

REFERENCE_TRIES = 5
CORRECTABLE = (EventKind.NOTE, EventKind.FIRST_RESPONSE, EventKind.FOLLOW_UP, EventKind.CORRECTION)


def _fail(reasons):
    raise ValidationError([str(reason) for reason in reasons])


def _locked(case_id):
    return (
        Case.objects.select_for_update(of=("self",)).select_related("owner__user", "team", "category").get(pk=case_id)
    )


def _event(case, kind, actor, *, at=None, text="", data=None, key="", supersedes=None):
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        text=text,
        data=data or {},
        key=key,
        supersedes=supersedes,
    )


def _open(case):
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Case %(ref)s is closed: reopen it first.") % {"ref": case.reference})


def _new_reference(on):
    """ "C" + local date + a sequence of the day (C20261204-00001)."""
    prefix = f"C{on:%Y%m%d}-"
    last = Case.objects.filter(reference__startswith=prefix).order_by("-reference").values_list("reference", flat=True)
    number = int(last[0][len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:05d}"


# Open -------------------------------------------------------------------------------------------------------------


def open_case(*, actor, customer_ref, channel, category, summary, playbook=None, owner=None, opened_at=None):
    """Log a case the actor took: she owns it (or ``owner`` when HR logs it for someone). The customer reference
    is masked before it is stored; the targets come from the category."""
    me = people.employee_of(actor)
    owner = owner or me
    mine = me is not None and owner is not None and owner.pk == me.pk
    if owner is None or not (permissions.can_log_case(actor) if mine else people.is_hr(actor)):
        raise PermissionDenied(_("The first agent who takes a matter owns it: log only the cases you took."))
    masked = case_rules.mask_customer_ref(customer_ref)
    problems = []
    if not masked:
        problems.append(_("Give the customer's reference (it is masked)."))
    if channel not in CaseChannel.values:
        problems.append(_("Choose the channel."))
    if category is None or not category.is_active:
        problems.append(_("Choose an active category."))
    if not (summary or "").strip():
        problems.append(_("Say what the matter is."))
    if problems:
        _fail(problems)
    opened_at = opened_at or timezone.now()
    for attempt in range(REFERENCE_TRIES):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    reference=_new_reference(timezone.localtime(opened_at).date()),
                    customer_ref=masked,
                    channel=channel,
                    category=category,
                    playbook=playbook,
                    summary=summary.strip(),
                    owner=owner,
                    team_id=owner.team_id,
                    opened_at=opened_at,
                    first_response_due_at=case_rules.first_response_due(opened_at, category.first_response_minutes),
                    resolution_due_at=case_rules.resolution_due(opened_at, category.resolution_hours),
                    created_by=actor,
                )
                _event(case, EventKind.OPENED, actor, at=opened_at, key="opened")
                return case
        except IntegrityError:
            if attempt == REFERENCE_TRIES - 1:
                raise
    raise AssertionError("unreachable")


# History ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def record_first_response(*, actor, case_id, at=None, note=""):
    """The owner's first response to the customer (against the category's first-response target); once."""
    case = _locked(case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner records her first response."))
    if case.first_response_at is not None:
        return case
    case.first_response_at = at or timezone.now()
    case.save(update_fields=["first_response_at"])
    _event(case, EventKind.FIRST_RESPONSE, actor, at=case.first_response_at, text=note.strip(), key="first_response")
    return case


@transaction.atomic
def add_note(*, actor, case_id, text):
    """A note in an open case's history: the owner, whoever a step is handed to, the team's supervisor, HR."""
    case = _locked(case_id)
    if not permissions.can_note_case(actor, case):
        raise PermissionDenied(_("You may not add to this case."))
    if not (text or "").strip():
        raise ValidationError(_("Write the note."))
    return _event(case, EventKind.NOTE, actor, text=text.strip())


@transaction.atomic
def correct_event(*, actor, event_id, text):
    """Correct an entry by a new CORRECTION event that supersedes it; the entry itself never changes."""
    event = CaseEvent.objects.select_for_update(of=("self",)).select_related("case").get(pk=event_id)
    case = _locked(event.case_id)
    event.case = case
    if event.kind not in CORRECTABLE or not permissions.can_correct_event(actor, event):
        raise PermissionDenied(_("Only the author corrects her entry of an open case, once."))
    if not (text or "").strip():
        raise ValidationError(_("Write the correction."))
    return _event(case, EventKind.CORRECTION, actor, text=text.strip(), supersedes=event)


# Hand-offs --------------------------------------------------------------------------------------------------------


@transaction.atomic
def hand_off(*, actor, case_id, to_role, reason_code, reason="", to_employee=None, step=None, back_due_at=None):
    """Hand a step of the case to ``to_role`` (and a person holding it): the owner stays the owner. Every transfer
    names a reason code ("other" says why)."""
    case = _locked(case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner hands off a step of her open case."))
    reason = (reason or "").strip()
    problems = []
    if reason_code not in HandoffReason.values:
        problems.append(_("Every transfer needs a reason code."))
    elif reason_code == HandoffReason.OTHER and not reason:
        problems.append(_("Say why when the reason is 'other'."))
    if to_role is None:
        problems.append(_("Choose the role the step goes to."))
    if to_employee is not None and (to_employee.pk == case.owner_id or to_employee.stage == Stage.LEFT):
        problems.append(_("Hand the step to someone else who is still here."))
    now = timezone.now()
    if back_due_at is not None and back_due_at <= now:
        problems.append(_("The time it is due back must be in the future."))
    if problems:
        _fail(problems)
    handoff = Handoff.objects.create(
        case=case,
        step=step,
        to_role=to_role,
        to_employee=to_employee,
        reason_code=reason_code,
        reason=reason,
        handed_at=now,
        handed_by=actor,
        back_due_at=back_due_at,
    )
    data = {
        "handoff": handoff.pk,
        "role": to_role.code,
        "reason_code": reason_code,
        "to": to_employee and to_employee.pk,
    }
    _event(case, EventKind.HANDOFF, actor, at=now, text=reason, data=data)
    if to_employee is not None:
        notify.case_handed_off(handoff)  # keyed, in this transaction
    return handoff


@transaction.atomic
def hand_back(*, actor, handoff_id, note=""):
    """The step comes back to the owner; a second call changes nothing."""
    handoff = Handoff.objects.select_for_update(of=("self",)).get(pk=handoff_id)
    case = _locked(handoff.case_id)
    handoff.case = case
    if handoff.returned_at is not None:
        return handoff
    if not permissions.can_hand_back(actor, handoff):
        raise PermissionDenied(_("Only the owner or whoever the step went to hands it back."))
    handoff.returned_at = timezone.now()
    handoff.save(update_fields=["returned_at"])
    _event(case, EventKind.HANDOFF_BACK, actor, at=handoff.returned_at, text=note.strip(), data={"handoff": handoff.pk})
    return handoff


# Follow-ups and the staffing floor -----------------------------------------------------------------------------


@transaction.atomic
def add_follow_up(*, actor, case_id, due_at, is_outbound_call=True, note=""):
    """A follow-up the owner owes the customer (seed 003: she keeps the case, follow-up calls included)."""
    case = _locked(case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner plans her follow-ups."))
    return FollowUp.objects.create(case=case, due_at=due_at, is_outbound_call=is_outbound_call, note=note.strip())


def _site_of(employee):
    team = employee.team
    return None if team is None else team.department.site_id


@transaction.atomic
def start_follow_up(*, actor, follow_up_id, report_reason=""):
    """The owner starts a follow-up. An outbound call that would take her site's agents on the phones below its
    floor is refused unless she files a coordination report (报备) saying why it cannot wait."""
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up_id)
    case = _locked(follow_up.case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner makes her follow-ups."))
    if follow_up.started_at is not None:
        return follow_up
    now = timezone.now()
    report = None
    site_id = _site_of(case.owner)
    floor = (
        SiteStaffing.objects.select_for_update().filter(site_id=site_id).first()  # one start at a time per site
        if follow_up.is_outbound_call and site_id is not None
        else None
    )
    if floor is not None:
        on_phones = selectors.agents_on_phones(site_id)
        counted = on_phones.filter(pk=case.owner_id).exists()
        on_phones = on_phones.count()
        if on_phones - int(counted) < floor.min_on_phones:
            reason = (report_reason or "").strip()
            if not reason:
                raise ValidationError(
                    _(
                        "Only %(n)s agents are on the phones at your site (minimum %(min)s): call later, or file a "
                        "coordination report saying why this call cannot wait."
                    )
                    % {"n": on_phones, "min": floor.min_on_phones}
                )
            report = CoordinationReport(
                reason=reason, on_phones=on_phones, minimum=floor.min_on_phones, reported_by=actor, at=now
            )
    follow_up.started_at = now
    follow_up.save(update_fields=["started_at"])
    if report is not None:
        report.follow_up = follow_up
        report.save()
        data = {"follow_up": follow_up.pk, "on_phones": report.on_phones, "minimum": report.minimum}
        _event(case, EventKind.STAFFING_REPORT, actor, at=now, text=report.reason, data=data)
    return follow_up


@transaction.atomic
def finish_follow_up(*, actor, follow_up_id, note=""):
    """The follow-up is done (she is back on the phones); a FOLLOW_UP event records it. Once."""
    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up_id)
    case = _locked(follow_up.case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner makes her follow-ups."))
    if follow_up.done_at is not None:
        return follow_up
    now = timezone.now()
    follow_up.started_at = follow_up.started_at or now
    follow_up.done_at = now
    follow_up.save(update_fields=["started_at", "done_at"])
    _event(case, EventKind.FOLLOW_UP, actor, at=now, text=note.strip(), data={"follow_up": follow_up.pk})
    return follow_up


# Close, reopen, escalate past the lead -----------------------------------------------------------------------


@transaction.atomic
def close_case(*, actor, case_id, outcome, note=""):
    """Only the owner closes her case, with an outcome; closing again with the same outcome changes nothing."""
    case = _locked(case_id)
    if case.status == CaseStatus.CLOSED and case.outcome == outcome and permissions.owns_case(actor, case):
        return case
    if not permissions.can_close_case(actor, case):
        raise PermissionDenied(_("Only the owner closes her case."))
    handoffs = list(case.handoffs.values_list("returned_at", flat=True))
    problems = case_rules.close_problems(
        outcome=outcome,
        was_handed_off=bool(handoffs),
        open_handoffs=sum(1 for returned in handoffs if returned is None),
        reopen_count=case.reopen_count,
    )
    if problems:
        _fail(problems)
    now = timezone.now()
    case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, outcome, now
    case.save(update_fields=["status", "outcome", "closed_at"])
    _event(case, EventKind.CLOSED, actor, at=now, text=(note or "").strip(), data={"outcome": outcome})
    return case


@transaction.atomic
def reopen_case(*, actor, case_id, reason):
    """The owner or her team's supervisor reopens a closed case (the customer came back); it counts as reopened."""
    case = _locked(case_id)
    if not permissions.can_reopen_case(actor, case):
        raise PermissionDenied(_("Only the owner or her supervisor reopens a closed case."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why the case is reopened."))
    now = timezone.now()
    previous = case.outcome
    case.status, case.outcome, case.closed_at = CaseStatus.OPEN, "", None
    case.reopen_count += 1
    case.save(update_fields=["status", "outcome", "closed_at", "reopen_count"])
    _event(case, EventKind.REOPENED, actor, at=now, text=reason.strip(), data={"previous_outcome": previous})
    return case


@transaction.atomic
def escalate_past_lead(*, actor, case_id, reason):
    """Seed 002 (越级反馈): the owner takes her open case past her team lead to the next escalation level; an
    ESCALATED event (keyed per level, so once) and a notification to that level's holders."""
    case = _locked(case_id)
    if not permissions.can_work_case(actor, case):
        raise PermissionDenied(_("Only the owner escalates her case."))
    if not (reason or "").strip():
        raise ValidationError(_("Say why you escalate past your team lead."))
    level = (
        EscalationLevel.objects.select_related("role")
        .exclude(role__code=selectors.LEAD_ROLE)
        .order_by("number")
        .first()
    )
    if level is None:
        raise ValidationError(_("No escalation level above the team lead is set up: ask HR."))
    key = f"past-lead:{level.number}"
    existing = case.events.filter(key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    event = _event(
        case,
        EventKind.ESCALATED,
        actor,
        at=now,
        text=reason.strip(),
        data={"level": level.number, "past_lead": True},
        key=key,
    )
    recipients = [row for row in selectors.level_holders(level, case) if row[0] != actor.pk]
    notify.case_escalated_past_lead(case, level.number, recipients, reason.strip())
    return event
