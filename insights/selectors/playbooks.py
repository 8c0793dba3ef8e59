"""Effects of role linkage (issue 16 §2): does a playbook move the KPIs it targets? For each playbook with target
KPIs (HR sets them in the admin) and a published version, improvement's Check (never recomputed here) over three
windows around its first publication:

- before: the BEFORE_DAYS days before the day it was first published; after: from that day to yesterday;
- staged rollout: its pilot teams against the other teams in scope, from the day its version went to pilot to the
  day before publication (no figure when it was never piloted);
- drills: the teams in scope that have run a scored drill of it against those that have not yet, from the day its
  first scored drill took place (its scheduled time, not when the scores were typed in) to yesterday.

A supervisor reads her teams only (the scope is her teams); a few queries per playbook, PER_PAGE playbooks a page."""

import datetime
from dataclasses import dataclass

from django.db.models import Min, Q

from improvement import effects as improvement_effects
from linkage.models import Drill, DrillStatus, Playbook, VersionEvent, VersionStatus
from staff.models import Team

from .. import permissions

BEFORE_DAYS = 28
PER_PAGE = 10


@dataclass(frozen=True)
class Goal:
    """The target-KPI row improvement's compute expects (a goal without baseline, target or threshold)."""

    kpi: object
    role: str = "goal"
    baseline: object = None
    target: object = None
    threshold: object = None


@dataclass(frozen=True)
class PlaybookEffect:
    playbook: object
    published_on: datetime.date
    pilot: object  # improvement.effects.Window or None
    drilled_from: datetime.date | None
    drilled_teams: int
    teams: int
    rows: list  # [(kpi, before, after, pilot, control, drilled, not yet drilled)]


def playbooks():
    """The playbooks with target KPIs and a publication, in name order (paginate it; figures: ``effects``)."""
    published = VersionEvent.objects.filter(to_status=VersionStatus.PUBLISHED)
    return (
        Playbook.objects.filter(target_kpis__isnull=False, versions__in=published.values("version"))
        .distinct()
        .order_by("code")
    )


def _scope(user):
    """The team ids in scope: None for the whole centre (HR and floor managers)."""
    if permissions.is_centre_viewer(user):
        return None
    return frozenset(permissions.insight_teams(user).values_list("pk", flat=True))


def effect_of(playbook, user, *, today):
    yesterday = today - datetime.timedelta(days=1)
    events = VersionEvent.objects.filter(version__playbook=playbook)
    moments = events.aggregate(
        published=Min("at", filter=Q(to_status=VersionStatus.PUBLISHED)),
        piloted=Min("at", filter=Q(to_status=VersionStatus.PILOT)),
    )
    published_on = moments["published"].date()
    scope = _scope(user)
    teams = set(Team.objects.values_list("pk", flat=True)) if scope is None else set(scope)
    drills = Drill.objects.filter(version__playbook=playbook, status=DrillStatus.SCORED, team__in=teams)
    drilled = set(drills.values_list("team", flat=True).distinct())
    first_drill = drills.aggregate(first=Min("scheduled_for"))["first"]
    before = improvement_effects.Window(
        published_on - datetime.timedelta(days=BEFORE_DAYS), published_on - datetime.timedelta(days=1)
    )
    after = improvement_effects.Window(published_on, yesterday)
    pilot_window, pilot_teams = None, frozenset()
    if moments["piloted"] is not None and moments["piloted"].date() < published_on:
        pilot_window = improvement_effects.Window(
            moments["piloted"].date(), min(published_on - datetime.timedelta(days=1), yesterday)
        )
        piloted = playbook.versions.filter(events__to_status=VersionStatus.PILOT).order_by("number").first()
        pilot_teams = frozenset(piloted.pilot_teams.values_list("pk", flat=True)) & frozenset(teams)
    goals = [
        Goal(kpi) for kpi in playbook.target_kpis.select_related("numerator", "denominator").order_by("order", "code")
    ]
    if scope is not None and not teams:  # no team of her own: nothing to show (an empty scope is the centre)
        rows = [(goal.kpi, None, None, None, None, None, None) for goal in goals]
        return PlaybookEffect(playbook, published_on, None, None, 0, 0, rows)
    scope_ids = frozenset() if scope is None else frozenset(teams)
    rollout = improvement_effects.compute(
        improvement_effects.Plan(scope_ids, frozenset(), pilot_teams, before, pilot_window, after), goals
    )
    drill_window = improvement_effects.Window(first_drill.date(), yesterday) if first_drill else None
    by_drill = (
        improvement_effects.compute(
            improvement_effects.Plan(
                scope_ids,
                frozenset(),
                frozenset(drilled),
                improvement_effects.Window(today, yesterday),
                drill_window,
                improvement_effects.Window(today, yesterday),
            ),
            goals,
        )
        if drill_window and drilled
        else None
    )
    rows = []
    for index, effect in enumerate(rollout.goals):
        split = by_drill.goals[index] if by_drill else None
        rows.append(
            (
                effect.kpi,
                effect.before,
                effect.after,
                effect.pilot if pilot_teams else None,
                effect.control if pilot_teams else None,
                split.pilot if split else None,
                split.control if split and drilled != teams else None,
            )
        )
    return PlaybookEffect(
        playbook,
        published_on,
        pilot_window,
        first_drill.date() if first_drill else None,
        len(drilled),
        len(teams),
        rows,
    )


def effects(page, user, *, today):
    return [effect_of(playbook, user, today=today) for playbook in page]
