"""Demo tasks for `manage.py seed_demo` (issue 14 §3, §6), through improvement.services.tasks and restamped in time:
about ten tasks given by the supervisors to their agents, a few linked to the demo initiatives when they exist, with
comprehension answers; one waits for the demo supervisor to mark it understood, one waits for the demo trainee's
answers, one stage is delegated (the delegator stays accountable), one overdue stage is escalated by the sweep, one
task is done and one cancelled. A second run finds tasks and adds nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F

from notifications.models import Notification
from staff.demo.plan import ROLE_SUPERVISOR, ROLE_TRAINEE
from staff.models import Employee, Stage, Team

from .models import Initiative, Task, TaskEvent
from .services import tasks as services
from .services.task_sweep import sweep_stages

QUESTIONS = ["这项任务的目标是什么？", "遇到问题先找谁？"]
ANSWERS = ["三天内回访所有未结投诉，一次解决率不低于 89%。", "先找阶段负责人，解决不了再找班长。"]
TITLES = [
    "整理本周未结投诉并逐一回访",
    "更新理财产品话术卡",
    "新人首问负责制演练准备",
    "优惠券使用情况自查",
    "来电高峰排班调整建议",
    "知识库过期条目清理",
    "客户满意度回访抽样",
    "服务之星案例整理",
]


def _active(team):
    return list(
        Employee.objects.filter(team=team, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=team.supervisor_id)
        .order_by("employee_number")
    )


def _create(supervisor, assignee, title, today, *, stages, initiative=None):
    return services.create_task(
        actor=supervisor.user,
        title=title,
        assignee=assignee,
        stages=[{"title": t, "owner": owner, "due_on": today + datetime.timedelta(days=d)} for t, owner, d in stages],
        questions=QUESTIONS,
        initiative=initiative,
    )


def _answer(task, assignee):
    answers = dict(zip(task.questions.order_by("pk").values_list("pk", flat=True), ANSWERS, strict=False))
    services.answer_questions(actor=assignee.user, task_id=task.pk, answers=answers)


def _start(task, supervisor, assignee):
    _answer(task, assignee)
    services.mark_understood(actor=supervisor.user, task_id=task.pk)
    services.start_task(actor=assignee.user, task_id=task.pk)


def _restamp(task, days_ago):
    """The task was created ``days_ago`` days ago: its times and history move back together."""
    delta = datetime.timedelta(days=days_ago)
    Task.objects.filter(pk=task.pk).update(created_at=F("created_at") - delta)
    for field in ("understood_at", "started_at", "done_at"):
        Task.objects.filter(pk=task.pk, **{f"{field}__isnull": False}).update(**{field: F(field) - delta})
    TaskEvent.objects.filter(task=task).update(at=F("at") - delta)


def seed(*, today):
    if Task.objects.exists():
        return {"tasks": 0}
    users = get_user_model().objects.filter(username__in=(ROLE_SUPERVISOR, ROLE_TRAINEE))
    people = {e.user.username: e for e in Employee.objects.filter(user__in=users).select_related("user", "team")}
    supervisor = people.get(ROLE_SUPERVISOR)
    team = Team.objects.filter(supervisor=supervisor).first() if supervisor else None
    agents = _active(team) if team else []
    if supervisor is None or len(agents) < 5:
        return {"tasks": 0}
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    initiatives = list(Initiative.objects.order_by("pk")[:2])
    trainee = people.get(ROLE_TRAINEE)
    if trainee is None or trainee.team_id != team.pk:
        trainee = agents[0]
    others = [a for a in agents if a.pk != trainee.pk]
    a1, a2, a3, a4, a5 = others[:5]
    made = []

    # Waits for the demo supervisor to mark it understood (the answers are in).
    task = _create(supervisor, a1, TITLES[0], today, stages=[("列出未结投诉", a1, 1), ("逐一回访", a1, 3)])
    _answer(task, a1)
    made.append((task, 1))
    # Waits for the demo trainee's answers.
    task = _create(supervisor, trainee, TITLES[2], today, stages=[("熟悉演练脚本", trainee, 4)])
    made.append((task, 0))
    # In progress, a stage delegated: a2 stays accountable for it.
    initiative = initiatives[0] if initiatives else None
    task = _create(
        supervisor, a2, TITLES[1], today, stages=[("收集话术", a2, 2), ("试讲", a2, 5)], initiative=initiative
    )
    _start(task, supervisor, a2)
    services.delegate_stage(actor=a2.user, stage_id=task.stages.get(order=1).pk, to=a3, text="你更熟悉理财产品")
    made.append((task, 2))
    # In progress, its first stage four days overdue: the sweep escalates it (level 1, then past the lead).
    initiative = initiatives[1] if len(initiatives) > 1 else None
    task = _create(
        supervisor,
        a4,
        TITLES[3],
        today,
        stages=[("导出本月发券记录", a4, -4), ("逐笔核对", a4, 3)],
        initiative=initiative,
    )
    _start(task, supervisor, a4)
    made.append((task, 8))
    # Done.
    task = _create(supervisor, a5, TITLES[5], today, stages=[("清理条目", a5, -2)])
    _start(task, supervisor, a5)
    services.complete_stage(actor=a5.user, stage_id=task.stages.get().pk)
    services.finish_task(actor=supervisor.user, task_id=task.pk)
    made.append((task, 6))
    # Cancelled.
    task = _create(supervisor, a3, TITLES[4], today, stages=[("汇总来电数据", a3, 6)])
    services.cancel_task(actor=supervisor.user, task_id=task.pk, text="排班已由中心统一调整")
    made.append((task, 3))
    # Other supervisors' teams: one task in progress each.
    for n, other in enumerate(Team.objects.exclude(pk=team.pk).filter(supervisor__user__is_active=True)[:4]):
        members = _active(other)
        if not members:
            continue
        lead, agent = other.supervisor, members[0]
        task = _create(lead, agent, TITLES[6 + n % 2], today, stages=[("准备", agent, 1 + n), ("完成", agent, 5 + n)])
        _start(task, lead, agent)
        made.append((task, 1))
    for task, days_ago in made:
        if days_ago:
            _restamp(task, days_ago)
    swept = sweep_stages()
    # The replayed history's notifications were e-mailed long ago (like linkage's demo).
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return {"tasks": len(made), "task_escalations": swept["escalated"]}
