"""Issue 11, done when: a month of the default files for a 130-agent centre, posted through the API in daily
batches, yields the same connect rate, FCR, CSAT, escalation rate and complaint efficiency per centre, site, team
and month as a spreadsheet's ratio of sums (computed here in plain Python over the same generated rows)."""

import datetime
import random
from collections import defaultdict

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kpis.models import AgentDay, QueueDay
from staff.models import Site, Team
from tests.staff.factories import DepartmentFactory, EmployeeFactory, SiteFactory, TeamFactory, make_hr_user

FIRST = datetime.date(2026, 11, 1)
DAYS = [FIRST + datetime.timedelta(days=n) for n in range(30)]
AGENTS, TEAMS_PER_SITE = 130, 5
# KPI code → (numerator column, denominator column, factor), as a spreadsheet would compute them.
AGENT_KPIS = {
    "fcr": ("fcr_resolved", "inbound_handled", 1),
    "csat": ("csat_satisfied", "csat_responses", 1),
    "escalation_rate": ("complaints_escalated", "complaints_received", 1),
    "complaint_efficiency": ("complaints_closed", "complaint_handle_seconds", 3600),
}
QUEUE_KPIS = {"connect_rate": ("answered", "offered", 1)}


def agent_row(rng, employee, team, day):
    """A day of the default agent file; one day in five is a half day with little volume and a low rate, so a mean
    of per-row rates would differ from the ratio of sums."""
    is_half = rng.random() < 0.2
    inbound = rng.randint(1, 8) if is_half else rng.randint(60, 120)
    received = rng.randint(0, 4)
    responses = rng.randint(0, inbound // 2)
    return {
        "date": day.isoformat(),
        "employee_number": employee.employee_number,
        "team_code": team.code,
        "site_code": team.department.site.code,
        "line": "card",
        "revision": 1,
        "staffed_seconds": 28800,
        "handle_seconds": inbound * rng.randint(200, 400),
        "inbound_handled": inbound,
        "outbound_handled": rng.randint(0, 30),
        "fcr_resolved": rng.randint(0, inbound // 3) if is_half else rng.randint(inbound // 2, inbound),
        "transfers_l2": rng.randint(0, inbound // 10),
        "complaints_received": received,
        "complaints_escalated": rng.randint(0, received),
        "complaints_closed": rng.randint(0, received),
        "complaint_handle_seconds": received * rng.randint(300, 1500),
        "csat_responses": responses,
        "csat_satisfied": rng.randint(0, responses),
        "coupon_count": 0,
        "coupon_amount_cny": "0.00",
    }


def queue_row(rng, queue_code, site, day):
    offered = rng.randint(10, 60) if rng.random() < 0.2 else rng.randint(800, 1500)
    answered = rng.randint(offered * 7 // 10, offered)
    return {
        "date": day.isoformat(),
        "site_code": site.code,
        "queue_code": queue_code,
        "revision": 1,
        "offered": offered,
        "answered": answered,
        "abandoned": offered - answered,
    }


@pytest.fixture
def month(db):
    """Two sites of five teams; 130 agents; one moves to another site's team on the 16th, one leaves on the 20th.
    Returns the generated agent and queue rows, by day, as posted."""
    from tests.kpis.factories import QueueFactory

    rng = random.Random(11)
    sites = [SiteFactory(code=code) for code in ("GZ", "SZ")]
    teams = [
        TeamFactory(department=department, code=f"{site.code}-T{n}")
        for site in sites
        for department in [DepartmentFactory(site=site)]
        for n in range(TEAMS_PER_SITE)
    ]
    queues = [QueueFactory(code=f"{site.code}-Q{n}", site=site) for site in sites for n in range(2)]
    agents = [EmployeeFactory(team=teams[n % len(teams)], hire_date=datetime.date(2026, 1, 5)) for n in range(AGENTS)]
    mover, leaver = agents[0], agents[1]
    leaver.left_on = datetime.date(2026, 11, 20)
    leaver.save()
    moved_to = teams[-1]
    agent_days, queue_days = defaultdict(list), defaultdict(list)
    for day in DAYS:
        for agent in agents:
            if agent is leaver and day > leaver.left_on:
                continue
            team = moved_to if agent is mover and day.day >= 16 else agent.team
            agent_days[day].append(agent_row(rng, agent, team, day))
        for queue in queues:
            queue_days[day].append(queue_row(rng, queue.code, queue.site, day))
    return agent_days, queue_days


def spreadsheet(rows, kpis, key):
    """Plain Python ratio of sums per group: {group: {kpi: value}}."""
    sums = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for numerator, denominator, _factor in kpis.values():
            sums[key(row)][numerator] += row[numerator]
            sums[key(row)][denominator] += row[denominator]
    return {
        group: {
            code: (factor * s[numerator] / s[denominator] if s[denominator] else None)
            for code, (numerator, denominator, factor) in kpis.items()
        }
        for group, s in sums.items()
    }


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def month_values(client, level, pk=None):
    params = {"level": level, "start": "2026-11-01", "end": "2026-11-30", "grain": "month"}
    if pk is not None:
        params["id"] = pk
    response = client.get("/api/kpis/values/", params)
    assert response.status_code == 200, response.content
    (period,) = response.json()["periods"]
    assert period["start"] == "2026-11-01"
    return period["values"]


def same_to_4_decimals(got, expected):
    return all(
        (got[code] is None and value is None) or round(got[code], 4) == round(value, 4)
        for code, value in expected.items()
    )


def test_a_month_posted_in_daily_batches_matches_the_spreadsheet(month):
    agent_days, queue_days = month
    client = api(make_hr_user(username="platform"))
    for day in DAYS:
        response = client.post("/api/kpis/agent-days/", {"rows": agent_days[day]}, format="json")
        assert response.status_code == 201, response.content[:500]
        response = client.post("/api/kpis/queue-days/", {"rows": queue_days[day]}, format="json")
        assert response.status_code == 201, response.content[:500]
    assert AgentDay.objects.count() == sum(len(rows) for rows in agent_days.values())
    assert QueueDay.objects.count() == 30 * 4

    agent_rows = [row for rows in agent_days.values() for row in rows]
    queue_rows = [row for rows in queue_days.values() for row in rows]
    mismatches = []

    centre = {
        **spreadsheet(agent_rows, AGENT_KPIS, lambda row: None)[None],
        **spreadsheet(queue_rows, QUEUE_KPIS, lambda row: None)[None],
    }
    if not same_to_4_decimals(month_values(client, "centre"), centre):
        mismatches.append(("centre", None))

    site_agents = spreadsheet(agent_rows, AGENT_KPIS, lambda row: row["site_code"])
    site_queues = spreadsheet(queue_rows, QUEUE_KPIS, lambda row: row["site_code"])
    for site in Site.objects.all():
        expected = {**site_agents[site.code], **site_queues[site.code]}
        if not same_to_4_decimals(month_values(client, "site", site.pk), expected):
            mismatches.append(("site", site.code))

    by_team = spreadsheet(agent_rows, AGENT_KPIS, lambda row: row["team_code"])
    for team in Team.objects.all():
        if not same_to_4_decimals(month_values(client, "team", team.pk), by_team[team.code]):
            mismatches.append(("team", team.code))

    assert mismatches == []
    mean_of_rows = sum(row["fcr_resolved"] / row["inbound_handled"] for row in agent_rows) / len(agent_rows)
    assert abs(mean_of_rows - centre["fcr"]) > 0.01  # the data tells a ratio of sums from a mean of rates
    assert len(by_team) == 10 and len(site_agents) == 2
