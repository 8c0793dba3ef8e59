"""`python -m bench` (`make bench`): every benchmark, each in a process of its own; the exit status is 1
when any misses a target. `python -m bench kash` (or sweep, pages, login, import, import-speed, kpi, linkage,
linkage-qa, pk, incentives, insights) runs one of them.

kash: build or reuse the KASH benchmark database, measure the KASH pages, print the report and write
it to var/bench-kash.md. Its database (default postgres://postgres@127.0.0.1:5432/staffdev_bench, or
BENCH_DATABASE_URL) is reused when it holds the same scale made by the same generator version within
REUSE_DAYS; otherwise, or with --fresh, it is dropped and created again.

sweep: build or reuse the onboarding benchmark database (default .../staffdev_bench_sweep, or
BENCH_SWEEP_DATABASE_URL), copy it for each measured run (…_run), run the daily sweep in a fresh
process as the worker would, print the report and write it to var/bench-sweep.md.

pages: every navigation page as HR, a supervisor, a batch supervisor, a mentor and a trainee at 10,000
people (database .../staffdev_bench_pages, or BENCH_PAGES_DATABASE_URL), query counts also at 500
(.../staffdev_bench_pages_small); see bench/pages.py. login: one refused log-in while locked out.

Only a database whose name contains "bench" is ever dropped.
"""

import argparse
import dataclasses
import datetime
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench"
DEFAULT_SWEEP_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_sweep"
REUSE_DAYS = 7
BENCHMARKS = (
    "kash",
    "sweep",
    "pages",
    "login",
    "import",
    "import-speed",
    "kpi",
    "linkage",
    "linkage-qa",
    "pk",
    "incentives",
    "insights",
)
REGENERATED = ("kash", "sweep", "pages")  # the benchmarks whose databases --fresh drops and builds again
SWEEP_RUN = "sweep-run"  # the hidden command of the process that measures one sweep


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and not argv[0].startswith("-") else None
    if command == "kash":
        return main_kash(argv[1:])
    if command == "sweep":
        return main_sweep(argv[1:])
    if command == SWEEP_RUN:
        return sweep_run(argv[1:])
    if command == "pages":
        return main_pages(argv[1:])
    if command == "login":
        from bench.login import main as main_login

        return main_login(argv[1:])
    if command == "import":
        from bench.imports import main as main_import

        return main_import(argv[1:])
    if command == "import-speed":
        from bench.import_speed import main as main_import_speed

        return main_import_speed(argv[1:])
    if command == "kpi":
        from bench.kpi import main as main_kpi

        return main_kpi(argv[1:])
    if command == "linkage":
        from bench.linkage import main as main_linkage

        return main_linkage(argv[1:])
    if command == "linkage-qa":
        from bench.linkage_qa import main as main_linkage_qa

        return main_linkage_qa(argv[1:])
    if command == "pk":
        from bench.pk import main as main_pk

        return main_pk(argv[1:])
    if command == "incentives":
        from bench.incentives import main as main_incentives

        return main_incentives(argv[1:])
    if command == "insights":
        from bench.insights import main as main_insights

        return main_insights(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        epilog="Each benchmark's own options: python -m bench kash --help (or sweep, pages, login).",
    )
    parser.add_argument("benchmark", nargs="?", choices=BENCHMARKS, help="run only this one")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the databases even if reusable")
    args = parser.parse_args(argv)
    failed = []
    for name in BENCHMARKS:
        _say(f"== python -m bench {name}")
        fresh = ["--fresh"] if args.fresh and name in REGENERATED else []
        status = subprocess.run([sys.executable, "-m", "bench", name, *fresh]).returncode
        if status:
            failed.append(f"{name} (exit status {status})")
        print(flush=True)
    _say("Missed targets or errors in: " + ", ".join(failed) if failed else "Every benchmark met its targets.")
    return 1 if failed else 0


# KASH pages -------------------------------------------------------------------------------


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench kash", description="The KASH pages benchmark.")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database even if reusable")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--team-size", type=int, default=50)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    return parser.parse_args(argv)


def _configure(database_url, *, debug=True, broker_dir=None):
    """The settings the benchmark runs with; they must be in the environment before Django starts.

    The sweep runs as the worker does in production: DEBUG off (no query log). The e-mail kicks it
    sends after each commit go to a filesystem broker in ``broker_dir`` (a temporary folder, so no
    real worker delivers anything from the benchmark): like Redis, it keeps them out of the process."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1" if debug else "0"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not debug:
        os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
        os.environ["CELERY_BROKER_URL"] = "filesystem://localhost/" if broker_dir else "memory://localhost/"
    if broker_dir:
        os.environ["VAR_DIR"] = broker_dir  # settings put the filesystem broker's folders under VAR_DIR
    import django

    django.setup()


def _say(message):
    print(message, flush=True)


def _admin_connection(database_url):
    """(an autocommit connection to the server's postgres database, the benchmark database's name)."""
    import dj_database_url
    import psycopg2

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
    return admin, name


def _prepare_database(database_url, scale, version, *, fresh):
    """Reuse the benchmark database if its marker matches (return the marker), else drop and create it."""
    from psycopg2 import sql

    admin, name = _admin_connection(database_url)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            row = cursor.fetchone()
            marker = _reusable(row[0], scale, version) if row is not None and not fresh else None
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


def _mark_database(scale, counts, version, **extra):
    from django.db import connection
    from django.utils import timezone

    marker = {
        "generator": version,
        "scale": dataclasses.asdict(scale),
        "generated_on": timezone.localdate().isoformat(),
        "counts": dataclasses.asdict(counts),
        **extra,
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


def main_kash(argv):
    args = _arguments(argv)
    _configure(args.database_url)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench import kash

    scale = kash.Scale(people=args.people, team_size=args.team_size, months=args.months)
    started = time.perf_counter()
    reused = _prepare_database(args.database_url, scale, kash.GENERATOR_VERSION, fresh=args.fresh)
    call_command("migrate", verbosity=0, interactive=False)
    if reused:
        generation = f"reused the data generated on {reused['generated_on']} (`--fresh` rebuilds it)"
        _say(f"Database {connection.settings_dict['NAME']}: {generation}.")
    else:
        _say(f"Generating {scale.people:,} people and {scale.months} months of assessments ...")
        counts = kash.generate(scale, log=_say)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _mark_database(scale, counts, kash.GENERATOR_VERSION)
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


# Onboarding sweep -------------------------------------------------------------------------


def _sweep_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench sweep",
        description="The onboarding sweep benchmark: the daily sweep over 100,000 due enrollments against one "
        "set-based UPDATE of the same rows, a rerun the same day, and its memory against 20,000 due rows.",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_SWEEP_DATABASE_URL") or DEFAULT_SWEEP_DATABASE_URL
    )
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database even if reusable")
    parser.add_argument("--enrollments", type=int, default=100_000, help="enrollments due in the measured run")
    parser.add_argument("--small", type=int, default=20_000, help="enrollments due in the memory comparison run")
    parser.add_argument("--baseline-runs", type=int, default=3, help="timed runs of the set-based UPDATE")
    parser.add_argument("--chunk-size", type=int, help="passed to sweep_due_enrollments (default: its own)")
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="profile a sweep with cProfile: auto = when the time target is missed",
    )
    parser.add_argument("--profile-rows", type=int, default=5_000, help="rows due in the profiled sweep")
    parser.add_argument("--keep-copy", action="store_true", help="keep the swept copy (…_run) for inspection")
    return parser.parse_args(argv)


def _sweep_version():
    """The generator version, and which program it uses: the default program once training 0004 exists."""
    from django.db.migrations.loader import MigrationLoader

    from bench import sweep

    shipped = sweep.DEFAULT_PROGRAM_MIGRATION in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return f"{sweep.GENERATOR_VERSION}+{'default' if shipped else 'bench'}-program"


def main_sweep(argv):
    args = _sweep_arguments(argv)
    _configure(args.database_url, debug=False)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from bench import sweep

    scale = sweep.Scale(enrollments=args.enrollments, small=min(args.small, args.enrollments))
    version = _sweep_version()
    started = time.perf_counter()
    reused = _prepare_database(args.database_url, scale, version, fresh=args.fresh)
    call_command("migrate", verbosity=0, interactive=False)
    if reused:
        today = datetime.date.fromisoformat(reused["data_today"])
        counts = reused["counts"]
        generation = f"reused the data generated on {reused['generated_on']} (`--fresh` rebuilds it)"
        _say(f"Database {connection.settings_dict['NAME']}: {generation}.")
    else:
        today = timezone.localdate()
        _say(f"Generating {scale.enrollments:,} enrollments due on {today} ...")
        generated = sweep.generate(scale, today=today, log=_say)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _mark_database(scale, generated, version, data_today=today.isoformat())
        counts = dataclasses.asdict(generated)
        total = time.perf_counter() - started
        generation = (
            f"built this run: data generated in {generated.seconds:.0f} s, {total:.0f} s with migrations and VACUUM"
        )
        _say(f"Built in {total:.0f} s.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    connections.close_all()  # the database is the template of each run's copy: no one may be connected

    every = max(1, round(scale.enrollments / scale.small))
    big = _sweep_measured(args, today, label=f"all {scale.enrollments:,} due")
    small = _sweep_measured(args, today, every=every, label=f"every {every}th due (memory comparison)")
    profiled = None
    if args.profile == "always" or (args.profile == "auto" and big.floor_ratio > sweep.MAX_FLOOR_RATIO):
        profile_path = settings.VAR_DIR / "bench-sweep.prof"
        profile_every = max(1, round(scale.enrollments / args.profile_rows))
        profiled = _sweep_measured(
            args, today, every=profile_every, profile=str(profile_path), label=f"every {profile_every}th due, cProfile"
        )
    if not args.keep_copy:
        _drop_copy(args.database_url)

    states = ", ".join(f"{n:,} {state}" for state, n in counts["by_state"].items())
    details = [
        f"PostgreSQL {server}, database `{settings.DATABASES['default']['NAME']}`; {generation}",
        f"Program {counts['program']}; {counts['batches']:,} batches in {counts['teams']:,} teams; "
        f"{counts['enrollments']:,} enrollments due on {today} ({states}); {counts['activities']:,} activities "
        f"of the current cycles, {counts['gate_checks']:,} gate checks, {counts['assessments']:,} KASH focus "
        "assessments",
        "Each run: a fresh copy of that database (CREATE DATABASE … TEMPLATE), measured in a fresh process as the "
        "worker runs the sweep (DEBUG off; a filesystem broker in a temporary folder stands in for Redis); the "
        "UPDATE first (a warm-up, then timed runs, each rolled back, then VACUUM), the set-based writes (rolled "
        "back, VACUUM), then `training.services.sweep_due_enrollments(today=…)`, then the same again",
        f"Memory: peak RSS (VmHWM, reset when the sweep starts) minus RSS at its start; the comparison run leaves "
        f"every {every}th enrollment due and moves the others' due date to tomorrow, so the tables are the same",
        f"Run at {datetime.datetime.now().isoformat(timespec='seconds')}, DEBUG=0, on {os.cpu_count()} CPUs",
    ]
    limit = _sweep_task_limit()
    if limit and big.sweep_s > limit:
        details.append(
            f"**The sweep took longer than the Celery task's soft time limit ({limit} s)**: the worker would stop it "
            "part-way (the chunks done so far stay committed; the next day's sweep picks up the rest)"
        )
    heading = "Onboarding sweep benchmark"
    text = sweep.report(big, small, heading=heading, details=details, profiled=profiled)
    print()
    print(text, flush=True)
    path = settings.VAR_DIR / "bench-sweep.md"
    path.write_text(text, encoding="utf-8")
    _say(f"Report written to {path}." + (f" Profile data: {profile_path}." if profiled else ""))
    return 1 if sweep.failures(big, small) else 0


def _sweep_task_limit():
    try:
        from training.tasks import sweep_enrollments
    except ImportError:
        return None
    return getattr(sweep_enrollments, "soft_time_limit", None)


def _copy_name(database_url):
    import dj_database_url

    return dj_database_url.parse(database_url)["NAME"] + "_run"


def _copy_url(database_url):
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(database_url)._replace(path="/" + _copy_name(database_url)))


def _copy_database(database_url):
    """A fresh copy (…_run) of the generated database, which stays untouched for the next run."""
    import psycopg2
    from psycopg2 import sql

    admin, name = _admin_connection(database_url)
    copy = _copy_name(database_url)
    strategy = sql.SQL(" STRATEGY FILE_COPY") if admin.server_version >= 150000 else sql.SQL("")
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
            for attempt in range(20):
                try:
                    cursor.execute(
                        sql.SQL("CREATE DATABASE {} TEMPLATE {}{}").format(
                            sql.Identifier(copy), sql.Identifier(name), strategy
                        )
                    )
                    break
                except psycopg2.errors.ObjectInUse:  # autovacuum is still on the template
                    if attempt == 19:
                        raise
                    time.sleep(1)
    finally:
        admin.close()


def _drop_copy(database_url):
    from psycopg2 import sql

    admin, _ = _admin_connection(database_url)
    try:
        with admin.cursor() as cursor:
            copy = sql.Identifier(_copy_name(database_url))
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(copy))
    finally:
        admin.close()


def _sweep_measured(args, today, *, label, every=None, profile=None):
    """Copy the database and measure one sweep on the copy in a fresh process; return its sweep.Run."""
    from bench import sweep

    _say(f"Sweep, {label}: copying the database ...")
    started = time.perf_counter()
    _copy_database(args.database_url)
    _say(f"  copied in {time.perf_counter() - started:.0f} s; measuring in a fresh process ...")
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as folder:
        out = os.path.join(folder, "run.json")
        command = [sys.executable, "-m", "bench", SWEEP_RUN, "--database-url", _copy_url(args.database_url)]
        command += ["--today", today.isoformat(), "--out", out, "--baseline-runs", str(args.baseline_runs)]
        command += ["--every", str(every)] if every else []
        command += ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
        command += ["--profile", profile] if profile else []
        command += ["--broker-dir", os.path.join(folder, "var")]
        subprocess.run(command, check=True)
        with open(out, encoding="utf-8") as result:
            run = sweep.Run(**json.load(result))
    _say(
        f"  {run.due:,} due: UPDATE {run.baseline_median_ms:,.0f} ms, floor {run.floor_total_ms / 1000:,.1f} s, "
        f"sweep {run.sweep_s:,.1f} s ({run.floor_ratio:,.2f}× the floor, {run.ratio:,.0f}× the UPDATE), "
        f"rerun {run.rerun_s * 1000:,.0f} ms, peak RSS +{run.rss_growth_mb:,.0f} MB"
    )
    return run


def sweep_run(argv):
    """The measuring process: a worker-like process that sweeps the copy once, then again."""
    parser = argparse.ArgumentParser(prog=f"python -m bench {SWEEP_RUN}", description=sweep_run.__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--today", required=True, type=datetime.date.fromisoformat)
    parser.add_argument("--out", required=True)
    parser.add_argument("--every", type=int)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--chunk-size", type=int)
    parser.add_argument("--profile")
    parser.add_argument("--broker-dir", required=True)
    args = parser.parse_args(argv)
    import dj_database_url

    name = dj_database_url.parse(args.database_url)["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to sweep {name!r}: the benchmark changes its database.")
    _configure(args.database_url, debug=False, broker_dir=args.broker_dir)

    from bench import sweep

    if args.every and args.every > 1:
        sweep.keep_due(args.today, every=args.every)
    run = sweep.measure(
        args.today, baseline_runs=args.baseline_runs, chunk_size=args.chunk_size, profile=args.profile or False
    )
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(dataclasses.asdict(run), out)
    return 0


# Navigation pages -------------------------------------------------------------------------

PAGES_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_pages"
SMALL_PAGES_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_pages_small"


def main_pages(argv):
    """`python -m bench pages`: every nav page as HR and supervisor at --people, query counts vs --small."""
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=main_pages.__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PAGES_DATABASE_URL") or PAGES_DATABASE_URL)
    parser.add_argument("--small-database-url", default=SMALL_PAGES_DATABASE_URL)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--out", help="(internal) write the pages as JSON here and print nothing else")
    args = parser.parse_args(argv)
    if args.out is None:
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
            out = os.path.join(folder, "small.json")
            small = [*argv, "--database-url", args.small_database_url, "--people", str(args.small), "--runs", "1"]
            subprocess.run([sys.executable, "-m", "bench", "pages", *small, "--out", out], check=True)
            with open(out, encoding="utf-8") as f:
                small_counts = {(p["role"], p["url"]): p["queries"] for p in json.load(f)}
    _configure(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from bench import pages

    scale, onboarding_scale = pages.scales(args.people)
    if not _prepare_database(args.database_url, scale, pages.GENERATOR_VERSION, fresh=args.fresh):
        call_command("migrate", verbosity=0, interactive=False)
        counts, onboarding = pages.generate(scale, onboarding_scale, log=_say)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        _mark_database(scale, counts, pages.GENERATOR_VERSION, onboarding=dataclasses.asdict(onboarding))
    else:
        call_command("migrate", verbosity=0, interactive=False)
    measured = pages.measure(runs=args.runs)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump([dataclasses.asdict(p) for p in measured], f)
        return 0
    for page in measured:
        page.small_queries = small_counts.get((page.role, page.url))
    _say(f"Navigation pages at {args.people:,} people (query counts also at {args.small:,}):")
    print(pages.report(measured), flush=True)
    return 1 if pages.failures(measured) else 0


if __name__ == "__main__":
    sys.exit(main())
