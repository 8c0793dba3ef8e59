"""Demo data: the customer-contact center of a small Chinese bank (DOMAIN §1), for `manage.py seed_demo`.

`build_plan()` is pure and deterministic (a fixed `random.Random(2026)`), so every run wants the same
organisation, positions and people. `seed_demo()` makes the database match the plan: rows are keyed on
codes, employee numbers and usernames, and a row is saved only when a value differs, so a second run
writes nothing and adds no history rows. Hire dates and passwords are set only when a row is created.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import Department, Education, Employee, Position, PositionDuty, Site, Stage, Team
from .services import ensure_hr_group

DEMO_PASSWORD = "demo-pass-2026"
EMAIL_DOMAIN = "demo.bank.example"
CHANGE_REASON = "seed_demo"

# (code, name, region, address)
SITES = [
    ("SZ", "总部客服中心", "苏州", "苏州市工业园区星湖街 88 号 6 楼"),
    ("WX", "无锡分中心", "无锡", "无锡市滨湖区蠡湖大道 168 号 3 楼"),
]
# (code, site, name)
DEPARTMENTS = [
    ("SZ-RET", "SZ", "零售客服部"),
    ("SZ-CARD", "SZ", "信用卡客服部"),
    ("SZ-QT", "SZ", "质检培训部"),
    ("SZ-ADM", "SZ", "综合管理部"),
    ("WX-SVC", "WX", "无锡分中心客服部"),
]
# (code, department, name, tenured agents, new hires); the QA/training team has no agents.
AGENT_TEAMS = [
    ("SZ-RET-1", "SZ-RET", "零售客服一组", 9, 4),
    ("SZ-RET-2", "SZ-RET", "零售客服二组", 9, 3),
    ("SZ-RET-3", "SZ-RET", "零售客服三组", 8, 3),
    ("SZ-CARD-1", "SZ-CARD", "信用卡客服一组", 9, 3),
    ("SZ-CARD-2", "SZ-CARD", "信用卡客服二组", 8, 3),
    ("WX-RET-1", "WX-SVC", "无锡零售客服组", 8, 2),
    ("WX-CARD-1", "WX-SVC", "无锡信用卡客服组", 8, 2),
]
QT_TEAM = ("SZ-QT-1", "SZ-QT", "质检培训组")
MENTORS_PER_TEAM = 3
LEFT_AGENTS = 3  # a little attrition, so "left" appears in the demo
# How many weeks before this week's Monday each site's new hires started (the batch's first day).
HQ_BATCH_WEEKS = 6
BRANCH_BATCH_WEEKS = 2

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任"
    "姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江"
    "尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常"
)
# Given names: one-character names, then two-character names written back to back.
_ONE_CHAR_NAMES = "婷静敏丽娟艳芳燕霞玲颖洁琳倩雪蕾欣悦晨瑶伟磊军勇杰涛斌超鹏浩"
_TWO_CHAR_NAMES = (
    "思琪雨欣佳怡欣怡梦瑶诗涵雅婷佳琪子涵可馨晓燕海燕丽娜秀英婉清紫薇若曦一诺语桐"
    "嘉怡静怡梓萱晓雯雨婷文静慧敏子轩浩然宇航俊杰志强建华明辉晓东文博天宇家豪泽宇皓轩嘉伟国栋"
)
GIVEN_NAMES = [*_ONE_CHAR_NAMES, *(_TWO_CHAR_NAMES[k : k + 2] for k in range(0, len(_TWO_CHAR_NAMES), 2))]

ROLE_HR, ROLE_SUPERVISOR, ROLE_MENTOR, ROLE_TRAINEE = "hr", "supervisor", "mentor", "trainee"


# Positions and their job descriptions (工作说明书, DOMAIN §1) -------------------------------------

_COMMON_ENV = {
    "work_place": "客服中心坐席区，开放式办公",
    "hazards": "长时间佩戴耳机与使用电脑，有听力、嗓音、颈椎与视力劳损风险",
    "comfort": "空调恒温，人体工学座椅，配备休息室与饮水区",
}
# Listed superior first, so each position can point at its superior when it is created.
POSITIONS = [
    {
        "code": "CS-MGR",
        "title": "客服中心经理",
        "job_family": "管理",
        "job_group": "运营管理",
        "grade": 9,
        "superior": None,
        "department": "SZ-ADM",
        "pay_grade": "M3",
        "pay_level": "1–3 档",
        "headcount": 2,
        "nature_of_work": "全职，中心管理",
        "summary": "全面负责客服中心（分中心）的运营、人员与服务质量，制定目标与考核方案，推动岗位联动、"
        "授权赋能与荣誉体系落地。",
        "expected_results": "中心接通率、一次解决率、满意度与成本目标达成；员工流失率低于行业平均；重大客诉零发生。",
        "duties": [
            ("制定中心目标、考核方案与资源计划", 30, "可决定中心考核指标与权重", "年度目标达成"),
            ("管理班长、质检、培训与人力团队", 25, "可任免班长，审批晋升与调岗", "管理梯队稳定"),
            ("推动岗位联动与授权赋能（PDCA）", 20, "可设定各级补偿授权额度", "升级投诉下降"),
            ("处理重大客诉与突发事件", 15, "可批准超额补偿与对外答复", "重大客诉妥善处置"),
            ("组织荣誉体系与年度评优", 10, "可批准年度奖项", "员工敬业度提升"),
        ],
        "promotion": [],
        "transfer": [],
        "related": ["CS-HR"],
        "min_education": Education.BACHELOR,
        "training_hours": 80,
        "training_subjects": "运营管理；客户体验管理；领导力；银行合规与消费者权益保护。",
        "years_experience": 8,
        "abilities": "战略与计划；数据驱动决策；跨部门协调；危机处理。",
        "personality": "大局观强，果断，善于激励团队。",
        "physical_demands": "一般办公室工作。",
        "work_place": "客服中心办公区经理室",
        "hazards": "无特殊危险；长时间使用电脑",
        "hours_pattern": "做五休二，重大节假日值班",
        "workload_balance": "月初、季度末与重大活动期间繁忙",
    },
    {
        "code": "CS-SUP",
        "title": "客服班长",
        "job_family": "管理",
        "job_group": "现场管理",
        "grade": 6,
        "superior": "CS-MGR",
        "department": "SZ-RET",
        "pay_grade": "M1",
        "pay_level": "1–3 档",
        "headcount": 9,
        "nature_of_work": "全职，一线班组管理，轮班",
        "summary": "带领一个 12–16 人的班组完成服务与业务指标，负责排班、现场监控、辅导与激励，"
        "对新员工各周期关口进行事前预警、事中纠偏、事后复盘。",
        "expected_results": "班组接通率、一次解决率、质检与满意度指标达标；新员工试用期流失率低于中心平均；"
        "每名组员每月至少一次一对一辅导；班组在月度 PK 中保持前列。",
        "duties": [
            ("现场监控话务与服务质量，处理升级事件", 30, "可临时调整班组人员与休息安排", "班组指标达标"),
            ("一对一辅导组员，跟进新员工各周期通关", 25, "可批准新员工周期关口", "新员工按期通关"),
            ("排班、考勤与班前班后会", 15, "可审批班组内换班与请假（3 天以内）", "排班满足话务预测"),
            ("组织班组荣誉与认可活动，开展 PK", 15, "可给予班组日常表彰与积分", "团队氛围与敬业度提升"),
            ("收集员工建议，配合质检与培训改进", 15, "可提交流程与系统改进建议", "建议闭环"),
        ],
        "promotion": ["CS-MGR"],
        "transfer": ["CS-TRAINER", "CS-QA"],
        "related": ["CS-QA", "CS-TRAINER", "CS-HR"],
        "min_education": Education.JUNIOR_COLLEGE,
        "training_hours": 200,
        "training_subjects": "基层管理；排班与现场管理；绩效辅导与反馈；赫茨伯格激励与荣誉体系；员工情绪关怀。",
        "years_experience": 3,
        "abilities": "组织协调、计划执行与数据分析；辅导与沟通；冲突处理。",
        "personality": "公正、以身作则，善于激励他人，抗压能力强。",
        "physical_demands": "能在坐席区长时间巡场；需要时佩戴耳机陪听。",
        "hours_pattern": "与班组同步轮班，重大节假日值班",
        "workload_balance": "月初与促销活动期间工作量大",
    },
    {
        "code": "CS-QA",
        "title": "质检专员",
        "job_family": "专业",
        "job_group": "质量管理",
        "grade": 5,
        "superior": "CS-MGR",
        "department": "SZ-QT",
        "pay_grade": "P5",
        "pay_level": "1–3 档",
        "headcount": 5,
        "nature_of_work": "全职，中后台，以日班为主",
        "summary": "按质检标准抽检通话与在线会话，评分并反馈，抽查补偿券等授权使用情况，分析服务问题并推动改进。",
        "expected_results": "每名坐席每月抽检不少于 8 通；质检结果准确、一致，申诉改判率低于 5%；"
        "授权使用抽查全覆盖；每月输出质检分析报告。",
        "duties": [
            ("抽检通话与会话录音，按标准评分", 50, "可判定质检得分与差错等级", "抽检量与准确率达标"),
            ("抽查补偿券等授权使用", 15, "可暂停违规使用者的授权并上报", "违规使用及时发现"),
            ("向班长与坐席反馈质检结果，受理申诉", 15, "可初审质检申诉", "申诉处理及时"),
            ("分析服务问题，输出月度报告与改进建议", 15, "", "改进项闭环"),
            ("维护质检标准与案例库", 5, "可提出质检标准修订", "标准与案例库及时更新"),
        ],
        "promotion": ["CS-SUP"],
        "transfer": ["CS-TRAINER"],
        "related": ["CS-TRAINER", "CS-SUP"],
        "min_education": Education.BACHELOR,
        "training_hours": 120,
        "training_subjects": "质检标准与评分校准；录音分析；金融消费者权益保护；数据分析基础。",
        "years_experience": 2,
        "abilities": "细致的听辨能力；客观判断；书面表达与数据分析。",
        "personality": "客观公正，原则性强，善于沟通反馈。",
        "physical_demands": "长时间听录音与使用电脑。",
        "work_place": "质检室，需要时到坐席区陪听",
        "hours_pattern": "做五休二，日班为主",
        "workload_balance": "月末集中出报告，其余时间较均衡",
    },
    {
        "code": "CS-TRAINER",
        "title": "培训专员",
        "job_family": "专业",
        "job_group": "培训发展",
        "grade": 5,
        "superior": "CS-MGR",
        "department": "SZ-QT",
        "pay_grade": "P5",
        "pay_level": "1–3 档",
        "headcount": 4,
        "nature_of_work": "全职，中后台，以日班为主",
        "summary": "依据 KASH 模型设计并实施岗前培训与新员工四周期培养计划，组织通关考核与在岗提升培训，评估培训效果。",
        "expected_results": "岗前培训通过率不低于 90%；各批次新员工按计划完成四个周期；培训满意度不低于 90%；"
        "每季度至少更新一次课程与题库。",
        "duties": [
            ("设计并讲授岗前与在岗课程", 40, "可决定课程内容与讲师安排", "课程按计划交付"),
            ("制定各批次新员工培养计划并跟进", 20, "可按批次调整周期活动与节奏", "批次按期完成"),
            ("组织通关考核与 KASH 评估", 20, "可判定培训考核结果", "考核记录完整"),
            ("培养带教老师与内训师", 10, "可推荐带教老师人选", "带教队伍稳定"),
            ("评估培训效果，维护课程与题库", 10, "", "题库每季度更新"),
        ],
        "promotion": ["CS-SUP"],
        "transfer": ["CS-QA", "CS-HR"],
        "related": ["CS-QA", "CS-SENIOR", "CS-HR"],
        "min_education": Education.BACHELOR,
        "training_hours": 120,
        "training_subjects": "培训师技能（TTT）；课程开发；KASH 胜任力模型；成人学习与辅导。",
        "years_experience": 2,
        "abilities": "课程设计与讲授；演示与控场；评估与数据分析。",
        "personality": "热情开朗，乐于分享，有耐心。",
        "physical_demands": "需站立授课，嗓音状况良好。",
        "work_place": "培训教室与模拟坐席区",
        "hazards": "长时间授课，有嗓音劳损风险",
        "hours_pattern": "做五休二，日班为主，新员工入职期偶有晚班",
        "workload_balance": "新员工入职批次前后工作量集中",
    },
    {
        "code": "CS-HR",
        "title": "人力资源专员",
        "job_family": "专业",
        "job_group": "人力资源",
        "grade": 5,
        "superior": "CS-MGR",
        "department": "SZ-ADM",
        "pay_grade": "P5",
        "pay_level": "1–3 档",
        "headcount": 3,
        "nature_of_work": "全职，中后台，日班",
        "summary": "负责客服中心的招聘、入职、岗位与工作说明书维护、绩效考核与薪酬数据、员工关系与离职管理，"
        "维护人员与组织数据。",
        "expected_results": "招聘按期到岗率不低于 95%；人员与组织数据准确；考核与薪酬按月准时发放；"
        "离职访谈覆盖率 100%。",
        "duties": [
            ("招聘与入职办理", 30, "可安排面试并发出录用建议", "按期到岗"),
            ("维护岗位、工作说明书与组织数据", 20, "可修改岗位与人员档案", "数据准确"),
            ("组织绩效考核，核算与薪酬挂钩的数据", 25, "可汇总考核结果", "按月准时完成"),
            ("员工关系、离职访谈与流失分析", 15, "", "流失原因分析按月输出"),
            ("配合荣誉体系与年度评优", 10, "可组织评优流程", "评优公开透明"),
        ],
        "promotion": ["CS-MGR"],
        "transfer": ["CS-TRAINER"],
        "related": ["CS-TRAINER", "CS-SUP"],
        "min_education": Education.BACHELOR,
        "training_hours": 80,
        "training_subjects": "劳动法规；招聘与面试技巧；绩效与薪酬管理；工作分析。",
        "years_experience": 2,
        "abilities": "沟通协调；数据处理；保密意识。",
        "personality": "严谨、公正、值得信赖。",
        "physical_demands": "一般办公室工作。",
        "work_place": "客服中心办公区",
        "hazards": "无特殊危险；长时间使用电脑",
        "hours_pattern": "做五休二，日班",
        "workload_balance": "月初核算与招聘旺季较忙",
    },
    {
        "code": "CS-SENIOR",
        "title": "高级客服代表",
        "job_family": "客户服务",
        "job_group": "坐席服务",
        "grade": 4,
        "superior": "CS-SUP",
        "department": "SZ-RET",
        "pay_grade": "P4",
        "pay_level": "1–5 档",
        "headcount": 24,
        "nature_of_work": "全职，一线坐席兼带教，轮班",
        "summary": "处理复杂咨询与升级投诉，担任新员工带教老师（小师傅），以新老绑定帮助新人养成习惯、"
        "建立信任并通过各周期通关。",
        "expected_results": "所带新员工按期通过四个周期通关，试用期流失率低于中心平均；本人一次解决率不低于 88%；"
        "质检得分不低于 93 分；升级投诉妥善化解。",
        "duties": [
            ("受理复杂咨询与升级来电", 45, "可发放第二档补偿券（单笔 200 元以内）", "升级投诉化解率达标"),
            ("一对一带教新员工，陪听、辅导与复盘", 25, "可对新员工的习惯与技能给出评价", "新员工按期通关"),
            ("组织角色扮演演练与通关检查", 10, "可判定演练是否通过", "演练记录完整"),
            ("参与岗位联动，处理营销与突发场景的交接", 10, "可发起联动并指定接手人", "联动闭环"),
            ("提出业务、系统与流程改进建议", 10, "", "建议被采纳并落地"),
        ],
        "promotion": ["CS-SUP", "CS-TRAINER"],
        "transfer": ["CS-QA", "CS-TRAINER"],
        "related": ["CS-AGENT", "CS-SUP"],
        "min_education": Education.JUNIOR_COLLEGE,
        "training_hours": 160,
        "training_subjects": "带教技巧与辅导（Coaching）；投诉处理与情绪安抚；信用卡与理财产品进阶；"
        "岗位联动与首问负责制；情绪管理。",
        "years_experience": 2,
        "abilities": "扎实的业务知识；复杂问题分析与解决；辅导与反馈能力；良好的团队协作。",
        "personality": "有责任心和分享意愿，积极正向，在挫折面前有韧性。",
        "physical_demands": "能长时间坐姿工作并佩戴耳机；听力与嗓音状况良好。",
        "hours_pattern": "做五休二，轮班，带教期与新员工同班",
        "workload_balance": "带教期工作量上升，班长相应减少其话务指标",
    },
    {
        "code": "CS-AGENT",
        "title": "客服代表",
        "job_family": "客户服务",
        "job_group": "坐席服务",
        "grade": 3,
        "superior": "CS-SUP",
        "department": "SZ-RET",
        "pay_grade": "P3",
        "pay_level": "1–5 档",
        "headcount": 90,
        "nature_of_work": "全职，一线坐席，7×24 小时轮班",
        "summary": "通过电话、在线客服等渠道受理客户的咨询、查询、办理与投诉，按首问负责制跟进到底，"
        "在服务中识别客户需求并推荐合适的产品。",
        "expected_results": "接通率不低于 90%；一次解决率（FCR）不低于 85%；质检得分不低于 90 分；"
        "客户满意度不低于 95%；平均处理时长符合业务标准；无重大服务差错。",
        "duties": [
            (
                "受理来电与在线咨询，解答业务问题",
                55,
                "按知识库口径答复；可办理授权范围内的查询与挂失",
                "一次解决率不低于 85%",
            ),
            ("受理投诉并首问负责跟进", 15, "可发放第一档补偿券（单笔 50 元以内）", "投诉升级率持续下降"),
            ("根据客户需求推荐产品并转介商机", 10, "可登记商机并转交理财经理", "商机转介成功率达标"),
            ("完成话后小结与工单记录", 10, "可创建、补充工单", "工单完整准确，话后处理时长达标"),
            ("参加班前会、培训与通关演练", 10, "", "按期通过岗位通关"),
        ],
        "promotion": ["CS-SENIOR"],
        "transfer": ["CS-QA"],
        "related": ["CS-QA", "CS-TRAINER"],
        "min_education": Education.JUNIOR_COLLEGE,
        "training_hours": 120,
        "training_subjects": "企业文化与晋升体系；银行卡、存款、电子银行产品知识；客服系统操作；服务规范与话术；"
        "金融消费者权益保护；反洗钱与反诈骗基础。",
        "years_experience": 0,
        "abilities": "普通话标准，表达清晰；倾听与理解能力；打字每分钟 40 字以上；基本计算机操作。",
        "personality": "耐心、细致、情绪稳定，乐于助人，能承受一定的工作压力。",
        "physical_demands": "能长时间坐姿工作并佩戴耳机；听力与嗓音状况良好。",
        "hours_pattern": "做五休二，早、中、晚班轮换，含节假日排班",
        "workload_balance": "话务有明显峰谷，月初、账单日与节假日前后繁忙",
    },
]


# The plan: who works where ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPlan:
    employee_number: str
    username: str
    surname: str
    given_name: str
    position: str
    stage: str
    hire_date: datetime.date
    team: str | None = None
    mentor: str | None = None  # employee number
    is_hr: bool = False
    login_role: str | None = None

    @property
    def name(self):
        return self.surname + self.given_name

    @property
    def email(self):
        return f"{self.employee_number.lower()}@{EMAIL_DOMAIN}"


@dataclass
class Plan:
    people: list[PersonPlan] = field(default_factory=list)
    supervisors: dict[str, str] = field(default_factory=dict)  # team code -> employee number


def _monday_before(day, weeks):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday - datetime.timedelta(weeks=weeks)


def build_plan(today):
    """The whole demo staff, derived from a fixed seed: the same people on every run and machine."""
    rng = random.Random(2026)
    plan = Plan()
    used_names = set()

    def add(position, stage, hired, team=None, mentor=None, is_hr=False, login_role=None):
        """Plan one person; ``hired`` is a date or a number of days before today."""
        while True:
            surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
            if surname + given not in used_names:
                used_names.add(surname + given)
                break
        number = f"E{10001 + len(plan.people)}"
        hire_date = hired if isinstance(hired, datetime.date) else today - datetime.timedelta(days=hired)
        person = PersonPlan(
            employee_number=number,
            username=login_role or number.lower(),
            surname=surname,
            given_name=given,
            position=position,
            stage=stage,
            hire_date=hire_date,
            team=team,
            mentor=mentor,
            is_hr=is_hr,
            login_role=login_role,
        )
        plan.people.append(person)
        return person

    def years(low, high):
        return rng.randint(int(low * 365), int(high * 365))

    for _ in SITES:
        add("CS-MGR", Stage.MANAGEMENT, years(6, 11))
    for i in range(3):
        add("CS-HR", Stage.BACK_OFFICE, years(1, 6), is_hr=True, login_role=ROLE_HR if i == 0 else None)

    code = QT_TEAM[0]
    plan.supervisors[code] = add("CS-QA", Stage.MANAGEMENT, years(4, 8), team=code).employee_number
    for position in ("CS-QA",) * 3 + ("CS-TRAINER",) * 3:
        add(position, Stage.BACK_OFFICE, years(2, 7), team=code)

    # New hires start together as a batch (批次, DOMAIN §3), so the demo shows onboarding mid-way: headquarters
    # six weeks ago (pre-job training and two cycles behind them, in cycle 3 now), the branch two (in cycle 1).
    left_agents = set(rng.sample(range(sum(team[3] for team in AGENT_TEAMS)), LEFT_AGENTS))
    agent_index = 0
    for code, _department, _name, tenured, new_hires in AGENT_TEAMS:
        is_first = code == AGENT_TEAMS[0][0]
        supervisor = add(
            "CS-SUP", Stage.MANAGEMENT, years(3, 9), team=code, login_role=ROLE_SUPERVISOR if is_first else None
        )
        plan.supervisors[code] = supervisor.employee_number
        mentors = [
            add(
                "CS-SENIOR",
                Stage.HIGH_PERFORMER if i == 0 else rng.choice([Stage.HIGH_PERFORMER, Stage.GROWTH]),
                years(2, 7),
                team=code,
                login_role=ROLE_MENTOR if is_first and i == 0 else None,
            )
            for i in range(MENTORS_PER_TEAM)
        ]
        for _ in range(tenured):
            stage = rng.choices([Stage.GROWTH, Stage.HIGH_PERFORMER], weights=[4, 1])[0]
            if agent_index in left_agents:
                stage = Stage.LEFT
            add("CS-AGENT", stage, years(0.4, 4), team=code)
            agent_index += 1
        batch_start = _monday_before(today, HQ_BATCH_WEEKS if code.startswith("SZ") else BRANCH_BATCH_WEEKS)
        for i in range(new_hires):
            add(
                "CS-AGENT",
                Stage.ONBOARDING,
                batch_start,
                team=code,
                mentor=mentors[i % len(mentors)].employee_number,
                login_role=ROLE_TRAINEE if is_first and i == 0 else None,
            )
    return plan


# Applying the plan -------------------------------------------------------------------------------


@dataclass
class SeedResult:
    counts: dict[str, int]
    created: Counter
    updated: Counter
    logins: list[tuple[str, Employee]]


def _save_changed(obj, values, result, label):
    """Set and save only the fields whose value differs, so an unchanged row writes nothing (no history)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if hasattr(obj, "history"):
            obj._change_reason = CHANGE_REASON
        obj.save(update_fields=changed)
        if label:
            result.updated[label] += 1
    return obj


def _sync(model, lookup, values, result, label):
    """Get the row by ``lookup`` and update what differs, or create it."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        result.created[label] += 1
        return model.objects.create(**lookup, **values)
    return _save_changed(obj, values, result, label)


def _sync_positions(departments, result):
    positions = {}
    for spec in POSITIONS:
        scalar = {
            key: value
            for key, value in spec.items()
            if key not in {"code", "superior", "department", "duties", "promotion", "transfer", "related"}
        }
        values = {
            **_COMMON_ENV,
            **scalar,
            "department_id": departments[spec["department"]].pk,
            "superior_id": positions[spec["superior"]].pk if spec["superior"] else None,
        }
        positions[spec["code"]] = _sync(Position, {"code": spec["code"]}, values, result, "positions")
    for spec in POSITIONS:
        position = positions[spec["code"]]
        # set() only adds and removes the difference, so an unchanged path writes nothing.
        position.promotion_paths.set([positions[code] for code in spec["promotion"]])
        position.transfer_paths.set([positions[code] for code in spec["transfer"]])
        position.related_positions.set([positions[code] for code in spec["related"]])
        for order, (activity, share, authority, expected) in enumerate(spec["duties"], start=1):
            values = {"activity": activity, "share_percent": share, "authority": authority, "expected_result": expected}
            _sync(PositionDuty, {"position": position, "order": order}, values, result, "duties")
        position.duties.filter(order__gt=len(spec["duties"])).delete()
    return positions


def _sync_users(plan, result):
    User = get_user_model()
    existing = {user.username: user for user in User.objects.filter(username__in=[p.username for p in plan.people])}
    # One hash for all demo accounts: the password is published, and hashing 120 times would take a minute.
    password = make_password(DEMO_PASSWORD)
    new = []
    for person in plan.people:
        values = {
            "email": person.email,
            "first_name": person.given_name,
            "last_name": person.surname,
            "is_staff": person.is_hr,
            "is_active": person.stage != Stage.LEFT,
        }
        user = existing.get(person.username)
        if user is None:
            new.append(User(username=person.username, password=password, **values))
        else:
            _save_changed(user, values, result, "users")
    User.objects.bulk_create(new)
    result.created["users"] += len(new)
    users = {user.username: user for user in User.objects.filter(username__in=[p.username for p in plan.people])}

    group = ensure_hr_group()
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=users[p.username].pk, group_id=group.pk) for p in plan.people if p.is_hr],
        ignore_conflicts=True,
    )
    return users


def _sync_employees(people, users, teams, positions, employees, result):
    """Create the missing employees in bulk (with history) and save the others only where they differ."""
    new = []
    for person in people:
        values = {
            "user_id": users[person.username].pk,
            "name": person.name,
            "email": person.email,
            "team_id": teams[person.team].pk if person.team else None,
            "position_id": positions[person.position].pk,
            "stage": person.stage,
            "mentor_id": employees[person.mentor].pk if person.mentor else None,
        }
        employee = employees.get(person.employee_number)
        if employee is None:
            new.append(Employee(employee_number=person.employee_number, hire_date=person.hire_date, **values))
        else:
            _save_changed(employee, values, result, "employees")
    for employee in bulk_create_with_history(new, Employee, default_change_reason=CHANGE_REASON):
        employees[employee.employee_number] = employee
    result.created["employees"] += len(new)


@transaction.atomic
def seed_demo(*, today=None):
    """Make the database hold the demo contact center; returns what changed and the four demo logins."""
    today = today or timezone.localdate()
    plan = build_plan(today)
    result = SeedResult(counts={}, created=Counter(), updated=Counter(), logins=[])

    sites = {
        code: _sync(Site, {"code": code}, {"name": name, "region": region, "address": address}, result, "sites")
        for code, name, region, address in SITES
    }
    departments = {
        code: _sync(Department, {"code": code}, {"site_id": sites[site].pk, "name": name}, result, "departments")
        for code, site, name in DEPARTMENTS
    }
    new_teams = {code for code, *_ in [*AGENT_TEAMS, QT_TEAM]} - set(Team.objects.values_list("code", flat=True))
    teams = {
        code: _sync(Team, {"code": code}, {"department_id": departments[dept].pk, "name": name}, result, "teams")
        for code, dept, name, *_ in [*AGENT_TEAMS, QT_TEAM]
    }
    positions = _sync_positions(departments, result)
    users = _sync_users(plan, result)

    numbers = [p.employee_number for p in plan.people]
    employees = {e.employee_number: e for e in Employee.objects.filter(employee_number__in=numbers)}
    # Mentors first, so that new hires can point at them.
    mentees = [p for p in plan.people if p.mentor]
    _sync_employees([p for p in plan.people if not p.mentor], users, teams, positions, employees, result)
    _sync_employees(mentees, users, teams, positions, employees, result)
    for code, number in plan.supervisors.items():
        # A team made in this run gets its supervisor now: that completes the new row, it is no update.
        _save_changed(
            teams[code], {"supervisor_id": employees[number].pk}, result, None if code in new_teams else "teams"
        )

    result.counts = {
        "sites": len(sites),
        "departments": len(departments),
        "teams": len(teams),
        "positions": len(positions),
        "employees": len(plan.people),
        "new_hires": len(mentees),
    }
    by_role = {p.login_role: employees[p.employee_number] for p in plan.people if p.login_role}
    result.logins = [(role, by_role[role]) for role in (ROLE_HR, ROLE_SUPERVISOR, ROLE_MENTOR, ROLE_TRAINEE)]
    return result
