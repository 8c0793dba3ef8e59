"""Demo honours for `manage.py seed_demo` (issue 15 §3, §10; seed 001: 年度、月度表彰激励, 标杆效应): last month's
service star award (centre-wide, HR decides) with three nominations and its winner decided early this month and
published on her team's wall, with its points on the ledger; this month's award with its window open and two
nominations waiting; last quarter's role model, decided by a named site manager. Past nominations are written as
rows (their window is history); the decisions go through incentives.services.honours, then are restamped in time.
A second run finds programmes and adds nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F

from notifications.models import Notification
from staff.demo.plan import ROLE_HR, ROLE_SUPERVISOR, ROLE_TRAINEE
from staff.models import Employee, Stage, Team

from .models import AwardProgramme, Deciders, Nomination, Nominators, PointsEntry, ProgrammeKind
from .services import honours as services

MONTHLY = ("Service star of the month", "月度服务之星")
ROLE_MODEL = ("Role model of the quarter", "季度标杆")
REASONS = [
    "本月一次解决率全组第一，客户表扬 6 次。",
    "主动带教两位新人，新人首月质检全部达标。",
    "投诉回访全部闭环，零升级。",
    "连续三周接通率高于目标，夜班主动补位。",
]


def _month_bounds(day):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def _quarter_before(day):
    start_month = 3 * ((day.month - 1) // 3) + 1
    this_quarter = day.replace(month=start_month, day=1)
    end = this_quarter - datetime.timedelta(days=1)
    return end.replace(month=3 * ((end.month - 1) // 3) + 1, day=1), end


def _people(team):
    return list(
        Employee.objects.filter(team=team, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=team.supervisor_id)
        .select_related("user")
        .order_by("employee_number")
    )


def _row(programme, nominator, nominee, reason, at):
    nomination = Nomination.objects.create(programme=programme, nominator=nominator, nominee=nominee, reason=reason)
    Nomination.objects.filter(pk=nomination.pk).update(created_at=at)
    return nomination


def _restamp_decision(nomination, at):
    Nomination.objects.filter(pk=nomination.pk).update(decided_at=at)
    PointsEntry.objects.filter(source_ref=f"award:{nomination.pk}").update(created_at=at)
    Notification.objects.filter(key=f"{services.WON_HONOUR}:{nomination.pk}").update(created_at=at, emailed_at=at)


def _at(day, hour=10):
    from django.utils import timezone

    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def seed(*, today):
    if AwardProgramme.objects.exists():
        return {}
    hr = get_user_model().objects.filter(username=ROLE_HR, is_active=True).first()
    supervisor = Employee.objects.filter(user__username=ROLE_SUPERVISOR).select_related("team", "user").first()
    trainee = Employee.objects.filter(user__username=ROLE_TRAINEE).select_related("team__supervisor__user").first()
    teams = [
        team
        for team in Team.objects.filter(supervisor__user__is_active=True).select_related("supervisor__user")
        if len(_people(team)) >= 3
    ]
    if hr is None or not teams:
        return {}
    home = supervisor.team if supervisor and supervisor.team in teams else teams[0]
    others = [team for team in teams if team != home][:2]
    counts = {"award programmes": 0, "nominations": 0, "honours won": 0}

    # Last month's award: three nominations by supervisors, a winner of the demo supervisor's team decided by HR.
    first, last = _month_bounds(today.replace(day=1) - datetime.timedelta(days=1))
    monthly = AwardProgramme.objects.create(
        kind=ProgrammeKind.MONTHLY_AWARD,
        name=MONTHLY[0],
        name_zh=MONTHLY[1],
        description="每月评选一次，表彰服务客户最用心的伙伴（荣誉体系：月度表彰激励）。",
        criteria="一次解决率、客户表扬、质检分与团队协作，班长提名，HR 评定。",
        starts_on=first,
        ends_on=last,
        opens_on=last - datetime.timedelta(days=6),
        closes_on=last,
        nominators=Nominators.SUPERVISORS,
        winners=1,
        points=50,
    )
    candidates = [(home, _people(home)[0])] + [(team, _people(team)[0]) for team in others]
    rows = [
        _row(monthly, team.supervisor.user, person, REASONS[i], _at(last - datetime.timedelta(days=3 - i)))
        for i, (team, person) in enumerate(candidates)
    ]
    decided_on = last + datetime.timedelta(days=2)
    won = services.decide(user=hr, nomination_id=rows[0].pk, won=True, note="恭喜！本月服务之星。")
    _restamp_decision(won, _at(decided_on, 15))
    for other in rows[1:]:
        services.decide(user=hr, nomination_id=other.pk, won=False, note="表现突出，下月继续加油！")
        Nomination.objects.filter(pk=other.pk).update(decided_at=_at(decided_on, 15))
    counts["nominations"] += len(rows)
    counts["honours won"] += 1

    # This month's award, its window open: two nominations wait for HR.
    first, last = _month_bounds(today)
    current = AwardProgramme.objects.create(
        kind=ProgrammeKind.MONTHLY_AWARD,
        name=MONTHLY[0],
        name_zh=MONTHLY[1],
        description=monthly.description,
        criteria=monthly.criteria,
        starts_on=first,
        ends_on=last,
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=4),
        nominators=Nominators.EVERYONE,
        winners=1,
        points=50,
    )
    nominee = trainee if trainee and trainee.team_id == home.pk else _people(home)[1]
    nominations = [
        services.nominate(
            user=home.supervisor.user,
            programme_id=current.pk,
            nominee_id=nominee.pk,
            reason="新人期就主动复盘每通投诉电话，本周质检分提升明显。",
        ),
        services.nominate(
            user=_people(home)[2].user,
            programme_id=current.pk,
            nominee_id=_people(home)[1].pk if nominee.pk != _people(home)[1].pk else _people(home)[0].pk,
            reason="夜班主动补位，帮组里接住了来电高峰。",
            evidence="上周三 21:00–23:00 多接 38 通。",
        ),
    ]
    counts["nominations"] += len(nominations)

    # Last quarter's role model, site-wide, decided by a named decider: the site's manager if there is one.
    q_first, q_last = _quarter_before(today)
    site = home.department.site
    manager = (
        Employee.objects.filter(stage=Stage.MANAGEMENT, team__isnull=True, user__is_active=True)
        .exclude(user=hr)
        .order_by("employee_number")
        .first()
    )
    decider = manager or others[0].supervisor if others else manager
    role_model = AwardProgramme.objects.create(
        kind=ProgrammeKind.ROLE_MODEL,
        name=ROLE_MODEL[0],
        name_zh=ROLE_MODEL[1],
        description="每季度评选一位标杆，发挥标杆效应，分享方法论。",
        criteria="连续三个月绩效优秀，并把经验分享给团队。",
        starts_on=q_first,
        ends_on=q_last,
        opens_on=q_last - datetime.timedelta(days=9),
        closes_on=q_last,
        nominators=Nominators.SUPERVISORS,
        decided_by=Deciders.NAMED if decider else Deciders.HR,
        decider=decider,
        site=site,
        winners=1,
        points=100,
    )
    pick = _people(home)[1] if decider is None or _people(home)[1].pk != decider.pk else _people(home)[2]
    model_row = _row(role_model, home.supervisor.user, pick, REASONS[1], _at(q_last - datetime.timedelta(days=2)))
    won = services.decide(
        user=decider.user if decider else hr, nomination_id=model_row.pk, won=True, note="本季度标杆，经验全中心分享。"
    )
    _restamp_decision(won, _at(q_last + datetime.timedelta(days=5), 11))
    counts["nominations"] += 1
    counts["honours won"] += 1
    counts["award programmes"] = AwardProgramme.objects.count()
    Notification.objects.filter(kind=services.WON_HONOUR, emailed_at__isnull=True).update(emailed_at=F("created_at"))
    return counts
