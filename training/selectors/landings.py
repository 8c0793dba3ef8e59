"""Reads for where each role lands (DOMAIN §3): what needs a supervisor today, each mentee's onboarding
with what is overdue, HR's onboarding across all batches, and the trainee's next step. Every read comes
through a scope of training.permissions and issues a fixed number of queries whatever the team, the
number of mentees or batches."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import cycles, gates
from ..models import Activity, ActivityOwner, Batch, CoachingSession, Enrollment, EnrollmentEvent
from ..permissions import can_administer_batches, led_enrollments, visible_enrollments
from .onboarding import AT_RISK_DAYS, _card, _with_counts

DUE_AHEAD_DAYS = 2  # the supervisor's own activities and coaching sessions due today and in the next two days
ACK_GRACE_DAYS = 2  # a coaching session not acknowledged this many days after it took place is followed up


# The supervisor's "Today" ----------------------------------------------------------------------


@dataclass
class Attention:
    """What needs a supervisor now, read in a fixed number of queries (the items are made in training.today)."""

    cards: list  # onboarding_selectors.Card of each enrollment in a cycle, with its gate
    activities: list  # open activities overdue, or the supervisor's own due within DUE_AHEAD_DAYS
    unacknowledged: dict  # {enrollment id: [CoachingSession]} past, not acknowledged by the trainee
    coaching: list  # [CoachingSession] the user coaches, due within DUE_AHEAD_DAYS


def supervisor_attention(user, *, today, now):
    """The enrollments in a cycle that ``user`` leads themself (training.permissions.led_enrollments) with
    their gates, the activities and coaching sessions that need attention: six to nine queries."""
    led = led_enrollments(user).filter(state__in=cycles.ACTIVE)
    enrollments = list(_with_counts(led.select_related("trainee", "batch"), today).order_by("due_on", "pk"))
    if not enrollments:
        return Attention([], [], {}, [])
    found = gates.load([gates.subject_of(e) for e in enrollments], for_pages=True)
    by_id = {e.pk: e for e in enrollments}
    horizon = today + datetime.timedelta(days=DUE_AHEAD_DAYS)
    activities = list(
        Activity.objects.filter(enrollment__in=led, done_at__isnull=True)
        .filter(Q(due_on__lt=today) | Q(template__owner=ActivityOwner.SUPERVISOR, due_on__lte=horizon))
        .select_related("template")
        .order_by("due_on", "template__order", "pk")
    )
    end_of_horizon = timezone.make_aware(
        datetime.datetime.combine(horizon + datetime.timedelta(days=1), datetime.time())
    )
    sessions = CoachingSession.objects.filter(enrollment__in=led).filter(
        Q(acknowledged_at__isnull=True, scheduled_at__lt=now - datetime.timedelta(days=ACK_GRACE_DAYS))
        | Q(coach=user, scheduled_at__gte=now, scheduled_at__lt=end_of_horizon)
    )
    unacknowledged, coaching = {}, []
    for session in sessions.order_by("scheduled_at", "pk"):
        session.enrollment = by_id[session.enrollment_id]
        if session.acknowledged_at is None and session.scheduled_at < now:
            unacknowledged.setdefault(session.enrollment_id, []).append(session)
        else:
            coaching.append(session)
    for activity in activities:
        activity.enrollment = by_id[activity.enrollment_id]
    return Attention(
        cards=[_card(e, today, found.get(e.pk)) for e in enrollments],
        activities=activities,
        unacknowledged=unacknowledged,
        coaching=coaching,
    )


# The mentor's mentees ----------------------------------------------------------------------------


@dataclass
class MenteeOnboarding:
    card: object  # onboarding_selectors.Card
    overdue: list  # [Activity] open past their date, earliest first


def mentee_onboarding(user, mentee_ids, *, today=None, now=None):
    """{trainee id: MenteeOnboarding} of the mentees' open enrollments that ``user`` may see (two queries)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    if not mentee_ids:
        return {}
    next_coaching = (
        CoachingSession.objects.filter(enrollment=OuterRef("pk"), scheduled_at__gte=now)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    enrollments = list(
        _with_counts(
            visible_enrollments(user).filter(trainee_id__in=mentee_ids, state__in=cycles.OPEN).select_related("batch"),
            today,
        )
        .annotate(next_coaching_at=Subquery(next_coaching))
        .order_by("batch__start_on", "pk")  # the newest batch last: it wins below
    )
    if not enrollments:
        return {}
    overdue = {}
    for activity in (
        Activity.objects.filter(
            enrollment__in=[e.pk for e in enrollments if e.state in cycles.ACTIVE],
            done_at__isnull=True,
            due_on__lt=today,
        )
        .select_related("template")
        .order_by("due_on", "template__order", "pk")
    ):
        overdue.setdefault(activity.enrollment_id, []).append(activity)
    return {e.trainee_id: MenteeOnboarding(_card(e, today), overdue.get(e.pk, [])) for e in enrollments}


# HR: onboarding across all batches -------------------------------------------------------------------

MAX_BATCHES = 30  # rows of the overview's table; the batch board lists every batch
# The sweep runs every few minutes from midnight of the day an enrollment is due: due longer than this and
# still not moved on means the sweep is not running (worker or beat down), which HR is warned of.
SWEEP_GRACE = datetime.timedelta(minutes=30)


@dataclass
class BatchRow:
    batch: Batch
    by_cycle: list  # counts per cycle number 0 (pre-job) … 4, extended ones counted in their cycle
    extended: int
    on_hold: int
    at_risk: int
    gate_failed: int
    completed_this_month: int

    @property
    def open(self):
        return sum(self.by_cycle) + self.on_hold


@dataclass
class Overview:
    columns: list  # (cycle number, label): pre-job, cycles 1–4
    totals: BatchRow  # batch None: the sums
    rows: list  # BatchRow of the most recent batches with open enrollments or completions this month
    hidden: int  # batches beyond MAX_BATCHES
    unswept: int  # enrollments due more than SWEEP_GRACE ago and not yet moved on by the sweep
    unswept_since: datetime.datetime | None  # when the oldest of them fell due (midnight of its due day)


def onboarding_overview(user, *, now=None):
    """Onboarding across every batch ``user`` may see: per cycle, at risk, gates failed, completions this month,
    and the enrollments the sweep should have moved on by ``now`` (HR; four queries whatever the number of
    batches and trainees). None for anyone who does not run batches."""
    if not can_administer_batches(user):
        return None
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = visible_enrollments(user)
    overdue = Q(state__in=cycles.DUE, due_on__lte=timezone.localdate(now - SWEEP_GRACE))
    counts = (
        scope.filter(state__in=cycles.OPEN)
        .values_list("batch_id", "state", "cycle")
        .annotate(
            n=Count("pk"),
            failed=Count("pk", filter=Q(is_gate_failed=True)),
            unswept=Count("pk", filter=overdue),
            unswept_since=Min("due_on", filter=overdue),
        )
        .order_by()
    )
    current_open = Q(
        activities__cycle=F("cycle"), activities__template__is_required=True, activities__done_at__isnull=True
    )
    at_risk = Counter(
        scope.filter(state__in=cycles.ACTIVE, due_on__lte=today + datetime.timedelta(days=AT_RISK_DAYS))
        .annotate(open_required=Count("activities", filter=current_open))
        .filter(open_required__gt=0)
        .values_list("batch_id", flat=True)
    )
    month_start = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time()))
    completed = Counter(
        EnrollmentEvent.objects.filter(enrollment__in=scope, to_state=cycles.COMPLETED, at__gte=month_start)
        .values_list("enrollment__batch_id", flat=True)
        .order_by()
    )
    rows = {}

    def row(batch_id):
        if batch_id not in rows:
            rows[batch_id] = BatchRow(None, [0] * (cycles.LAST_CYCLE + 1), 0, 0, 0, 0, 0)
        return rows[batch_id]

    unswept = []
    for batch_id, state, cycle, n, failed, late, since in counts:
        unswept += [(since, late)] if late else []
        r = row(batch_id)
        if state == cycles.ON_HOLD:
            r.on_hold += n
        else:
            r.by_cycle[cycle] += n
            r.extended += n if state == cycles.EXTENDED else 0
        r.gate_failed += failed
    for batch_id, n in at_risk.items():
        row(batch_id).at_risk = n
    for batch_id, n in completed.items():
        row(batch_id).completed_this_month = n
    totals = BatchRow(None, [0] * (cycles.LAST_CYCLE + 1), 0, 0, 0, 0, 0)
    for r in rows.values():
        totals.by_cycle = [a + b for a, b in zip(totals.by_cycle, r.by_cycle, strict=True)]
        for name in ("extended", "on_hold", "at_risk", "gate_failed", "completed_this_month"):
            setattr(totals, name, getattr(totals, name) + getattr(r, name))
    batches = (
        Batch.objects.filter(pk__in=list(rows)).select_related("supervisor").order_by("-start_on", "-pk")[:MAX_BATCHES]
        if rows
        else []
    )
    shown = []
    for batch in batches:
        rows[batch.pk].batch = batch
        shown.append(rows[batch.pk])
    columns = [
        (n, cycles.STATE_LABELS[cycles.PRE_JOB] if n == 0 else _cycle_label(n)) for n in range(len(totals.by_cycle))
    ]
    since = min(unswept)[0] if unswept else None
    return Overview(
        columns=columns,
        totals=totals,
        rows=shown,
        hidden=max(0, len(rows) - MAX_BATCHES),
        unswept=sum(late for _since, late in unswept),
        unswept_since=timezone.make_aware(datetime.datetime.combine(since, datetime.time())) if since else None,
    )


def _cycle_label(number):
    return _("Cycle %(number)d") % {"number": number}


# The trainee's landing and next step -------------------------------------------------------------------


def is_onboarding(employee):
    """The employee is in an open enrollment (pre-job, a cycle, extended or on hold): she lands on it."""
    return employee is not None and Enrollment.objects.filter(trainee=employee, state__in=cycles.OPEN).exists()


@dataclass(frozen=True)
class NextStep:
    """The single most important next thing on "My onboarding", with where on the page to do it."""

    text: str
    anchor: str  # an element id on the page, "" for none
    tone: str  # "danger", "warning", "primary", "success" or "secondary"


def next_step(page, *, now=None):
    """Pure over training.selectors.onboarding.my_onboarding's page: overdue work of her own first, then a
    coaching session to acknowledge, her next activity, the gate check, the next coaching session."""
    now = now or timezone.now()
    enrollment = page.enrollment
    state = enrollment.state
    due = _date(enrollment.due_on)
    if state == cycles.COMPLETED:
        return NextStep(_("You have completed the onboarding program."), "", "success")
    if state == cycles.WITHDRAWN:
        return NextStep(_("You have been withdrawn from this onboarding batch."), "", "secondary")
    if state == cycles.ON_HOLD:
        return NextStep(_("Your onboarding is on hold; your supervisor will resume it."), "", "secondary")
    mine = [row for row in page.activities if row.can_mark]
    overdue = [row for row in mine if row.is_overdue]
    if overdue:
        activity = overdue[0].activity
        text = _("Overdue since %(date)s: %(activity)s") % {
            "date": _date(activity.due_on),
            "activity": activity.template.title,
        }
        return NextStep(text, f"note-{activity.pk}", "danger")
    waiting = [s for s in page.sessions if s.acknowledged_at is None and s.scheduled_at <= now]
    if waiting:
        session = waiting[0]
        text = _("Acknowledge your coaching session of %(date)s with %(coach)s") % {
            "date": _date(timezone.localtime(session.scheduled_at).date()),
            "coach": _coach_name(session),
        }
        return NextStep(text, "coaching", "warning")
    if mine:
        activity = mine[0].activity
        text = _("Next: %(activity)s, due %(date)s") % {
            "activity": activity.template.title,
            "date": _date(activity.due_on),
        }
        return NextStep(text, f"note-{activity.pk}", "primary")
    if state == cycles.PRE_JOB:
        return NextStep(_("Pre-job training until %(date)s") % {"date": due}, "", "primary")
    if page.gate is not None and page.gate.passed:
        return NextStep(_("Your gate is met: your supervisor can approve it."), "gate-status", "success")
    if page.gate_check_on:
        text = _("Prepare for the pass-the-gate check by %(date)s (pass mark %(mark)s)") % {
            "date": _date(page.gate_check_on),
            "mark": page.cycle.pass_mark,
        }
        return NextStep(text, "gate", "primary")
    coming = [s for s in page.sessions if s.scheduled_at > now]
    if coming:
        session = coming[0]
        text = _("Coaching session on %(date)s with %(coach)s") % {
            "date": timezone.localtime(session.scheduled_at).strftime("%Y-%m-%d %H:%M"),
            "coach": _coach_name(session),
        }
        return NextStep(text, "coaching", "primary")
    theirs = [
        row.activity
        for row in page.activities
        if row.activity.cycle == enrollment.cycle and not row.can_mark and not row.activity.is_done
    ]
    if theirs:
        activity = theirs[0]
        text = _("Your own activities are done; waiting for your %(owner)s: %(activity)s, due %(date)s") % {
            "owner": activity.template.get_owner_display().lower(),
            "activity": activity.template.title,
            "date": _date(activity.due_on),
        }
        return NextStep(text, "", "secondary")
    return NextStep(_("Your own activities are done; this cycle ends on %(date)s.") % {"date": due}, "", "success")


def _date(day):
    return day.strftime("%Y-%m-%d")


def _coach_name(session):
    employee = getattr(session.coach, "employee", None)
    return employee.name if employee is not None else session.coach.get_username()
