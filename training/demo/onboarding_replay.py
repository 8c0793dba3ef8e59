"""The onboarding replay: every day from the first batch's start to today, through training.services."""

import datetime
import random
from collections import Counter

from django.db.models import F, Max
from django.utils import timezone

from notifications.models import Notification
from staff.models import Employee

from .. import cycles, notify, services
from ..models import (
    Activity,
    ActivityKind,
    ActivityOwner,
    Assessment,
    CoachingPhase,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    Source,
)
from .kash_data import DEMO_TAG, EVIDENCE
from .kash_plan import _band
from .onboarding_story import (
    ACTIVE_STATES,
    ACTIVITY_NOTES,
    COACHING_FALLBACK,
    COACHING_TEXTS,
    EARLY_SHARE,
    EXTENSION_DAYS,
    GATE_PASS,
    GATE_RETAKE,
    LATE_REFLECTION_NOTE,
    PHASE_HOURS,
    READ_AFTER_DAYS,
    REMEDIATION_COACHING,
    REMEDIATION_PLAN,
    REVIEW_CONTEXTS,
    REVIEW_LEVELS,
    REVIEW_NOTES,
    UPCOMING_NOTES,
    WITHDRAW_REASON,
    _at,
    _choose_story,
    _Person,
)


def _batch_code(team, start):
    return f"{team.code.lower()}-{start:%Y%m%d}"


class _Clock:
    """Moves what the services stamped with the current time back to the replayed moment."""

    STAMPS = (
        (Employee.history.model, "history_date"),  # stage moves: the employee page shows when they happened
        (EnrollmentEvent, "at"),
        (Notification, "created_at"),
        (CoachingSession, "created_at"),
        (Assessment, "submitted_at"),
    )

    def __init__(self, now):
        self.now = now
        self.first = {model: self._last(model) for model, _name in self.STAMPS}
        self.marks = dict(self.first)

    @staticmethod
    def _last(model):
        return model.objects.aggregate(last=Max("pk"))["last"] or 0

    def stamp(self, moment):
        """Everything written since the last stamp happened at ``moment`` (never later than now)."""
        moment = min(moment, self.now)
        for model, name in self.STAMPS:
            if model.objects.filter(pk__gt=self.marks[model]).update(**{name: moment}):
                self.marks[model] = self._last(model)


class _Replay:
    def __init__(self, *, program, hr, groups, today, trainee_user_id):
        self.rng = random.Random(2026)
        self.program, self.hr, self.groups, self.today = program, hr, groups, today
        self.now = timezone.now()
        self.clock = _Clock(self.now)
        self.story = _choose_story(groups, trainee_user_id)
        self.people = {
            e.pk: _Person(employee=e, supervisor_user=team.supervisor.user)
            for team, _start, employees in groups
            for e in employees
        }
        self.by_enrollment = {}
        templates = list(
            CycleTemplate.objects.filter(program=program).prefetch_related("focus_indicators", "activities")
        )
        self.focus = {c.number: list(c.focus_indicators.all()) for c in templates}
        self.phases = {}  # {activity template id: coaching phase}: the first coaching is "before", the last "after"
        for cycle in templates:
            coaching = sorted((a for a in cycle.activities.all() if a.kind == ActivityKind.COACHING), key=_order)
            for index, activity in enumerate(coaching):
                last = index == len(coaching) - 1
                self.phases[activity.pk] = (
                    CoachingPhase.BEFORE if index == 0 else CoachingPhase.AFTER if last else CoachingPhase.DURING
                )
        self.done_at = {}  # {activity id: when it was done}
        self.sessions = []  # [(session id, person, scheduled at)]
        self.extended_on = None
        self.counts = Counter()

    # The days ---------------------------------------------------------------------------------

    def run(self):
        day = min(start for _team, start, _employees in self.groups)
        while day <= self.today:
            services.sweep_due_enrollments(today=day)
            self.clock.stamp(_at(day, 1))
            notify.send_reminders(today=day)
            self.clock.stamp(_at(day, 7, 30))
            if day < self.today:  # today's work has not happened yet
                self._work(day)
            day += datetime.timedelta(days=1)
        self._finish()
        return self.counts

    def _work(self, day):
        for team, start, employees in self.groups:
            if start == day:
                self._open_batch(team, start, employees)
        self._story_moves(day, self._enrollments())
        self.clock.stamp(_at(day, 10))
        enrollments = self._enrollments()
        self._activities(day, enrollments)
        self._story_followups(day, enrollments)
        self.clock.stamp(_at(day, 15))

    def _enrollments(self):
        """{employee id: Enrollment} as the day finds them."""
        return {e.trainee_id: e for e in Enrollment.objects.filter(pk__in=self.by_enrollment)}

    def _open_batch(self, team, start, employees):
        batch = services.open_batch(
            actor=self.hr,
            program=self.program,
            code=_batch_code(team, start),
            name=f"{team.name} {start.year}年{start.month}月批次",
            start_on=start,
            supervisor=team.supervisor,
            team=team,
            trainees=employees,
        )
        for enrollment in batch.enrollments.all():
            self.by_enrollment[enrollment.pk] = self.people[enrollment.trainee_id]
        self.counts["batches"] += 1
        self.counts["enrollments"] += len(employees)

    # Everyday work ----------------------------------------------------------------------------

    def _held_back(self, person, activity):
        """Work someone does not do on time (DOMAIN §3: what the supervisor follows up)."""
        kind, pk = activity.template.kind, person.employee.pk
        if kind == ActivityKind.GATE:
            return True  # done with a passed gate check only
        if pk == self.story.extended and activity.cycle == 2:
            return kind in (ActivityKind.DRILL, ActivityKind.REFLECTION)
        return pk == self.story.trainee and activity.cycle == 3 and kind == ActivityKind.LEARNING

    def _activities(self, day, enrollments):
        """Everything due today, and some of what is due tomorrow. An activity due on the cycle's last day is
        done the day before: the sweep closes the cycle on that day."""
        active = {e.pk: e for e in enrollments.values() if e.state in ACTIVE_STATES}
        due = (
            Activity.objects.filter(
                enrollment_id__in=active, done_at__isnull=True, due_on__lte=day + datetime.timedelta(days=1)
            )
            .select_related("template")
            .order_by("enrollment_id", "due_on", "template__order", "pk")
        )
        for activity in due:
            enrollment, person = active[activity.enrollment_id], self.by_enrollment[activity.enrollment_id]
            if self._held_back(person, activity):
                continue
            is_last_day = activity.due_on >= enrollment.due_on
            if activity.due_on > day and not is_last_day and self.rng.random() >= EARLY_SHARE:
                continue
            self._complete(day, person, enrollment, activity)

    def _actor(self, person, owner):
        if owner == ActivityOwner.TRAINEE:
            return person.user
        return person.mentor_user if owner == ActivityOwner.MENTOR else person.supervisor_user

    def _complete(self, day, person, enrollment, activity, note=None):
        actor = self._actor(person, activity.template.owner)
        kind = activity.template.kind
        if kind == ActivityKind.COACHING:
            phase = self.phases.get(activity.template_id, CoachingPhase.DURING)
            scheduled = _at(day, PHASE_HOURS[phase], self.rng.randint(0, 30))
            self._coach(person, enrollment, actor, phase, scheduled)
            if phase in REVIEW_LEVELS:
                self._review(day, person, enrollment.cycle, actor, phase)
            moment = scheduled + datetime.timedelta(hours=1)
        else:
            moment = _at(day, self.rng.randint(9, 17), self.rng.randint(0, 59))
        note = note or self.rng.choice(ACTIVITY_NOTES.get(kind, ("已完成。",)))
        services.complete_activity(actor=actor, activity_id=activity.pk, note=note)
        self.done_at[activity.pk] = moment
        self.counts["activities"] += 1

    def _coach(self, person, enrollment, coach, phase, scheduled, texts=None, follow_up_on=None):
        notes, actions = texts or COACHING_TEXTS.get((enrollment.cycle, phase), COACHING_FALLBACK)
        if follow_up_on is None and phase != CoachingPhase.AFTER:
            follow_up_on = scheduled.date() + datetime.timedelta(days=7)
        session = services.log_coaching(
            actor=coach,
            enrollment_id=enrollment.pk,
            phase=phase,
            scheduled_at=scheduled,
            focus_indicators=self.focus.get(enrollment.cycle, []),
            notes=notes,
            agreed_actions=actions,
            follow_up_on=follow_up_on,
        )
        self.sessions.append((session.pk, person, scheduled))
        self.counts["sessions"] += 1
        return session

    def _review(self, day, person, cycle, reviewer, phase):
        """The coach's KASH assessment of the cycle's focus indicators, which the gate looks at."""
        focus = self.focus.get(cycle, [])
        if not focus:
            return
        weak = None
        if person.employee.pk == self.story.extended and cycle == 2:
            weak = next((i for i in focus if i.code == "ownership"), focus[0])
        scores = {}
        for indicator in focus:
            level = self.rng.choice(REVIEW_LEVELS[phase])
            if indicator == weak:
                level = 2 if phase == CoachingPhase.DURING else 1
            scores[indicator.pk] = (level, EVIDENCE.get(indicator.code, ("", "", ""))[_band(level)])
        services.create_assessment(
            actor=reviewer,
            subject=person.employee,
            source=Source.MENTOR if reviewer == person.mentor_user else Source.SUPERVISOR,
            assessed_on=day,
            scores=scores,
            context=f"{REVIEW_CONTEXTS[phase] % cycle}（{DEMO_TAG}）",
            submit=True,
        )

    # The story ---------------------------------------------------------------------------------

    def _story_moves(self, day, enrollments):
        story = self.story
        withdrawn = enrollments.get(story.withdrawn)
        if (
            withdrawn is not None
            and withdrawn.state == cycles.cycle_state(1)
            and day == withdrawn.cycle_started_on + datetime.timedelta(days=5)
        ):
            services.move_enrollment(
                actor=self.people[story.withdrawn].supervisor_user,
                enrollment_id=withdrawn.pk,
                move=cycles.WITHDRAW,
                from_state=withdrawn.state,
                reason=WITHDRAW_REASON,
                today=day,
            )
        extended = enrollments.get(story.extended)
        if extended is not None and extended.state == cycles.EXTENDED and self.extended_on is None:
            # The sweep extended the cycle with the gate's reasons; the supervisor writes the plan that morning.
            services.move_enrollment(
                actor=self.people[story.extended].supervisor_user,
                enrollment_id=extended.pk,
                move=cycles.EXTEND,
                from_state=extended.state,
                remediation_plan=REMEDIATION_PLAN,
                due_on=day + datetime.timedelta(days=EXTENSION_DAYS),
                today=day,
            )
            self.extended_on = day

    def _story_followups(self, day, enrollments):
        story, yesterday = self.story, self.today - datetime.timedelta(days=1)
        if self.extended_on is not None:
            person, enrollment = self.people[story.extended], enrollments[story.extended]
            if day == self.extended_on + datetime.timedelta(days=1):
                # A remedy session now, and a review booked a few days before the new due date.
                review_on = self.extended_on + datetime.timedelta(days=EXTENSION_DAYS - 3)
                coach = person.mentor_user
                self._coach(
                    person,
                    enrollment,
                    coach,
                    CoachingPhase.AFTER,
                    _at(day, 17),
                    texts=REMEDIATION_COACHING,
                    follow_up_on=review_on,
                )
                self._coach(
                    person, enrollment, coach, CoachingPhase.AFTER, _at(review_on, 16), texts=(REVIEW_NOTES, "")
                )
            elif day == self.extended_on + datetime.timedelta(days=2):
                reflection = (
                    enrollment.activities.filter(
                        cycle=enrollment.cycle, template__kind=ActivityKind.REFLECTION, done_at__isnull=True
                    )
                    .select_related("template")
                    .first()
                )
                if reflection is not None:
                    self._complete(day, person, enrollment, reflection, note=LATE_REFLECTION_NOTE)
        for employee_id, enrollment in enrollments.items():
            if enrollment.state != cycles.cycle_state(3):
                continue
            person = self.people[employee_id]
            if employee_id == story.trainee and day == yesterday:
                # An upcoming session, so "My onboarding" has one (and tomorrow's reminder goes out today).
                tomorrow = _at(self.today + datetime.timedelta(days=1), 10)
                self._coach(
                    person, enrollment, person.mentor_user, CoachingPhase.DURING, tomorrow, texts=(UPCOMING_NOTES, "")
                )
            elif employee_id != story.trainee and day == enrollment.cycle_started_on + datetime.timedelta(days=2):
                planned = enrollment.cycle_started_on + datetime.timedelta(days=12)
                if planned > self.today:
                    self._coach(
                        person,
                        enrollment,
                        person.mentor_user,
                        CoachingPhase.DURING,
                        _at(planned, 14),
                        texts=(UPCOMING_NOTES, ""),
                    )
            if employee_id == story.early_pass and day == enrollment.cycle_started_on + datetime.timedelta(days=3):
                self._gate_check(day, person, enrollment, person.supervisor_user, *GATE_PASS)
            if employee_id == story.retake and day == yesterday:
                self._gate_check(day, person, enrollment, person.mentor_user, *GATE_RETAKE)

    def _gate_check(self, day, person, enrollment, examiner, score, notes):
        check = services.record_gate_check(
            actor=examiner, enrollment_id=enrollment.pk, score=score, taken_on=day, notes=notes
        )
        self.counts["gate_checks"] += 1
        if check.passed:
            gate = (
                enrollment.activities.filter(
                    cycle=enrollment.cycle, template__kind=ActivityKind.GATE, done_at__isnull=True
                )
                .select_related("template")
                .first()
            )
            if gate is not None:
                self._complete(day, person, enrollment, gate, note=f"通关考核 {score} 分，通过。")

    # The end -----------------------------------------------------------------------------------

    def _finish(self):
        """Trainees acknowledge past sessions (the trainee login not her latest), then the stamps."""
        past = [s for s in self.sessions if s[2] < self.now]
        kept_open = max((s for s in past if s[1].employee.pk == self.story.trainee), key=lambda s: s[2], default=None)
        acknowledged = []
        for session_id, person, scheduled in past:
            if kept_open is not None and session_id == kept_open[0]:
                continue
            services.acknowledge_coaching(actor=person.user, session_id=session_id)
            moment = min(scheduled + datetime.timedelta(hours=3), self.now)
            acknowledged.append(CoachingSession(pk=session_id, acknowledged_at=moment))
        CoachingSession.objects.bulk_update(acknowledged, ["acknowledged_at"], batch_size=500)
        Activity.objects.bulk_update(
            [Activity(pk=pk, done_at=min(moment, self.now)) for pk, moment in self.done_at.items()],
            ["done_at"],
            batch_size=500,
        )
        replayed = Notification.objects.filter(pk__gt=self.clock.first[Notification])
        replayed.update(emailed_at=F("created_at"))
        cutoff = _at(self.today - datetime.timedelta(days=READ_AFTER_DAYS), 0)
        replayed.filter(created_at__lt=cutoff).update(read_at=F("created_at") + datetime.timedelta(hours=2))
        self.counts["notifications"] = replayed.count()


def _order(activity):
    return (activity.order, activity.pk)
