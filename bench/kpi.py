"""`python -m bench kpi`: the KPI app at a big centre's scale (issue 11), one function per part.

- ingest: one day for 10,000 agents (every measure) through ``kpis.services.ingestion.ingest_agent_rows`` (rows
  as the API hands them over: decoded JSON) against one raw set-based ``INSERT … ON CONFLICT DO UPDATE … WHERE
  newer revision`` of the same rows (``config.bulk.upsert_rows``, codes already turned into ids), side by side in
  one run. Targets: the service ≤ 3× the raw statement; a replay of that day ≤ 10 % of the first ingest, with
  0 rows changed. An exact replay is recognised by its digest (kpis.services.ingestion); the same rows in another
  order are checked in full, which is reported beside it without a target.

The database (default postgres://postgres@127.0.0.1:5432/staffdev_bench_kpi, or BENCH_KPI_DATABASE_URL; its name
must contain "bench") is dropped and created each run. The report is printed and written to var/bench-kpi.md; the
exit status is 1 when a target is missed. ``--part`` runs only the named parts.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_kpi"
DAY = datetime.date(2026, 11, 2)
TEAM_SIZE = 50
INGEST_RATIO = 3
REPLAY_SHARE = 0.10


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench kpi", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_KPI_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each measurement (the median is used)")
    parser.add_argument("--part", action="append", choices=sorted(PARTS), help="run only this part (repeatable)")
    return parser.parse_args(argv)


def _recreate_database(database_url):
    from bench.import_speed import _recreate_database as recreate

    recreate(database_url)  # refuses a name without "bench"


# --- the world -----------------------------------------------------------------------------------------


def build_world(agents):
    """One site of ``agents`` agents in teams of 50; returns the HR user who sends the rows."""
    from django.contrib.auth import get_user_model

    from staff.models import Department, Employee, Site, Stage, Team

    site = Site.objects.create(code="BK", name="Bench KPI")
    department = Department.objects.create(code="BK-D", name="Bench KPI", site=site)
    teams = Team.objects.bulk_create(
        Team(code=f"BK-T{n:03d}", name=f"Team {n}", department=department)
        for n in range((agents + TEAM_SIZE - 1) // TEAM_SIZE)
    )
    Employee.objects.bulk_create(
        (
            Employee(
                employee_number=f"BK{n:06d}",
                name=f"坐席{n}",
                hire_date=datetime.date(2025, 1, 6),
                team=teams[n // TEAM_SIZE],
                stage=Stage.GROWTH,
            )
            for n in range(agents)
        ),
        batch_size=2_000,
    )
    return get_user_model().objects.create(username="bench-kpi-hr", is_superuser=True, is_staff=True)


def day_rows(agents, revision=1):
    """One day of every agent, all measures, as the API hands them to the service (decoded JSON)."""
    rows = []
    for n in range(agents):
        inbound = 60 + n % 50
        complaints = n % 5
        rows.append(
            {
                "date": DAY.isoformat(),
                "employee_number": f"BK{n:06d}",
                "team_code": f"BK-T{n // TEAM_SIZE:03d}",
                "site_code": "BK",
                "line": "card",
                "revision": revision,
                "staffed_seconds": 28_800,
                "handle_seconds": 180 * inbound + n % 97,
                "inbound_handled": inbound,
                "outbound_handled": n % 7,
                "fcr_resolved": inbound - n % 11,
                "transfers_l2": n % 4,
                "complaints_received": complaints,
                "complaints_escalated": complaints // 3,
                "complaints_closed": complaints - n % 2 if complaints else 0,
                "complaint_handle_seconds": 600 * complaints,
                "csat_responses": 20 + n % 10,
                "csat_satisfied": 18 + n % 3,
                "coupon_count": n % 3,
                "coupon_amount_cny": f"{(n % 3) * 12.5:.2f}",
            }
        )
    return json.loads(json.dumps(rows))


# --- helpers -------------------------------------------------------------------------------------------


def _rolled_back(fn):
    """Seconds of ``fn()`` inside a transaction rolled back afterwards, and its result."""
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, result


def _vacuum():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- part: ingest --------------------------------------------------------------------------------------


def _raw_upsert(rows, actor):
    """The baseline: the same rows, codes resolved to ids beforehand, in one INSERT … ON CONFLICT."""
    from decimal import Decimal

    from config.bulk import upsert_rows
    from kpis.models import AgentDay, Ingest
    from kpis.models.measures import AGENT_AMOUNTS, AGENT_COUNTS
    from staff.models import Employee, Site, Team

    people = dict(Employee.objects.values_list("employee_number", "pk"))
    teams = dict(Team.objects.values_list("code", "pk"))
    sites = dict(Site.objects.values_list("code", "pk"))
    ingest = Ingest.objects.create(source="agent", channel="api", actor=actor)
    measures = [*AGENT_COUNTS, *AGENT_AMOUNTS]
    columns = ["employee", "on", "revision", "ingest", "team", "site", "line", *measures, "extra"]
    values = sorted(
        (
            people[row["employee_number"]],
            DAY,
            row["revision"],
            ingest.pk,
            teams[row["team_code"]],
            sites[row["site_code"]],
            row["line"],
            *(row[m] for m in AGENT_COUNTS),
            Decimal(row["coupon_amount_cny"]),
            {},
        )
        for row in rows
    )

    def statement():
        return upsert_rows(
            AgentDay, columns, values, conflict=["employee", "on"], update=columns[2:], where_newer="revision"
        )

    return statement


def part_ingest(args, actor):
    """(report lines, missed targets) of the ingest part."""
    from kpis.models import AgentDay, Channel
    from kpis.services.ingestion import ingest_agent_rows

    rows = day_rows(args.agents)

    def service():
        return ingest_agent_rows(actor=actor, channel=Channel.API, rows=rows)

    baseline = []
    for _run in range(args.runs):
        # The statement alone is timed; resolving the ids and the Ingest row it points at are not.
        _total, (seconds, written) = _rolled_back(lambda: _timed(_raw_upsert(rows, actor)))
        baseline.append(seconds)
        assert len(written) == args.agents, len(written)
    _vacuum()
    first = []
    for _run in range(args.runs):
        seconds, ingest = _rolled_back(service)
        assert ingest.rows_inserted == args.agents, ingest.rows_inserted
        first.append(seconds)
    _vacuum()
    stored = service()  # committed: the day the replays find
    _vacuum()
    before = dict(AgentDay.objects.values_list("employee_id", "ingest_id"))
    replays = []
    for _run in range(args.runs):
        started = time.perf_counter()
        replay = service()
        replays.append((time.perf_counter() - started, replay))
    started = time.perf_counter()
    reordered = ingest_agent_rows(actor=actor, channel=Channel.API, rows=rows[::-1])  # not a replay: checked in full
    reordered_s = time.perf_counter() - started
    replays.append((reordered_s, reordered))
    after = dict(AgentDay.objects.values_list("employee_id", "ingest_id"))
    changed = sum(r.rows_inserted + r.rows_replaced for _s, r in replays) + sum(
        1 for key, value in after.items() if before.get(key) != value
    )

    raw, ingest_s = statistics.median(baseline), statistics.median(first)
    replay_s = statistics.median(s for s, _r in replays[:-1])
    ratio, share = ingest_s / raw, replay_s / ingest_s
    missed = []
    if ratio > INGEST_RATIO:
        missed.append(f"ingest {ratio:.2f}× the raw statement (target ≤ {INGEST_RATIO}×)")
    if share > REPLAY_SHARE or changed:
        missed.append(f"replay {share:.1%} of the first ingest, {changed} rows changed (target ≤ 10 %, 0 changed)")
    n = args.agents
    lines = [
        f"## ingest — one day of {n:,} agents, every measure (median of {args.runs} runs)",
        "",
        "| step | seconds | rows/s | ratio | answer |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| raw `INSERT … ON CONFLICT DO UPDATE … WHERE newer` | {raw:.3f} | {n / raw:,.0f} | 1.00 | baseline |",
        f"| service, first ingest | {ingest_s:.3f} | {n / ingest_s:,.0f} | {ratio:.2f}× raw | inserted {n:,} |",
        f"| service, committed ingest | — | — | — | inserted {stored.rows_inserted:,} |",
        f"| service, replay of the day | {replay_s:.3f} | {n / replay_s:,.0f} | {share:.1%} of first | "
        f"unchanged {replays[0][1].rows_unchanged:,}, changed {changed} |",
        f"| service, the same rows in reverse order (checked in full; no target) | {reordered_s:.3f} | "
        f"{n / reordered_s:,.0f} | {reordered_s / ingest_s:.1%} of first | unchanged {reordered.rows_unchanged:,} |",
        "",
    ]
    return lines, missed


def _timed(statement):
    started = time.perf_counter()
    written = statement()
    return time.perf_counter() - started, written


def part_pages(args, actor):
    """(report lines, missed targets) of the pages part: Team KPIs and My results at one query count whatever the
    history length (24 months) and the team size (bench/kpi_pages.py)."""
    from bench.kpi_pages import part_pages as measure

    return measure(args, actor)


PARTS = {"ingest": part_ingest, "pages": part_pages}


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say

    _recreate_database(args.database_url)
    _configure(args.database_url, debug=False)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    _say(f"Building {args.agents:,} agents ...")
    actor = build_world(args.agents)
    _vacuum()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    lines = [
        "# bench kpi",
        "",
        f"PostgreSQL {version}, database `{connection.settings_dict['NAME']}`, {os.cpu_count()} CPUs; run at "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}.",
        "",
    ]
    missed = []
    for name in args.part or list(PARTS):
        _say(f"Measuring {name} ...")
        part_lines, part_missed = PARTS[name](args, actor)
        lines += part_lines
        missed += part_missed
    lines.append("Missed: " + "; ".join(missed) if missed else "Every target met.")
    report = "\n".join(lines)
    print(report)
    out = Path(__file__).resolve().parents[1] / "var" / "bench-kpi.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
