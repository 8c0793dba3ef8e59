"""Demo training data for `manage.py seed_demo`: KASH position targets and about a year of assessments
(DOMAIN §2), then the new hires' onboarding batches replayed from their first day to today (DOMAIN §3).

The seed_demo command finds `seed_demo_extra()` here by discovery, after it has built the staff demo, so
staff never imports training. The plan comes from a fixed `random.Random(2026)` over the employees in
employee-number order, with every date between the person's hire date and `today`.

A second run adds nothing: targets are saved only where they differ, and every demo assessment carries
DEMO_TAG in its context, so a person who already has tagged assessments is skipped (on any later day
too). The year of assessments is written in bulk, past the services: this is seed data, and a few
thousand service calls would take minutes. The rows still keep the model's rules (a submitted row has
its submitted_at, a correction supersedes a submitted row of the same person and source). The onboarding
replay, a few hundred writes, goes through training.services (see "Onboarding" below).
"""

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from notifications.models import Notification
from staff.demo import CHANGE_REASON, ROLE_HR, ROLE_TRAINEE
from staff.models import Employee, Position, Stage

from . import cycles, notify, services
from .models import (
    Activity,
    ActivityKind,
    ActivityOwner,
    Assessment,
    AssessmentStatus,
    Batch,
    CoachingPhase,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    Indicator,
    PositionTarget,
    Program,
    Score,
    Source,
)

DEMO_TAG = "演示数据"
HISTORY_DAYS = 365

# Position targets (DOMAIN §2: what the position expects). A dimension letter sets every indicator of that
# dimension; an indicator code overrides its dimension. A stage row overrides the general row for that stage.
TARGETS = [
    ("CS-AGENT", "", {"K": 3, "A": 3, "S": 3, "H": 3, "incident-handling": 2}),
    # New hires get customer contact only step by step (DOMAIN §2), so skills are expected later; habits
    # and attitude are expected from the start.
    ("CS-AGENT", Stage.ONBOARDING, {"S": 2}),
    ("CS-SENIOR", "", {"K": 4, "A": 4, "S": 4, "H": 4, "selling": 3}),
    (
        "CS-SUP",
        "",
        {"K": 3, "A": 4, "S": 4, "H": 3, "policy-compliance": 4, "time-management": 4, "data-management": 4},
    ),
    (
        "CS-QA",
        "",
        {"K": 4, "A": 3, "S": 3, "H": 3, "policy-compliance": 5, "communication-4c": 4, "selling": 2},
    ),
    ("CS-TRAINER", "", {"K": 4, "A": 4, "S": 3, "H": 3, "communication-4c": 4, "learning-routine": 4}),
]

# Where a person's levels level off, by position (and stage for agents): (low, high).
PLATEAUS = {
    ("CS-AGENT", Stage.HIGH_PERFORMER): (3.8, 4.4),
    ("CS-AGENT", None): (3.0, 3.7),
    ("CS-SENIOR", None): (3.8, 4.5),
    ("CS-SUP", None): (3.8, 4.4),
    ("CS-QA", None): (3.6, 4.3),
    ("CS-TRAINER", None): (3.6, 4.3),
}
# People rate themselves a little high; QA listens to recordings and is a little strict.
SOURCE_BIAS = {Source.SELF: 0.35, Source.MENTOR: 0.1, Source.QA: -0.15}

# The indicators each source looks at.
QA_CODES = [
    "communication-4c",
    "problem-solving",
    "policy-compliance",
    "after-call-work",
    "ownership",
    "service-attitude",
]
EXAM_CODES = ["products", "policy-compliance", "systems", "incident-handling", "linkage-handoff"]
ONBOARDING_EXAM_CODES = ["products", "policy-compliance", "systems"]
# Onboarding starts with habits and attitude (DOMAIN §2), so that is what the mentor watches.
MENTOR_CODES = [
    "time-management",
    "data-management",
    "after-call-work",
    "learning-routine",
    "service-attitude",
    "resilience",
    "ownership",
    "communication-4c",
]

CONTEXTS = {
    Source.SUPERVISOR: "月度一对一辅导",
    Source.SELF: "季度自评",
    Source.QA: "质检录音抽检",
    Source.EXAM: "业务知识通关考试",
}
ONBOARDING_CONTEXTS = {
    Source.SUPERVISOR: "新员工周评估",
    Source.MENTOR: "带教周评估",
    Source.SELF: "新员工周自评",
    Source.EXAM: "入职产品知识测验",
}
MANAGER_CONTEXT = "班长月度管理评估"

# Evidence per indicator: (levels 1–2, level 3, levels 4–5).
EVIDENCE = {
    "products": (
        "信用卡分期、借记卡挂失等常见口径还要翻知识库，答复有遗漏",
        "常见产品口径准确，复杂理财产品需要求助",
        "产品知识扎实，能对比不同产品给出准确解答",
    ),
    "policy-compliance": (
        "身份核验步骤有遗漏，合规意识需加强",
        "能按流程完成身份核验与风险提示",
        "熟悉反洗钱、反诈骗要点，主动识别可疑来电",
    ),
    "systems": (
        "系统切换慢，查询工单常需求助",
        "常用系统操作熟练，偶有录入错误",
        "系统操作熟练，会教同事快捷操作",
    ),
    "service-attitude": (
        "语气偏生硬，主动服务意识不足",
        "服务态度良好，礼貌用语规范",
        "主动关心客户需求，本月获客户表扬",
    ),
    "resilience": (
        "遇到情绪激动的客户容易紧张，通话后恢复慢",
        "能保持情绪稳定，偶尔需要班长支持",
        "面对投诉沉着冷静，还能安抚新同事",
    ),
    "ownership": (
        "非本岗问题直接转接，未跟进结果",
        "能按首问负责制跟进，个别回访不及时",
        "首问负责到底，跨部门问题也跟进闭环",
    ),
    "communication-4c": (
        "倾听不够，常打断客户，复述确认不足",
        "能按 4C 流程沟通，表达清晰",
        "善于共情与引导，复杂问题也讲得清楚",
    ),
    "problem-solving": (
        "问题定位慢，一次解决率偏低",
        "常见问题能一次解决，疑难问题需升级",
        "能快速找到根因并给出可行方案",
    ),
    "linkage-handoff": (
        "转交信息不完整，接手同事要重复询问",
        "能按联动流程交接，信息基本完整",
        "交接清晰完整，主动跟进联动结果",
    ),
    "incident-handling": (
        "对突发事件处置流程还不熟悉",
        "能按预案处置一般突发事件",
        "系统故障期间冷静处置，及时安抚客户并上报",
    ),
    "selling": (
        "营销开口率低，缺少需求挖掘",
        "能识别部分客户需求并推荐产品",
        "需求挖掘到位，商机转介成功率高",
    ),
    "time-management": (
        "常超时处理，小休与小结时间安排不当",
        "能按排班完成工作，偶有超时",
        "时间安排合理，处理时长稳定达标",
    ),
    "data-management": (
        "客户信息记录不规范，有遗漏",
        "记录基本规范完整",
        "记录规范准确，可作班组范例",
    ),
    "after-call-work": (
        "话后小结不完整，话后处理时长偏长",
        "话后小结基本完整，时长达标",
        "小结简洁准确，工单闭环及时",
    ),
    "learning-routine": (
        "较少主动学习，知识库更新掌握不及时",
        "能按要求完成学习任务",
        "坚持每日学习，主动分享案例",
    ),
}
PRIVATE_NOTES = [
    "近期家中老人住院，情绪波动较大，本月先减少夜班安排。",
    "有转岗质检的意向，可安排参与质检复核陪听。",
    "与同组同事有些摩擦，已分别沟通，下月继续关注。",
    "病假较多，复工后注意跟进状态。",
    "可作为下一批新员工的带教老师人选。",
    "对上月绩效结果有情绪，已做一对一沟通，需持续关注。",
]
PRIVATE_NOTE_SHARE = 0.02
TRAINEE_NOTE = "入职第一周适应较慢，晚班后情绪低落，已请带教老师多关注。"


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


def _sync_targets(indicators):
    """Make the demo positions' targets match TARGETS; returns (created, updated)."""
    positions = {p.code: p for p in Position.objects.filter(code__in={code for code, *_ in TARGETS})}
    wanted = {}
    for code, stage, levels in TARGETS:
        if code not in positions:
            continue
        for indicator in indicators:
            level = levels.get(indicator.code, levels.get(indicator.dimension))
            if level is not None:
                wanted[(positions[code].pk, indicator.pk, stage)] = level
    existing = {
        (t.position_id, t.indicator_id, t.stage): t
        for t in PositionTarget.objects.filter(position__in=positions.values())
    }
    new, updated = [], 0
    for (position_id, indicator_id, stage), level in wanted.items():
        target = existing.get((position_id, indicator_id, stage))
        if target is None:
            new.append(PositionTarget(position_id=position_id, indicator_id=indicator_id, stage=stage, level=level))
        elif target.level != level:
            target.level = level
            target._change_reason = CHANGE_REASON
            target.save(update_fields=["level"])
            updated += 1
    bulk_create_with_history(new, PositionTarget, default_change_reason=CHANGE_REASON)
    return len(new), updated


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    """Add the KASH demo (position targets, about a year of assessments), then the onboarding demo."""
    counts = seed_kash_demo(today=today, stdout=stdout)
    counts.update(seed_onboarding_demo(today=today, stdout=stdout))
    return counts


def seed_kash_demo(*, today, stdout=None):
    """Position targets and about a year of assessments of everyone in a team."""
    rng = random.Random(2026)
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    counts = Counter()
    counts["targets"], counts["updated"] = _sync_targets(indicators)

    employees = list(
        Employee.objects.select_related("position", "mentor", "team__supervisor", "team__department__site")
        .exclude(user=None)
        .order_by("employee_number")
    )
    trainee_user = get_user_model().objects.filter(username=ROLE_TRAINEE).values_list("pk", flat=True).first()
    done = set(Assessment.objects.filter(context__contains=DEMO_TAG).values_list("subject_id", flat=True).distinct())
    planner = _Planner(rng, today, indicators, _assessors(employees))
    first, second = [], []  # corrections go in a second batch: they need the id of what they correct
    if indicators:
        for employee in employees:
            if employee.team is None or employee.stage == Stage.LEFT:
                continue
            # Plan everyone, even people already seeded, so the random stream is the same on every run.
            growth, planned = planner.plan(employee)
            extras = planner.trainee_extras(employee, growth, planned) if employee.user_id == trainee_user else []
            if employee.pk in done:
                continue
            first += planned + [p for p in extras if p.corrects is None]
            second += [p for p in extras if p.corrects is not None]

    scores = []
    for batch in (first, second):
        rows = Assessment.objects.bulk_create([p.to_row() for p in batch])
        for planned, row in zip(batch, rows, strict=True):
            planned.row = row
            scores += [
                Score(assessment_id=row.pk, indicator_id=indicator_id, level=level, evidence=evidence)
                for indicator_id, level, evidence in planned.scores
            ]
    Score.objects.bulk_create(scores, batch_size=2000)
    counts["assessments"], counts["scores"] = len(first) + len(second), len(scores)

    if stdout is not None:
        stdout.write(
            _(
                "KASH demo: %(targets)d position targets added, %(updated)d updated; "
                "%(assessments)d assessments with %(scores)d scores added."
            )
            % counts
        )
    return counts


# Onboarding (DOMAIN §3) -------------------------------------------------------------------------
#
# Each agent team's new hires form a batch (批次) under the team's supervisor, opened by the HR demo login
# on the day they were hired. The replay then lives through every day from the first batch's start to today
# with the services and their date arguments: the 01:00 sweep moves people on when a gate is met (and
# extends them when it is not), the 07:30 reminders write notifications, and in the daytime trainees,
# mentors and supervisors do what is due: activities with a short note, coaching before, during and after
# (事前 / 事中 / 事后) with the coach's review of the cycle's KASH focus, gate checks, an extension and a
# withdrawal. A few people leave the plain path on purpose (see _Story), so every page has something to show.
#
# The services stamp their rows with the current time, so the replay moves those stamps (events,
# notifications, coaching sessions, assessments, done and acknowledged times) back to the replayed moment.
# Notifications older than READ_AFTER_DAYS count as read, and every replayed one as e-mailed: a worker
# started later sends no history. A second run finds the batches and adds nothing.

ONBOARDING_PROGRAM = "default-four-cycles"
READ_AFTER_DAYS = 3
EARLY_SHARE = 0.25  # activities done a day before they are due
EXTENSION_DAYS = 14  # the supervisor's remediation period after a failed gate
ACTIVE_STATES = (*cycles.CYCLE_STATES, cycles.EXTENDED)
PHASE_HOURS = {CoachingPhase.BEFORE: 10, CoachingPhase.DURING: 14, CoachingPhase.AFTER: 16}
# The coach's KASH review after a session, per phase: levels to draw from. A supervisor's 3 and a mentor's 2
# clear a gate's 2.0 whatever the trainee's self-assessment says (supervisor 1.0, mentor 0.8, self 0.3).
REVIEW_LEVELS = {CoachingPhase.DURING: (2, 3, 3), CoachingPhase.AFTER: (3, 3, 4)}
REVIEW_CONTEXTS = {CoachingPhase.DURING: "第 %d 周期事中辅导评估", CoachingPhase.AFTER: "第 %d 周期事后复盘评估"}

# (notes, agreed actions) of a coaching session, per (cycle, phase).
COACHING_TEXTS = {
    (1, CoachingPhase.BEFORE): (
        "讲解本周期的习惯要求：准时签入、按时小休、话后小结完整；了解新人对排班的顾虑。",
        "每天下班前填写习惯日志；小休控制在 10 分钟以内。",
    ),
    (1, CoachingPhase.DURING): (
        "旁听五通来电：开场与核身规范，话后小结偏长，平均 95 秒。",
        "用小结模板记录关键信息，话后处理控制在 60 秒以内；每天学习知识库 30 分钟。",
    ),
    (1, CoachingPhase.AFTER): (
        "对照数据复盘：排班遵从率 96%，话后处理时长从 95 秒降到 70 秒。",
        "继续记录习惯日志；下个周期与结对伙伴每天交流一次。",
    ),
    (2, CoachingPhase.BEFORE): (
        "介绍新老绑定的结对伙伴，约定跟岗安排和求助方式。",
        "跟岗两个半天；不会的问题先查知识库，再向伙伴求助。",
    ),
    (2, CoachingPhase.DURING): (
        "交流第一周的疑问和顾虑；复盘一个挂失来电的首问负责，回访及时。",
        "每天下班前与伙伴复盘一通来电；跨部门问题建工单并回访客户。",
    ),
    (2, CoachingPhase.AFTER): (
        "复盘团队融入：能主动求助，在班前会分享了案例，通话态度获客户表扬。",
        "进入第三周期：选定两项 4C 沟通技巧作为重点。",
    ),
    (3, CoachingPhase.BEFORE): (
        "一起听三通本人录音：多在介绍产品，客户真正的需求问得不够。",
        "练习开放式提问和复述确认；每天自听一通录音并记下一处改进。",
    ),
    (3, CoachingPhase.DURING): (
        "在线旁听：能先问清需求再推荐，话后处理时长稳定。",
        "通关前再练两次费用投诉场景；注意合规提示不要遗漏。",
    ),
    (3, CoachingPhase.AFTER): (
        "结合通关结果和质检成绩复盘，4C 沟通明显进步。",
        "针对短板制定补强计划，两周后复评。",
    ),
}
COACHING_FALLBACK = ("按本周期目标一对一辅导。", "按约定改进，下次辅导时复盘。")
UPCOMING_NOTES = "计划：在线旁听三通来电，重点看倾听、提问和话后处理。"
# Short notes of a done activity, per kind.
ACTIVITY_NOTES = {
    ActivityKind.LEARNING: (
        "已学完相关章节，整理了三个新知识点。",
        "知识库学习已完成，笔记已发给小师傅。",
        "看完案例，记下了两个以前答错的口径。",
    ),
    ActivityKind.PRACTICE: (
        "习惯日志已连续记录一周，话后处理时长逐日缩短。",
        "跟岗完成，已在伙伴旁听下独立接听 12 通来电。",
        "按计划完成，记录已交给班长。",
    ),
    ActivityKind.DRILL: (
        "演练完成，复述确认还要加强。",
        "全部在目标时长内完成，小结要点齐全。",
        "演练通过；情绪激动的客户场景还需多练。",
    ),
    ActivityKind.TEAM: ("和组员一起处理了一个账单争议案例，已在班前会分享。", "参加了班组 PK，设定了本月目标。"),
    ActivityKind.REFLECTION: (
        "进步最大的是小结更简洁；还要改掉小休超时的习惯。",
        "遇到困难会先找小师傅；这周帮队友查了一个挂失流程。",
        "对比两通录音：现在会先问清客户需求再推荐。",
    ),
    ActivityKind.COACHING: ("辅导已完成，约定的改进措施见辅导记录。",),
    ActivityKind.GATE: ("通关考核已完成。",),
}
WITHDRAW_REASON = "本人申请退出本批次：家中有事需请假一个月，返岗后编入下一批次重新培训。"
REMEDIATION_PLAN = (
    "第二周期关口未通过：首问负责意识不足，转接交接演练和自我复盘未按期完成。\n"
    "补强计划：1. 小师傅每天陪听两通来电，重点跟进首问负责；2. 一周内补完转接交接演练和自我复盘；"
    "3. 两周后由班长复评。"
)
REMEDIATION_COACHING = (
    "补强辅导：复盘两通转接不完整的来电，明确首问负责要跟进到底。",
    "每天与小师傅复盘一通来电；本周内补完转接交接演练和自我复盘。",
)
REVIEW_NOTES = "计划：复评首问负责和补做的演练，决定能否通过第二周期关口。"
LATE_REFLECTION_NOTE = "补做复盘：以后遇到跨部门问题先建工单，再跟进回访，不再直接转接。"
GATE_PASS = (86, "情景演练表现稳定，需求挖掘到位，合规提示完整。")
GATE_RETAKE = (76, "情景演练没有复述确认客户需求，合规提示遗漏一处；一周后补考。")


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@dataclass
class _Person:
    employee: Employee
    supervisor_user: object

    @property
    def user(self):
        return self.employee.user

    @property
    def mentor_user(self):
        mentor = self.employee.mentor
        return mentor.user if mentor is not None and mentor.user_id else self.supervisor_user


@dataclass
class _Story:
    """Employee ids of the people who leave the plain path, all but one in the demo logins' batch."""

    trainee: int | None = None  # the trainee login: a learning task late, coaching tomorrow
    extended: int | None = None  # the mentor login's other mentee: misses cycle 2 work, the gate fails
    withdrawn: int | None = None  # leaves the batch early in cycle 1
    retake: int | None = None  # fails a first gate check attempt yesterday (the supervisor is told)
    early_pass: int | None = None  # in another batch: passes the cycle 3 gate check early


def _choose_story(groups, trainee_user_id):
    story = _Story()
    for _team, start, employees in groups:
        trainee = next((e for e in employees if e.user_id == trainee_user_id), None)
        if trainee is None:
            continue
        others = [e for e in employees if e.pk != trainee.pk]
        extended = next((e for e in others if e.mentor_id == trainee.mentor_id), others[-1] if others else None)
        rest = [e for e in others if e is not extended]
        story.trainee = trainee.pk
        story.extended = extended.pk if extended else None
        story.withdrawn = rest[-1].pk if rest else None
        story.retake = rest[0].pk if len(rest) > 1 else None
        same_day = [g for g in groups if g[1] == start and trainee not in g[2]]
        story.early_pass = same_day[0][2][0].pk if same_day else None
    return story


def _new_hire_groups(today):
    """[(team, start day, [Employee])]: each agent team's new hires, who started together on their hire date."""
    new_hires = (
        Employee.objects.filter(stage=Stage.ONBOARDING, team__supervisor__user__isnull=False, user__is_active=True)
        .filter(hire_date__lte=today)
        .select_related("user", "mentor__user", "team__supervisor__user")
        .order_by("team__code", "hire_date", "employee_number")
    )
    groups = {}
    for employee in new_hires:
        groups.setdefault((employee.team.code, employee.hire_date), (employee.team, employee.hire_date, []))[2].append(
            employee
        )
    return list(groups.values())


def _batch_code(team, start):
    return f"{team.code.lower()}-{start:%Y%m%d}"


class _Clock:
    """Moves what the services stamped with the current time back to the replayed moment."""

    STAMPS = (
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
        done the day before: the 01:00 sweep closes the cycle on that day."""
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


def seed_onboarding_demo(*, today, stdout=None):
    """Open a batch per team of new hires and replay it from the first day to ``today``; skipped when the
    batches exist already."""
    User = get_user_model()
    program = Program.objects.filter(code=ONBOARDING_PROGRAM, is_active=True).first()
    hr = User.objects.filter(username=ROLE_HR, is_active=True).first()
    groups = _new_hire_groups(today)
    counts = Counter()
    if program is None:
        if stdout is not None:
            stdout.write(_("Onboarding demo skipped: load the onboarding program first (load_onboarding_program)."))
        return counts
    if hr is None or not groups:
        return counts  # nobody to enroll, or no HR login to open the batches
    if Batch.objects.filter(code__in=[_batch_code(team, start) for team, start, _employees in groups]).exists():
        if stdout is not None:
            stdout.write(_("Onboarding demo: the demo batches exist already; nothing added."))
        return counts
    trainee_user_id = User.objects.filter(username=ROLE_TRAINEE).values_list("pk", flat=True).first()
    counts = _Replay(program=program, hr=hr, groups=groups, today=today, trainee_user_id=trainee_user_id).run()
    if stdout is not None:
        stdout.write(
            _(
                "Onboarding demo: %(batches)d batches with %(enrollments)d trainees; %(activities)d activities "
                "done, %(sessions)d coaching sessions, %(gate_checks)d gate checks, %(notifications)d "
                "notifications."
            )
            % counts
        )
    return counts
