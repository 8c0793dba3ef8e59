"""What the KASH demo writes: position targets, plateaus, the indicators each source looks at,
evidence texts and private notes (DOMAIN §2)."""

from staff.models import Stage

from ..models import Source

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
