"""Demo initiatives for `manage.py seed_demo` (issue 14 §2, §6), shaped like seed 003's, through
improvement.services.initiatives and restamped in time; their Check is computed from the KPI demo's rows.

1. 首问负责制 (first-contact ownership) at the SZ site: piloted by SZ-RET-1 and SZ-RET-2 from the day the KPI demo's
   improving team (kpis.demo.IMPROVING_TEAM) changed its coaching, rolled out on the first day of last month; goal
   FCR, guardrail connect rate ≥ 89%. Now in Check, waiting for the Act decision.
2. 分级授权 (tiered coupon authority) on the card teams: piloted by SZ-CARD-1 from the first day of last month, rolled
   out two weeks ago; goal: complaint escalation rate down, guardrail payout per complaint ≤ ¥40. Running (Do).

The KPI demo's own story gives initiative 1 its pilot lift (the improving team is a pilot team). For the effects
after each go-live, which the KPI demo does not have, this module nudges rows of the open months only (last month
and this one; closed months keep the rows their scorecards were computed from): after go-live the other SZ teams
resolve 6% more of their inbound calls at first contact (never more than they handled), and from each card
team's start one escalation fewer on every other day that had one. A second run finds the initiatives and adds
nothing."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from kpis.demo import IMPROVED_WEEKS_AGO, IMPROVING_TEAM
from kpis.models import AgentDay, Kpi
from staff.demo.plan import ROLE_HR, ROLE_SUPERVISOR
from staff.models import Employee, Site, Team

from .models import Initiative, InitiativeEvent
from .services import initiatives as services

FIRST_CONTACT = "首问负责制：首位接待的客服对客户问题负责到底"
COUPONS = "分级授权：补偿券按级别授权，一线直接处理小额补偿"
FCR_NUDGE_PERCENT = 6


def seed(*, today):
    if Initiative.objects.filter(title__in=[FIRST_CONTACT, COUPONS]).exists():
        return {"initiatives": 0}
    users = get_user_model().objects
    hr, supervisor_user = users.filter(username=ROLE_HR).first(), users.filter(username=ROLE_SUPERVISOR).first()
    supervisor = Employee.objects.filter(user=supervisor_user).first()
    manager = Employee.objects.filter(position__code="CS-MGR").order_by("employee_number").first()
    teams = {team.code: team for team in Team.objects.all()}
    sz = Site.objects.filter(code="SZ").first()
    kpis = {kpi.code: kpi for kpi in Kpi.objects.all()}
    needed = {IMPROVING_TEAM, "SZ-RET-1", "SZ-CARD-1", "SZ-CARD-2", "WX-CARD-1"}
    if None in (hr, supervisor, manager, sz) or not needed <= set(teams) or not AgentDay.objects.exists():
        return {"initiatives": 0}
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    first = _first_contact(today, last_month, hr, supervisor, sz, teams, kpis)
    second = _coupons(today, last_month, hr, manager, teams, kpis)
    services.check_guardrails(on=today)
    return {"initiatives": int(bool(first)) + int(bool(second))}


def _first_contact(today, last_month, hr, supervisor, sz, teams, kpis):
    pilot_start = today - datetime.timedelta(weeks=IMPROVED_WEEKS_AGO)
    rollout = last_month
    pilots = [teams["SZ-RET-1"], teams[IMPROVING_TEAM]]
    # After go-live the whole site works the new way (open months only: see the module's docstring).
    AgentDay.objects.filter(site=sz, on__gte=rollout).exclude(team__in=pilots).update(
        fcr_resolved=Least(F("inbound_handled"), F("fcr_resolved") + F("inbound_handled") * FCR_NUDGE_PERCENT / 100)
    )
    initiative = services.save_plan(
        actor=supervisor.user,
        plan={
            "title": FIRST_CONTACT,
            "goal": "一次解决率提升 3 个百分点，客户不再被来回转接。",
            "method": "首位接待的客服登记工单并跟进到结案；需要二线时由首问人牵头协调，结案前回访客户。",
            "owner": supervisor,
            "baseline_from": pilot_start - datetime.timedelta(weeks=8),
            "baseline_to": pilot_start - datetime.timedelta(days=1),
            "pilot_start": pilot_start,
            "rollout_start": rollout,
            "after_to": None,
        },
        scope_sites=[sz],
        pilot_teams=pilots,
        children={
            "kpis": [
                {"kpi": kpis["fcr"], "role": "goal", "target": Decimal("0.80")},
                {"kpi": kpis["connect_rate"], "role": "guardrail", "threshold": Decimal("0.89")},
            ],
            "risks": [
                {
                    "risk": "首问人跟进工单，占用接听时间，接通率下降。",
                    "counter_measure": "高峰时段由班长调配人手；接通率低于 89% 时暂停新增试点。",
                    "owner": supervisor,
                },
                {"risk": "二线响应慢，首问人无法按时结案。", "counter_measure": "二线 2 小时响应，超时升级。"},
            ],
            "milestones": [
                {"title": "试点班组培训与演练", "due_on": pilot_start, "done_on": pilot_start},
                {"title": "试点复盘，确定推广方案", "due_on": rollout - datetime.timedelta(days=3), "done_on": rollout},
                {"title": "全中心推广两个月后评估", "due_on": rollout + datetime.timedelta(days=60)},
            ],
        },
    )
    _move(initiative, supervisor.user, [("do", pilot_start), ("check", today - datetime.timedelta(days=1))])
    return initiative


def _coupons(today, last_month, hr, manager, teams, kpis):
    pilot_start = last_month
    rollout = max(today - datetime.timedelta(days=14), pilot_start)
    scope = [teams["SZ-CARD-1"], teams["SZ-CARD-2"], teams["WX-CARD-1"]]
    _fewer_escalations(AgentDay.objects.filter(team=teams["SZ-CARD-1"], on__gte=pilot_start))
    _fewer_escalations(AgentDay.objects.filter(team__in=scope[1:], on__gte=rollout))
    initiative = services.save_plan(
        actor=hr,
        plan={
            "title": COUPONS,
            "goal": "投诉升级率下降，客户在一线即得到补偿，不再升级。",
            "method": "按授权等级设补偿券额度：一线 50 元以内直接发放，班长 200 元以内，超额由经理审批。",
            "owner": manager,
            "baseline_from": pilot_start - datetime.timedelta(weeks=8),
            "baseline_to": pilot_start - datetime.timedelta(days=1),
            "pilot_start": pilot_start,
            "rollout_start": rollout,
            "after_to": None,
        },
        scope_teams=scope,
        pilot_teams=scope[:1],
        children={
            "kpis": [
                {"kpi": kpis["escalation_rate"], "role": "goal", "target": Decimal("0.10")},
                {"kpi": kpis["payout_per_complaint"], "role": "guardrail", "threshold": Decimal("40")},
            ],
            "risks": [
                {
                    "risk": "补偿金额失控。",
                    "counter_measure": "单件投诉补偿金额超过 40 元即预警，质检抽查发放记录。",
                    "owner": manager,
                }
            ],
            "milestones": [
                {"title": "授权矩阵发布", "due_on": pilot_start, "done_on": pilot_start},
                {"title": "推广到全部信用卡班组", "due_on": rollout, "done_on": rollout},
            ],
        },
    )
    _move(initiative, hr, [("do", pilot_start)])
    return initiative


def _fewer_escalations(rows):
    """One escalation fewer on every other row that had one (a day's escalations are 0–3, so scaling them would
    round most to 0)."""
    rows = rows.filter(complaints_escalated__gt=0).alias(parity=F("pk") % 2).filter(parity=0)
    rows.update(complaints_escalated=F("complaints_escalated") - 1)


def _move(initiative, actor, moves):
    """Replay the status moves, then restamp the plan and its events at the days they happened."""
    for status, _on in moves:
        services.move_status(actor=actor, initiative_id=initiative.pk, to_status=status)
    created = initiative.baseline_to + datetime.timedelta(days=1)
    Initiative.objects.filter(pk=initiative.pk).update(created_at=_at(created))
    events = InitiativeEvent.objects.filter(initiative=initiative).order_by("pk")
    for event, (_status, on) in zip(events, moves, strict=True):
        InitiativeEvent.objects.filter(pk=event.pk).update(at=_at(on))


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
