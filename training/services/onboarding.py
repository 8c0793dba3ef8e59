"""Writes for four-cycle onboarding (DOMAIN §3). Every move goes through move_enrollment or the
daily sweep: lock the row, ignore a move already made, check the move against training.cycles,
save, write an EnrollmentEvent, and leave the follow-up notifications in the outbox."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import permissions
from staff.models import Employee, Stage

from .. import cycles, notify
from ..models import (
    Activity,
    ActivityTemplate,
    Batch,
    CoachingSession,
    CycleAdjustment,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
)
from .kash import create_assessment

REMEDIATION_DAYS = 7  # how long a cycle is extended when the sweep finds its gate not met


def _cycle_due_on(batch, cycle_template, started_on, adjustments):
    extra = adjustments.get((batch.pk, cycle_template.number), 0)
    return started_on + datetime.timedelta(days=cycle_template.length_days + extra)


def _templates_by_cycle(program_ids):
    """{(program id, cycle number): CycleTemplate} with the focus indicators, for a set of programs."""
    return {
        (c.program_id, c.number): c
        for c in CycleTemplate.objects.filter(program_id__in=program_ids).prefetch_related("focus_indicators")
    }


def _activity_templates(cycle_ids, batch_ids):
    """{(cycle template id, batch id or None): [ActivityTemplate]}: the program's, plus each batch's extras."""
    found = defaultdict(list)
    for template in ActivityTemplate.objects.filter(cycle_id__in=cycle_ids).filter(
        Q(batch__isnull=True) | Q(batch_id__in=batch_ids)
    ):
        found[(template.cycle_id, template.batch_id)].append(template)
    return found


def _enter_cycle(enrollments, *, number, today, cycle_templates, adjustments):
    """Set the new cycle's dates on ``enrollments`` (in memory) and create its activities in bulk."""
    batch_ids = {e.batch_id for e in enrollments}
    cycle_ids = [c.pk for c in cycle_templates.values()]
    activity_templates = _activity_templates(cycle_ids, batch_ids)
    activities = []
    for enrollment in enrollments:
        template = cycle_templates[(enrollment.batch.program_id, number)]
        enrollment.cycle_started_on = today
        enrollment.due_on = _cycle_due_on(enrollment.batch, template, today, adjustments)
        for activity in (
            activity_templates[(template.pk, None)] + activity_templates[(template.pk, enrollment.batch_id)]
        ):
            activities.append(
                Activity(
                    enrollment=enrollment,
                    template=activity,
                    cycle=number,
                    due_on=today + datetime.timedelta(days=activity.due_offset_days),
                )
            )
    Activity.objects.bulk_create(activities, ignore_conflicts=True)


def _adjustments(batch_ids):
    return {(a.batch_id, a.cycle_number): a.extra_days for a in CycleAdjustment.objects.filter(batch_id__in=batch_ids)}


@transaction.atomic
def open_batch(*, actor, program, code, name, start_on, supervisor, team=None, trainees=()):
    """Open a batch (批次) of new hires; each trainee starts in pre-job training."""
    if not permissions.is_hr(actor):
        raise PermissionDenied(_("Only HR opens a batch."))
    batch = Batch.objects.create(
        program=program, code=code, name=name, start_on=start_on, supervisor=supervisor, team=team
    )
    for trainee in trainees:
        enroll_trainee(actor=actor, batch=batch, trainee=trainee)
    return batch


@transaction.atomic
def enroll_trainee(*, actor, batch, trainee):
    """Enroll a new hire in a batch (pre-job training until the program's pre-job days are over)."""
    if not permissions.is_hr(actor):
        raise PermissionDenied(_("Only HR enrolls trainees."))
    enrollment, created = Enrollment.objects.get_or_create(
        batch=batch,
        trainee=trainee,
        defaults={
            "state": cycles.PRE_JOB,
            "cycle_started_on": batch.start_on,
            "due_on": batch.start_on + datetime.timedelta(days=batch.program.pre_job_days),
        },
    )
    if created:
        EnrollmentEvent.objects.create(
            enrollment=enrollment, actor=actor, move="enroll", from_state=cycles.PRE_JOB, to_state=cycles.PRE_JOB
        )
        if trainee.stage != Stage.ONBOARDING:
            Employee.objects.filter(pk=trainee.pk).update(stage=Stage.PRE_JOB)
    return enrollment


def gate_progress(enrollment, cycle_template, *, focus_levels):
    """The facts the gate of the enrollment's current cycle looks at."""
    counts = enrollment.activities.filter(cycle=enrollment.cycle, template__is_required=True).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )
    best = enrollment.gate_checks.filter(cycle=enrollment.cycle).aggregate(best=Max("score"))["best"]
    return _progress(cycle_template, counts["total"], counts["done"], best, focus_levels)


def _progress(cycle_template, required_total, required_done, check_score, focus_levels):
    return cycles.GateProgress(
        required_total=required_total,
        required_done=required_done,
        check_required=cycle_template.check_required,
        check_score=check_score,
        pass_mark=cycle_template.pass_mark,
        focus_levels=focus_levels,
        focus_min_level=float(cycle_template.focus_min_level) if cycle_template.focus_min_level else None,
    )


def _focus_levels(enrollments, cycle_templates):
    """{enrollment id: {indicator name: current level}} for each enrollment's current cycle focus."""
    from .. import kash
    from ..selectors import kash as selectors

    weights = selectors.source_weights()
    facts = selectors.latest_facts_by_subject([e.trainee_id for e in enrollments])
    result = {}
    for enrollment in enrollments:
        template = cycle_templates.get((enrollment.batch.program_id, enrollment.cycle))
        focus = list(template.focus_indicators.all()) if template else []
        levels = kash.current_levels(facts.get(enrollment.trainee_id, []), weights)
        result[enrollment.pk] = {str(i.name): levels.get(i.pk) for i in focus}
    return result


def _record_move(enrollment, *, actor, move, old_state, reason):
    EnrollmentEvent.objects.create(
        enrollment=enrollment, actor=actor, move=move, from_state=old_state, to_state=enrollment.state, reason=reason
    )
    notify.enrollment_moved(enrollment, move=move, old_state=old_state, actor=actor)


@transaction.atomic
def move_enrollment(*, actor, enrollment_id, move, from_state, reason="", remediation_plan="", due_on=None, today=None):
    """Apply one move to one enrollment. A move already made (the enrollment is no longer in
    ``from_state``) changes nothing; an illegal move or an unmet gate raises ValidationError."""
    today = today or timezone.localdate()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("batch__program", "trainee__team")
        .get(pk=enrollment_id)
    )
    if not permissions.can_manage_enrollment(actor, enrollment.trainee, enrollment.batch.supervisor_id):
        raise PermissionDenied(_("Only the trainee's supervisor or HR can do this."))
    if enrollment.state != from_state:
        return enrollment  # already moved (a double click, a retry, or someone else first)
    try:
        target = cycles.apply(enrollment.position, move)
    except cycles.IllegalMove as exc:
        raise ValidationError(str(exc)) from exc
    cycle_templates = _templates_by_cycle([enrollment.batch.program_id])
    if move == cycles.ADVANCE:
        template = cycle_templates[(enrollment.batch.program_id, enrollment.cycle)]
        result = cycles.gate_result(
            gate_progress(
                enrollment, template, focus_levels=_focus_levels([enrollment], cycle_templates)[enrollment.pk]
            )
        )
        if not result.passed:
            raise ValidationError([str(reason) for reason in result.reasons])
    if move == cycles.EXTEND:
        if not remediation_plan.strip():
            raise ValidationError({"remediation_plan": _("Write the remediation plan.")})
        if due_on is None or due_on <= today:
            raise ValidationError({"due_on": _("The new due date must be after today.")})
    old_state = enrollment.state
    enrollment.state, enrollment.cycle, enrollment.held_from = target.state, target.cycle, target.held_from
    fields = ["state", "cycle", "held_from", "updated_at"]
    if move == cycles.EXTEND:
        enrollment.remediation_plan, enrollment.due_on, enrollment.is_gate_failed = remediation_plan, due_on, True
        fields += ["remediation_plan", "due_on", "is_gate_failed"]
    if move == cycles.RESUME and enrollment.due_on < today + datetime.timedelta(days=REMEDIATION_DAYS):
        # Time on hold does not count: a resumed trainee gets at least a remediation period.
        enrollment.due_on = today + datetime.timedelta(days=REMEDIATION_DAYS)
        fields.append("due_on")
    if move in (cycles.START, cycles.ADVANCE) and target.state in cycles.CYCLE_STATES:
        _enter_cycle(
            [enrollment],
            number=target.cycle,
            today=today,
            cycle_templates=cycle_templates,
            adjustments=_adjustments([enrollment.batch_id]),
        )
        enrollment.is_gate_failed, enrollment.remediation_plan = False, ""
        fields += ["cycle_started_on", "due_on", "is_gate_failed", "remediation_plan"]
    enrollment.save(update_fields=fields)
    _follow_stage(enrollment)
    _record_move(enrollment, actor=actor, move=move, old_state=old_state, reason=reason or remediation_plan)
    return enrollment


def _follow_stage(enrollment):
    """Keep the employee's life-cycle stage in step: onboarding while in the program, growth after it."""
    if enrollment.state == cycles.COMPLETED:
        Employee.objects.filter(pk=enrollment.trainee_id).update(stage=Stage.GROWTH)
    elif enrollment.state in cycles.CYCLE_STATES:
        Employee.objects.filter(pk=enrollment.trainee_id, stage=Stage.PRE_JOB).update(stage=Stage.ONBOARDING)


def sweep_due_enrollments(*, today=None, chunk_size=500):
    """The daily sweep (level-triggered): every enrollment whose pre-job or cycle has ended moves on
    if its gate is met, or is extended and flagged if not. Claims rows in chunks with SKIP LOCKED,
    so two sweeps at once never move the same enrollment; a rerun finds nothing due."""
    today = today or timezone.localdate()
    totals = defaultdict(int)
    while True:
        with transaction.atomic():
            moved = _sweep_chunk(today=today, chunk_size=chunk_size)
        for key, value in moved.items():
            totals[key] += value
        if not moved["claimed"]:
            return dict(totals)


def _sweep_chunk(*, today, chunk_size):
    due_states = (cycles.PRE_JOB, *cycles.CYCLE_STATES, cycles.EXTENDED)
    ids = list(
        Enrollment.objects.select_for_update(skip_locked=True)
        .filter(state__in=due_states, due_on__lte=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)[:chunk_size]
    )
    counts = defaultdict(int, claimed=len(ids))
    if not ids:
        return counts
    enrollments = list(Enrollment.objects.filter(pk__in=ids).select_related("batch__program", "trainee"))
    cycle_templates = _templates_by_cycle({e.batch.program_id for e in enrollments})
    adjustments = _adjustments({e.batch_id for e in enrollments})
    in_cycle = [e for e in enrollments if e.state != cycles.PRE_JOB]
    progress = _gate_facts(in_cycle)
    focus = _focus_levels(in_cycle, cycle_templates)
    entering, events, changed = defaultdict(list), [], []
    for enrollment in enrollments:
        old_state = enrollment.state
        if old_state == cycles.PRE_JOB:
            move = cycles.START
        else:
            template = cycle_templates[(enrollment.batch.program_id, enrollment.cycle)]
            total, done, best = progress.get(enrollment.pk, (0, 0, None))
            result = cycles.gate_result(_progress(template, total, done, best, focus[enrollment.pk]))
            move = cycles.ADVANCE if result.passed else cycles.EXTEND
        target = cycles.apply(enrollment.position, move)
        enrollment.state, enrollment.cycle = target.state, target.cycle
        reason = ""
        if move == cycles.EXTEND:
            reason = "\n".join(str(r) for r in result.reasons)
            enrollment.due_on = today + datetime.timedelta(days=REMEDIATION_DAYS)
            enrollment.is_gate_failed = True
            enrollment.remediation_plan = reason
        elif target.state in cycles.CYCLE_STATES:
            entering[target.cycle].append(enrollment)
            enrollment.is_gate_failed, enrollment.remediation_plan = False, ""
        counts[move] += 1
        changed.append(enrollment)
        events.append(
            EnrollmentEvent(
                enrollment=enrollment,
                actor=None,
                move=move,
                from_state=old_state,
                to_state=enrollment.state,
                reason=reason,
            )
        )
    for number, group in entering.items():
        _enter_cycle(group, number=number, today=today, cycle_templates=cycle_templates, adjustments=adjustments)
    _save_moved(changed)
    EnrollmentEvent.objects.bulk_create(events)
    Employee.objects.filter(pk__in=[e.trainee_id for e in changed if e.state == cycles.COMPLETED]).update(
        stage=Stage.GROWTH
    )
    Employee.objects.filter(pk__in=[e.trainee_id for e in entering.get(1, [])], stage=Stage.PRE_JOB).update(
        stage=Stage.ONBOARDING
    )
    notify.sweep_results(events)
    return counts


SWEPT_FIELDS = ("state", "cycle", "cycle_started_on", "due_on", "is_gate_failed")


def _save_moved(enrollments):
    """Write the chunk's new states set-based: one UPDATE per distinct set of new values (a few per
    chunk: most trainees of a batch move together), not one per row nor a CASE per row and field.
    Remediation plans (the gate's reasons) differ more, so within an UPDATE they are one CASE arm
    per distinct plan."""
    groups = defaultdict(lambda: defaultdict(list))
    for enrollment in enrollments:
        values = tuple(getattr(enrollment, name) for name in SWEPT_FIELDS)
        groups[values][enrollment.remediation_plan].append(enrollment.pk)
    now = timezone.now()
    for values, by_plan in groups.items():
        if len(by_plan) == 1:
            plan = next(iter(by_plan))
        else:
            plan = Case(*(When(pk__in=ids, then=Value(text)) for text, ids in by_plan.items()))
        Enrollment.objects.filter(pk__in=[pk for ids in by_plan.values() for pk in ids]).update(
            **dict(zip(SWEPT_FIELDS, values, strict=True)), remediation_plan=plan, updated_at=now
        )


def _gate_facts(enrollments):
    """{enrollment id: (required total, required done, best check score)} for each current cycle."""
    if not enrollments:
        return {}
    cycle_of = {e.pk: e.cycle for e in enrollments}
    activity_counts = defaultdict(lambda: [0, 0])
    rows = (
        Activity.objects.filter(enrollment_id__in=cycle_of, template__is_required=True)
        .values_list("enrollment_id", "cycle")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        .order_by()
    )
    for enrollment_id, cycle, total, done in rows:
        if cycle_of[enrollment_id] == cycle:
            activity_counts[enrollment_id] = [total, done]
    best = defaultdict(lambda: None)
    for enrollment_id, cycle, score in (
        GateCheck.objects.filter(enrollment_id__in=cycle_of)
        .values_list("enrollment_id", "cycle")
        .annotate(best=Max("score"))
        .order_by()
    ):
        if cycle_of[enrollment_id] == cycle:
            best[enrollment_id] = score
    return {pk: (*activity_counts[pk], best[pk]) for pk in cycle_of}


@transaction.atomic
def complete_activity(*, actor, activity_id, note=""):
    """Mark an activity done, with a note or evidence; marking it again changes nothing."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("enrollment__trainee__team", "enrollment__batch", "template")
        .get(pk=activity_id)
    )
    enrollment = activity.enrollment
    if not permissions.can_complete_activity(
        actor, enrollment.trainee, activity.template.owner, enrollment.batch.supervisor_id
    ):
        raise PermissionDenied(_("This activity is not yours to mark done."))
    if activity.is_done:
        return activity
    if enrollment.state in cycles.TERMINAL or enrollment.state == cycles.ON_HOLD:
        raise ValidationError(_("This enrollment is not active."))
    activity.done_at, activity.done_by, activity.note = timezone.now(), actor, note
    activity.save(update_fields=["done_at", "done_by", "note"])
    return activity


@transaction.atomic
def log_coaching(
    *, actor, enrollment_id, phase, scheduled_at, focus_indicators=(), notes="", agreed_actions="", follow_up_on=None
):
    """Log a 1:1 coaching session (事前 / 事中 / 事后) with focus indicators and agreed actions."""
    enrollment = Enrollment.objects.select_related("trainee__team", "batch").get(pk=enrollment_id)
    if not permissions.can_coach(actor, enrollment.trainee, enrollment.batch.supervisor_id):
        raise PermissionDenied(_("Only the trainee's mentor, supervisor or HR can log coaching."))
    if follow_up_on and follow_up_on < scheduled_at.date():
        raise ValidationError({"follow_up_on": _("The follow-up date cannot be before the session.")})
    session = CoachingSession.objects.create(
        enrollment=enrollment,
        coach=actor,
        phase=phase,
        scheduled_at=scheduled_at,
        notes=notes,
        agreed_actions=agreed_actions,
        follow_up_on=follow_up_on,
    )
    session.focus_indicators.set(focus_indicators)
    return session


@transaction.atomic
def acknowledge_coaching(*, actor, session_id):
    """The trainee confirms the session and its agreed actions; again changes nothing."""
    session = (
        CoachingSession.objects.select_for_update(of=("self",)).select_related("enrollment__trainee").get(pk=session_id)
    )
    if not permissions.can_acknowledge_coaching(actor, session.enrollment.trainee):
        raise PermissionDenied(_("Only the trainee acknowledges a coaching session."))
    if session.acknowledged_at is None:
        session.acknowledged_at = timezone.now()
        session.save(update_fields=["acknowledged_at"])
    return session


def _score_to_level(score):
    """A 0–100 check score as a KASH level: 90+ → 5, 80+ → 4, 70+ → 3, 60+ → 2, else 1."""
    return max(1, min(5, (score - 50) // 10 + 1)) if score >= 60 else 1


@transaction.atomic
def record_gate_check(*, actor, enrollment_id, score, taken_on=None, notes=""):
    """Record a pass-the-gate check (通关) of the current cycle; its result becomes a KASH assessment
    (source exam) of the cycle's focus indicators."""
    taken_on = taken_on or timezone.localdate()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("trainee__team", "batch__program")
        .get(pk=enrollment_id)
    )
    if not permissions.can_coach(actor, enrollment.trainee, enrollment.batch.supervisor_id):
        raise PermissionDenied(_("Only the trainee's mentor, supervisor or HR can run a gate check."))
    if enrollment.state not in (*cycles.CYCLE_STATES, cycles.EXTENDED):
        raise ValidationError(_("A gate check needs a trainee in a cycle."))
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("A score is from 0 to 100.")})
    template = CycleTemplate.objects.prefetch_related("focus_indicators").get(
        program_id=enrollment.batch.program_id, number=enrollment.cycle
    )
    attempt = (enrollment.gate_checks.filter(cycle=enrollment.cycle).aggregate(n=Max("attempt"))["n"] or 0) + 1
    focus = list(template.focus_indicators.all())
    assessment = None
    if focus:
        assessment = create_assessment(
            actor=actor,
            subject=enrollment.trainee,
            source="exam",
            assessed_on=taken_on,
            context=_("Pass-the-gate check, cycle %(cycle)d, attempt %(attempt)d")
            % {"cycle": enrollment.cycle, "attempt": attempt},
            scores={
                i.pk: (
                    _score_to_level(score),
                    _("Score %(score)d / pass mark %(mark)d") % {"score": score, "mark": template.pass_mark},
                )
                for i in focus
            },
            submit=True,
        )
    check = GateCheck.objects.create(
        enrollment=enrollment,
        cycle=enrollment.cycle,
        attempt=attempt,
        examiner=actor,
        taken_on=taken_on,
        score=score,
        pass_mark=template.pass_mark,
        notes=notes,
        assessment=assessment,
    )
    notify.gate_checked(check)
    return check


@transaction.atomic
def assign_mentor(*, actor, enrollment_id, mentor):
    """Assign or change the trainee's mentor (a tenured agent of the same team)."""
    enrollment = Enrollment.objects.select_related("trainee__team", "batch").get(pk=enrollment_id)
    if not permissions.can_manage_enrollment(actor, enrollment.trainee, enrollment.batch.supervisor_id):
        raise PermissionDenied(_("Only the trainee's supervisor or HR can assign a mentor."))
    if mentor.pk == enrollment.trainee_id:
        raise ValidationError({"mentor": _("A trainee cannot mentor herself.")})
    if mentor.stage in (Stage.PRE_JOB, Stage.ONBOARDING, Stage.LEFT):
        raise ValidationError({"mentor": _("A mentor must be a tenured agent.")})
    trainee = Employee.objects.select_for_update().get(pk=enrollment.trainee_id)
    if trainee.mentor_id != mentor.pk:
        trainee.mentor = mentor
        trainee._history_user = actor
        trainee.save(update_fields=["mentor"])
        notify.mentor_assigned(enrollment, mentor)
    return trainee


@transaction.atomic
def adjust_cycle(*, actor, batch_id, cycle_number, extra_days, reason=""):
    """Lengthen or shorten one cycle for one batch, without touching the program template."""
    if not permissions.is_hr(actor):
        raise PermissionDenied(_("Only HR adjusts a batch."))
    batch = Batch.objects.get(pk=batch_id)
    template = CycleTemplate.objects.filter(program_id=batch.program_id, number=cycle_number).first()
    if template is None:
        raise ValidationError({"cycle_number": _("The program has no cycle %(number)s.") % {"number": cycle_number}})
    if template.length_days + extra_days < 1:
        raise ValidationError({"extra_days": _("A cycle must last at least one day.")})
    CycleAdjustment.objects.update_or_create(
        batch_id=batch_id, cycle_number=cycle_number, defaults={"extra_days": extra_days, "reason": reason}
    )


@transaction.atomic
def add_batch_activity(*, actor, batch_id, cycle_number, **fields):
    """Add an activity for one batch only; enrollments already in that cycle (on hold in it too) get it at once."""
    if not permissions.is_hr(actor):
        raise PermissionDenied(_("Only HR adjusts a batch."))
    batch = Batch.objects.get(pk=batch_id)
    cycle = CycleTemplate.objects.get(program_id=batch.program_id, number=cycle_number)
    template = ActivityTemplate.objects.create(cycle=cycle, batch=batch, **fields)
    Activity.objects.bulk_create(
        [
            Activity(
                enrollment=e,
                template=template,
                cycle=cycle_number,
                due_on=e.cycle_started_on + datetime.timedelta(days=template.due_offset_days),
            )
            for e in batch.enrollments.filter(
                cycle=cycle_number, state__in=(cycles.cycle_state(cycle_number), cycles.EXTENDED, cycles.ON_HOLD)
            )
        ],
        ignore_conflicts=True,
    )
    return template
