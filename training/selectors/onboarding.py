"""Reads for the onboarding pages (DOMAIN §3). Every object comes through a queryset scoped by
staff.permissions.visible_employees, and every page issues a fixed number of queries whatever the
batch size or the trainee's history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff import permissions
from staff.models import Employee, Stage

from .. import cycles, kash
from ..models import (
    Activity,
    Batch,
    CoachingPhase,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
)
from . import kash as selectors

AT_RISK_DAYS = 3  # a cycle due within this many days with required work still open is "at risk"
ACTIVE_STATES = (*cycles.CYCLE_STATES, cycles.EXTENDED)
OPEN_STATES = (cycles.PRE_JOB, *ACTIVE_STATES, cycles.ON_HOLD)
MENTOR_STAGES = (Stage.GROWTH, Stage.HIGH_PERFORMER)  # tenured agents


# Scoped querysets --------------------------------------------------------------------------


def visible_enrollments(user):
    """Enrollments whose trainee ``user`` may see (out of scope answers 404 in the views)."""
    return Enrollment.objects.filter(trainee__in=permissions.visible_employees(user))


def visible_activities(user):
    return Activity.objects.filter(enrollment__trainee__in=permissions.visible_employees(user))


def visible_coaching(user):
    return CoachingSession.objects.filter(enrollment__trainee__in=permissions.visible_employees(user))


def visible_gate_checks(user):
    return GateCheck.objects.filter(enrollment__trainee__in=permissions.visible_employees(user))


def visible_batches(user):
    """HR sees every batch; others the batches they supervise or that hold a trainee they may see."""
    if permissions.is_hr(user):
        return Batch.objects.all()
    me = permissions.employee_of(user)
    if me is None:
        return Batch.objects.none()
    in_scope = visible_enrollments(user).values("batch_id")
    return Batch.objects.filter(Q(supervisor=me) | Q(pk__in=in_scope))


def enrollments_for_pages(user):
    """Enrollments in scope with what their pages show."""
    return visible_enrollments(user).select_related(
        "batch__program", "batch__supervisor", "trainee__team", "trainee__mentor", "trainee__position"
    )


# Moves -------------------------------------------------------------------------------------

MOVE_LABELS = {
    "enroll": _("Enrolled"),
    cycles.START: _("Start cycle 1"),
    cycles.ADVANCE: _("Approve the gate"),
    cycles.EXTEND: _("Fail the gate and extend"),
    cycles.HOLD: _("Put on hold"),
    cycles.RESUME: _("Resume"),
    cycles.WITHDRAW: _("Withdraw"),
}


def move_label(move, enrollment=None):
    if move == cycles.ADVANCE and enrollment is not None and enrollment.cycle == cycles.LAST_CYCLE:
        return _("Approve the gate and complete")
    return MOVE_LABELS.get(move, move)


@dataclass(frozen=True)
class EventRow:
    event: EnrollmentEvent
    label: str


# Progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    status: str  # "done", "current" or "todo"


TIMELINE = (cycles.PRE_JOB, *cycles.CYCLE_STATES, cycles.COMPLETED)


def _step_index(enrollment):
    if enrollment.state == cycles.COMPLETED:
        return len(TIMELINE) - 1
    return enrollment.cycle  # 0 in pre-job; the current cycle when extended, on hold or withdrawn


def timeline(enrollment):
    """Pre-job, cycles 1–4, completed; where the enrollment is on it."""
    current = _step_index(enrollment)
    done_all = enrollment.state == cycles.COMPLETED
    return [
        Step(
            key,
            cycles.STATE_LABELS[key],
            "done" if n < current or done_all else "current" if n == current else "todo",
        )
        for n, key in enumerate(TIMELINE)
    ]


def progress_percent(enrollment, required_done, required_total):
    """How far through the four cycles: finished cycles plus the share of the current cycle's
    required activities done. Pre-job is 0 %, completed 100 %."""
    if enrollment.state == cycles.COMPLETED:
        return 100
    if not enrollment.cycle:
        return 0
    share = required_done / required_total if required_total else 0
    return round((enrollment.cycle - 1 + share) * 100 / cycles.LAST_CYCLE)


def _with_counts(enrollments, today):
    """Annotate the current cycle's required activities (total, done) and the overdue activities."""
    current = Q(activities__cycle=F("cycle"), activities__template__is_required=True)
    return enrollments.annotate(
        required_total=Count("activities", filter=current),
        required_done=Count("activities", filter=current & Q(activities__done_at__isnull=False)),
        overdue_count=Count("activities", filter=Q(activities__done_at__isnull=True, activities__due_on__lt=today)),
    )


@dataclass
class Card:
    """One trainee on a board."""

    enrollment: Enrollment
    progress: int
    overdue: int
    is_at_risk: bool
    is_gate_failed: bool
    next_coaching_at: datetime.datetime | None = None

    @property
    def in_cycle(self):
        return self.enrollment.state in ACTIVE_STATES


def _card(enrollment, today):
    active = enrollment.state in ACTIVE_STATES
    open_required = enrollment.required_total - enrollment.required_done
    return Card(
        enrollment=enrollment,
        progress=progress_percent(enrollment, enrollment.required_done, enrollment.required_total),
        overdue=enrollment.overdue_count if active else 0,
        is_at_risk=active and open_required > 0 and enrollment.due_on <= today + datetime.timedelta(days=AT_RISK_DAYS),
        is_gate_failed=enrollment.is_gate_failed and enrollment.state not in cycles.TERMINAL,
        next_coaching_at=getattr(enrollment, "next_coaching_at", None),
    )


# My onboarding -----------------------------------------------------------------------------


@dataclass
class ActivityRow:
    activity: Activity
    can_mark: bool
    is_overdue: bool


@dataclass
class FocusRow:
    indicator: object
    level: float | None
    required: float | None
    is_met: bool | None  # None: no level required


@dataclass
class MyOnboarding:
    enrollment: Enrollment
    timeline: list
    progress: int
    cycle: CycleTemplate | None
    activities: list
    required_done: int
    required_total: int
    sessions: list
    gate_check_on: datetime.date | None
    focus: list


def current_enrollment(employee):
    """The employee's latest enrollment (the newest batch), or None."""
    return (
        Enrollment.objects.filter(trainee=employee)
        .select_related("batch__program", "batch__supervisor", "trainee__team", "trainee__mentor")
        .order_by("-batch__start_on", "-pk")
        .first()
    )


def _cycle_templates(program_id):
    """{number: CycleTemplate} with the focus indicators (two queries)."""
    return {
        c.number: c for c in CycleTemplate.objects.filter(program_id=program_id).prefetch_related("focus_indicators")
    }


def _activity_rows(user, enrollment, activities, today):
    is_open = enrollment.state in ACTIVE_STATES
    return [
        ActivityRow(
            a,
            can_mark=is_open
            and not a.is_done
            and permissions.can_complete_activity(
                user, enrollment.trainee, a.template.owner, enrollment.batch.supervisor_id
            ),
            is_overdue=not a.is_done and a.due_on < today,
        )
        for a in activities
    ]


def _focus_rows(employee, cycle_template):
    """The cycle's KASH focus indicators with the trainee's current level (two queries)."""
    if cycle_template is None:
        return []
    indicators = list(cycle_template.focus_indicators.all())
    if not indicators:
        return []
    facts = selectors.latest_facts_by_subject([employee.pk]).get(employee.pk, [])
    levels = kash.current_levels(facts, selectors.source_weights())
    required = float(cycle_template.focus_min_level) if cycle_template.focus_min_level is not None else None
    rows = []
    for indicator in indicators:
        level = levels.get(indicator.pk)
        met = None if required is None else level is not None and level >= required
        rows.append(FocusRow(indicator, level, required, met))
    return rows


def my_onboarding(user, enrollment, *, today=None, now=None):
    """The trainee's own page: position, this cycle's work, coaching to come, KASH focus."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    templates = _cycle_templates(enrollment.batch.program_id)
    template = templates.get(enrollment.cycle)
    activities = list(
        enrollment.activities.filter(cycle=enrollment.cycle)
        .select_related("template")
        .order_by("due_on", "template__order", "pk")
    )
    required = [a for a in activities if a.template.is_required]
    done = sum(a.is_done for a in required)
    sessions = list(
        enrollment.coaching_sessions.filter(Q(scheduled_at__gte=now) | Q(acknowledged_at__isnull=True))
        .select_related("coach__employee")
        .order_by("scheduled_at")[:10]
    )
    needs_check = template is not None and template.check_required and enrollment.state in ACTIVE_STATES
    return MyOnboarding(
        enrollment=enrollment,
        timeline=timeline(enrollment),
        progress=progress_percent(enrollment, done, len(required)),
        cycle=template,
        activities=_activity_rows(user, enrollment, activities, today),
        required_done=done,
        required_total=len(required),
        sessions=sessions,
        gate_check_on=enrollment.due_on if needs_check else None,
        focus=_focus_rows(enrollment.trainee, template) if enrollment.state in ACTIVE_STATES else [],
    )


# Boards ------------------------------------------------------------------------------------


def board_batches(user):
    """Batches for the picker, newest first."""
    return list(visible_batches(user).select_related("program", "supervisor").order_by("-start_on", "-pk"))


def default_batch(user, batches):
    """The supervisor's most recent batch; else the most recent one ``user`` may see."""
    me = permissions.employee_of(user)
    own = [b for b in batches if me is not None and b.supervisor_id == me.pk]
    return (own or batches or [None])[0]


OTHER_COLUMN = "other"


def board_columns():
    """(key, label) of the batch board's columns: stages, then extended / on hold / withdrawn."""
    return [
        *((key, cycles.STATE_LABELS[key]) for key in TIMELINE),
        (OTHER_COLUMN, _("Extended, on hold or withdrawn")),
    ]


def _column_of(state):
    return state if state in TIMELINE else OTHER_COLUMN


def batch_board(user, batch, *, today=None):
    """[(key, label, [Card])] for one batch, trainees in scope only (one query)."""
    today = today or timezone.localdate()
    enrollments = _with_counts(
        visible_enrollments(user).filter(batch=batch).select_related("trainee__mentor"), today
    ).order_by("trainee__name", "pk")
    by_column = {key: [] for key, _label in board_columns()}
    for enrollment in enrollments:
        by_column[_column_of(enrollment.state)].append(_card(enrollment, today))
    return [(key, label, by_column[key]) for key, label in board_columns()]


def mentee_board(user, *, today=None, now=None):
    """The mentor's trainees in open enrollments, soonest due first (one query)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    me = permissions.employee_of(user)
    if me is None:
        return []
    next_coaching = (
        CoachingSession.objects.filter(enrollment=OuterRef("pk"), scheduled_at__gte=now)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    enrollments = (
        _with_counts(
            visible_enrollments(user)
            .filter(trainee__mentor=me, state__in=OPEN_STATES)
            .select_related("trainee", "batch"),
            today,
        )
        .annotate(next_coaching_at=Subquery(next_coaching))
        .order_by("due_on", "trainee__name")
    )
    return [_card(e, today) for e in enrollments]


# Enrollment detail -------------------------------------------------------------------------


@dataclass
class CycleBlock:
    number: int
    template: CycleTemplate | None
    activities: list


@dataclass
class Detail:
    enrollment: Enrollment
    timeline: list
    progress: int
    cycles: list  # CycleBlock, newest first
    coaching: list  # [(phase value, phase label, [CoachingSession])]
    gate_checks: list
    events: list
    gate: cycles.GateResult | None  # for the current cycle, when in one
    focus: list
    mentor_candidates: list


def enrollment_detail(user, enrollment, *, can_manage, today=None):
    """Everything of one enrollment, in a fixed number of queries."""
    today = today or timezone.localdate()
    templates = _cycle_templates(enrollment.batch.program_id)
    activities = list(
        enrollment.activities.select_related("template", "done_by__employee").order_by(
            "cycle", "due_on", "template__order", "pk"
        )
    )
    sessions = list(
        enrollment.coaching_sessions.select_related("coach__employee")
        .prefetch_related("focus_indicators")
        .order_by("-scheduled_at", "-pk")
    )
    checks = list(enrollment.gate_checks.select_related("examiner__employee").order_by("-cycle", "-attempt"))
    events = [
        EventRow(event, move_label(event.move))
        for event in EnrollmentEvent.objects.filter(enrollment=enrollment)
        .select_related("actor__employee")
        .order_by("-at", "-pk")
    ]
    rows = _activity_rows(user, enrollment, activities, today)
    current = [r.activity for r in rows if r.activity.cycle == enrollment.cycle and r.activity.template.is_required]
    done = sum(a.is_done for a in current)
    template = templates.get(enrollment.cycle)
    in_cycle = enrollment.state in ACTIVE_STATES
    focus = _focus_rows(enrollment.trainee, template) if in_cycle else []
    gate = None
    if in_cycle and template is not None:
        scores = [c.score for c in checks if c.cycle == enrollment.cycle]
        gate = cycles.gate_result(
            cycles.GateProgress(
                required_total=len(current),
                required_done=done,
                check_required=template.check_required,
                check_score=max(scores) if scores else None,
                pass_mark=template.pass_mark,
                focus_levels={str(f.indicator.name): f.level for f in focus},
                focus_min_level=float(template.focus_min_level) if template.focus_min_level is not None else None,
            )
        )
    numbers = sorted({r.activity.cycle for r in rows}, reverse=True)
    return Detail(
        enrollment=enrollment,
        timeline=timeline(enrollment),
        progress=progress_percent(enrollment, done, len(current)),
        cycles=[CycleBlock(n, templates.get(n), [r for r in rows if r.activity.cycle == n]) for n in numbers],
        coaching=[(value, label, [s for s in sessions if s.phase == value]) for value, label in CoachingPhase.choices],
        gate_checks=checks,
        events=events,
        gate=gate,
        focus=focus,
        mentor_candidates=list(mentor_candidates(user, enrollment.trainee)) if can_manage else [],
    )


def mentor_candidates(user, trainee):
    """Tenured agents of the trainee's team, with their current mentee count (mentor load)."""
    if trainee.team_id is None:
        return Employee.objects.none()
    return (
        permissions.visible_employees(user)
        .filter(team_id=trainee.team_id, stage__in=MENTOR_STAGES)
        .exclude(pk=trainee.pk)
        .annotate(mentee_count=Count("mentees", filter=~Q(mentees__stage=Stage.LEFT)))
        .order_by("mentee_count", "name")
    )


def cycle_template(enrollment):
    """The template of the enrollment's current cycle (None in pre-job)."""
    return CycleTemplate.objects.filter(program_id=enrollment.batch.program_id, number=enrollment.cycle).first()


def cycle_focus_ids(enrollment):
    """Ids of the current cycle's KASH focus indicators, to preselect in a coaching form."""
    return list(
        CycleTemplate.objects.filter(
            program_id=enrollment.batch.program_id, number=enrollment.cycle, focus_indicators__isnull=False
        ).values_list("focus_indicators", flat=True)
    )


def sessions_for_ack(user):
    return visible_coaching(user).select_related("enrollment__trainee")


def activities_for_done(user):
    return visible_activities(user).select_related("enrollment__trainee__team", "enrollment__batch", "template")
