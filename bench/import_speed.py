"""`python -m bench import-speed`: how long HR's employee import takes at 100,000 rows (issue 10 §3: preview and
import within 60 s each, and within 3× a bulk `INSERT … ON CONFLICT` of the same rows).

On a scratch PostgreSQL database (default postgres://postgres@127.0.0.1:5432/staffdev_bench_import_speed, or
BENCH_IMPORT_SPEED_DATABASE_URL; dropped and created each run, so its name must contain "bench") holding 20
teams, a position and a veteran mentor, a CSV of new hires (every tenth mentored by the veteran, every
hundredth by the new hire ten rows above) is measured, side by side in one run:

- baseline: one set-based `INSERT … ON CONFLICT DO NOTHING` of the same rows (``config.bulk.insert_rows``,
  codes already turned into ids), rolled back;
- preview: the file checked by an import job (``staff.import_jobs.run``, what HR's upload of a big file runs on
  the worker: chunked, in one transaction rolled back);
- import: the job confirmed and imported;
- re-import: the same file again (checked, confirmed, imported), which must change 0 rows.

Peak memory is the process's (ru_maxrss) after each step; the target is ≤ 300 MB for any import.

The report is printed and written to var/bench-import-speed.md; the exit status is 1 when a target is missed.
"""

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_import_speed"
TARGET_SECONDS = 60
TARGET_RATIO = 3
TARGET_MB = 300
TEAMS = 20
HEADER = ["employee_number", "name", "email", "hire_date", "team", "position", "stage", "mentor"]


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench import-speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_IMPORT_SPEED_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    return parser.parse_args(argv)


def _recreate_database(database_url):
    from psycopg2 import sql

    from bench.__main__ import _admin_connection

    admin, name = _admin_connection(database_url)  # refuses a name without "bench"
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()


def _world():
    from django.contrib.auth import get_user_model

    from staff.models import Department, Employee, Position, Site, Stage, Team

    site = Site.objects.create(code="BI", name="Bench import")
    department = Department.objects.create(code="BI-D", name="Bench import", site=site)
    Team.objects.bulk_create(Team(code=f"BI-T{n:02d}", name=f"Team {n}", department=department) for n in range(TEAMS))
    Position.objects.create(code="BI-AGENT", title="Agent", department=department, headcount=10**6, grade=3)
    Employee.objects.create(employee_number="BV00000", name="Veteran", hire_date="2020-01-01", stage=Stage.GROWTH)
    return get_user_model().objects.create(username="bench-hr", is_superuser=True, is_staff=True)


def _rows(count):
    for n in range(count):
        mentor = "BV00000" if n % 10 == 1 else (f"BN{n - 10:06d}" if n % 100 == 50 else "")
        team = f"BI-T{n % TEAMS:02d}"
        yield [f"BN{n:06d}", f"新员工{n}", f"bn{n}@bank.example", "2026-03-01", team, "BI-AGENT", "growth", mentor]


def _csv(count):
    lines = [",".join(HEADER), *(",".join(row) for row in _rows(count))]
    return ("\r\n".join(lines) + "\r\n").encode()


def _baseline(count):
    """Seconds of one `INSERT … ON CONFLICT` of the same rows (ids resolved beforehand), rolled back."""
    from django.db import transaction

    from config.bulk import insert_rows
    from staff.models import Employee, Position, Team

    teams = dict(Team.objects.values_list("code", "pk"))
    position = Position.objects.get(code="BI-AGENT").pk
    veteran = Employee.objects.get(employee_number="BV00000").pk
    columns = ["employee_number", "name", "email", "hire_date", "team", "position", "stage", "mentor", "language"]
    rows = [
        # The ten-rows-above mentor is a row of this same insert: the baseline leaves it to the veteran.
        (
            number,
            name,
            email,
            datetime.date(2026, 3, 1),
            teams[team],
            position,
            stage,
            veteran if mentor else None,
            "zh-hans",
        )
        for number, name, email, _hired, team, _position, stage, mentor in _rows(count)
    ]
    with transaction.atomic():
        started = time.perf_counter()
        inserted = insert_rows(Employee, columns, rows, ignore_conflicts=True)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    assert inserted == count, inserted
    return seconds


class _Totals:
    """What the bench reads of a job: its totals and problems."""

    def __init__(self, job):
        self.totals = {kind: job.totals.get(kind, 0) for kind in ("new", "update", "skip")}
        self.problems = job.problems


def _job(data, user, *, job=None):
    """(seconds, totals, the process's peak memory so far in MB) of a job checking ``data`` (no ``job``) or
    importing the checked ``job``."""
    from staff import import_jobs
    from staff.imports import ImportTempStorage
    from staff.models import ImportJob

    started = time.perf_counter()
    if job is None:
        upload = ImportTempStorage(read_mode="rb")
        upload.save(data)
        job = ImportJob.objects.create(resource="employee", upload_name=upload.name, file_name="bench.csv", actor=user)
    else:
        import_jobs.confirm(job_id=job.pk, actor=user, confirmed_digest=job.identity_digest)
    import_jobs.run(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    return seconds, _Totals(job), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, job


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say

    _recreate_database(args.database_url)
    _configure(args.database_url, debug=False)
    from django.core.management import call_command
    from django.db import connection

    from staff.models import Employee

    call_command("migrate", verbosity=0, interactive=False)
    user = _world()
    data = _csv(args.rows)
    _say(f"{args.rows:,} rows, {len(data) / (1 << 20):.1f} MB of CSV; measuring ...")
    baseline = _baseline(args.rows)
    *preview, job = _job(data, user)
    *imported, _ = _job(data, user, job=job)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    history_before = Employee.history.count()
    *_checked, again = _job(data, user)
    *reimport, _ = _job(data, user, job=again)
    changed = reimport[1].totals["new"] + reimport[1].totals["update"] + Employee.history.count() - history_before

    checks = [
        ("preview", *preview, preview[1].totals["new"] == args.rows),
        ("import", *imported, Employee.objects.count() == args.rows + 1),
        ("re-import", *reimport, changed == 0),
    ]
    lines = [
        f"# bench import-speed — {args.rows:,} employee rows "
        f"(targets: ≤ {TARGET_SECONDS} s, ≤ {TARGET_RATIO}× bulk SQL, ≤ {TARGET_MB} MB)",
        "",
        f"PostgreSQL, database `{connection.settings_dict['NAME']}`; import jobs (staff.import_jobs); "
        f"run at {datetime.datetime.now().isoformat(timespec='seconds')}.",
        "",
        "| step | seconds | × bulk SQL | rows/s | peak RSS so far | answer |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| bulk `INSERT … ON CONFLICT` | {baseline:.2f} | 1.0 | {args.rows / baseline:,.0f} | | baseline |",
    ]
    failed = []
    for name, seconds, result, peak_mb, correct in checks:
        ratio = seconds / baseline
        too_slow = seconds > TARGET_SECONDS or (name != "re-import" and ratio > TARGET_RATIO)
        if not correct or result.problems or too_slow or peak_mb > TARGET_MB:
            failed.append(name)
        answer = ", ".join(f"{kind} {n:,}" for kind, n in result.totals.items() if n)
        problems = f"; problems: {result.problems[:3]}" if result.problems else ""
        speed = f"{seconds:.2f} | {ratio:.1f} | {args.rows / seconds:,.0f}"
        lines.append(f"| {name} | {speed} | {peak_mb:.0f} MB | {answer}{problems} |")
    lines += ["", f"Missed: {', '.join(failed)}" if failed else "Every target met."]
    report = "\n".join(lines)
    print(report)
    out = Path(__file__).resolve().parents[1] / "var" / "bench-import-speed.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
