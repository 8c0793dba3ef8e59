"""`python -m bench pk`: PK standings for 200 teams over a month of KPI data (issue 15 §4, "Proven by").

The world is ``bench.kash.generate``'s (10,000 people in teams of 50: 200 teams, one month of assessments); on it,
with INSERT … SELECT generate_series, a month of agent days for everyone (about 300,000 rows). A team PK between all
200 teams on first-contact resolution over that month; then:

1. ``incentives.services.pk.refresh_standings`` (the 30-minute refresh: the results, the ranking and the upsert of
   every standing), timed against one aggregate query of the same rows (Σ of the KPI's two measures per team over
   the month); target: the median refresh ≤ ``MAX_RATIO`` × the median aggregate.
2. Its query count, the same for 2 teams as for 200.

Database: postgres://postgres@127.0.0.1:5432/staffdev_bench_pk (or BENCH_PK_DATABASE_URL; its name must contain
"bench"), dropped and built again each run. The report is printed and written to var/bench-pk.md.
"""

import argparse
import datetime
import os
import sys
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_pk"
MAX_RATIO = 3.0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench pk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PK_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args(argv)


def _sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def add_month(first, last):
    """A day of every agent with a team for every day of [first, last]: one INSERT … SELECT."""
    from django.contrib.auth import get_user_model

    from kpis.models import AgentDay, Channel, Ingest, Source
    from staff.models import Department, Employee, Team

    actor = get_user_model().objects.filter(is_superuser=True).first()
    ingest = Ingest.objects.create(source=Source.AGENT, channel=Channel.FILE, actor=actor, status="done")
    return _sql(
        f'INSERT INTO {AgentDay._meta.db_table} (employee_id, "on", team_id, site_id, line, revision, from_platform, '
        "ingest_id, staffed_seconds, handle_seconds, inbound_handled, outbound_handled, fcr_resolved, transfers_l2, "
        "complaints_received, complaints_escalated, complaints_closed, complaint_handle_seconds, csat_responses, "
        "csat_satisfied, coupon_count, coupon_amount_cny, extra) "
        "SELECT e.id, d::date, e.team_id, dep.site_id, '', 1, true, %s, 27000, 60 * (60 + (e.id + g) %% 40), "
        "60 + (e.id + g) %% 40, 5, (60 + (e.id + g) %% 40) * (70 + (e.id * 7 + g) %% 25) / 100, (e.id + g) %% 4, "
        "(e.id + g) %% 3, 0, (e.id + g) %% 3, 600, 10, 8 + (e.id + g) %% 3, 0, 0, '{}'::jsonb "
        f"FROM {Employee._meta.db_table} e JOIN {Team._meta.db_table} t ON t.id = e.team_id "
        f"JOIN {Department._meta.db_table} dep ON dep.id = t.department_id "
        "CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') WITH ORDINALITY AS s(d, g)",
        [ingest.pk, first, last],
    )


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say
    from bench.import_speed import _recreate_database

    _recreate_database(args.database_url)  # refuses a name without "bench"
    _configure(args.database_url, debug=False)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import kash
    from bench.kpi import _vacuum
    from incentives.models import Standing
    from incentives.services import pk as services
    from kpis.models import AgentDay, Kpi
    from staff.models import Team

    call_command("migrate", verbosity=0, interactive=False)
    _say(f"Generating {args.people:,} people ...")
    kash.generate(kash.Scale(people=args.people, months=1), log=_say)
    hr = get_user_model().objects.create(username="bench-pk-hr", is_superuser=True, is_staff=True)
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    first = last.replace(day=1)
    started = time.perf_counter()
    rows = add_month(first, last)
    _vacuum()
    _say(f"  {rows:,} agent days ({first} – {last}) in {time.perf_counter() - started:.0f} s")
    teams = list(Team.objects.filter(code__startswith=f"{kash.PREFIX}-").order_by("code"))
    fcr = Kpi.objects.select_related("numerator", "denominator").get(code="fcr")

    def organise(chosen, key):
        return services.create_competition(
            user=hr,
            name=f"Bench PK {len(chosen)} teams",
            kind="team",
            starts_on=first,
            ends_on=last,
            metric="kpi",
            kpi=fcr,
            minimum_volume=100,
            teams=chosen,
            idempotency_key=key,
        )

    small, large = organise(teams[:2], "small"), organise(teams, "large")
    services.refresh_standings(small.pk)
    services.refresh_standings(large.pk)  # warm
    counts = {}
    for competition in (small, large):
        with CaptureQueriesContext(connection) as queries:
            services.refresh_standings(competition.pk)
        counts[competition.pk] = len(queries)
    aggregate = (
        AgentDay.objects.filter(on__range=(first, last), team_id__in=[t.pk for t in teams])
        .order_by()
        .values("team_id")
        .annotate(**{f"s_{c}": Sum(c) for c in ("fcr_resolved", "inbound_handled")})
    )
    sql, params = aggregate.query.sql_with_params()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    baseline()
    base = kash.median_seconds(baseline, args.runs)
    refresh = kash.median_seconds(lambda: services.refresh_standings(large.pk), args.runs)
    ratio = refresh / base if base else 0.0
    ranked = Standing.objects.filter(competition=large, rank__isnull=False).count()
    missed = []
    if ratio > MAX_RATIO:
        missed.append(f"refresh {ratio:.2f}× (target ≤ {MAX_RATIO:g}×)")
    if counts[small.pk] != counts[large.pk]:
        missed.append(f"queries {counts[small.pk]} for 2 teams, {counts[large.pk]} for {len(teams)}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    lines = [
        "# PK standings benchmark (issue 15 §4)",
        "",
        f"- PostgreSQL {version}, database `{connection.settings_dict['NAME']}`: {args.people:,} people in "
        f"{len(teams)} teams, {rows:,} agent days over {first} – {last}; run at "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}, DEBUG=0.",
        f"- A team PK between all {len(teams)} teams on `{fcr.code}` ({ranked} ranked), minimum volume 100.",
        "",
        "| measured | median (ms) | ratio |",
        "| --- | ---: | ---: |",
        "| one aggregate query of the same rows (Σ fcr_resolved, Σ inbound_handled per team) | "
        f"{base * 1000:.1f} | 1.00 |",
        f"| `refresh_standings` (results, ranking, upsert of {len(teams)} standings) | {refresh * 1000:.1f} | "
        f"{ratio:.2f} |",
        "",
        f"Target: ≤ {MAX_RATIO:g}× the aggregate — {'met' if ratio <= MAX_RATIO else 'MISSED'}. Queries per refresh: "
        f"{counts[small.pk]} for 2 teams, {counts[large.pk]} for {len(teams)} teams (fixed).",
        "",
        "Missed: " + ", ".join(missed) if missed else "Every target met.",
    ]
    report = "\n".join(lines) + "\n"
    print(report, flush=True)
    path = settings.VAR_DIR / "bench-pk.md"
    path.write_text(report, encoding="utf-8")
    _say(f"Report written to {path}.")
    return 1 if missed else 0
