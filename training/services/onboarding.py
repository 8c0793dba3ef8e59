"""Writes for four-cycle onboarding (DOMAIN §3). Every move goes through move_enrollment or the
sweep: lock the row, ignore a move already made, check the move against training.cycles,
save, write an EnrollmentEvent, and leave the follow-up notifications in the outbox."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from staff import services as staff_services
from staff.models import Employee, Stage

from .. import cycles, gates, idempotency, moves, notify, permissions
from ..models import (
    Activity,
    ActivityTemplate,
    Batch,
    CoachingPhase,
    CoachingSession,
    CycleAdjustment,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
)
from ..selectors import kash as kash_selectors
from .kash import create_assessment

REMEDIATION_DAYS = cycles.REMEDIATION_DAYS


@transaction.atomic
def open_batch(*, actor, program, code, name, start_on, supervisor, team=None, trainees=()):
    """Open a batch (批次) of new hires; each trainee starts in pre-job training."""
    if not permissions.can_administer_batches(actor):
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
    if not permissions.can_administer_batches(actor):
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
        staff_services.change_people(
            actor=actor,
            employee_ids=[trainee.pk],
            stage=Stage.PRE_JOB,
            from_stages=[stage for stage in Stage.values if stage != Stage.ONBOARDING],
            reason="Enrolled in an onboarding batch",
        )
    return enrollment


@transaction.atomic
def move_enrollment(*, actor, enrollment_id, move, from_state, reason="", remediation_plan="", due_on=None, today=None):
    """Apply one move to one enrollment: lock it, plan the move (training.cycles) and write it with the
    writer the sweep uses (training.moves), as a chunk of one. A move already made (the enrollment is no
    longer in ``from_state``) changes nothing; an illegal move or an unmet gate raises ValidationError."""
    today = today or timezone.localdate()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("batch__program", "trainee__team")
        .get(pk=enrollment_id)
    )
    if not permissions.can_manage(actor, enrollment):
        raise PermissionDenied(_("Only the trainee's supervisor or HR can do this."))
    if enrollment.state != from_state:
        return enrollment  # already moved (a double click, a retry, or someone else first)
    templates = gates.templates_for([enrollment.batch.program_id])
    gate, days = None, None
    if move == cycles.ADVANCE:
        gate = gates.load([gates.subject_of(enrollment)], templates=templates).get(enrollment.pk)
    if move in (cycles.START, cycles.ADVANCE):
        days = moves.cycle_days({enrollment.batch_id: enrollment.batch.program_id}, templates)[enrollment.batch_id]
    change = cycles.plan(
        enrollment_id=enrollment.pk,
        trainee_id=enrollment.trainee_id,
        placement=enrollment.placement,
        due_on=enrollment.due_on,
        move=move,
        today=today,
        cycle_days=days,
        gate=gate.result if gate else None,
        reason=reason,
        remediation_plan=remediation_plan,
        new_due_on=due_on,
        current_plan=enrollment.remediation_plan,
    )
    moves.apply_changes([change], actor=actor, today=today)
    enrollment.refresh_from_db()
    return enrollment


SWEEP_SHARES = 4  # a sweep is cut into at least this many claims, so two workers sweeping at once share it
MIN_CHUNK, MAX_CHUNK = 50, 2000  # rows per claim: fixed statements per claim, bounded memory per claim


def sweep_chunk_size(due):
    """Rows per claim when ``due`` rows are due: a quarter of them, at least MIN_CHUNK, at most MAX_CHUNK."""
    return max(MIN_CHUNK, min(MAX_CHUNK, -(-due // SWEEP_SHARES)))


def sweep_due_enrollments(*, today=None, chunk_size=None):
    """The sweep (level-triggered, run every few minutes by beat): every enrollment whose pre-job or cycle
    ended by ``today`` moves on if its gate is met, or is extended and flagged if not. One count when
    nothing is due; else rows are claimed in chunks (sweep_chunk_size) with SKIP LOCKED, each committed on
    its own, so two sweeps at once share the rows and never move one twice, and a sweep killed part-way
    leaves the rest due for the next run."""
    today = today or timezone.localdate()
    if chunk_size is None:
        due = Enrollment.objects.filter(state__in=cycles.DUE, due_on__lte=today).count()
        if not due:
            return {"claimed": 0}
        chunk_size = sweep_chunk_size(due)
    totals = defaultdict(int)
    lookups = {"templates": {}, "weights": kash_selectors.source_weights()}  # read once per sweep
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Level-triggered: a chunk lost in a crash just after its commit is still due, and the next
                # run moves it again (the keys keep its notifications single), so it need not wait for the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            moved = _sweep_chunk(today=today, chunk_size=chunk_size, lookups=lookups)
        for key, value in moved.items():
            totals[key] += value
        if not moved["claimed"]:
            return dict(totals)


def _sweep_chunk(*, today, chunk_size, lookups):
    """Claim a chunk of due enrollments, load their gates set-based, plan each move, write them together."""
    rows = list(
        Enrollment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state__in=cycles.DUE, due_on__lte=today)
        .order_by()  # no sort: LIMIT stops at the first due rows the index finds (sorting all is quadratic)
        .values_list("pk", "trainee_id", "batch_id", "batch__program_id", "state", "cycle", "held_from", "due_on")[
            :chunk_size
        ]
    )
    counts = defaultdict(int, claimed=len(rows))
    if not rows:
        return counts
    templates = lookups["templates"]
    if not {row[3] for row in rows} <= {program_id for program_id, _number in templates}:
        templates.update(gates.templates_for({row[3] for row in rows} | {p for p, _n in templates}))
    days = moves.cycle_days({row[2]: row[3] for row in rows}, templates)
    subjects = [gates.Subject(row[0], row[1], row[3], row[5]) for row in rows]
    found = gates.load(subjects, templates=templates, weights=lookups["weights"])
    changes = []
    for pk, trainee_id, batch_id, _program_id, state, cycle, held_from, due_on in rows:
        gate = found.get(pk)
        change = cycles.plan_due(
            enrollment_id=pk,
            trainee_id=trainee_id,
            placement=cycles.Placement(state, cycle, held_from),
            due_on=due_on,
            today=today,
            cycle_days=days[batch_id],
            gate=gate.result if gate else None,
        )
        counts[change.move] += 1
        changes.append(change)
    moves.apply_changes(changes, actor=None, today=today)
    return counts


@transaction.atomic
def complete_activity(*, actor, activity_id, note=""):
    """Mark an activity done, with a note or evidence; marking it again changes nothing."""
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("enrollment__trainee__team", "enrollment__batch", "template")
        .get(pk=activity_id)
    )
    enrollment = activity.enrollment
    if not permissions.can_complete(actor, activity):
        raise PermissionDenied(_("This activity is not yours to mark done."))
    if activity.is_done:
        return activity
    if enrollment.state not in cycles.DUE:
        raise ValidationError(_("This enrollment is not active."))
    activity.done_at, activity.done_by, activity.note = timezone.now(), actor, note
    activity.save(update_fields=["done_at", "done_by", "note"])
    return activity


@transaction.atomic
def log_coaching(
    *,
    actor,
    enrollment_id,
    phase,
    scheduled_at,
    focus_indicators=(),
    notes="",
    agreed_actions="",
    follow_up_on=None,
    idempotency_key="",
):
    """Log a 1:1 coaching session (事前 / 事中 / 事后) with focus indicators and agreed actions. A retry with
    the same ``idempotency_key`` returns the session already logged (training.idempotency)."""
    enrollment = Enrollment.objects.select_related("trainee__team", "batch").get(pk=enrollment_id)
    if not permissions.can_coach(actor, enrollment):
        raise PermissionDenied(_("Only the trainee's mentor, supervisor or HR can log coaching."))
    same_key = {"actor_field": "coach", "actor": actor, "key": idempotency_key, "enrollment_id": enrollment.pk}
    if (logged := idempotency.replay(CoachingSession, **same_key)) is not None:
        return logged
    if follow_up_on and follow_up_on < scheduled_at.date():
        raise ValidationError({"follow_up_on": _("The follow-up date cannot be before the session.")})
    try:
        with transaction.atomic():
            session = CoachingSession.objects.create(
                employee=enrollment.trainee,
                enrollment=enrollment,
                coach=actor,
                phase=phase,
                scheduled_at=scheduled_at,
                notes=notes,
                agreed_actions=agreed_actions,
                follow_up_on=follow_up_on,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # No row lock here: a concurrent retry with the same key inserted first and committed.
        if (logged := idempotency.replay(CoachingSession, **same_key)) is None:
            raise
        return logged
    session.focus_indicators.set(focus_indicators)
    return session


REPEAT_WITHIN_DAYS = 90  # an after-action review of the same kind of error within this many days is a repeat


@transaction.atomic
def log_employee_coaching(
    *,
    actor,
    employee_id,
    phase,
    scheduled_at,
    notes="",
    agreed_actions="",
    follow_up_on=None,
    cause="",
    remedy="",
    error_kind="",
    idempotency_key="",
):
    """Log a coaching session (事前 / 事中 / 事后) for any employee, enrolled or not: an in-flight correction has a
    target date (``follow_up_on``); an after-action review names the cause, remedy and kind of error, and is
    marked a repeat when the same kind was reviewed for her in the last REPEAT_WITHIN_DAYS days. A retry with the
    same ``idempotency_key`` returns the session already logged."""
    employee = Employee.objects.select_related("team").get(pk=employee_id)
    if not permissions.can_coach_employee(actor, employee):
        raise PermissionDenied(_("Only the employee's supervisor, mentor or HR can log coaching."))
    same_key = {"actor_field": "coach", "actor": actor, "key": idempotency_key, "employee_id": employee.pk}
    if (logged := idempotency.replay(CoachingSession, **same_key)) is not None:
        return logged
    if follow_up_on and follow_up_on < scheduled_at.date():
        raise ValidationError({"follow_up_on": _("The follow-up date cannot be before the session.")})
    is_repeat = (
        bool(error_kind)
        and phase == CoachingPhase.AFTER
        and CoachingSession.objects.filter(
            employee=employee,
            phase=CoachingPhase.AFTER,
            error_kind=error_kind,
            scheduled_at__gte=scheduled_at - datetime.timedelta(days=REPEAT_WITHIN_DAYS),
            scheduled_at__lte=scheduled_at,
        ).exists()
    )
    enrollment = Enrollment.objects.filter(trainee=employee, state__in=cycles.DUE).order_by("-pk").first()
    try:
        with transaction.atomic():
            return CoachingSession.objects.create(
                employee=employee,
                enrollment=enrollment,
                coach=actor,
                phase=phase,
                scheduled_at=scheduled_at,
                notes=notes,
                agreed_actions=agreed_actions,
                follow_up_on=follow_up_on,
                cause=cause,
                remedy=remedy,
                error_kind=error_kind,
                is_repeat=is_repeat,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        if (logged := idempotency.replay(CoachingSession, **same_key)) is None:
            raise
        return logged


@transaction.atomic
def complete_correction(*, actor, session_id):
    """An in-flight correction is done: its coach, or whoever may coach the employee; again changes nothing."""
    session = CoachingSession.objects.select_for_update(of=("self",)).select_related("employee").get(pk=session_id)
    if session.coach_id != getattr(actor, "pk", None) and not permissions.can_coach_employee(actor, session.employee):
        raise PermissionDenied(_("Only the employee's supervisor, mentor or HR can log coaching."))
    if session.corrected_at is None:
        session.corrected_at = timezone.now()
        session.save(update_fields=["corrected_at"])
    return session


@transaction.atomic
def acknowledge_coaching(*, actor, session_id):
    """The coached employee confirms the session and its agreed actions; again changes nothing."""
    session = (
        CoachingSession.objects.select_for_update(of=("self",)).select_related("enrollment__trainee").get(pk=session_id)
    )
    if not permissions.can_acknowledge(actor, session):
        raise PermissionDenied(_("Only the coached employee acknowledges a coaching session."))
    if session.acknowledged_at is None:
        session.acknowledged_at = timezone.now()
        session.save(update_fields=["acknowledged_at"])
    return session


def _score_to_level(score):
    """A 0–100 check score as a KASH level: 90+ → 5, 80+ → 4, 70+ → 3, 60+ → 2, else 1."""
    return max(1, min(5, (score - 50) // 10 + 1)) if score >= 60 else 1


@transaction.atomic
def record_gate_check(*, actor, enrollment_id, score, taken_on=None, notes="", idempotency_key=""):
    """Record a pass-the-gate check (通关) of the current cycle; its result becomes a KASH assessment
    (source exam) of the cycle's focus indicators. A retry with the same ``idempotency_key`` returns the
    check already recorded."""
    taken_on = taken_on or timezone.localdate()
    enrollment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("trainee__team", "batch__program")
        .get(pk=enrollment_id)
    )
    if not permissions.can_coach(actor, enrollment):
        raise PermissionDenied(_("Only the trainee's mentor, supervisor or HR can run a gate check."))
    # The enrollment's row lock above serializes two requests with one key: the second sees the first's check.
    recorded = idempotency.replay(
        GateCheck, actor_field="examiner", actor=actor, key=idempotency_key, enrollment_id=enrollment.pk
    )
    if recorded is not None:
        return recorded
    if enrollment.state not in cycles.ACTIVE:
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
        idempotency_key=idempotency_key,
    )
    notify.gate_checked(check)
    return check


@transaction.atomic
def assign_mentor(*, actor, enrollment_id, mentor):
    """Assign or change the trainee's mentor (a tenured agent of the same team)."""
    enrollment = Enrollment.objects.select_related("trainee__team", "batch").get(pk=enrollment_id)
    if not permissions.can_manage(actor, enrollment):
        raise PermissionDenied(_("Only the trainee's supervisor or HR can assign a mentor."))
    # staff checks the mentor rules and writes the history; training's change listener tells trainee and mentor.
    return staff_services.change_person(actor=actor, employee_id=enrollment.trainee_id, mentor=mentor)


@transaction.atomic
def adjust_cycle(*, actor, batch_id, cycle_number, extra_days, reason=""):
    """Lengthen or shorten one cycle for one batch, without touching the program template."""
    if not permissions.can_administer_batches(actor):
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
    if not permissions.can_administer_batches(actor):
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
