"""Demo KASH data for `manage.py seed_demo` (DOMAIN §2): position targets and about a year of assessments.

The seed_demo command finds `seed_demo_extra()` here by discovery, after it has built the staff demo, so
staff never imports training. The plan comes from a fixed `random.Random(2026)` over the employees in
employee-number order, with every date between the person's hire date and `today`.

A second run adds nothing: targets are saved only where they differ, and every demo assessment carries
DEMO_TAG in its context, so a person who already has tagged assessments is skipped (on any later day
too). Assessments and scores are written in bulk, past the services: this is seed data, and a few
thousand service calls would take minutes. The rows still keep the model's rules (a submitted row has
its submitted_at, a correction supersedes a submitted row of the same person and source).
"""

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from staff.demo import CHANGE_REASON, ROLE_TRAINEE
from staff.models import Employee, Position, Stage

from .models import Assessment, AssessmentStatus, Indicator, PositionTarget, Score, Source

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
    """Add the KASH demo: position targets and about a year of assessments of everyone in a team."""
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
