"""The ``pages`` part of `python -m bench kpi` (issue 11): Team KPIs and My results answer in a fixed number of
queries whatever the history length (24 months) and the team size.

In the benchmark's centre (bench/kpi.py: build_world), team BK-T000 gets a supervisor and its first agent a login.
The two pages are measured three times: with one month of the team's history; with 24 months; and with 150 more
people whose rows of this month name BK-T000 (rows belong to the team they name, so the team grows to 200 for the
month without touching the roster). Targets: the same query count in all three, at most ``MAX_QUERIES``."""

import datetime
import random
import statistics
import time

MAX_QUERIES = 14
MONTHS = 24
EXTRA_MEMBERS = 150
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _day(employee, on, team, site, ingest, rng):
    from kpis.models import AgentDay

    inbound = rng.randint(2, 8) if rng.random() < 0.1 else rng.randint(50, 110)
    complaints = rng.randint(0, 3)
    responses = inbound // 3
    return AgentDay(
        employee_id=employee,
        on=on,
        team_id=team,
        site_id=site,
        revision=1,
        ingest=ingest,
        staffed_seconds=28_800,
        handle_seconds=inbound * rng.randint(200, 400),
        inbound_handled=inbound,
        outbound_handled=rng.randint(0, 20),
        fcr_resolved=rng.randint(inbound * 6 // 10, inbound),
        transfers_l2=inbound // 20,
        complaints_received=complaints,
        complaints_escalated=complaints // 2,
        complaints_closed=complaints,
        complaint_handle_seconds=complaints * rng.randint(600, 1500),
        csat_responses=responses,
        csat_satisfied=rng.randint(responses * 7 // 10, responses),
        coupon_count=0,
    )


def _history(people, team, days, ingest, rng):
    """Rows for ``people`` naming ``team`` on ``days`` (a day already stored, e.g. by the ingest part, is kept)."""
    from kpis.models import AgentDay

    rows = [_day(pk, on, team.pk, team.department.site_id, ingest, rng) for pk in people for on in days]
    AgentDay.objects.bulk_create(rows, batch_size=5_000, ignore_conflicts=True)
    return len(rows)


def _set_up(actor):
    """Team BK-T000 with a supervisor and an agent who can log in; general targets for every KPI."""
    from django.contrib.auth import get_user_model

    from kpis.models import Kpi, Target
    from staff.models import Employee, Stage, Team

    users = get_user_model().objects
    team = Team.objects.select_related("department").get(code="BK-T000")
    supervisor = Employee.objects.create(
        employee_number="BK-SUP",
        name="班长",
        hire_date=datetime.date(2020, 1, 6),
        stage=Stage.MANAGEMENT,
        user=users.create(username="bench-kpi-supervisor"),
    )
    team.supervisor = supervisor
    team.save(update_fields=["supervisor"])
    agent = Employee.objects.filter(team=team).order_by("pk").first()
    agent.user = users.create(username="bench-kpi-agent")
    agent.save(update_fields=["user"])
    limits = {"higher": ("0.85", "0.92", "0.70"), "lower": ("0.10", "0.05", "0.20")}
    Target.objects.bulk_create(
        Target(kpi=kpi, valid_from=datetime.date(2020, 1, 1), target=t, excellent_at=e, far_below_at=f)
        for kpi in Kpi.objects.all()
        for t, e, f in [limits[kpi.direction]]
    )
    return team, supervisor.user, agent.user


def _measure(client, url, runs):
    """(queries, median ms) of GET ``url`` after a warm-up."""
    from django.db import connection

    assert client.get(url, secure=True).status_code == 200
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: with DEBUG off each request closes its connection.
    with connection.execute_wrapper(count):
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url, secure=True)
        samples.append((time.perf_counter() - started) * 1000)
    return len(queries), statistics.median(samples)


def part_pages(args, actor):
    """(report lines, missed targets) of the pages part."""
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from kpis.models import Ingest
    from staff.models import Employee

    rng = random.Random(11)
    team, supervisor_user, agent_user = _set_up(actor)
    members = list(Employee.objects.filter(team=team).values_list("pk", flat=True))
    ingest = Ingest.objects.create(source="agent", channel="api", actor=actor, status="done")
    today = timezone.localdate()
    month = [today - datetime.timedelta(days=n) for n in range(1, 31)]
    months = getattr(args, "history_months", MONTHS)  # tests/bench/test_kpi_pages_smoke.py runs a short history
    older = [today - datetime.timedelta(days=n) for n in range(31, 31 * months)]
    others = list(Employee.objects.exclude(team=team).order_by("pk").values_list("pk", flat=True)[:EXTRA_MEMBERS])
    pages = {
        "Team KPIs (supervisor)": (supervisor_user, reverse("kpis:team-kpis")),
        "My results (agent)": (agent_user, reverse("kpis:my-results")),
    }
    clients = {}
    for name, (user, _url) in pages.items():
        clients[name] = Client()
        clients[name].force_login(user, backend=MODEL_BACKEND)
    runs = getattr(args, "page_runs", max(args.runs, 5))
    stages = [
        (f"1 month, {len(members)} members", lambda: _history(members, team, month, ingest, rng)),
        (f"{months} months, {len(members)} members", lambda: _history(members, team, older, ingest, rng)),
        (
            f"{months} months, {len(members) + len(others)} this month",
            lambda: _history(others, team, month, ingest, rng),
        ),
    ]
    results = {}
    # bench kpi runs with DEBUG off; the pages need no collected static files (no manifest) to be measured.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}):
        for stage, grow in stages:
            added = grow()
            for name, (_user, url) in pages.items():
                results[(stage, name)] = (*_measure(clients[name], url, runs), added)
    lines = [
        f"## pages — query count whatever the history and team size (median of {runs} requests)",
        "",
        "| history | page | rows added | queries | median ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {stage} | {name} | {added:,} | {queries} | {ms:.0f} |"
        for (stage, name), (queries, ms, added) in results.items()
    ]
    lines.append("")
    missed = []
    for name in pages:
        counts = {results[(stage, name)][0] for stage, _grow in stages}
        if len(counts) > 1 or max(counts) > MAX_QUERIES:
            missed.append(f"{name}: {sorted(counts)} queries (target: one count, ≤ {MAX_QUERIES})")
    return lines, missed
