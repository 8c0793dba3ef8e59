"""The nightly aggregates of insights (issue 16 §6): what a page would otherwise sum over years of daily rows is
kept here, week by week, keyed and idempotent like the sweeps.

The KPI ramp (``RampWeek``): one grouped read of the agent days of the weeks to rewrite — per team, calendar week
and the hire week of the new hires (an agent is new in the 26 weeks after her hire date; everyone else on the
team is the tenured baseline) — then those weeks' rows are replaced in one transaction. A nightly run rewrites the
weeks of every KPI ingest finished since the last run (revisions included; an hour of overlap, so an ingest that
committed while the last run read is not missed), and a rerun writes the same rows again; the first run, and
``full=True``, rebuild everything. The mark row is locked for the run, so two
runs never interleave.

Time to proficiency (``Proficiency``) is kept for everyone not yet proficient, and the playbooks' effects
(``PlaybookSums``) are rewritten every night, since their windows run to yesterday."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Case, DateField, F, Min, Q, Sum, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from kpis.models import AgentDay, Band, Ingest, QueueDay, Scorecard
from kpis.selectors.results import measure_sums, month_end, week_start
from staff.models import Employee
from training import kash
from training.selectors.kash import counting_scores, source_weights, targets_by_employee

from ..models import PlaybookSums, Proficiency, RampWeek, RefreshMark
from ..selectors import playbooks as playbook_selectors

RAMP = "kpi_ramp"
PROFICIENCY = "proficiency"
PLAYBOOKS = playbook_selectors.MARK
TENURED_BANDS = (Band.EXCELLENT, Band.MEETS)  # the band a tenured agent is expected to hold
PROFICIENCY_YEARS = 5  # people hired longer ago than the cohort explorer's longest window are left out
CHUNK = 500
RAMP_WEEKS = 26  # tenure weeks 0–25 are the ramp; from week 26 an agent counts in the tenured baseline
MEASURES = ("inbound_handled", "fcr_resolved", "handle_seconds", "csat_responses", "csat_satisfied")
BATCH = 5000
OVERLAP = datetime.timedelta(hours=1)


def ramp_sums(start=None):
    """The grouped read: Σ of each measure per (team, week, hire week of a new hire or None for the tenured), over
    the agent days from ``start`` (a Monday; None: all of them). One SQL statement."""
    rows = AgentDay.objects.order_by()
    if start is not None:
        rows = rows.filter(on__gte=start)
    is_new = Q(employee__hire_date__lte=F("on"), employee__hire_date__gt=F("on") - datetime.timedelta(weeks=RAMP_WEEKS))
    return (
        rows.annotate(
            week=TruncWeek("on"),
            cohort=Case(When(is_new, then=TruncWeek("employee__hire_date")), default=None, output_field=DateField()),
        )
        .values("team_id", "week", "cohort")
        .annotate(**{name: Sum(name) for name in MEASURES})
    )


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def ramp_rows(grouped):
    """RampWeek rows from the grouped sums: each new-hire cohort's week next to its team's tenured sums that week."""
    grouped = list(grouped)
    baseline = {(g["team_id"], _as_date(g["week"])): g for g in grouped if g["cohort"] is None}
    rows = []
    for g in grouped:
        if g["cohort"] is None:
            continue
        week, hire_week = _as_date(g["week"]), _as_date(g["cohort"])
        tenure = (week - hire_week).days // 7
        if not 0 <= tenure < RAMP_WEEKS:
            continue
        base = baseline.get((g["team_id"], week), {})
        rows.append(
            RampWeek(
                team_id=g["team_id"],
                week=week,
                hire_week=hire_week,
                tenure_week=tenure,
                **{f"new_{name}": g[name] or 0 for name in MEASURES},
                **{f"base_{name}": base.get(name) or 0 for name in MEASURES},
            )
        )
    return rows


def rewrite_ramp(start=None):
    """Replace the ramp rows of the weeks from ``start`` (all when None); returns how many rows were written."""
    rows = ramp_rows(ramp_sums(start))
    old = RampWeek.objects.all() if start is None else RampWeek.objects.filter(week__gte=start)
    old.delete()
    RampWeek.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _mark(name):
    RefreshMark.objects.get_or_create(name=name)
    return RefreshMark.objects.select_for_update().get(name=name)


@transaction.atomic
def refresh_ramp(*, now=None, full=False):
    """The nightly refresh; returns the first week rewritten (None: everything; ``False``: nothing was new)."""
    now = now or timezone.now()
    mark = _mark(RAMP)
    start = None
    if not full and mark.ingests_through is not None:
        first = Ingest.objects.filter(finished_at__gt=mark.ingests_through, first_on__isnull=False).aggregate(
            first=Min("first_on")
        )["first"]
        if first is None:
            mark.refreshed_at = now
            mark.save(update_fields=["refreshed_at"])
            return False
        start = week_start(first)
    rewrite_ramp(start)
    mark.ingests_through, mark.refreshed_at = now - OVERLAP, now
    mark.weeks = 0 if start is None else ((week_start(timezone.localdate(now)) - start).days // 7 + 1)
    mark.save(update_fields=["ingests_through", "refreshed_at", "weeks"])
    return start


# Time to proficiency ---------------------------------------------------------------------------------------------


def proficiency_dates(employees, *, today):
    """{employee id: (has a scorecard, the day she became proficient or None)}: the last day of her first month
    whose scorecard is in the tenured band and at whose end her KASH levels (training.kash.current_levels) meet
    every target of her position; with no KASH target set, the band alone. Four queries for the whole list."""
    ids = [employee.pk for employee in employees]
    good, scored = defaultdict(list), set()
    for employee_id, month, band in (
        Scorecard.objects.filter(employee__in=ids, month__lte=today)
        .order_by("employee", "month")
        .values_list("employee_id", "month", "band")
    ):
        scored.add(employee_id)
        if band in TENURED_BANDS:
            good[employee_id].append(month)
    targets = targets_by_employee([employee for employee in employees if good[employee.pk]])
    wanted = {indicator for by_indicator in targets.values() for indicator in by_indicator}
    facts = defaultdict(list)
    fields = ("assessment__subject_id", "indicator_id", "assessment__source", "assessment__assessed_on", "level")
    scores = counting_scores().filter(assessment__subject__in=list(targets), indicator__in=wanted)
    for subject, indicator, source, on, level, assessment in scores.values_list(*fields, "assessment_id"):
        facts[subject].append(kash.ScoreFact(indicator, source, on, level, assessment))
    weights = source_weights() if facts else {}
    result = {}
    for employee in employees:
        reached, target = None, targets.get(employee.pk, {})
        for month in good[employee.pk]:
            end = month_end(month)
            levels = kash.current_levels(facts[employee.pk], weights, as_of=end) if target else {}
            if all((levels.get(indicator) or 0) >= level for indicator, level in target.items()):
                reached = end
                break
        result[employee.pk] = (employee.pk in scored, reached)
    return result


@transaction.atomic
def refresh_proficiency(*, today=None, full=False):
    """The nightly refresh of ``Proficiency``: everyone hired in the last PROFICIENCY_YEARS years who is not yet
    proficient (everyone with ``full``), in chunks; a person once proficient keeps her day. Returns how many rows
    were written."""
    today = today or timezone.localdate()
    mark = _mark(PROFICIENCY)
    people = Employee.objects.filter(hire_date__gte=today - datetime.timedelta(days=365 * PROFICIENCY_YEARS))
    if not full:
        done = Proficiency.objects.filter(proficient_on__isnull=False).values("employee")
        people = people.exclude(pk__in=done)
    people = list(people.only("pk", "position_id", "stage").order_by("pk"))
    for first in range(0, len(people), CHUNK):
        chunk = people[first : first + CHUNK]
        rows = [
            Proficiency(employee_id=pk, scored=scored, proficient_on=day)
            for pk, (scored, day) in proficiency_dates(chunk, today=today).items()
        ]
        Proficiency.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["employee"], update_fields=["scored", "proficient_on"]
        )
    mark.refreshed_at = timezone.now()
    mark.save(update_fields=["refreshed_at"])
    return len(people)


# Playbook effects ------------------------------------------------------------------------------------------------


def _playbook_rows(playbook, *, today):
    """The aggregate's rows of ``playbook`` as of ``today`` (unsaved): per window, the target KPIs' measure sums of
    each team's agent days and each site's queue days — one grouped query per window and source."""
    kpis = playbook_selectors.target_kpis(playbook)
    rows = []
    for kind, window in playbook_selectors.windows_of(playbook, today=today).items():
        if window is None or window.is_empty:
            continue
        for model, group in ((AgentDay, "team"), (QueueDay, "site")):
            days = model.objects.filter(on__range=(window.start, window.end))
            for (key, _period), sums in measure_sums(kpis, days, group_by=group).items():
                rows.append(
                    PlaybookSums(
                        playbook=playbook,
                        window=kind,
                        start=window.start,
                        end=window.end,
                        team_id=key if group == "team" else None,
                        site_id=key if group == "site" else None,
                        sums={code: str(value) for code, value in sums.items()},
                    )
                )
    return rows


@transaction.atomic
def refresh_playbooks(*, today=None):
    """The nightly rewrite of ``PlaybookSums``: every playbook's windows move with the day (since publication and
    since the first drill run to yesterday), so each is read again — one grouped query per window and source — and
    the playbook's rows are replaced in the same transaction (a rerun writes the same rows). Returns the number of
    rows written."""
    today = today or timezone.localdate()
    mark = _mark(PLAYBOOKS)
    rows = []
    for playbook in playbook_selectors.playbooks():
        rows += _playbook_rows(playbook, today=today)
    PlaybookSums.objects.all().delete()  # a playbook no longer listed (its targets removed) keeps no rows
    PlaybookSums.objects.bulk_create(rows, batch_size=BATCH)
    mark.refreshed_at = timezone.now()
    mark.save(update_fields=["refreshed_at"])
    return len(rows)
