"""`python -m bench linkage-qa`: QA spot checks and the team cases page at 10,000 agents (issue 13, "Proven by").

The world is ``bench.kash.generate``'s (10,000 people in teams of 50); on it, with INSERT … SELECT generate_series,
a year of cases (CASES_PER_AGENT per agent, mostly closed) and ISSUANCES coupon issuances in one week. Then:

1. ``draw_weekly_sample`` of that week, timed against one set-based SELECT of the same rows (the columns the draw
   reads); target ≤ ``MAX_SAMPLE_RATIO`` ×. A rerun must add nothing.
2. The team cases page (``linkage:cases?scope=team``, as the supervisor of KB-T0001) and the QA queue (as HR, who
   works it like QA staff) against the trivial page (position detail): the same number of queries before and after
   the history and the sample, and a median ≤ ``MAX_RATIO`` × the trivial page's.

Database: postgres://postgres@127.0.0.1:5432/staffdev_bench_linkage_qa (or BENCH_LINKAGE_QA_DATABASE_URL; its name
must contain "bench"), dropped and built again each run. The report is printed and written to var/bench-linkage-qa.md.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_linkage_qa"
MAX_RATIO = 8.0
MAX_SAMPLE_RATIO = 5.0
CASES_PER_AGENT = 50
ISSUANCES = 1_000_000


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench linkage-qa", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_LINKAGE_QA_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--issuances", type=int, default=ISSUANCES)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args(argv)


def _sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def add_history(week, *, issuances, cases_per_agent=CASES_PER_AGENT, prefix="B"):
    """A year of cases and ``issuances`` in the week of ``week`` (every agent, round robin). Returns (cases, rows)."""
    from django.utils import timezone

    from linkage.models import Case, CaseCategory, Grade, GradeHolding, Issuance, Scenario
    from staff.models import Employee

    category, _ = CaseCategory.objects.get_or_create(
        code="bench-complaint", defaults={"name_en": "Complaint", "name_zh": "投诉", "is_complaint": True}
    )
    scenario = Scenario.objects.get(code="fee-charged-in-error")
    grade = Grade.objects.get(code="g1")
    _sql("DROP TABLE IF EXISTS bench_agents")
    _sql(
        "CREATE TABLE bench_agents AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, team_id "
        f"FROM {Employee._meta.db_table} WHERE team_id IS NOT NULL"
    )
    agents = _sql("SELECT 1 FROM bench_agents")
    now = timezone.now()
    case_count = agents * cases_per_agent
    case = Case._meta.db_table
    _sql(
        f"INSERT INTO {case} (reference, customer_ref, channel, category_id, summary, owner_id, team_id, status, "
        "outcome, opened_at, first_response_due_at, resolution_due_at, closed_at, reopen_count, escalation_level) "
        "SELECT %s || g, '138****' || lpad((g %% 9973)::text, 4, '0'), 'phone', %s, 'Bench case', a.id, a.team_id, "
        "CASE WHEN g %% 50 = 0 THEN 'open' ELSE 'closed' END, CASE WHEN g %% 50 = 0 THEN '' ELSE 'first_contact' END, "
        "%s - (g %% 365) * interval '1 day', %s - (g %% 365) * interval '1 day' + interval '1 hour', "
        "%s - (g %% 365) * interval '1 day' + interval '2 days', "
        "CASE WHEN g %% 50 = 0 THEN NULL ELSE %s - (g %% 365) * interval '1 day' + interval '3 hours' END, 0, 0 "
        "FROM generate_series(0, %s - 1) g JOIN bench_agents a ON a.n = g %% %s",
        [prefix, category.pk, now, now, now, now, case_count, agents],
    )
    start = datetime.datetime.combine(week, datetime.time(9), tzinfo=timezone.get_current_timezone())
    _sql(
        f"INSERT INTO {Issuance._meta.db_table} (case_id, scenario_id, risk, amount, issued_by_id, team_id, grade_id, "
        'customer_ref, issued_at, "on", at_limit, idempotency_key) '
        "SELECT c.id, %s, 'low', 20, a.id, a.team_id, %s, 'X' || lpad(g::text, 9, '0'), "
        "%s + (g %% 7) * interval '1 day', (%s::date + (g %% 7)), g %% 500 = 0, '' "
        "FROM generate_series(0, %s - 1) g JOIN bench_agents a ON a.n = g %% %s "
        "JOIN LATERAL (SELECT id FROM " + case + " WHERE owner_id = a.id LIMIT 1) c ON true",
        [scenario.pk, grade.pk, start, week, issuances, agents],
    )
    _sql(
        f"INSERT INTO {GradeHolding._meta.db_table} (employee_id, grade_id, since, reason) "
        "SELECT id, %s, %s, 'bench' FROM bench_agents",
        [grade.pk, start - datetime.timedelta(days=400)],
    )
    return case_count, issuances


def time_sample(week):
    """(draw seconds, select seconds, added, rerun added): the draw against one SELECT of the same rows."""
    from django.db import connection, transaction

    from linkage.models import Issuance
    from linkage.services.qa import draw_weekly_sample

    rows = Issuance.objects.filter(on__gte=week, on__lte=week + datetime.timedelta(days=6), amount__gt=0).values_list(
        "pk", "issued_by_id", "customer_ref", "issued_at", "at_limit", "grade_id", "scenario_id", "risk"
    )
    sql, params = rows.query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    select = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        added = draw_weekly_sample(week=week)
    draw = time.perf_counter() - started
    return draw, select, added, draw_weekly_sample(week=week)


def _queries(client, url):
    from django.db import connection

    client.get(url, secure=True)
    count = []

    def counted(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        response = client.get(url, secure=True)
    return response.status_code, len(count)


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say
    from bench.import_speed import _recreate_database

    _recreate_database(args.database_url)  # refuses a name without "bench"
    _configure(args.database_url, debug=False)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from bench import kash
    from bench.linkage import PLAIN_STATIC, _vacuum, hr_user

    call_command("migrate", verbosity=0, interactive=False)
    today = timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday() + 7)
    _say(f"Generating {args.people:,} people ...")
    kash.generate(kash.Scale(people=args.people, months=1), log=_say)
    chosen, hr = kash.subjects(), hr_user()
    clients = {"supervisor": Client(), "HR": Client()}
    clients["supervisor"].force_login(chosen.supervisor_user, backend=kash.MODEL_BACKEND)
    clients["HR"].force_login(hr, backend=kash.MODEL_BACKEND)
    trivial = reverse("staff:position-detail", args=[chosen.position.pk])
    pages = [
        ("supervisor", "trivial: position detail", trivial),
        ("supervisor", "team cases", reverse("linkage:cases") + "?scope=team"),
        ("HR", "trivial: position detail", trivial),
        ("HR", "QA queue", reverse("linkage:qa-queue")),
    ]
    results = {(label, name): {"url": url, "queries": [], "status": [], "times": []} for label, name, url in pages}
    missed, lines = [], []
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}):
        for stage in ("small", "history"):
            if stage == "small":
                add_history(week - datetime.timedelta(days=7), issuances=20_000, cases_per_agent=1, prefix="S")
                from linkage.services.qa import draw_weekly_sample

                draw_weekly_sample(week=week - datetime.timedelta(days=7))
                _vacuum()
            if stage == "history":
                started = time.perf_counter()
                cases, issuances = add_history(week, issuances=args.issuances)
                _vacuum()
                _say(f"  {cases:,} cases and {issuances:,} issuances in {time.perf_counter() - started:.0f} s")
                draw, select, added, rerun = time_sample(week)
                ratio = draw / select if select else 0.0
                lines.append(
                    f"draw_weekly_sample over {issuances:,} issuances: {draw:.2f} s, one SELECT of the same rows "
                    f"{select:.2f} s → {ratio:.1f}× (target ≤ {MAX_SAMPLE_RATIO:g}×); {added:,} sampled, rerun added "
                    f"{rerun}."
                )
                if ratio > MAX_SAMPLE_RATIO:
                    missed.append(f"sample {ratio:.1f}×")
                if rerun:
                    missed.append(f"rerun added {rerun}")
                _vacuum()
            for label, name, url in pages:
                status, queries = _queries(clients[label], url)
                results[(label, name)]["status"].append(status)
                results[(label, name)]["queries"].append(queries)
        for _ in range(args.runs):
            for label, name, url in pages:
                started = time.perf_counter()
                clients[label].get(url, secure=True)
                results[(label, name)]["times"].append((time.perf_counter() - started) * 1000)
    lines += [
        "",
        "| user | page | status | queries (small → history) | median ms | × trivial |",
        "| --- | --- | --- | --- | ---: | ---: |",
    ]
    for (label, name), row in results.items():
        base = statistics.median(results[(label, "trivial: position detail")]["times"])
        median = statistics.median(row["times"])
        ratio = median / base if base else 0.0
        lines.append(
            f"| {label} | {name} `{row['url']}` | {row['status']} | {' → '.join(map(str, row['queries']))} | "
            f"{median:.1f} | {ratio:.1f} |"
        )
        if name.startswith("trivial"):
            continue
        if set(row["status"]) != {200}:
            missed.append(f"{name}: status {row['status']}")
        if len(set(row["queries"])) > 1:
            missed.append(f"{name}: queries {row['queries']} grow with the data")
        if ratio > MAX_RATIO:
            missed.append(f"{name}: {ratio:.1f}× the trivial page")
    text = "\n".join(
        ["# bench linkage-qa", "", *lines, "", "Missed: " + "; ".join(missed) if missed else "Every target met."]
    )
    print(text, flush=True)
    out = Path(__file__).resolve().parents[1] / "var" / "bench-linkage-qa.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
