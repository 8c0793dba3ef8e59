"""`python -m bench` (`make bench`): build or reuse the benchmark database, measure the KASH pages,
print the report and write it to var/bench-kash.md. Exit status 1 when a target is missed.

The database (default postgres://postgres@127.0.0.1:5432/staffdev_bench, or BENCH_DATABASE_URL)
is reused when it holds the same scale made by the same generator version within REUSE_DAYS;
otherwise, or with --fresh, it is dropped and created again. Only a database whose name contains
"bench" is ever dropped.
"""

import argparse
import dataclasses
import datetime
import json
import os
import sys
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench"
REUSE_DAYS = 7


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database even if reusable")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--team-size", type=int, default=50)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    return parser.parse_args(argv)


def _configure(database_url):
    """The settings the benchmark runs with; they must be in the environment before Django starts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _say(message):
    print(message, flush=True)


def _prepare_database(database_url, scale, *, fresh):
    """Reuse the benchmark database if its marker matches (return the marker), else drop and create it."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    from bench import kash

    db = dj_database_url.parse(database_url)
    name = db["NAME"]
    if "bench" not in name:
        raise SystemExit(
            f"Refusing to use {name!r}: the benchmark drops its database, so its name must contain 'bench'."
        )
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cursor.fetchone()
            marker = _reusable(row[0], scale, kash.GENERATOR_VERSION) if row is not None and not fresh else None
            if marker is not None:
                return marker
            _say(f"Creating database {name} ...")
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()
    return None


def _reusable(comment, scale, version):
    """The database's marker if it was made at ``scale`` by this generator version recently enough, else None."""
    from django.utils import timezone

    try:
        marker = json.loads(comment or "")
        made_on = datetime.date.fromisoformat(marker["generated_on"])
    except (ValueError, KeyError, TypeError):
        return None
    fresh_enough = (timezone.localdate() - made_on).days < REUSE_DAYS
    same = marker.get("generator") == version and marker.get("scale") == dataclasses.asdict(scale)
    return marker if same and fresh_enough else None


def _mark_database(scale, counts):
    from django.db import connection
    from django.utils import timezone

    from bench import kash

    marker = {
        "generator": kash.GENERATOR_VERSION,
        "scale": dataclasses.asdict(scale),
        "generated_on": timezone.localdate().isoformat(),
        "counts": dataclasses.asdict(counts),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"COMMENT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} IS %s",
            [json.dumps(marker)],
        )


def _data_summary():
    from django.db import connection

    from bench import kash
    from staff.models import Employee, Team
    from training.models import Assessment, Score

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    # Planner estimates (fresh after VACUUM ANALYZE) rather than count(*) over a million rows.
    estimates = {}
    for model in (Assessment, Score):
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
            estimates[model] = cursor.fetchone()[0]
    teams = Team.objects.filter(code__startswith=f"{kash.PREFIX}-").count()
    people = Employee.objects.filter(employee_number__startswith=kash.PREFIX).count()
    return (
        f"PostgreSQL {version}, database `{connection.settings_dict['NAME']}`: {people:,} people in {teams} teams, "
        f"~{estimates[Assessment]:,} assessments, ~{estimates[Score]:,} scores"
    )


def main(argv=None):
    args = _arguments(argv)
    _configure(args.database_url)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import kash

    scale = kash.Scale(people=args.people, team_size=args.team_size, months=args.months)
    started = time.perf_counter()
    reused = _prepare_database(args.database_url, scale, fresh=args.fresh)
    call_command("migrate", verbosity=0, interactive=False)
    if reused:
        generation = f"reused the data generated on {reused['generated_on']} (`--fresh` rebuilds it)"
        _say(f"Database {connection.settings_dict['NAME']}: {generation}.")
    else:
        _say(f"Generating {scale.people:,} people and {scale.months} months of assessments ...")
        counts = kash.generate(scale, log=_say)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _mark_database(scale, counts)
        total = time.perf_counter() - started
        generation = (
            f"built this run: data generated in {counts.seconds:.0f} s, {total:.0f} s with migrations and VACUUM"
        )
        _say(f"Built in {total:.0f} s.")

    chosen = kash.subjects()
    _say(f"Measuring as {chosen.supervisor_user.username}, supervisor of {chosen.team.code} ...")
    results = kash.measure(chosen, runs=args.runs, warmup=args.warmup)
    details = [
        _data_summary() + f"; {generation}",
        f"Logged in as the supervisor of {chosen.team.code} ({chosen.team.members.count()} people); "
        f"the profile is {chosen.member.name}'s, the team's longest history",
        f"Run at {datetime.datetime.now().isoformat(timespec='seconds')}, DEBUG=1",
    ]
    heading = "KASH benchmark"
    print()
    print(kash.report(results, heading=heading, details=details), flush=True)
    path = settings.VAR_DIR / "bench-kash.md"
    path.write_text(kash.report(results, heading=heading, details=details, with_queries=True), encoding="utf-8")
    _say(f"Report with each page's queries written to {path}.")
    return 1 if kash.failures(results) else 0


if __name__ == "__main__":
    sys.exit(main())
