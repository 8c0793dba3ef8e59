"""Demo rules as written and rituals for `manage.py seed_demo` (issue 15 §8, §1): the demo supervisor applies three
rules to her agents (two rewards and a penalty, each citing its rule), and the daily task posts today's welcome and
farewell cards, a teammate signing each. A second run adds nothing."""

from django.contrib.auth import get_user_model
from django.db.models import F, Max

from notifications.models import Notification
from staff.demo.plan import ROLE_SUPERVISOR
from staff.models import Employee, Stage, Team

from .models import CardSignature, IncentiveRule, PointsEntry, TeamCard
from .services import rituals
from .services.rules import apply_rule

PLAN = [
    ("customer-praise", "客户来电点名表扬：耐心解释了年费减免规则"),
    ("zero-complaints-month", "上月零有效投诉，话务量高于班组中位数"),
    ("repeated-lateness", "本月第三次登录迟到，已当面沟通"),
]


def seed(*, today):
    if PointsEntry.objects.filter(rule__isnull=False).exists():
        return {}
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    user = get_user_model().objects.filter(username=ROLE_SUPERVISOR).first()
    team = Team.objects.filter(supervisor__user=user).first() if user else None
    agents = list(
        Employee.objects.filter(team=team, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=getattr(team, "supervisor_id", None))
        .order_by("-employee_number")[:3]
    )
    applied = 0
    for agent, (code, note) in zip(agents, PLAN, strict=False):
        rule = IncentiveRule.objects.filter(code=code).first()
        if rule is not None:
            apply_rule(user=user, employee_id=agent.pk, rule_id=rule.pk, note=note, idempotency_key=f"demo-{code}")
            applied += 1
    posted = rituals.post_cards(today=today)["posted"]
    for card in TeamCard.objects.select_related("team").order_by("pk"):
        signer = (
            Employee.objects.filter(team=card.team, user__is_active=True)
            .exclude(pk=card.employee_id)
            .exclude(stage=Stage.LEFT)
            .order_by("employee_number")
            .first()
        )
        if signer is not None and not CardSignature.objects.filter(card=card).exists():
            words = "欢迎加入！有问题随时找我。" if card.kind == "welcome" else "一路顺风，常联系！"
            rituals.sign(user=signer.user, card_id=card.pk, message=words)
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))  # history, not news
    return {"rules applied": applied, "cards": posted}
