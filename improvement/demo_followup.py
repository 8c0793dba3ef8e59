"""Demo follow-up for `manage.py seed_demo` (issue 14 §4, §6), through training's coaching services and the daily
risk check, restamped in time: the demo supervisor's agents get in-flight corrections (one past its target date, one
done), after-action reviews (one the same error again) and a heads-up; the daily check then raises today's risk
flags from the demo's KPI days, certifications and overdue task stages. A second run finds the sessions and adds
nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from staff.demo.plan import ROLE_SUPERVISOR
from staff.models import Employee, Stage, Team
from training.models import CoachingSession
from training.services.onboarding import complete_correction, log_employee_coaching

from .services.followup import raise_risk_flags

KEY = "demo-followup"


def _at(today, days_ago, hour=16):
    day = today - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(*, today):
    if CoachingSession.objects.filter(idempotency_key__startswith=KEY).exists():
        return {"follow_up_sessions": 0, "risk_flags": 0}
    user = get_user_model().objects.filter(username=ROLE_SUPERVISOR).first()
    team = Team.objects.filter(supervisor__user=user).first() if user else None
    agents = list(
        Employee.objects.filter(team=team, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=getattr(team, "supervisor_id", None))
        .order_by("employee_number")[:6]
    )
    if len(agents) < 4:
        return {"follow_up_sessions": 0, "risk_flags": 0}
    a1, a2, a3, a4 = agents[:4]
    plan = [
        # (agent, phase, days ago, fields)
        (
            a1,
            "during",
            6,
            {"agreed_actions": "复述金额和到账时间后再结束通话", "follow_up_on": today - datetime.timedelta(days=1)},
        ),
        (
            a2,
            "during",
            2,
            {"agreed_actions": "投诉工单当天回访客户", "follow_up_on": today + datetime.timedelta(days=5)},
        ),
        (
            a3,
            "during",
            12,
            {"agreed_actions": "系统查询先核对身份", "follow_up_on": today - datetime.timedelta(days=5)},
        ),
        (a3, "after", 40, {"error_kind": "process", "cause": "漏做身份核验", "remedy": "核验清单贴在屏幕旁"}),
        (a3, "after", 8, {"error_kind": "process", "cause": "再次漏做身份核验", "remedy": "班长连续三天抽听"}),
        (
            a4,
            "after",
            15,
            {"error_kind": "knowledge", "cause": "理财产品赎回规则不熟", "remedy": "重学知识库条目并通关"},
        ),
        (a4, "before", 1, {"notes": "下周上线新信用卡活动，提前熟悉话术"}),
    ]
    made = []
    for n, (agent, phase, days_ago, fields) in enumerate(plan):
        made.append(
            log_employee_coaching(
                actor=user,
                employee_id=agent.pk,
                phase=phase,
                scheduled_at=_at(today, days_ago),
                idempotency_key=f"{KEY}:{n}",
                **fields,
            )
        )
    complete_correction(actor=user, session_id=made[2].pk)  # a3's correction: done
    CoachingSession.objects.filter(pk=made[2].pk).update(corrected_at=_at(today, 6, 11))
    for session in made:
        CoachingSession.objects.filter(pk=session.pk).update(created_at=session.scheduled_at)
    flags = raise_risk_flags(on=today)
    return {"follow_up_sessions": len(made), "risk_flags": flags["raised"]}
