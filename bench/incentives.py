"""`python -m bench incentives`: the recognition wall and the Herzberg balance view at 10,000 people and a year of
recognition (issue 15, "Proven by").

The world is ``bench.kash.generate``'s (10,000 people in 200 teams of 50, a supervisor each). On it, set-based
(INSERT … SELECT over generate_series): a year of recognition, four per person per month to a teammate, with the
motivator mix the demo uses, one in five material with points (and its ledger grant), a reaction on every third
one — about 480,000 recognitions, as many recipients, ~100,000 grants and ~160,000 reactions.

Measured as the supervisor of ``KB-T0001`` (bench.kash.measure: warm-ups, one request with its queries captured,
then timed rounds in which every page is requested once): the trivial page (the position detail page), the wall and
the balance view. The same pages are measured first after one month of recognition and then after the year:
targets are the same query count at both sizes and a median ≤ ``MAX_RATIO`` × the trivial page's at the year.

Database: postgres://postgres@127.0.0.1:5432/staffdev_bench_incentives (or BENCH_INCENTIVES_DATABASE_URL; the name
must contain "bench"), dropped and built again each run. The report is printed and written to
var/bench-incentives.md."""

import argparse
import datetime
import os
import sys
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_incentives"
MAX_RATIO = 8.0
PER_MONTH = 4  # recognitions each person gives a month
MOTIVATORS = ("achievement", "recognition", "work_itself", "responsibility", "growth", "advancement")


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench incentives", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_INCENTIVES_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=20)
    return parser.parse_args(argv)


def _sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def add_recognition(first_day, days):
    """Recognitions given over ``days`` days from ``first_day``: PER_MONTH per person a month, each to a teammate,
    with its recipient row, a grant for the material ones and a reaction on every third. Returns the number made."""
    from incentives.models import PointsEntry, Reaction, Recognition, RecognitionRecipient
    from staff.models import Employee

    recognition, recipient = Recognition._meta.db_table, RecognitionRecipient._meta.db_table
    reaction, entry = Reaction._meta.db_table, PointsEntry._meta.db_table
    motivators = "ARRAY[" + ", ".join(f"'{m}'" for m in MOTIVATORS) + "]"
    count = days * PER_MONTH // 30
    _sql("DROP TABLE IF EXISTS bench_given")
    _sql(
        "CREATE TEMP TABLE bench_given AS "
        "WITH m AS (SELECT id, team_id, row_number() OVER (PARTITION BY team_id ORDER BY id) - 1 AS rn, "
        f"count(*) OVER (PARTITION BY team_id) AS n FROM {Employee._meta.db_table} "
        "WHERE team_id IS NOT NULL AND stage <> 'left') "
        f"SELECT (SELECT coalesce(max(id), 0) FROM {recognition}) + row_number() OVER () AS rid, "
        "g.id AS giver, r.id AS recipient, "
        "(%s::date + ((g.id * 7 + k * 13) %% %s) * interval '1 day' + interval '9 hours')::timestamptz AS at, "
        f"({motivators})[1 + (g.id + k) %% 6] AS motivator, "
        "CASE WHEN (g.id + k) %% 5 = 0 THEN 'material' ELSE 'spiritual' END AS kind, "
        "CASE WHEN (g.id + k) %% 5 = 0 THEN 5 ELSE 0 END AS points "
        "FROM m g CROSS JOIN generate_series(1, %s) AS k "
        "JOIN m r ON r.team_id = g.team_id AND r.rn = (g.rn + 1 + k %% greatest(g.n - 1, 1)) %% g.n "
        "WHERE g.n > 1",
        [first_day, days, count],
    )
    made = _sql(
        f"INSERT INTO {recognition} (id, giver_id, message, motivator, kind, points, earned_by_kind, earned_by_id, "
        "idempotency_key, created_by_id, created_at) "
        "SELECT rid, giver, 'Thank you for the calm handover on a hard call.', motivator, kind, points, '', NULL, '', "
        "NULL, at FROM bench_given"
    )
    _sql(f"INSERT INTO {recipient} (recognition_id, employee_id) SELECT rid, recipient FROM bench_given")
    _sql(
        f"INSERT INTO {reaction} (recognition_id, employee_id, label, created_at) "
        "SELECT rid, recipient, 'thanks', at FROM bench_given WHERE rid %% 3 = 0"
    )
    _sql(
        f"INSERT INTO {entry} (kind, employee_id, points, source_ref, recognition_id, reverses_id, actor_id, note, "
        "rule_id, created_at) "
        "SELECT 'grant', recipient, points, 'recognition:' || rid || ':' || recipient, rid, NULL, NULL, '', NULL, at "
        "FROM bench_given WHERE points > 0"
    )
    _sql(f"SELECT setval(pg_get_serial_sequence('{recognition}', 'id'), (SELECT max(id) FROM {recognition}))")
    return made


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say
    from bench.import_speed import _recreate_database

    _recreate_database(args.database_url)  # refuses a name without "bench"
    _configure(args.database_url, debug=False)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings
    from django.urls import reverse
    from django.utils import timezone

    from bench import kash
    from bench.kpi import _vacuum
    from bench.kpi_pages import PLAIN_STATIC

    call_command("migrate", verbosity=0, interactive=False)
    _say(f"Generating {args.people:,} people ...")
    kash.generate(kash.Scale(people=args.people, months=1), log=_say)
    chosen = kash.subjects()
    today = timezone.localdate()
    year_start = today - datetime.timedelta(days=30 * args.months)
    wall, balance = reverse("incentives:wall"), reverse("incentives:balance")

    def pages(_chosen):
        return [
            ("Trivial: position detail", reverse("staff:position-detail", args=[chosen.position.pk]), True),
            ("Recognition wall", wall, False),
            ("Herzberg balance", balance, False),
        ]

    def https():
        return kash.HttpsClient()

    kash.pages, original = pages, kash.pages  # measure the incentives pages with kash's timing loop
    results = {}
    try:
        # The pages need no collected static files (no manifest) to be measured with DEBUG off.
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}):
            started = time.perf_counter()
            made = add_recognition(today - datetime.timedelta(days=30), 30)
            _vacuum()
            _say(f"  one month: {made:,} recognitions in {time.perf_counter() - started:.0f} s")
            results["month"] = (made, kash.measure(chosen, runs=max(3, args.runs // 4), warmup=2, client=https()))
            started = time.perf_counter()
            made += add_recognition(year_start, 30 * (args.months - 1))
            _vacuum()
            _say(f"  the year: {made:,} recognitions in {time.perf_counter() - started:.0f} s")
            results["year"] = (made, kash.measure(chosen, runs=args.runs, warmup=3, client=https()))
    finally:
        kash.pages = original
    month, year = results["month"][1], results["year"][1]
    missed = kash.failures(year, max_queries=10**6, max_ratio=MAX_RATIO)
    for small, large in zip(month, year, strict=True):
        if small.queries != large.queries:
            missed.append(f"{large.name}: {small.queries} queries after a month, {large.queries} after the year")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    details = [
        f"PostgreSQL {version}, database `{connection.settings_dict['NAME']}`, DEBUG=0, run at "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}",
        f"{args.people:,} people in teams of 50; {results['year'][0]:,} recognitions over {args.months} months "
        f"({PER_MONTH} given per person a month, one in five material with a grant, a reaction on every third)",
        "as the supervisor of KB-T0001; queries after one month of recognition: "
        + ", ".join(f"{r.name} {r.queries}" for r in month),
    ]
    text = kash.report(
        year, heading="Recognition wall and Herzberg balance (issue 15)", details=details, max_queries=10**6
    )
    text = text.replace(
        "Targets per KASH page: ≤ 1000000 queries and",
        "Targets per page: the same query count after a month and after the year, and",
    )
    text += "\n" + ("\n".join(f"- MISSED — {m}" for m in missed) if missed else "Every target met.") + "\n"
    print(text, flush=True)
    path = settings.VAR_DIR / "bench-incentives.md"
    path.write_text(text, encoding="utf-8")
    _say(f"Report written to {path}.")
    return 1 if missed else 0
