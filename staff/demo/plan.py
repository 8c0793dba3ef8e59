"""Who works where in the demo: sites, departments, teams and about 120 people. ``build_plan()`` is pure and
deterministic (a fixed ``random.Random(2026)``), so every run wants the same organisation and people."""

import datetime
import random
from dataclasses import dataclass, field

from ..models import Stage

EMAIL_DOMAIN = "demo.bank.example"

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
