"""Demo drills for `manage.py seed_demo` (issue 12 §11), all through linkage.services: every agent team drills the
published playbooks every few weeks over the past months (scored, a few practice runs with a mentor), its
supervisor certifies whoever has passed every step she may own — a few of them long enough ago that the
certification has expired and a refresher is due — and the demo supervisor's team has no certified specialist
for the marketing step "explain" (its weakest link), with tomorrow's drill set to close it."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification
from staff.demo import ROLE_MENTOR, ROLE_SUPERVISOR
from staff.models import Employee, Stage, Team

from .models import DrillMode, DrillParticipant, LinkageRole, Playbook, VersionStatus
from .services import drills, levels

MARKETING, INCIDENT = "customer-marketing", "incident-handling"
AGENT, SPECIALIST, FLOOR = "front-line-agent", "second-line-specialist", "floor-manager"
WEEKS_BETWEEN_DRILLS = 3
DRILLS_PER_TEAM = 6  # over the past eighteen weeks
EXPIRED_DAYS_AGO = 400  # drilled and certified more than a year ago: expired by now
PASS_RATE = 0.8


def seed(*, hr, today):
    rng = random.Random(12)
    roles = {role.code: role for role in LinkageRole.objects.filter(code__in=(AGENT, SPECIALIST, FLOOR))}
    playbooks = {p.code: p for p in Playbook.objects.filter(code__in=(MARKETING, INCIDENT))}
    versions = {code: p.versions.filter(status=VersionStatus.PUBLISHED).first() for code, p in playbooks.items()}
    if len(roles) < 3 or None in versions.values():
        return {"drills": 0, "certified": 0}
    counts = {"drills": 0, "certified": 0}
    teams = Team.objects.filter(supervisor__isnull=False, supervisor__user__isnull=False).select_related(
        "supervisor__user"
    )
    for team in teams.order_by("code"):
        crew = _crew(team)
        if not crew["agents"] or not crew["seniors"]:
            continue
        weak = team.supervisor.user.username == ROLE_SUPERVISOR
        counts["drills"] += _history(team, crew, versions, roles, rng, today, weak=weak)
        counts["certified"] += _certify(team, playbooks, today)
        if weak:
            counts["drills"] += _tomorrow(team, crew, versions[MARKETING], roles, today)
    counts["drills"] += _floor_managers(hr, teams.order_by("code"), versions[INCIDENT], roles, today)
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    levels.sweep_refreshers(today=today)
    # The reminders are the demo's history: already e-mailed, like the rest of it (training.demo).
    Notification.objects.filter(pk__gt=before).update(emailed_at=F("created_at"))
    return counts


def _crew(team):
    members = Employee.objects.filter(team=team).exclude(stage__in=(Stage.LEFT, Stage.ONBOARDING, Stage.PRE_JOB))
    members = members.select_related("position", "user").order_by("employee_number")
    return {
        "agents": [m for m in members if m.position.code == "CS-AGENT"],
        "seniors": [m for m in members if m.position.code == "CS-SENIOR"],
    }


def _at(day, hour=15):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _score(drill, supervisor, rng, *, passing=True, actor=None):
    """Mostly right; ``passing`` False misses one hand-off now and then."""
    entries = {}
    for step in drill.version.steps.filter(is_scripted=True, owner__in=drill.participants.values("role")):
        good = passing or rng.random() < PASS_RATE
        entries[step.pk] = {
            "action_ok": True,
            "handoff_ok": good,
            "signal_ok": True if step.signal_id else None,
            "seconds": (step.expected_seconds or 60) + rng.randint(-15, 30),
            "notes": "",
        }
    drills.score_drill(actor=actor or supervisor.user, drill_id=drill.pk, scores=entries)


def _history(team, crew, versions, roles, rng, today, *, weak):
    """Scored drills every few weeks, and one more than a year ago whose certification has expired by now. In the
    weak team the seniors drill only as agents, so none of them is certified as the specialist."""
    supervisor, made = team.supervisor, 0
    days = [today - datetime.timedelta(days=EXPIRED_DAYS_AGO)] + [
        today - datetime.timedelta(weeks=WEEKS_BETWEEN_DRILLS * n) for n in range(DRILLS_PER_TEAM, 0, -1)
    ]
    for n, day in enumerate(days):
        agents = [a for a in crew["agents"] if a.hire_date < day] or crew["seniors"]  # nobody drills before her hire
        agent = agents[n % len(agents)]
        if n % 3 == 0:
            version, cast = versions[INCIDENT], [(agent, roles[AGENT])]
        elif weak:  # the senior of tomorrow's drill has passed the agent's steps; she has not yet drilled "explain"
            version, cast = versions[MARKETING], [(crew["seniors"][0] if n % 2 else agent, roles[AGENT])]
        else:  # a senior may own the agent's steps too (her position holds both roles): she drills both
            version = versions[MARKETING]
            senior = crew["seniors"][(n // 3) % len(crew["seniors"])]
            cast = [(agent, roles[AGENT]), (senior, roles[SPECIALIST])] if n % 3 == 1 else [(senior, roles[AGENT])]
        drill = drills.schedule_drill(
            actor=supervisor.user, version=version, team=team, scheduled_for=_at(day), cast=cast
        )
        _score(drill, supervisor, rng, passing=n != 4)
        if n == 0:
            levels.certify(
                actor=supervisor.user, employee=agent, playbook=version.playbook, today=day + datetime.timedelta(days=1)
            )
        made += 1
    return made + _practice(team, crew, versions[INCIDENT], roles, rng, today)


def _practice(team, crew, version, roles, rng, today):
    """The demo mentor runs a practice drill with a mentee: recorded, never counted."""
    mentor = next((s for s in crew["seniors"] if s.user and s.user.username == ROLE_MENTOR), None)
    mentee = Employee.objects.filter(mentor=mentor).exclude(stage=Stage.LEFT).first() if mentor else None
    if mentee is None:
        return 0
    drill = drills.schedule_drill(
        actor=mentor.user,
        version=version,
        team=team,
        scheduled_for=_at(today - datetime.timedelta(days=4), 11),
        cast=[(mentee, roles[AGENT])],
        mode=DrillMode.PRACTICE,
    )
    _score(drill, mentor, rng, passing=False)
    return 1


def _certify(team, playbooks, today):
    """A week ago the supervisor confirmed whoever qualified from the drills of the past months."""
    made, day = 0, today - datetime.timedelta(days=7)
    since = _at(today - datetime.timedelta(weeks=WEEKS_BETWEEN_DRILLS * DRILLS_PER_TEAM + 1))
    passed = (
        DrillParticipant.objects.filter(drill__team=team, passed=True, drill__scheduled_for__gte=since)
        .values_list("employee_id", "drill__version__playbook_id")
        .distinct()
        .order_by()
    )
    by_pk = {p.pk: p for p in playbooks.values()}
    for employee_id, playbook_id in passed:
        try:
            levels.certify(
                actor=team.supervisor.user,
                employee=Employee.objects.get(pk=employee_id),
                playbook=by_pk[playbook_id],
                today=day,
            )
        except ValidationError:  # not everyone qualifies yet (a step she may own not passed): the demo moves on
            continue
        made += 1
    return made


def _floor_managers(hr, teams, version, roles, today):
    """HR drills each floor manager (a centre role) in the incident playbook with an agent of a team, and
    certifies her: the step "stabilise" is covered across the centre."""
    managers = Employee.objects.filter(position__code="CS-MGR").exclude(stage=Stage.LEFT).order_by("employee_number")
    made, day = 0, today - datetime.timedelta(days=30)
    for manager, team in zip(managers, teams, strict=False):
        agent = _crew(team)["agents"][:1]
        if not agent:
            continue
        drill = drills.schedule_drill(
            actor=hr,
            version=version,
            team=team,
            scheduled_for=_at(day, 16),
            cast=[(agent[0], roles[AGENT]), (manager, roles[FLOOR])],
        )
        _score(drill, None, random.Random(manager.pk), passing=True, actor=hr)
        levels.certify(actor=hr, employee=manager, playbook=version.playbook, today=day)
        made += 1
    return made


def _tomorrow(team, crew, version, roles, today):
    senior = crew["seniors"][0]
    agent = crew["agents"][0]
    drills.schedule_drill(
        actor=team.supervisor.user,
        version=version,
        team=team,
        scheduled_for=_at(today + datetime.timedelta(days=1), 10),
        cast=[(agent, roles[AGENT]), (senior, roles[SPECIALIST])],
    )
    return 1
