"""Demo recognition for `manage.py seed_demo` (issue 15 §1, §2, §10): three months of recognition inside each demo
team through incentives.services.recognition, restamped over the quarter, with a realistic motivator mix (more
achievement and recognition than advancement; seed 001), some with points, some reactions, a recognition of each
implemented suggestion's author, and the demo trainee recognised by her supervisor this week. A second run adds
nothing; the notifications the replayed history sent are history: marked e-mailed when they were sent."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from notifications.models import Notification
from staff.demo.plan import ROLE_TRAINEE
from staff.models import Employee, Stage, Team

from .models import PointsEntry, Reaction, Recognition, Redemption, Reward
from .selectors import ledger as ledger_selectors
from .services import recognition as services
from .services import rewards as reward_services

DAYS = 90
PER_TEAM = 30
# Weights of the motivators: praise for results and for the person most days; advancement rarely (seed 001).
MIX = [("achievement", 30), ("recognition", 25), ("work_itself", 14), ("responsibility", 12), ("growth", 12)]
MIX += [("advancement", 5)]
MESSAGES = {
    "achievement": "连续一周一次解决率全组第一，辛苦了！",
    "recognition": "客户来电专门表扬了你的耐心，谢谢你！",
    "work_itself": "把复杂的理财咨询讲得清清楚楚，专业！",
    "responsibility": "主动承担夜班交接的未结工单跟进，靠谱！",
    "growth": "新话术练得很快，本周质检分提升明显。",
    "advancement": "顺利通过带教老师认证，恭喜！",
}
LABELS = ["applause", "thanks", "inspiring"]
# The catalogue (seed 001: 团建及培训学习激励): (name, kind, cost, stock).
REWARDS = [
    ("咖啡券", "gift", 10, 50),
    ("《非暴力沟通》读书会名额", "training_seat", 15, 10),
    ("投诉处理进阶培训名额", "training_seat", 20, 6),
    ("班组团建下午茶", "team_building", 30, 4),
]


def _restamp(recognition, at):
    Recognition.objects.filter(pk=recognition.pk).update(created_at=at)
    PointsEntry.objects.filter(recognition=recognition).update(created_at=at)
    Reaction.objects.filter(recognition=recognition).update(created_at=at + datetime.timedelta(hours=1))
    Notification.objects.filter(key__startswith=f"{services.RECOGNISED}:{recognition.pk}:").update(created_at=at)


def _give(giver, recipients, motivator, points, rng, **extra):
    kind = "material" if points and rng.random() < 0.3 else "spiritual"
    arguments = {"user": giver.user, "recipients": recipients, "message": MESSAGES[motivator], "motivator": motivator}
    try:
        return services.give_recognition(**arguments, kind=kind, points=points, **extra)
    except ValidationError:  # over an allowance or a daily limit: praise without points
        return services.give_recognition(**arguments, kind="spiritual", points=0, **extra)


def _team_people(team):
    return list(
        Employee.objects.filter(team=team, user__is_active=True)
        .exclude(stage=Stage.LEFT)
        .exclude(pk=team.supervisor_id)
        .select_related("user")
        .order_by("employee_number")[:12]
    )


def _react(recognition, people, rng):
    for person in rng.sample(people, k=min(len(people), rng.randint(0, 3))):
        if person.pk != recognition.giver_id:
            services.react(user=person.user, recognition=recognition, label=rng.choice(LABELS))


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    """Recognition and points, then each area's demo (demo_<area>.seed(today=…) → {what: count}; a second run adds
    nothing)."""
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    counts = _seed_recognition(today=today)
    # honours
    from . import demo_honours

    counts.update(demo_honours.seed(today=today))
    # pk
    from . import demo_pk

    counts.update(demo_pk.seed(today=today))
    # pulse
    from . import demo_pulse

    counts.update(demo_pulse.seed(today=today))
    # rules as written and rituals
    from . import demo_rules

    counts.update(demo_rules.seed(today=today))
    # The notifications the replayed history sent are history: marked e-mailed when they were sent.
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return counts


def _seed_recognition(*, today):
    if Recognition.objects.exists():
        return {}
    before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    rng = random.Random(15)
    now = timezone.now()
    motivators, weights = zip(*MIX, strict=True)
    plan = []  # (days ago, giver, recipients, motivator, points, extra)
    teams = list(Team.objects.filter(supervisor__user__is_active=True).select_related("supervisor__user"))
    for team in teams:
        people = _team_people(team)
        if len(people) < 3:
            continue
        for _n in range(PER_TEAM):
            giver = team.supervisor if rng.random() < 0.4 else rng.choice(people)
            others = [p for p in people if p.pk != giver.pk]
            recipients = rng.sample(others, k=2 if rng.random() < 0.2 else 1)
            motivator = rng.choices(motivators, weights)[0]
            points = rng.choice([5, 10]) if rng.random() < 0.4 else 0
            plan.append((rng.randint(1, DAYS - 1), giver, recipients, motivator, points, {}, people))
    plan += _implemented_suggestions()
    trainee = Employee.objects.filter(user__username=ROLE_TRAINEE).select_related("team__supervisor__user").first()
    if trainee is not None and trainee.team and trainee.team.supervisor and trainee.team.supervisor.user_id:
        plan.append((2, trainee.team.supervisor, [trainee], "growth", 10, {}, [trainee]))
    plan.sort(key=lambda row: -row[0])  # oldest first, as it happened
    made = 0
    for days_ago, giver, recipients, motivator, points, extra, people in plan:
        recognition = _give(giver, recipients, motivator, points, rng, **extra)
        _react(recognition, people, rng)
        at = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        _restamp(recognition, at)
        made += 1
    redemptions = _rewards(now)
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return {
        "recognitions": made,
        "points entries": PointsEntry.objects.count(),
        "reactions": Reaction.objects.count(),
        "redemptions": redemptions,
    }


def _rewards(now):
    """The catalogue, and a few redemptions by people with points: one approved, one rejected, one pending."""
    from django.contrib.auth import get_user_model

    from staff.demo.plan import ROLE_HR

    rewards = [Reward.objects.create(name=n, kind=k, cost=c, stock=s) for n, k, c, s in REWARDS]
    hr = get_user_model().objects.filter(username=ROLE_HR).first()
    holders = Employee.objects.filter(points_entries__isnull=False, user__is_active=True).distinct()
    rich = [e for e in holders.select_related("user").order_by("employee_number") if ledger_selectors.balance(e) >= 10]
    decisions = [True, False, None]
    for employee, approve, days_ago in zip(rich, decisions, (12, 6, 1), strict=False):
        redemption = reward_services.redeem(user=employee.user, reward_id=rewards[0].pk)
        if approve is not None and hr is not None:
            reward_services.decide(
                user=hr, redemption_id=redemption.pk, approve=approve, note="" if approve else "本月券已发完"
            )
        at = now - datetime.timedelta(days=days_ago)
        Redemption.objects.filter(pk=redemption.pk).update(
            created_at=at, decided_at=at + datetime.timedelta(hours=3) if approve is not None else None
        )
        held = PointsEntry.objects.filter(source_ref=f"redemption:{redemption.pk}")
        PointsEntry.objects.filter(reverses__in=held).update(created_at=at + datetime.timedelta(hours=3))
        held.update(created_at=at)
    return Redemption.objects.count()


def _implemented_suggestions():
    """Each implemented suggestion's author, recognised by her supervisor for it (seed 003 meets seed 001)."""
    from improvement.models import Suggestion

    rows = []
    done = Suggestion.objects.filter(status="implemented").select_related("author__team__supervisor__user")
    for suggestion in done:
        supervisor = suggestion.author.team.supervisor if suggestion.author.team else None
        if supervisor is None or not supervisor.user_id or not suggestion.author.user_id:
            continue
        days_ago = max((timezone.now() - (suggestion.implemented_at or timezone.now())).days, 1)
        extra = {"earned_by_kind": "suggestion", "earned_by_id": suggestion.pk}
        rows.append((min(days_ago, DAYS - 1), supervisor, [suggestion.author], "achievement", 10, extra, []))
    return rows
