"""What happens in the onboarding replay: its pace, what people write, and who leaves the plain path."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from staff.models import Employee

from .. import cycles
from ..models import ActivityKind, CoachingPhase

ONBOARDING_PROGRAM = "default-four-cycles"
READ_AFTER_DAYS = 3
EARLY_SHARE = 0.25  # activities done a day before they are due
EXTENSION_DAYS = 14  # the supervisor's remediation period after a failed gate
ACTIVE_STATES = cycles.ACTIVE
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
        "知识库学习已完成，笔记已发给带教老师。",
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
        "遇到困难会先找带教老师；这周帮队友查了一个挂失流程。",
        "对比两通录音：现在会先问清客户需求再推荐。",
    ),
    ActivityKind.COACHING: ("辅导已完成，约定的改进措施见辅导记录。",),
    ActivityKind.GATE: ("通关考核已完成。",),
}
WITHDRAW_REASON = "本人申请退出本批次：家中有事需请假一个月，返岗后编入下一批次重新培训。"
REMEDIATION_PLAN = (
    "第二周期通关未通过：首问负责意识不足，转接交接演练和自我复盘未按期完成。\n"
    "补强计划：1. 带教老师每天陪听两通来电，重点跟进首问负责；2. 一周内补完转接交接演练和自我复盘；"
    "3. 两周后由班长复评。"
)
REMEDIATION_COACHING = (
    "补强辅导：复盘两通转接不完整的来电，明确首问负责要跟进到底。",
    "每天与带教老师复盘一通来电；本周内补完转接交接演练和自我复盘。",
)
REVIEW_NOTES = "计划：复评首问负责和补做的演练，决定能否通过第二周期通关。"
LATE_REFLECTION_NOTE = "补做复盘：以后遇到跨部门问题先建工单，再跟进回访，不再直接转接。"
GATE_PASS = (86, "情景演练表现稳定，需求挖掘到位，合规提示完整。")
GATE_RETAKE = (76, "情景演练没有复述确认客户需求，合规提示遗漏一处；一周后补考。")


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
