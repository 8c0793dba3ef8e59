"""Demo suggestions for `manage.py seed_demo` (issue 14 §1, §6), through improvement.services.suggestions and
restamped over three months: about forty from demo agents (seed 003: 产品端、系统端、规则) in every status, declined
ones with the reason the author reads, one merged (its supporters moved), implemented ones, supports and comments,
one open campaign and one closed. The demo trainee has one declined she can read. A second run adds nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F

from staff.demo.plan import ROLE_HR, ROLE_TRAINEE
from staff.models import Employee, Stage, Team

from .models import Campaign, Suggestion, SuggestionComment, SuggestionEvent
from .services import suggestions as services

IDEAS = [
    ("system", "工单系统首屏显示客户历史来电", "接起电话时先看到近三次来电记录。", "减少重复询问，提高一次解决率。"),
    ("product", "理财产品说明增加风险等级图示", "在话术卡里加风险等级色块。", "客户更容易理解风险。"),
    ("rule", "班长可直接发放 20 元以内优惠券", "小额补偿无需主管审批。", "缩短客户等待时间。"),
    ("process", "夜班交接增加未结工单清单", "交接时打印未结工单。", "避免工单遗漏。"),
    ("system", "知识库搜索支持拼音首字母", "输入首字母即可搜索。", "查找更快。"),
    ("other", "休息区增加饮水机", "在二楼休息区放一台饮水机。", ""),
    ("rule", "投诉回访时限从 48 小时改为 24 小时", "缩短回访时限。", "客户满意度更高。"),
    ("process", "新人跟听从三天延长到五天", "延长跟听时间。", "新人上线后错误更少。"),
]
# (status, answer) cycled over the suggestions; the merge is done separately.
PLAN = [
    ("new", ""),
    ("under_review", ""),
    ("accepted", "下月排期开发。"),
    ("implemented", "已上线，感谢建议。"),
    ("declined", "系统供应商暂不支持该功能，明年升级时再评估。"),
    ("new", ""),
    ("under_review", ""),
    ("declined", "与现行合规要求冲突，暂不执行。"),
]
PATH = {
    "new": [],
    "under_review": ["under_review"],
    "accepted": ["under_review", "accepted"],
    "implemented": ["under_review", "accepted", "implemented"],
    "declined": ["declined"],
}


def _restamp(suggestion, days_ago):
    delta = datetime.timedelta(days=days_ago)
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=F("created_at") - delta)
    for field in ("status_changed_at", "implemented_at"):
        Suggestion.objects.filter(pk=suggestion.pk, **{f"{field}__isnull": False}).update(
            **{field: F(field) - delta + datetime.timedelta(days=min(days_ago, 5))}
        )
    SuggestionEvent.objects.filter(suggestion=suggestion).update(at=F("at") - delta)
    SuggestionComment.objects.filter(suggestion=suggestion).update(created_at=F("created_at") - delta)


def _advance(suggestion, status, answer, reviewer):
    for step in PATH[status]:
        services.move(
            user=reviewer, suggestion_id=suggestion.pk, to_status=step, answer=answer if step == status else ""
        )


def seed(*, today):
    if Suggestion.objects.exists():
        return {}
    hr = get_user_model().objects.filter(username=ROLE_HR).first()
    trainee = Employee.objects.filter(user__username=ROLE_TRAINEE).select_related("team__supervisor__user").first()
    Campaign.objects.create(
        title="2026 春季服务改进征集",
        description="围绕首问负责制征集建议。",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        created_by=hr,
    )
    Campaign.objects.create(
        title="系统体验建议月",
        opens_on=today - datetime.timedelta(days=80),
        closes_on=today - datetime.timedelta(days=50),
        created_by=hr,
    )
    teams = list(Team.objects.filter(supervisor__user__is_active=True).select_related("supervisor__user"))
    authors = []
    for team in teams:
        authors += list(
            Employee.objects.filter(team=team, user__is_active=True)
            .exclude(stage=Stage.LEFT)
            .exclude(pk=team.supervisor_id)
            .select_related("user", "team__supervisor__user")
            .order_by("employee_number")[:6]
        )
    if not authors:
        return {}
    made = []
    for i in range(40):
        author = authors[i % len(authors)]
        category, title, what, why = IDEAS[i % len(IDEAS)]
        suggestion = services.submit(
            user=author.user, category=category, title=f"{title}（{i + 1}）", what=what, why=why, is_public=i % 7 != 3
        )
        status, answer = PLAN[i % len(PLAN)]
        _advance(suggestion, status, answer, author.team.supervisor.user)
        made.append((suggestion, author, 90 - i * 2))
    if trainee is not None and trainee.team and trainee.team.supervisor:
        mine = services.submit(
            user=trainee.user, category="rule", title="新人也能发放 5 元补偿券", what="小额补偿无需等班长。"
        )
        _advance(
            mine,
            "declined",
            "新人上线前三个月需在班长确认下发放补偿，满三个月后可申请授权。",
            trainee.team.supervisor.user,
        )
        made.append((mine, trainee, 12))
    supports = 0
    for n, (suggestion, author, _days) in enumerate(made):
        if not suggestion.is_public:
            continue
        for supporter in authors[n % 5 : n % 5 + 4]:
            if supporter.pk != author.pk and services.support(user=supporter.user, suggestion=suggestion):
                supports += 1
        if n % 3 == 0:
            other = authors[(n + 1) % len(authors)]
            if other.pk != author.pk:
                services.comment(user=other.user, suggestion=suggestion, text="赞同，我们组也常遇到这个问题。")
    news = [s for s, *_ in made if s.is_public and Suggestion.objects.get(pk=s.pk).status == "new"]
    if len(news) >= 2 and hr is not None:
        services.merge(user=hr, suggestion_id=news[1].pk, target_id=news[0].pk)
    for suggestion, _author, days in made:
        _restamp(suggestion, max(days, 0))
    return {"suggestions": len(made), "suggestion supports": supports, "suggestion campaigns": 2}
