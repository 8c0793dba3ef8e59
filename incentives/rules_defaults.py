"""The shipped catalogue of reward and penalty rules (issue 15 §8; seed 002: rewards and penalties as written and
applied strictly), loaded by migration 0005 and editable by HR in the admin. Codes are stable; texts are HR's."""

DEFAULT_RULES = [
    # (code, kind, points, name_en, name_zh, text_en, text_zh)
    (
        "zero-complaints-month",
        "reward",
        30,
        "A month without a valid complaint",
        "当月零有效投诉",
        "An agent with no valid complaint in a calendar month and at least the team's median volume earns 30 points.",
        "自然月内无有效投诉且话务量不低于班组中位数的坐席，奖励 30 积分。",
    ),
    (
        "customer-praise",
        "reward",
        20,
        "Named praise from a customer",
        "客户点名表扬",
        "A customer's written or recorded praise naming the agent earns 20 points once per praise.",
        "客户书面或录音点名表扬，每次奖励 20 积分。",
    ),
    (
        "role-model-case",
        "reward",
        50,
        "A case adopted as practice",
        "案例被采纳为标准做法",
        "A case or suggestion adopted into a playbook or the knowledge base earns its author 50 points.",
        "工单案例或建议被纳入联动方案或知识库，奖励作者 50 积分。",
    ),
    (
        "repeated-lateness",
        "penalty",
        10,
        "Late three times in a month",
        "当月迟到三次",
        "Three late log-ins in a calendar month deduct 10 points; the lead talks it through first.",
        "自然月内登录迟到三次扣 10 积分；班长须先与本人沟通。",
    ),
    (
        "compliance-breach",
        "penalty",
        30,
        "A confirmed compliance breach",
        "经确认的合规违规",
        "A QA finding of a compliance breach, confirmed after the dispute window, deducts 30 points.",
        "质检发现的合规违规，经申诉期后确认，扣 30 积分。",
    ),
]
