"""The KASH demo's plan: each person's growth curve and every assessment, from a fixed random stream over
the employees in employee-number order, with every date between the person's hire date and ``today``."""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone

from staff.models import Stage

from ..models import Assessment, AssessmentStatus, Source
from .kash_data import (
    CONTEXTS,
    DEMO_TAG,
    EVIDENCE,
    EXAM_CODES,
    HISTORY_DAYS,
    MANAGER_CONTEXT,
    MENTOR_CODES,
    ONBOARDING_CONTEXTS,
    ONBOARDING_EXAM_CODES,
    PLATEAUS,
    PRIVATE_NOTE_SHARE,
    PRIVATE_NOTES,
    QA_CODES,
    SOURCE_BIAS,
    TRAINEE_NOTE,
)


@dataclass
class _Planned:
    subject_id: int
    assessor_id: int | None
    source: str
    assessed_on: datetime.date
    context: str
    submitted_at: datetime.datetime | None
    scores: list  # [(indicator id, level, evidence)]
    private_note: str = ""
    corrects: "_Planned | None" = None
    row: Assessment | None = field(default=None, repr=False)

    def to_row(self):
        return Assessment(
            subject_id=self.subject_id,
            assessor_id=self.assessor_id,
            source=self.source,
            assessed_on=self.assessed_on,
            context=f"{self.context}（{DEMO_TAG}）",
            private_note=self.private_note,
            status=AssessmentStatus.DRAFT if self.submitted_at is None else AssessmentStatus.SUBMITTED,
            submitted_at=self.submitted_at,
            supersedes=self.corrects.row if self.corrects else None,
        )


class _Growth:
    """One person's levels over time: from a novice start towards a personal plateau, per indicator,
    with a weak spot or two for some people (the red cells of the heatmap)."""

    def __init__(self, rng, employee, codes):
        stage = employee.stage if employee.stage == Stage.HIGH_PERFORMER else None
        position = employee.position.code if employee.position else None
        low, high = PLATEAUS.get((position, stage)) or PLATEAUS.get((position, None), (3.0, 3.7))
        plateau = rng.uniform(low, high)
        self.start = rng.uniform(1.2, 1.8)
        self.days = rng.uniform(90, 150)  # how fast a new hire grows
        self.hire_date = employee.hire_date
        self.plateau = {code: plateau + rng.gauss(0, 0.25) for code in codes}
        weak_share = 0.7 if position == "CS-AGENT" else 0.4
        if rng.random() < weak_share:
            for weak in rng.sample(codes, rng.choice([1, 1, 2])):
                self.plateau[weak] -= rng.uniform(1.0, 1.4)
        self.plateau[rng.choice(codes)] += 0.4

    def level(self, rng, code, day, source):
        tenure = (day - self.hire_date).days
        expected = self.start + (self.plateau[code] - self.start) * (1 - math.exp(-tenure / self.days))
        noisy = expected + SOURCE_BIAS.get(source, 0) + rng.gauss(0, 0.3)
        return min(5, max(1, round(noisy)))


def _band(level):
    return 0 if level <= 2 else 1 if level == 3 else 2


def _workday(day, low, high):
    """Move a weekend day back to Friday, then keep it within [low, high]."""
    if day.weekday() >= 5:
        day -= datetime.timedelta(days=day.weekday() - 4)
    return max(low, min(day, high))


class _Planner:
    def __init__(self, rng, today, indicators, assessors):
        self.rng = rng
        self.today = today
        self.now = timezone.now()
        self.ids = {i.code: i.pk for i in indicators}
        self.codes = [i.code for i in indicators]
        self.assessors = assessors

    def _known(self, codes):
        return [code for code in codes if code in self.ids]

    def _submitted_at(self, day):
        moment = datetime.datetime.combine(day, datetime.time(16, self.rng.randint(0, 59)))
        return min(timezone.make_aware(moment), self.now)

    def _scores(self, growth, codes, count, day, source):
        rng = self.rng
        chosen = sorted(rng.sample(codes, min(count, len(codes))), key=self.codes.index)
        scores = []
        for code in chosen:
            level = growth.level(rng, code, day, source)
            evidence = EVIDENCE.get(code, ("", "", ""))[_band(level)]
            if source == Source.EXAM:
                evidence = f"笔试 {min(100, 45 + level * 10 + rng.randint(0, 9))} 分：{evidence}"
            elif source == Source.QA:
                evidence = f"抽检 {rng.randint(3, 8)} 通录音：{evidence}"
            scores.append((self.ids[code], level, evidence))
        return scores

    def _assessment(self, employee, growth, source, day, assessor_id, context, codes, count):
        return _Planned(
            subject_id=employee.pk,
            assessor_id=assessor_id,
            source=source,
            assessed_on=day,
            context=context,
            submitted_at=self._submitted_at(day),
            scores=self._scores(growth, self._known(codes), count, day, source),
        )

    def plan(self, employee):
        """Every demo assessment of one person, oldest first, and the person's growth curve."""
        rng, today = self.rng, self.today
        growth = _Growth(rng, employee, self.codes)
        start = max(employee.hire_date, today - datetime.timedelta(days=HISTORY_DAYS))
        if start > today:
            return growth, []
        if employee.stage == Stage.ONBOARDING:
            planned = self._plan_new_hire(employee, growth, start)
        else:
            planned = self._plan_tenured(employee, growth, start)
        planned = [p for p in planned if p.scores]
        planned.sort(key=lambda p: p.assessed_on)
        return growth, planned

    def _dates(self, start, every, count, jitter):
        """About one date per ``every`` days going back from today, none before ``start``."""
        days = []
        for k in range(count):
            day = self.today - datetime.timedelta(days=every * k + self.rng.randint(*jitter))
            if day >= start:
                days.append(_workday(day, start, self.today))
        return days

    def _supervisor_of(self, employee):
        """The user who assesses as supervisor: the team's supervisor, or for a supervisor the site's manager."""
        supervisor = employee.team.supervisor
        if supervisor is not None and supervisor.pk != employee.pk:
            return supervisor.user_id, False
        return self.assessors.manager_for(employee), True

    def _plan_tenured(self, employee, growth, start):
        rng, codes = self.rng, self.codes
        supervisor_id, by_manager = self._supervisor_of(employee)
        position = employee.position.code if employee.position else None
        planned = []
        for day in self._dates(start, 30, 12, (3, 12)):
            context = MANAGER_CONTEXT if by_manager else CONTEXTS[Source.SUPERVISOR]
            assessment = self._assessment(
                employee, growth, Source.SUPERVISOR, day, supervisor_id, context, codes, rng.randint(4, 6)
            )
            if not by_manager and rng.random() < PRIVATE_NOTE_SHARE:
                assessment.private_note = rng.choice(PRIVATE_NOTES)
            planned.append(assessment)
        for day in self._dates(start, 91, 4, (5, 20)):
            planned.append(
                self._assessment(employee, growth, Source.SELF, day, employee.user_id, CONTEXTS[Source.SELF], codes, 6)
            )
        if position in {"CS-AGENT", "CS-SENIOR"} and self.assessors.qa:
            for day in self._dates(start, 61, 6, (0, 25)):
                reviewer = rng.choice(self.assessors.qa)
                planned.append(
                    self._assessment(
                        employee, growth, Source.QA, day, reviewer, CONTEXTS[Source.QA], QA_CODES, rng.randint(3, 4)
                    )
                )
        trainers = [t for t in self.assessors.trainers if t != employee.user_id]
        if trainers:
            for day in self._dates(start, 182, 2, (10, 40)):
                planned.append(
                    self._assessment(
                        employee,
                        growth,
                        Source.EXAM,
                        day,
                        rng.choice(trainers),
                        CONTEXTS[Source.EXAM],
                        EXAM_CODES,
                        rng.randint(2, 3),
                    )
                )
        return planned

    def _plan_new_hire(self, employee, growth, start):
        """Weekly in the first weeks: the mentor watches habits and attitude, the supervisor the rest."""
        rng, codes, hired = self.rng, self.codes, employee.hire_date
        supervisor_id, _by_manager = self._supervisor_of(employee)
        mentor_id = employee.mentor.user_id if employee.mentor else None
        trainers = self.assessors.trainers
        # (days after hiring, source, assessor, indicators, how many)
        steps = [
            (2, Source.EXAM, rng.choice(trainers) if trainers else None, ONBOARDING_EXAM_CODES, 3),
            (5, Source.SELF, employee.user_id, codes, 6),
            (19, Source.SELF, employee.user_id, codes, 6),
            (7, Source.SUPERVISOR, supervisor_id, codes, 5),
            (14, Source.SUPERVISOR, supervisor_id, codes, 5),
        ]
        if mentor_id:
            steps += [(days, Source.MENTOR, mentor_id, MENTOR_CODES, 4) for days in (4, 9, 16)]
        planned = []
        for days, source, assessor_id, indicator_codes, count in steps:
            day = _workday(hired + datetime.timedelta(days=days), start, self.today)
            if hired + datetime.timedelta(days=days) > self.today or assessor_id is None:
                continue
            planned.append(
                self._assessment(
                    employee, growth, source, day, assessor_id, ONBOARDING_CONTEXTS[source], indicator_codes, count
                )
            )
        return planned

    def trainee_extras(self, employee, growth, planned):
        """The demo trainee's story: a supervisor's private note, a mentor's correction and an open draft."""
        rng = self.rng
        supervisor = next((p for p in planned if p.source == Source.SUPERVISOR), None)
        if supervisor is not None:
            supervisor.private_note = TRAINEE_NOTE
        extras = []
        original = next((p for p in planned if p.source == Source.MENTOR), None)
        if original is not None:
            index = rng.randrange(len(original.scores))
            scores = list(original.scores)
            indicator_id, level, evidence = scores[index]
            fixed = level + 1 if level < 3 else level - 1
            scores[index] = (indicator_id, fixed, f"更正：上次误录为 {level} 级。{evidence}")
            extras.append(
                _Planned(
                    subject_id=employee.pk,
                    assessor_id=original.assessor_id,
                    source=original.source,
                    assessed_on=original.assessed_on,
                    context=f"{original.context} · 更正录入错误",
                    submitted_at=min(original.submitted_at + datetime.timedelta(hours=18), self.now),
                    scores=scores,
                    corrects=original,
                )
            )
        supervisor_id, _by_manager = self._supervisor_of(employee)
        if supervisor_id:
            draft = self._assessment(
                employee,
                growth,
                Source.SUPERVISOR,
                self.today,
                supervisor_id,
                ONBOARDING_CONTEXTS[Source.SUPERVISOR],
                self.codes,
                4,
            )
            draft.submitted_at = None
            extras.append(draft)
        return extras


@dataclass
class _Assessors:
    qa: list  # user ids of QA reviewers
    trainers: list  # user ids of trainers
    managers: list  # user ids of the center managers, in site order
    sites: list  # site codes in order

    def manager_for(self, employee):
        if not self.managers:
            return None
        site = employee.team.department.site.code
        index = self.sites.index(site) if site in self.sites else 0
        return self.managers[min(index, len(self.managers) - 1)]


def _assessors(employees):
    active = [e for e in employees if e.stage != Stage.LEFT and e.user_id]

    def by_position(code, stage=None):
        return [e.user_id for e in active if e.position and e.position.code == code and stage in (None, e.stage)]

    sites = sorted({e.team.department.site.code for e in active if e.team})
    return _Assessors(
        # QA reviewers, not their team lead; the lead reviews when there is nobody else.
        qa=by_position("CS-QA", Stage.BACK_OFFICE) or by_position("CS-QA"),
        trainers=by_position("CS-TRAINER"),
        managers=by_position("CS-MGR"),
        sites=sites,
    )
