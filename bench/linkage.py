"""`python -m bench linkage`: the team coverage page and the playbook library at 10,000 people (issue 12, "Done
when"), with the four-abilities matrix beside them.

The world is ``bench.kash.generate``'s (10,000 people in teams of 50 with two years of KASH history); the shipped
linkage roles are mapped to its positions (junior, agent and senior agents are front-line agents, seniors also
second-line specialists, team leads supervisors) and the two shipped playbooks are published. The pages are
requested as the supervisor of team KB-T0001 and as HR (who picks that team), each against the trivial page
(position detail) of the same run and user, at three stages:

1. no linkage history at all;
2. three years of it: every person certified yearly on both playbooks (the last one still valid for most), a
   scored drill of each playbook per team and month for a year with three participants scored per step, and
   every person's acknowledgements;
3. the same with 150 more people moved into team KB-T0001 (200 members, all certified).

Targets: each page answers 200 with the same number of queries at the three stages, and its median at the last
stage is at most ``MAX_RATIO`` × the trivial page's. The database (default
postgres://postgres@127.0.0.1:5432/staffdev_bench_linkage, or BENCH_LINKAGE_DATABASE_URL; its name must contain
"bench") is dropped and built again each run. The report is printed and written to var/bench-linkage.md."""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_linkage"
MAX_RATIO = 8.0
EXTRA_MEMBERS = 150
DRILL_MONTHS = 12
CERTIFIED_YEARS = 3
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
ROLE_POSITIONS = {"front-line-agent": ("JR", "AG", "SR"), "second-line-specialist": ("SR",), "supervisor": ("TL",)}


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench linkage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_LINKAGE_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24, help="months of KASH history")
    parser.add_argument("--runs", type=int, default=15, help="timed rounds at the last stage")
    parser.add_argument("--warmup", type=int, default=2)
    return parser.parse_args(argv)


# The world ---------------------------------------------------------------------------------------------------


def map_roles():
    """The shipped linkage roles held by the benchmark's positions."""
    from bench import kash
    from linkage.models import LinkageRole
    from staff.models import Position

    positions = {p.code.removeprefix(f"{kash.PREFIX}-"): p for p in Position.objects.filter(code__startswith="KB-")}
    for role in LinkageRole.objects.filter(code__in=ROLE_POSITIONS):
        role.positions.set([positions[key] for key in ROLE_POSITIONS[role.code]])


def hr_user():
    from django.contrib.auth import get_user_model

    from staff.services import ensure_hr_group

    user, _ = get_user_model().objects.get_or_create(username="bench-linkage-hr", defaults={"is_staff": True})
    user.groups.add(ensure_hr_group())
    return user


def _years_before(day, years):
    """The same day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _at(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def add_history(today, *, team_ids=None):
    """Certifications (yearly, CERTIFIED_YEARS of them), monthly scored drills per team and playbook with step
    scores, and acknowledgements, for the active members of ``team_ids`` (every team when None). Returns the
    number of rows written."""
    from linkage.models import (
        Acknowledgement,
        Certification,
        LinkageRole,
        PlaybookVersion,
    )
    from staff.models import Employee, Stage

    versions = list(PlaybookVersion.objects.filter(status="published").prefetch_related("steps"))
    people = Employee.objects.exclude(stage=Stage.LEFT).filter(team__isnull=False)
    if team_ids is not None:
        people = people.filter(team_id__in=team_ids)
    people = list(people.values_list("pk", "team_id", "team__supervisor_id", "position_id"))
    holders = {role.pk: set(role.positions.values_list("pk", flat=True)) for role in LinkageRole.objects.all()}
    written = 0
    certifications = []
    for n, (pk, _team, _sup, _position) in enumerate(people):
        for version in versions:
            for years_ago in range(CERTIFIED_YEARS):
                certified_on = _years_before(today, years_ago) - datetime.timedelta(days=30 + n % 300)
                if years_ago == 0 and n % 10 == 0:
                    continue  # one in ten let the last one lapse
                certifications.append(
                    Certification(
                        employee_id=pk,
                        playbook_id=version.playbook_id,
                        certified_on=certified_on,
                        expires_on=_years_before(certified_on, -1),
                    )
                )
    Certification.objects.bulk_create(certifications, batch_size=5_000, ignore_conflicts=True)
    written += len(certifications)
    acknowledgements = [
        Acknowledgement(version=version, employee_id=pk, acknowledged_at=_at(today - datetime.timedelta(days=40)))
        for pk, *_rest in people
        for version in versions
    ]
    Acknowledgement.objects.bulk_create(acknowledgements, batch_size=5_000, ignore_conflicts=True)
    written += len(acknowledgements)
    by_team = {}
    for pk, team_id, supervisor_id, position_id in people:
        by_team.setdefault(team_id, (supervisor_id, []))[1].append((pk, position_id))
    written += _drills(today, versions, by_team, holders)
    return written


def _drills(today, versions, by_team, holders):
    """A scored drill of each version per team and month: for each scripted step's owner role one member who
    holds it, scored on her steps (one in four failed)."""
    from linkage.models import Drill, DrillParticipant, StepScore

    written = 0
    for month in range(1, DRILL_MONTHS + 1):
        on = _at(today - datetime.timedelta(days=30 * month))
        drills, casts = [], []
        for team_id, (supervisor_id, members) in by_team.items():
            if supervisor_id is None:
                continue
            for version in versions:
                steps = [s for s in version.steps.all() if s.is_scripted]
                cast, used = {}, set()
                for step in steps:
                    if step.owner_id in cast:
                        continue
                    pool = [pk for pk, position in members if position in holders[step.owner_id] and pk not in used]
                    if pool:
                        cast[step.owner_id] = pool[(month * 7 + len(used)) % len(pool)]
                        used.add(cast[step.owner_id])
                if not cast:
                    continue
                drills.append(
                    Drill(
                        version=version,
                        team_id=team_id,
                        status="scored",
                        scheduled_for=on,
                        scored_at=on,
                        examiner_id=supervisor_id,
                    )
                )
                casts.append((steps, cast))
        Drill.objects.bulk_create(drills, batch_size=2_000)
        participants = [
            DrillParticipant(drill=drill, employee_id=pk, role_id=role_id, passed=True)
            for drill, (_steps, cast) in zip(drills, casts, strict=True)
            for role_id, pk in cast.items()
        ]
        DrillParticipant.objects.bulk_create(participants, batch_size=5_000)
        by_drill_role = {(p.drill_id, p.role_id): p for p in participants}
        scores = [
            StepScore(
                drill=drill,
                step=step,
                participant=by_drill_role[(drill.pk, step.owner_id)],
                action_ok=passed,
                handoff_ok=True,
                passed=passed,
                seconds=60,
            )
            for drill, (steps, cast) in zip(drills, casts, strict=True)
            for n, step in enumerate(steps)
            if step.owner_id in cast
            for passed in [(drill.pk + n) % 4 != 0]
        ]
        StepScore.objects.bulk_create(scores, batch_size=5_000)
        written += len(drills) + len(participants) + len(scores)
    return written


def grow_team(team):
    """EXTRA_MEMBERS people of other teams move into ``team`` (with their certifications and history)."""
    from staff.models import Employee, Stage

    moved = list(
        Employee.objects.exclude(team=team)
        .exclude(stage__in=[Stage.LEFT, Stage.MANAGEMENT])
        .order_by("pk")
        .values_list("pk", flat=True)[:EXTRA_MEMBERS]
    )
    Employee.objects.filter(pk__in=moved).update(team=team)
    return len(moved)


# Measurement -------------------------------------------------------------------------------------------------


def _vacuum():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _queries(client, url):
    """(status, queries) of one request after a warm-up (an execute wrapper: DEBUG is off)."""
    from django.db import connection

    client.get(url, secure=True)
    count = []

    def counted(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        response = client.get(url, secure=True)
    return response.status_code, len(count), len(response.content)


def pages(chosen, hr):
    """[(user label, user, page name, url, is trivial)]."""
    from django.urls import reverse

    trivial = reverse("staff:position-detail", args=[chosen.position.pk])
    team = f"?team={chosen.team.pk}"
    rows = []
    for label, user, suffix in (("supervisor", chosen.supervisor_user, ""), ("HR", hr, team)):
        rows += [
            (label, user, "trivial: position detail", trivial, True),
            (label, user, "team coverage", reverse("linkage:coverage") + suffix, False),
            (label, user, "playbook library", reverse("linkage:library"), False),
            (label, user, "four abilities", reverse("linkage:abilities") + suffix, False),
        ]
    return rows


def measure(chosen, hr, stages, *, runs, warmup):
    """{(user, page): {"queries": [per stage], "status": [...], "times": [ms at the last stage], ...}}."""
    from django.test import Client

    from bench import kash

    clients = {}
    for label, user in (("supervisor", chosen.supervisor_user), ("HR", hr)):
        clients[label] = Client()
        clients[label].force_login(user, backend=kash.MODEL_BACKEND)
    listed = pages(chosen, hr)
    results = {
        (label, name): {"url": url, "trivial": trivial, "queries": [], "status": [], "times": [], "kb": 0}
        for label, _user, name, url, trivial in listed
    }
    for _stage, grow in stages:
        grow()
        _vacuum()
        for label, _user, name, url, _trivial in listed:
            status, queries, size = _queries(clients[label], url)
            results[(label, name)]["status"].append(status)
            results[(label, name)]["queries"].append(queries)
            results[(label, name)]["kb"] = size / 1024
    for _ in range(warmup):
        for label, _user, _name, url, _trivial in listed:
            clients[label].get(url, secure=True)
    for _ in range(runs):  # a round requests every page once: load elsewhere weighs on all alike
        for label, _user, name, url, _trivial in listed:
            started = time.perf_counter()
            clients[label].get(url, secure=True)
            results[(label, name)]["times"].append((time.perf_counter() - started) * 1000)
    return results


def report(results, stage_names, *, max_ratio=MAX_RATIO):
    """(markdown lines, missed targets)."""
    lines = [
        "| user | page | status | queries (" + " → ".join(stage_names) + ") | median ms | × trivial | HTML KB |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    missed = []
    for (label, name), row in results.items():
        base = statistics.median(results[(label, "trivial: position detail")]["times"])
        median = statistics.median(row["times"])
        ratio = median / base if base else 0.0
        lines.append(
            f"| {label} | {name} `{row['url']}` | {'/'.join(map(str, sorted(set(row['status']))))} | "
            f"{' → '.join(map(str, row['queries']))} | {median:.1f} | {ratio:.1f} | {row['kb']:.0f} |"
        )
        if row["trivial"]:
            continue
        if set(row["status"]) != {200}:
            missed.append(f"{label} {name}: status {row['status']}")
        if len(set(row["queries"])) > 1:
            missed.append(f"{label} {name}: queries {row['queries']} grow with the data")
        if ratio > max_ratio:
            missed.append(f"{label} {name}: {ratio:.1f}× the trivial page (target ≤ {max_ratio:g}×)")
    return lines, missed


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
    from django.utils import timezone

    from bench import kash
    from staff.models import Employee

    call_command("migrate", verbosity=0, interactive=False)
    today = timezone.localdate()
    _say(f"Generating {args.people:,} people and {args.months} months of KASH history ...")
    counts = kash.generate(kash.Scale(people=args.people, months=args.months), log=_say)
    map_roles()
    _vacuum()
    chosen, hr = kash.subjects(), hr_user()
    added = {}

    def history():
        started = time.perf_counter()
        added["history"] = add_history(today)
        _say(f"  linkage history: {added['history']:,} rows in {time.perf_counter() - started:.0f} s")

    def grow():
        added["moved"] = grow_team(chosen.team)

    stages = [("none", lambda: None), ("history", history), (f"+{EXTRA_MEMBERS} in the team", grow)]
    _say("Measuring ...")
    # DEBUG is off (as in production); the pages need no collected static files (no manifest) to be measured.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}):
        results = measure(chosen, hr, stages, runs=args.runs, warmup=args.warmup)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    members = Employee.objects.filter(team=chosen.team).count()
    lines, missed = report(results, [name for name, _grow in stages])
    lines = [
        "# bench linkage",
        "",
        f"PostgreSQL {version}, {os.cpu_count()} CPUs, DEBUG=0; {counts.people:,} people in {counts.teams} teams, "
        f"{counts.scores:,} KASH scores; linkage history {added.get('history', 0):,} rows; team {chosen.team.code} "
        f"has {members} members at the last stage. Median of {args.runs} rounds; run at "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}.",
        "",
        *lines,
        "",
        "Missed: " + "; ".join(missed) if missed else "Every target met.",
    ]
    text = "\n".join(lines)
    print(text, flush=True)
    out = Path(__file__).resolve().parents[1] / "var" / "bench-linkage.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
