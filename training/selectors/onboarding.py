"""Reads for the onboarding pages (DOMAIN §3). Every object comes through a queryset scoped by
training.permissions, and every page issues a fixed number of queries whatever the
batch size or the trainee's history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff import permissions as people
from staff.models import Employee, Stage

from .. import cycles, gates
from ..models import (
    Activity,
    CoachingPhase,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
)
from ..mood_rules import trend
from ..permissions import (
    can_complete,
    can_manage,
    visible_activities,
    visible_batches,
    visible_coaching,
    visible_enrollments,
)
from . import mood

AT_RISK_DAYS = 3  # a cycle due within this many days with required work still open is "at risk"
MENTOR_STAGES = (Stage.GROWTH, Stage.HIGH_PERFORMER)  # tenured agents


# Scoped querysets --------------------------------------------------------------------------


# The scopes themselves (visible_enrollments, visible_activities, visible_coaching, visible_batches)
# live in training.permissions: out of scope answers 404 in the views.


def enrollments_for_pages(user):
    """Enrollments in scope with what their pages show."""
    return visible_enrollments(user).select_related(
        "batch__program", "batch__supervisor", "trainee__team", "trainee__mentor", "trainee__position"
    )


@dataclass(frozen=True)
class EventRow:
    event: EnrollmentEvent
    label: str


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
    gate: object = None  # training.gates.Gate of the current cycle (batch board), None outside a cycle
    mood: object = None  # training.mood_rules.Trend when her cycle-4 mood is falling (batch board), else None

    @property
    def is_gate_met(self):
        return self.gate is not None and self.gate.passed

    @property
    def failed_check(self):
        """The best check of the current cycle when it is below the pass mark: shown at once."""
        return self.gate.progress if self.gate is not None and self.gate.progress.is_check_failed else None

    @property
    def in_cycle(self):
        return self.enrollment.state in cycles.ACTIVE

    @property
    def shows_due(self):
        """A due date means something until the onboarding has ended (completed or withdrawn)."""
        return self.enrollment.state not in cycles.TERMINAL


def _card(enrollment, today, gate=None):
    active = enrollment.state in cycles.ACTIVE
    open_required = enrollment.required_total - enrollment.required_done
    return Card(
        enrollment=enrollment,
        progress=cycles.progress_percent(enrollment, enrollment.required_done, enrollment.required_total),
        overdue=enrollment.overdue_count if active else 0,
        is_at_risk=active and open_required > 0 and enrollment.due_on <= today + datetime.timedelta(days=AT_RISK_DAYS),
        is_gate_failed=enrollment.is_gate_failed and enrollment.state not in cycles.TERMINAL,
        next_coaching_at=getattr(enrollment, "next_coaching_at", None),
        gate=gate,
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
    gate: cycles.GateResult | None = None  # of the current cycle, when in one


def current_enrollment(employee):
    """The employee's latest enrollment (the newest batch), or None."""
    return (
        Enrollment.objects.filter(trainee=employee)
        .select_related("batch__program", "batch__supervisor", "trainee__team", "trainee__mentor")
        .order_by("-batch__start_on", "-pk")
        .first()
    )


def _gate_and_templates(enrollment):
    """({number: CycleTemplate} of the program, the Gate of the current cycle or None), via training.gates."""
    templates = gates.templates_for([enrollment.batch.program_id])
    gate = None
    if enrollment.state in cycles.ACTIVE:
        gate = gates.load([gates.subject_of(enrollment)], templates=templates, for_pages=True).get(enrollment.pk)
    return {number: t for (_program, number), t in templates.items()}, gate


def _activity_rows(user, enrollment, activities, today):
    is_open = enrollment.state in cycles.ACTIVE
    return [
        ActivityRow(
            a,
            can_mark=is_open and not a.is_done and can_complete(user, a),
            is_overdue=not a.is_done and a.due_on < today,
        )
        for a in activities
    ]


def _focus_rows(gate):
    """The cycle's KASH focus indicators with the trainee's current level, judged by the gate's rule."""
    if gate is None:
        return []
    required = gate.progress.focus_min_level
    return [FocusRow(indicator, level, required, cycles.focus_met(level, required)) for indicator, level in gate.focus]


def my_onboarding(user, enrollment, *, today=None, now=None):
    """The trainee's own page: position, this cycle's work, coaching to come, KASH focus."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    templates, gate = _gate_and_templates(enrollment)
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
    needs_check = template is not None and template.check_required and enrollment.state in cycles.ACTIVE
    return MyOnboarding(
        enrollment=enrollment,
        timeline=cycles.timeline(enrollment),
        progress=cycles.progress_percent(enrollment, done, len(required)),
        cycle=template,
        activities=_activity_rows(user, enrollment, activities, today),
        required_done=done,
        required_total=len(required),
        sessions=sessions,
        gate_check_on=enrollment.due_on if needs_check else None,
        focus=_focus_rows(gate),
        gate=gate.result if gate else None,
    )


# Boards ------------------------------------------------------------------------------------


def board_batches(user):
    """Batches for the picker, newest first."""
    return list(visible_batches(user).select_related("program", "supervisor").order_by("-start_on", "-pk"))


def default_batch(user, batches):
    """The supervisor's most recent batch; else the most recent one ``user`` may see."""
    me = people.employee_of(user)
    own = [b for b in batches if me is not None and b.supervisor_id == me.pk]
    return (own or batches or [None])[0]


OTHER_COLUMN = "other"


def board_columns():
    """(key, label) of the batch board's columns: stages, then extended / on hold / withdrawn."""
    return [
        *((key, cycles.STATE_LABELS[key]) for key in cycles.TIMELINE),
        (OTHER_COLUMN, _("Extended, on hold or withdrawn")),
    ]


def _column_of(state):
    return state if state in cycles.TIMELINE else OTHER_COLUMN


def batch_board(user, batch, *, today=None):
    """[(key, label, [Card])] for one batch, trainees in scope only, with each one's gate and falling mood (a fixed
    number of queries: the enrollments, then training.gates, then the cycle-4 check-ins)."""
    today = today or timezone.localdate()
    enrollments = _with_counts(
        visible_enrollments(user).filter(batch=batch).select_related("trainee__mentor"), today
    ).order_by("trainee__name", "pk")
    enrollments = list(enrollments)
    found = gates.load(
        [gates.Subject(e.pk, e.trainee_id, batch.program_id, e.cycle) for e in enrollments if e.state in cycles.ACTIVE],
        for_pages=True,
    )
    falling = mood.falling(enrollments)  # issue 15 §9: one query for the board, none without a cycle-4 trainee
    by_column = {key: [] for key, _label in board_columns()}
    for enrollment in enrollments:
        card = _card(enrollment, today, found.get(enrollment.pk))
        card.mood = falling.get(enrollment.pk)
        by_column[_column_of(enrollment.state)].append(card)
    return [(key, label, by_column[key]) for key, label in board_columns()]


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
    required_done: int  # of the current cycle: what the progress counts within it
    required_total: int
    cycles: list  # CycleBlock, newest first
    coaching: list  # [(phase value, phase label, [CoachingSession])]
    gate_checks: list
    events: list
    gate: cycles.GateResult | None  # for the current cycle, when in one
    focus: list
    mentor_candidates: list
    moods: list  # her weekly mood check-ins of cycle 4, oldest first (issue 15 §9)
    mood: object  # training.mood_rules.Trend of those answers


def enrollment_detail(user, enrollment, *, can_manage, today=None):
    """Everything of one enrollment, in a fixed number of queries."""
    today = today or timezone.localdate()
    templates, gate = _gate_and_templates(enrollment)
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
        EventRow(event, cycles.move_label(event.move))
        for event in EnrollmentEvent.objects.filter(enrollment=enrollment)
        .select_related("actor__employee")
        .order_by("-at", "-pk")
    ]
    moods = mood.history(user, enrollment)
    rows = _activity_rows(user, enrollment, activities, today)
    current = [r.activity for r in rows if r.activity.cycle == enrollment.cycle and r.activity.template.is_required]
    done = sum(a.is_done for a in current)
    numbers = sorted({r.activity.cycle for r in rows}, reverse=True)
    return Detail(
        enrollment=enrollment,
        timeline=cycles.timeline(enrollment),
        progress=cycles.progress_percent(enrollment, done, len(current)),
        required_done=done,
        required_total=len(current),
        cycles=[CycleBlock(n, templates.get(n), [r for r in rows if r.activity.cycle == n]) for n in numbers],
        coaching=[(value, label, [s for s in sessions if s.phase == value]) for value, label in CoachingPhase.choices],
        gate_checks=checks,
        events=events,
        gate=gate.result if gate else None,
        focus=_focus_rows(gate),
        mentor_candidates=list(mentor_candidates(user, enrollment)) if can_manage else [],
        moods=moods,
        mood=trend([m.mood for m in moods]),
    )


def mentor_candidates(user, enrollment):
    """Tenured agents of the trainee's team, with their current mentee count (mentor load), for whoever
    manages the enrollment (a batch supervisor of another team too: she assigns the mentor)."""
    trainee = enrollment.trainee
    if trainee.team_id is None or not can_manage(user, enrollment):
        return Employee.objects.none()
    return (
        Employee.objects.filter(team_id=trainee.team_id, stage__in=MENTOR_STAGES)
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
