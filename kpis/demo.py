"""Demo KPIs for `manage.py seed_demo` (issue 11): six months of daily measures for every agent of the demo
center (agents, and the senior agents who mentor) and for each site's queues, targets, a weight set per site
(seed 004: weights differ by region) and the monthly scorecards, the months before the last one closed.

So that every page has a story: tenured agents are steady, each at her own level; new hires start taking
calls after three weeks of pre-job training and ramp up over their first two months; team SZ-RET-2 improves
after a change of coaching ten weeks ago (its first-contact resolution and satisfaction rise, its handle
time falls); three leavers' rows stop the day they left and stay in their teams' history.

The rows are written in bulk past the ingestion service (this is seed data: the service's checks would only
repeat what this module knows), under one Ingest named DEMO_FILE; a second run finds it and adds nothing.
A fixed ``random.Random(2026)`` over the employees in employee-number order makes every run the same.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.bulk import insert_rows
from staff.demo import ROLE_HR
from staff.models import Employee, Position, Site, Stage

from .models import AgentDay, Channel, Ingest, IngestStatus, Kpi, Queue, QueueDay, Source, Target, Weight, WeightSet
from .models.measures import AGENT_AMOUNTS, AGENT_COUNTS

DEMO_FILE = "demo-measures.csv"
MONTHS = 6
IMPROVING_TEAM = "SZ-RET-2"
IMPROVED_WEEKS_AGO = 10
PRE_JOB_DAYS = 21  # new hires take calls after their pre-job training
LEFT_DAYS_AGO = (70, 45, 20)  # the demo's three leavers, in employee-number order

# KPI code -> (target, excellent from, far below beyond) for agents, and for new hires where it differs.
TARGETS = {
    "fcr": ((0.75, 0.85, 0.60), (0.62, 0.72, 0.45)),
    "csat": ((0.85, 0.92, 0.75), (0.80, 0.88, 0.68)),
    "aht": ((240, 200, 300), (300, 260, 380)),
    "transfer_rate": ((0.08, 0.05, 0.12), (0.12, 0.08, 0.18)),
    "escalation_rate": ((0.15, 0.08, 0.25), None),
    "complaint_efficiency": ((4, 5, 2.5), None),
    "payout_per_complaint": ((40, 25, 60), None),
    "connect_rate": ((0.90, 0.95, 0.80), None),
}
# Seed 004: each region weighs the KPIs its way. site -> [(KPI code, weight, worst, best)]
WEIGHTS = {
    "SZ": [("fcr", 30, 0.5, 0.9), ("csat", 30, 0.7, 0.95), ("aht", 20, 360, 180), ("escalation_rate", 20, 0.4, 0.0)],
    "WX": [
        ("fcr", 25, 0.5, 0.9),
        ("csat", 25, 0.7, 0.95),
        ("aht", 15, 360, 180),
        ("escalation_rate", 15, 0.4, 0.0),
        ("transfer_rate", 20, 0.2, 0.02),
    ],
}


def _first_of_month(day, months_back=0):
    month = day.month - 1 - months_back
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


@transaction.atomic
def seed_demo_extra(*, today, stdout=None):
    """Add the KPI demo; nothing when it is there already. Returns the counts written."""
    if Ingest.objects.filter(file_name=DEMO_FILE).exists():
        return {}
    hr = get_user_model().objects.filter(username=ROLE_HR).first()
    agents = list(
        Employee.objects.filter(position__code__in=["CS-AGENT", "CS-SENIOR"], team__isnull=False)
        .select_related("team__department__site")
        .order_by("employee_number")
    )
    if hr is None or not agents:
        return {}
    start = _first_of_month(today, MONTHS - 1)
    counts = {"targets": _targets(), "weight_sets": _weight_sets(start)}
    ingest = Ingest.objects.create(
        source=Source.AGENT, channel=Channel.FILE, actor=hr, file_name=DEMO_FILE, status=IngestStatus.DONE
    )
    rng = random.Random(2026)
    rows, per_queue = _agent_rows(agents, start, today, rng, ingest)
    fields = ["employee_id", "on", "team_id", "site_id", "line", "revision", "ingest_id", *AGENT_COUNTS, *AGENT_AMOUNTS]
    counts["agent_days"] = insert_rows(AgentDay, [*fields, "extra"], [(*row, "{}") for row in rows])
    counts["queue_days"] = _queue_rows(per_queue, rng, hr)
    Ingest.objects.filter(pk=ingest.pk).update(
        rows_total=len(rows),
        rows_done=len(rows),
        rows_inserted=len(rows),
        first_on=start,
        last_on=today - datetime.timedelta(days=1),
        finished_at=timezone.now(),
    )
    counts["scorecards"] = _scorecards(today, start, hr)
    if stdout is not None:
        stdout.write(
            _("KPI demo: %(agent_days)d agent days, %(queue_days)d queue days, %(scorecards)d scorecards.") % counts
        )
    return counts


def _targets():
    agent = Position.objects.filter(code="CS-AGENT").first()
    kpis = {kpi.code: kpi for kpi in Kpi.objects.all()}
    written = 0
    for code, (everyone, new_hires) in TARGETS.items():
        if code not in kpis:
            continue
        scopes = [(None if code == "connect_rate" else agent, "", everyone)]
        if new_hires:
            scopes.append((agent, Stage.ONBOARDING, new_hires))
        for position, stage, (target, excellent, far_below) in scopes:
            _, created = Target.objects.get_or_create(
                kpi=kpis[code],
                position=position,
                stage=stage,
                valid_from=datetime.date(2020, 1, 1),
                defaults={
                    "target": Decimal(str(target)),
                    "excellent_at": Decimal(str(excellent)),
                    "far_below_at": Decimal(str(far_below)),
                },
            )
            written += created
    return written


def _weight_sets(start):
    kpis = {kpi.code: kpi for kpi in Kpi.objects.all()}
    written = 0
    for site in Site.objects.filter(code__in=WEIGHTS):
        weight_set, created = WeightSet.objects.get_or_create(
            site=site, month=start, defaults={"note": _("Demo weights of %(site)s") % {"site": site.name}}
        )
        if created:
            Weight.objects.bulk_create(
                Weight(
                    weight_set=weight_set,
                    kpi=kpis[code],
                    weight=weight,
                    worst=Decimal(str(worst)),
                    best=Decimal(str(best)),
                )
                for code, weight, worst, best in WEIGHTS[site.code]
            )
            written += 1
    return written


def _agent_rows(agents, start, today, rng, ingest):
    """The agents' days from ``start`` to yesterday, and each site's inbound calls per line and day."""
    leavers = [agent for agent in agents if agent.stage == Stage.LEFT]
    left_on = {
        agent.pk: today - datetime.timedelta(days=days) for agent, days in zip(leavers, LEFT_DAYS_AGO, strict=False)
    }
    improved_on = today - datetime.timedelta(weeks=IMPROVED_WEEKS_AGO)
    rows, per_queue = [], {}
    for agent in agents:
        level = rng.uniform(0.55, 0.95)
        site = agent.team.department.site
        line = "card" if "CARD" in agent.team.code else "retail"
        first = max(start, agent.hire_date + datetime.timedelta(days=PRE_JOB_DAYS))
        last = min(today - datetime.timedelta(days=1), left_on.get(agent.pk, today))
        day = first
        while day <= last:
            is_weekend = day.weekday() >= 5
            if not is_weekend or rng.random() < 0.3:  # weekend shifts by rota
                skill = _skill(agent, level, day, improved_on)
                row = _day(rng, skill, is_weekend)
                rows.append((agent.pk, day, agent.team_id, site.pk, line, 1, ingest.pk, *row))
                key = (site.pk, line, day)
                per_queue[key] = per_queue.get(key, 0) + row[2]  # inbound handled
            day += datetime.timedelta(days=1)
    return rows, per_queue


def _skill(agent, level, day, improved_on):
    """0–1: a new hire ramps up from 0.3 over her first two months of calls; the improving team gains 0.12."""
    if agent.stage == Stage.ONBOARDING:
        weeks = (day - agent.hire_date).days / 7 - PRE_JOB_DAYS / 7
        level = min(level, 0.3 + 0.05 * max(weeks, 0))
    if agent.team.code == IMPROVING_TEAM and day >= improved_on:
        level = min(level + 0.12, 1.0)
    elif agent.team.code == IMPROVING_TEAM:
        level = max(level - 0.1, 0.3)
    return level


def _part(rng, whole, share):
    return max(0, min(whole, round(whole * share + rng.gauss(0, 1.5))))


def _day(rng, skill, is_weekend):
    """One day's counts in AGENT_COUNTS order, then the coupon amount."""
    inbound = rng.randint(30, 45) if is_weekend else rng.randint(60, 90)
    handle = round(inbound * (320 - 110 * skill + rng.gauss(0, 15)))
    received = rng.choices([0, 1, 2, 3], weights=[5, 4, 2, 1])[0]
    escalated = sum(rng.random() < 0.35 - 0.3 * skill for _ in range(received))
    closed = received - sum(rng.random() < 0.15 for _ in range(received))
    responses = _part(rng, inbound, 0.3)
    coupons = sum(rng.random() < 0.4 for _ in range(received))
    counts = (
        round((4 if is_weekend else 8) * 3600 * rng.uniform(0.92, 1.0)),  # staffed_seconds
        handle,
        inbound,
        rng.randint(0, 15),  # outbound_handled
        _part(rng, inbound, 0.55 + 0.35 * skill),  # fcr_resolved
        _part(rng, inbound, 0.14 - 0.1 * skill),  # transfers_l2
        received,
        escalated,
        closed,
        sum(rng.randint(600, 1500) for _ in range(closed)),  # complaint_handle_seconds
        responses,
        _part(rng, responses, 0.72 + 0.24 * skill),  # csat_satisfied
        coupons,
    )
    amount = Decimal(sum(rng.choice([20, 50, 100]) for _ in range(coupons)))
    return (*counts, amount)


def _queue_rows(per_queue, rng, hr):
    """Each site's queue per line: offered = answered (the agents' inbound calls) plus the abandoned ones."""
    sites = {site.pk: site for site in Site.objects.all()}
    queues = {}
    for site_id, line, _day in per_queue:
        if (site_id, line) not in queues:
            code = f"{sites[site_id].code}-{line.upper()}"
            queues[site_id, line], _ = Queue.objects.get_or_create(
                code=code, defaults={"site_id": site_id, "name": f"{sites[site_id].name} {line}"}
            )
    ingest = Ingest.objects.create(
        source=Source.QUEUE, channel=Channel.FILE, actor=hr, file_name=DEMO_FILE, status=IngestStatus.DONE
    )
    rows = []
    for (site_id, line, day), answered in sorted(per_queue.items()):
        abandoned = round(answered * rng.uniform(0.03, 0.12))
        rows.append(
            (queues[site_id, line].pk, day, site_id, 1, ingest.pk, answered + abandoned, answered, abandoned, "{}")
        )
    columns = ["queue_id", "on", "site_id", "revision", "ingest_id", "offered", "answered", "abandoned", "extra"]
    written = insert_rows(QueueDay, columns, rows)
    Ingest.objects.filter(pk=ingest.pk).update(
        rows_total=written, rows_done=written, rows_inserted=written, finished_at=timezone.now()
    )
    return written


def _scorecards(today, start, hr):
    """Every month's scorecards; the months before last month closed, as payroll would have them."""
    from .services import scorecards

    written = 0
    month = start
    last_month = _first_of_month(today, 1)
    while month <= today:
        written += scorecards.compute_month(month=month, actor=hr).created
        if month < last_month:
            scorecards.close_month(month=month, actor=hr)
        month = _first_of_month(month, -1)
    return written
