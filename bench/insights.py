"""`python -m bench insights`: the manager's dashboard, the cohort explorer and the other insight pages at 10,000
people and three years of KPI history, and the nightly refresh of the ramp's aggregate (issue 16, "Proven by").

The world is ``bench.kash.generate``'s (10,000 people in 200 teams of 50, hired over four years). On it, set-based
(INSERT … SELECT over generate_series, month by month): a day of every agent for every day since her hire date —
first one month, then three years (about 7 million agent days), and a scorecard of every agent for every closed
month (first the last one, then three years). After each size the aggregate is rebuilt and the pages (dashboard,
cohort explorer by hire month and by team, KPI ramp, effects, organisation health) are measured as HR (the whole
centre; bench.kash.measure: warm-ups, one request with its queries captured, then timed rounds in which every
page is requested once). Targets: the same query count after a month and after three years, and a median
≤ ``MAX_RATIO`` × the trivial page's after three years.

The refresh: yesterday's file arrives (an ingest of one day), then the nightly refresh runs (it rewrites that
week); its median over ``--refresh-runs`` runs is compared with the median of the full rebuild's one grouped SQL
statement over the whole history: target ≤ ``MAX_REFRESH_RATIO`` ×. Time to proficiency is refreshed in full over
the three years of scorecards, then nightly (only the people not yet proficient); both are reported.

Database: postgres://postgres@127.0.0.1:5432/staffdev_bench_insights (or BENCH_INSIGHTS_DATABASE_URL; the name
must contain "bench"), dropped and built again each run. The report is printed and written to
var/bench-insights.md."""

import argparse
import datetime
import os
import statistics
import sys
import time
from types import SimpleNamespace

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/staffdev_bench_insights"
MAX_RATIO = 8.0
MAX_REFRESH_RATIO = 3.0
KASH_MONTHS = 1  # KASH assessments in the last month (bench.kash.generate)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench insights", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_INSIGHTS_DATABASE_URL") or DEFAULT_DATABASE_URL)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--refresh-runs", type=int, default=5)
    return parser.parse_args(argv)


def _sql(statement, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def add_days(first, last, *, finished_at=None):
    """A day of every agent with a team for every day of [first, last] from her hire date on, in one ingest (one
    INSERT … SELECT). Returns the number of rows."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kpis.models import AgentDay, Channel, Ingest, Source
    from staff.models import Department, Employee, Team

    actor = get_user_model().objects.filter(is_superuser=True).first()
    ingest = Ingest.objects.create(
        source=Source.AGENT,
        channel=Channel.FILE,
        actor=actor,
        status="done",
        first_on=first,
        last_on=last,
        finished_at=finished_at or timezone.now(),
    )
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
        "CROSS JOIN generate_series(%s::date, %s::date, interval '1 day') WITH ORDINALITY AS s(d, g) "
        "WHERE d::date >= e.hire_date AND e.stage <> 'left'",
        [ingest.pk, first, last],
    )


def add_scorecards(first, last):
    """A scorecard of every agent with a team for every month of [first, last] from her hire month on (one
    INSERT … SELECT): Far below or Below in her first two months, then a steady mix (about half Meets or better),
    so time to proficiency and the dashboard's bands read a realistic table. Returns the number of rows."""
    from django.utils import timezone

    from kpis.models import Scorecard, WeightSet
    from staff.models import Department, Employee, Site, Team

    month = first.replace(day=1)
    for site in Site.objects.all():
        WeightSet.objects.get_or_create(site=site, month=month, defaults={"note": "bench"})
    return _sql(
        f"INSERT INTO {Scorecard._meta.db_table} (employee_id, month, site_id, team_id, weight_set_id, components, "
        "composite, band, pay_grade, pay_coefficient, computed_at) "
        "SELECT e.id, m::date, dep.site_id, e.team_id, w.id, '[]'::jsonb, 60 + (e.id + g) %% 40, "
        "CASE WHEN m::date < date_trunc('month', e.hire_date) + interval '2 months' "
        "THEN (ARRAY['below', 'far_below'])[1 + (e.id + g) %% 2] "
        "ELSE (ARRAY['excellent', 'meets', 'meets', 'below', 'below', 'far_below'])[1 + (e.id * 7 + g) %% 6] END, "
        "(ARRAY['P3', 'P4'])[1 + e.id %% 2], 1.00, %s "
        f"FROM {Employee._meta.db_table} e JOIN {Team._meta.db_table} t ON t.id = e.team_id "
        f"JOIN {Department._meta.db_table} dep ON dep.id = t.department_id "
        f"JOIN {WeightSet._meta.db_table} w ON w.site_id = dep.site_id AND w.month = %s "
        "CROSS JOIN generate_series(%s::date, %s::date, interval '1 month') WITH ORDINALITY AS s(m, g) "
        "WHERE m::date >= date_trunc('month', e.hire_date) AND e.stage <> 'left'",
        [timezone.now(), month, month, last.replace(day=1)],
    )


def playbooks_went_live(published, pilot_teams=10):
    """The shipped playbooks (published when the migration ran) went live on ``published``, after a three-week
    pilot in ``pilot_teams`` teams: their windows then span the history (before, pilot, and two years since)."""
    from linkage.models import PlaybookVersion, VersionEvent, VersionStatus
    from staff.models import Team

    at = datetime.datetime.combine(published, datetime.time(9), tzinfo=datetime.UTC)
    teams = list(Team.objects.order_by("pk")[:pilot_teams])
    versions = PlaybookVersion.objects.filter(status=VersionStatus.PUBLISHED, playbook__target_kpis__isnull=False)
    for version in versions.distinct():
        VersionEvent.objects.filter(version=version, to_status=VersionStatus.PUBLISHED).update(at=at)
        piloted = VersionEvent.objects.create(version=version, to_status=VersionStatus.PILOT)
        VersionEvent.objects.filter(pk=piloted.pk).update(at=at - datetime.timedelta(weeks=3))
        version.pilot_teams.set(teams)


def _months_between(first, last):
    """[(first day, last day)] of the calendar months covering [first, last], cut to it."""
    spans, start = [], first
    while start <= last:
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        spans.append((start, min(following - datetime.timedelta(days=1), last)))
        start = following
    return spans


def main(argv=None):
    args = _arguments(list(sys.argv[1:] if argv is None else argv))
    from bench.__main__ import _configure, _say
    from bench.import_speed import _recreate_database

    _recreate_database(args.database_url)  # refuses a name without "bench"
    _configure(args.database_url, debug=False)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import override_settings
    from django.urls import reverse
    from django.utils import timezone

    from bench import kash
    from bench.kpi import _vacuum
    from bench.kpi_pages import PLAIN_STATIC
    from insights.models import Proficiency, RampWeek
    from insights.services import aggregates
    from kpis.models import AgentDay
    from tests.staff.factories import make_hr_user

    call_command("migrate", verbosity=0, interactive=False)
    _say(f"Generating {args.people:,} people ...")
    kash.generate(kash.Scale(people=args.people, months=KASH_MONTHS), log=_say)
    chosen = kash.subjects()
    hr = make_hr_user(username="bench-hr")
    viewer = SimpleNamespace(supervisor_user=hr, position=chosen.position)
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    history_start = today - datetime.timedelta(days=365 * args.years)
    month_start = yesterday - datetime.timedelta(days=29)

    def pages(_viewer):
        return [
            ("Trivial: position detail", reverse("staff:position-detail", args=[chosen.position.pk]), True),
            ("Manager's dashboard", reverse("insights:dashboard"), False),
            ("Cohort explorer", reverse("insights:cohorts"), False),
            ("Cohort explorer by team", reverse("insights:cohorts") + "?group=team", False),
            ("KPI ramp", reverse("insights:ramp"), False),
            ("Effects", reverse("insights:effects"), False),
            ("Organisation health", reverse("insights:health"), False),
        ]

    kash.pages, original = pages, kash.pages  # measure the insight pages with kash's timing loop
    results, sizes = {}, {}
    try:
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}):
            started = time.perf_counter()
            days = add_days(month_start, yesterday)
            closed_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
            scorecards = add_scorecards(closed_month, closed_month)
            aggregates.refresh_ramp(full=True)
            playbooks_went_live(history_start + datetime.timedelta(days=365))
            aggregates.refresh_playbooks()
            _vacuum()
            sizes["month"] = (days, RampWeek.objects.count())
            _say(f"  one month: {days:,} agent days in {time.perf_counter() - started:.0f} s")
            results["month"] = kash.measure(viewer, runs=max(3, args.runs // 4), warmup=2, client=kash.HttpsClient())
            started = time.perf_counter()
            for first, last in _months_between(history_start, month_start - datetime.timedelta(days=1)):
                days += add_days(first, last)
            scorecards += add_scorecards(history_start, closed_month - datetime.timedelta(days=1))
            _say(f"  {args.years} years: {days:,} agent days in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            aggregates.refresh_ramp(full=True)
            rebuild_seconds = time.perf_counter() - started
            _vacuum()
            sizes["history"] = (days, RampWeek.objects.count())
            _say(f"  full rebuild of the ramp: {sizes['history'][1]:,} rows in {rebuild_seconds:.1f} s")
            started = time.perf_counter()
            proficiency_people = aggregates.refresh_proficiency(full=True)
            proficiency_seconds = time.perf_counter() - started
            proficient = Proficiency.objects.filter(proficient_on__isnull=False).count()
            started = time.perf_counter()
            proficiency_nightly_people = aggregates.refresh_proficiency()
            proficiency_nightly_seconds = time.perf_counter() - started
            started = time.perf_counter()
            playbook_rows = aggregates.refresh_playbooks()
            playbook_seconds = time.perf_counter() - started
            results["history"] = kash.measure(viewer, runs=args.runs, warmup=3, client=kash.HttpsClient())
    finally:
        kash.pages = original

    # The nightly refresh after yesterday's file, against the full rebuild's one grouped statement.
    def statement():
        list(aggregates.ramp_sums(None))

    def nightly(night):
        """Night ``night`` (1, 2, …, a day apart on the refresh's clock): yesterday's file arrives again (untimed),
        then the timed refresh, which must rewrite that week."""
        arrived = timezone.now() + datetime.timedelta(days=night)
        with transaction.atomic():
            AgentDay.objects.filter(on=yesterday).delete()
            add_days(yesterday, yesterday, finished_at=arrived)
        started = time.perf_counter()
        rewrote = aggregates.refresh_ramp(now=arrived + datetime.timedelta(hours=2))
        seconds = time.perf_counter() - started
        if rewrote is False:
            raise RuntimeError("the nightly refresh found no new ingest")
        return seconds

    statement_seconds = kash.median_seconds(statement, args.refresh_runs)
    nightly_seconds = statistics.median(nightly(night) for night in range(1, args.refresh_runs + 1))
    refresh_ratio = nightly_seconds / statement_seconds

    month, history = results["month"], results["history"]
    missed = []  # beyond kash.report's own list of pages over the ratio
    for small, large in zip(month, history, strict=True):
        if small.queries != large.queries:
            missed.append(f"{large.name}: {small.queries} queries after a month, {large.queries} after the history")
    if refresh_ratio > MAX_REFRESH_RATIO:
        missed.append(
            f"nightly refresh {refresh_ratio:.2f}× the full rebuild's statement (target ≤ {MAX_REFRESH_RATIO}×)"
        )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    details = [
        f"PostgreSQL {version}, database `{connection.settings_dict['NAME']}`, DEBUG=0, run at "
        f"{datetime.datetime.now().isoformat(timespec='seconds')}",
        f"{args.people:,} people in teams of 50 hired over four years; {sizes['history'][0]:,} agent days over "
        f"{args.years} years; the ramp aggregate {sizes['history'][1]:,} rows (after one month: "
        f"{sizes['month'][0]:,} agent days, {sizes['month'][1]:,} rows)",
        "as HR (the whole centre); queries after one month: " + ", ".join(f"{r.name} {r.queries}" for r in month),
        f"full rebuild of the ramp aggregate: {rebuild_seconds:.1f} s; its grouped statement alone (median of "
        f"{args.refresh_runs}): {statement_seconds * 1000:.0f} ms; the nightly refresh after yesterday's file (median "
        f"of {args.refresh_runs}; the file's own insert not counted): {nightly_seconds * 1000:.0f} ms = "
        f"{refresh_ratio:.2f}× the statement (target ≤ {MAX_REFRESH_RATIO}×)",
        f"time to proficiency over {scorecards:,} scorecards: the full refresh read {proficiency_people:,} people "
        f"in {proficiency_seconds:.1f} s ({proficient:,} proficient); the nightly refresh reads only those not yet "
        f"proficient: {proficiency_nightly_people:,} people in {proficiency_nightly_seconds:.2f} s",
        f"the playbooks' effect sums (the shipped playbooks live for two years after a three-week pilot in 10 teams; "
        f"every window read again each night): {playbook_rows:,} rows in {playbook_seconds:.1f} s",
    ]
    text = kash.report(history, heading="Insights pages (issue 16)", details=details, max_queries=10**6)
    text = text.replace(
        "Targets per KASH page: ≤ 1000000 queries and",
        "Targets per page: the same query count after a month and after the history, and",
    )
    if missed:
        text += "\n" + "\n".join(f"- MISSED — {m}" for m in missed) + "\n"
    missed += kash.failures(history, max_queries=10**6, max_ratio=MAX_RATIO)
    print(text, flush=True)
    path = settings.VAR_DIR / "bench-insights.md"
    path.write_text(text, encoding="utf-8")
    _say(f"Report written to {path}.")
    return 1 if missed else 0
