"""The onboarding sweep benchmark: 100,000 enrollments due today, moved by the daily sweep
(training.services.sweep_due_enrollments), timed against one set-based SQL UPDATE of the same rows.

Generation and measurement work on the current database connection and take the scale as
arguments, so tests/bench/test_sweep_smoke.py runs them on a tiny scale in the test database.
The bulk tables (users, employees, enrollments, activities, gate checks, assessments, scores) go in
with COPY on PostgreSQL and with bulk_create elsewhere. `python -m bench sweep` (bench/__main__.py)
owns the benchmark database, copies it for each measured run and runs each in a fresh process.
"""

import cProfile
import datetime
import functools
import io
import math
import os
import pstats
import random
import re
import resource
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, QuerySet
from django.utils import timezone

from bench import kash
from notifications.models import Notification
from staff.models import Department, Employee, Site, Stage, Team
from training import cycles, services
from training.models import (
    Activity,
    ActivityTemplate,
    Assessment,
    AssessmentStatus,
    Batch,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
    Indicator,
    Program,
    Score,
    Source,
)

# Bump when the generated data changes shape, so `python -m bench sweep` rebuilds a database it would reuse.
GENERATOR_VERSION = 1
PREFIX = "SW"  # codes and user names of generated rows, so they never collide with other data (KASH uses KB)
DEFAULT_PROGRAM_MIGRATION = ("training", "0004_default_program")
MAX_FLOOR_RATIO = 2.0  # the sweep, at most this many times the same writes in set-based SQL (measured in the run)
MAX_RERUN_SHARE = 0.05  # a rerun on the same day, at most this share of the first run
MAX_MEMORY_RATIO = 1.5  # peak RSS growth with all rows due, at most this many times that with the small share…
MEMORY_SLACK_MB = 16.0  # …plus this much for allocator noise: chunked processing does not grow with rows
BATCHES_PER_CHUNK = 200  # generated trainees are written every few batches: memory stays bounded
DUE_STATES = cycles.DUE


@dataclass(frozen=True)
class Scale:
    enrollments: int = 100_000
    small: int = 20_000  # rows due in the second run, which shows that memory does not grow with rows
    batch_size: int = 25
    batches_per_team: int = 2
    mentors_per_team: int = 4
    teams_per_department: int = 50
    seed: int = 2026
    extended_rate: float = 0.12  # trainees of a batch in a cycle who were extended in it
    ready_rate: float = 0.7  # trainees in a cycle who meet its gate: the rest are extended by the sweep
    extended_ready_rate: float = 0.6  # trainees already extended who meet the gate now
    english_rate: float = 0.2  # people who read their notifications in English (the rest: Chinese)

    @property
    def batches(self):
        return math.ceil(self.enrollments / self.batch_size)

    @property
    def teams(self):
        return math.ceil(self.batches / self.batches_per_team)


# Generation -------------------------------------------------------------------------------

# A batch's state, by batch number: every state within the first five batches, then the mix
# 15% pre-job and about 21% in each cycle. Within a batch in a cycle, some trainees are extended.
BATCH_STATES = tuple(cycles.cycle_state(int(n)) if n != "0" else cycles.PRE_JOB for n in "31042312403142301243")
OVERDUE_DAYS = (0,) * 18 + (1, 3)  # most batches are due today, a few since a missed sweep
# The program made when the data migration with the default program is not there:
# (number, name, length in days, pass-the-gate check required, KASH focus indicators, focus level required)
BENCH_CYCLES = (
    (1, "Habits", 14, False, 0, None),
    (2, "Trust and teamwork", 14, False, 0, None),
    (3, "Habits and communication", 14, True, 0, None),
    (4, "Emotions and motivation", 14, False, 3, 3.0),
)
# (order, kind, owner, due after days, required): five activities per cycle
BENCH_ACTIVITIES = (
    (1, "learning", "trainee", 3, True),
    (2, "practice", "trainee", 7, True),
    (3, "coaching", "mentor", 10, True),
    (4, "team", "supervisor", 12, True),
    (5, "reflection", "trainee", 13, False),
)
REMEDIATION = "Finish the open activities of the cycle with the mentor."

ENROLLMENT_COLUMNS = (
    "id",
    "batch_id",
    "trainee_id",
    "state",
    "cycle",
    "held_from",
    "cycle_started_on",
    "due_on",
    "remediation_plan",
    "is_gate_failed",
    "updated_at",
)
ACTIVITY_COLUMNS = ("id", "enrollment_id", "template_id", "cycle", "due_on", "done_at", "done_by_id", "note")
GATE_CHECK_COLUMNS = (
    "id",
    "enrollment_id",
    "cycle",
    "attempt",
    "examiner_id",
    "taken_on",
    "score",
    "pass_mark",
    "notes",
    "assessment_id",
    "idempotency_key",
)


@dataclass(frozen=True)
class Counts:
    program: str  # "<code> (default program of training 0004)" or "<code> (made by the benchmark)"
    teams: int
    batches: int
    enrollments: int
    by_state: dict
    activities: int
    gate_checks: int
    assessments: int
    seconds: float


@dataclass(frozen=True)
class _Cycle:
    number: int
    length: int
    check_required: bool
    pass_mark: int
    focus: tuple  # indicator ids, when the gate looks at their level
    focus_min_level: float | None
    templates: tuple  # (id, owner, due offset, required)


@dataclass
class _Ids:
    user: int
    employee: int
    enrollment: int
    activity: int
    gate_check: int
    assessment: int
    score: int


def generate(scale=Scale(), *, today=None, log=None):
    """Create the program, teams, batches and ``scale.enrollments`` trainees all due ``today``."""
    log = log or (lambda message: None)
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(scale.seed)
    with transaction.atomic():
        program, made_here = _program()
        plan = _plan(program)
        teams = _organisation(scale)
        staff = _staff(scale, rng, teams, today)
        batches = _batches(scale, rng, program, plan, teams, staff, today)
    log(f"  program {program.code}, {len(teams):,} teams, {len(batches):,} batches")

    ids = _Ids(*(kash._next_id(m) for m in (get_user_model(), Employee, Enrollment, Activity, GateCheck)), 0, 0)
    ids.assessment, ids.score = kash._next_id(Assessment), kash._next_id(Score)
    by_state, activities, gate_checks, assessments = Counter(), 0, 0, 0
    for start in range(0, len(batches), BATCHES_PER_CHUNK):
        rows = _trainees(scale, rng, plan, staff, batches[start : start + BATCHES_PER_CHUNK], ids, today)
        with transaction.atomic():
            _insert(get_user_model(), kash.USER_COLUMNS, rows["users"])
            _insert(Employee, kash.EMPLOYEE_COLUMNS, rows["employees"])
            _insert(Enrollment, ENROLLMENT_COLUMNS, rows["enrollments"])
            _insert(Activity, ACTIVITY_COLUMNS, rows["activities"])
            _insert(Assessment, kash.ASSESSMENT_COLUMNS, rows["assessments"])
            _insert(Score, kash.SCORE_COLUMNS, rows["scores"])
            _insert(GateCheck, GATE_CHECK_COLUMNS, rows["gate_checks"])
        by_state.update(row[3] for row in rows["enrollments"])
        activities += len(rows["activities"])
        gate_checks += len(rows["gate_checks"])
        assessments += len(rows["assessments"])
        log(f"  trainees: {sum(by_state.values()):,} enrollments, {activities:,} activities")
    kash._reset_sequences(get_user_model(), Employee, Enrollment, Activity, GateCheck, Assessment, Score)
    return Counts(
        program=f"{program.code} ({'made by the benchmark' if made_here else 'default program of training 0004'})",
        teams=len(teams),
        batches=len(batches),
        enrollments=sum(by_state.values()),
        by_state=dict(sorted(by_state.items())),
        activities=activities,
        gate_checks=gate_checks,
        assessments=assessments,
        seconds=round(time.perf_counter() - started, 1),
    )


def default_program_shipped():
    """Whether the data migration with the default onboarding program is applied to this database."""
    return DEFAULT_PROGRAM_MIGRATION in MigrationRecorder(connection).applied_migrations()


def _program():
    """(program, made here): the default program of training 0004 if applied, else a minimal one of our own."""
    if default_program_shipped():
        shipped = (
            Program.objects.exclude(code__startswith=PREFIX.lower())
            .annotate(cycle_count=Count("cycles"))
            .filter(is_active=True, cycle_count=cycles.LAST_CYCLE)
            .order_by("pk")
            .first()
        )
        if shipped is not None:
            return shipped, False
    program = Program.objects.create(
        code=f"{PREFIX.lower()}-onboarding", name_en="Bench onboarding", name_zh="基准入职培训", pre_job_days=10
    )
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    for number, name, length, check, focus_count, focus_level in BENCH_CYCLES:
        cycle = CycleTemplate.objects.create(
            program=program,
            number=number,
            name_en=name,
            name_zh=f"第{number}周期",
            length_days=length,
            check_required=check,
            pass_mark=80,
            focus_min_level=focus_level if indicators[:focus_count] else None,
        )
        cycle.focus_indicators.set(indicators[:focus_count])
        ActivityTemplate.objects.bulk_create(
            ActivityTemplate(
                cycle=cycle,
                order=order,
                title_en=f"Cycle {number}: {kind}",
                title_zh=f"第{number}周期：{kind}",
                kind=kind,
                owner=owner,
                due_offset_days=offset,
                is_required=required,
            )
            for order, kind, owner, offset, required in BENCH_ACTIVITIES
        )
    return program, True


def _plan(program):
    """{cycle number: _Cycle} of the program's templates (the program's own activities, no batch extras)."""
    plan = {}
    for cycle in CycleTemplate.objects.filter(program=program).prefetch_related("focus_indicators"):
        templates = ActivityTemplate.objects.filter(cycle=cycle, batch__isnull=True).order_by("order", "pk")
        plan[cycle.number] = _Cycle(
            number=cycle.number,
            length=cycle.length_days,
            check_required=cycle.check_required,
            pass_mark=cycle.pass_mark,
            focus=tuple(i.pk for i in cycle.focus_indicators.all()) if cycle.focus_min_level is not None else (),
            focus_min_level=float(cycle.focus_min_level) if cycle.focus_min_level is not None else None,
            templates=tuple(templates.values_list("pk", "owner", "due_offset_days", "is_required")),
        )
    missing = set(range(1, cycles.LAST_CYCLE + 1)) - set(plan)
    if missing:
        raise RuntimeError(f"Program {program.code} has no template for cycle(s) {sorted(missing)}.")
    return plan


def _organisation(scale):
    departments_needed = math.ceil(scale.teams / scale.teams_per_department)
    site = Site.objects.create(code=f"{PREFIX}-S01", name="Bench onboarding site", region="East")
    departments = Department.objects.bulk_create(
        Department(site=site, code=f"{PREFIX}-D{n + 1:03d}", name=f"Onboarding department {n + 1}")
        for n in range(departments_needed)
    )
    return Team.objects.bulk_create(
        Team(
            department=departments[n // scale.teams_per_department],
            code=f"{PREFIX}-T{n + 1:04d}",
            name=f"Onboarding team {n + 1}",
        )
        for n in range(scale.teams)
    )


@dataclass
class _Staff:
    """Per team: the supervisor's (employee id, user id) and the mentors' (employee id, user id)."""

    supervisors: dict = field(default_factory=dict)
    mentors: dict = field(default_factory=dict)


def _staff(scale, rng, teams, today):
    """Each team's supervisor and mentors (tenured agents), with COPY; then the teams' supervisors."""
    User = get_user_model()
    next_user, next_employee = kash._next_id(User), kash._next_id(Employee)
    joined = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    users, employees, staff = [], [], _Staff()
    n = 0
    for team_index, team in enumerate(teams):
        for member in range(1 + scale.mentors_per_team):
            user_id, employee_id = next_user + n, next_employee + n
            users.append(
                (user_id, "!bench", None, False, f"{PREFIX.lower()}s{n + 1:06d}", "", "", "", False, True, joined)
            )
            supervisor = member == 0
            employees.append(
                (
                    employee_id,
                    user_id,
                    f"{PREFIX}S{n + 1:06d}",
                    f"Supervisor {team_index + 1:04d}" if supervisor else f"Mentor {n + 1:05d}",
                    "",
                    today - datetime.timedelta(days=700 + rng.randrange(2000)),
                    team.pk,
                    None,
                    Stage.MANAGEMENT if supervisor else Stage.HIGH_PERFORMER,
                    None,
                    _language(scale, rng),
                    None,
                )
            )
            if supervisor:
                staff.supervisors[team.pk] = (employee_id, user_id)
            else:
                staff.mentors.setdefault(team.pk, []).append((employee_id, user_id))
            n += 1
    _insert(User, kash.USER_COLUMNS, users)
    _insert(Employee, kash.EMPLOYEE_COLUMNS, employees)
    kash._reset_sequences(User, Employee)
    for team in teams:
        team.supervisor_id = staff.supervisors[team.pk][0]
    Team.objects.bulk_update(teams, ["supervisor"], batch_size=500)
    return staff


def _language(scale, rng):
    return "en" if rng.random() < scale.english_rate else "zh-hans"


@dataclass(frozen=True)
class _Batch:
    index: int
    id: int
    team_id: int
    state: str  # of its trainees, some of whom are extended
    cycle: int
    due_on: datetime.date
    start_on: datetime.date


def _batches(scale, rng, program, plan, teams, staff, today):
    planned = []
    for n in range(scale.batches):
        state = BATCH_STATES[n % len(BATCH_STATES)]
        number = 0 if state == cycles.PRE_JOB else cycles.CYCLE_STATES.index(state) + 1
        due_on = today - datetime.timedelta(days=rng.choice(OVERDUE_DAYS))
        start_on = due_on - datetime.timedelta(
            days=program.pre_job_days + sum(plan[c].length for c in range(1, number + 1))
        )
        planned.append((n, teams[n // scale.batches_per_team].pk, state, number, due_on, start_on))
    created = Batch.objects.bulk_create(
        Batch(
            program=program,
            code=f"{PREFIX.lower()}-b{n + 1:05d}",
            name=f"Bench batch {n + 1}",
            start_on=start_on,
            team_id=team_id,
            supervisor_id=staff.supervisors[team_id][0],
        )
        for n, team_id, _, _, _, start_on in planned
    )
    return [
        _Batch(n, batch.pk, team_id, state, number, due_on, start_on)
        for batch, (n, team_id, state, number, due_on, start_on) in zip(created, planned, strict=True)
    ]


def _trainees(scale, rng, plan, staff, batches, ids, today):
    """Rows for the trainees of ``batches``: users, employees, enrollments, the activities of their
    current cycle (some done), gate checks and KASH focus assessments where their gate looks at them."""
    rows = defaultdict(list)
    joined = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    for batch in batches:
        size = min(scale.batch_size, scale.enrollments - batch.index * scale.batch_size)
        supervisor_employee, supervisor_user = staff.supervisors[batch.team_id]
        mentors = staff.mentors.get(batch.team_id) or [(None, None)]
        for _ in range(size):
            user_id, employee_id, enrollment_id = ids.user, ids.employee, ids.enrollment
            ids.user, ids.employee, ids.enrollment = user_id + 1, employee_id + 1, enrollment_id + 1
            mentor_employee, mentor_user = rng.choice(mentors)
            in_cycle = batch.cycle > 0
            rows["users"].append(
                (user_id, "!bench", None, False, f"{PREFIX.lower()}{employee_id:07d}", "", "", "", False, True, joined)
            )
            rows["employees"].append(
                (
                    employee_id,
                    user_id,
                    f"{PREFIX}{employee_id:07d}",
                    f"Trainee {employee_id:07d}",
                    "",
                    batch.start_on,
                    batch.team_id,
                    None,
                    Stage.ONBOARDING if in_cycle else Stage.PRE_JOB,
                    mentor_employee,
                    _language(scale, rng),
                    None,
                )
            )
            extended = in_cycle and rng.random() < scale.extended_rate
            cycle = plan.get(batch.cycle)
            if not in_cycle:
                started_on = batch.start_on
            elif extended:
                started_on = batch.due_on - datetime.timedelta(days=cycle.length + services.onboarding.REMEDIATION_DAYS)
            else:
                started_on = batch.due_on - datetime.timedelta(days=cycle.length)
            rows["enrollments"].append(
                (
                    enrollment_id,
                    batch.id,
                    employee_id,
                    cycles.EXTENDED if extended else batch.state,
                    batch.cycle,
                    "",
                    started_on,
                    batch.due_on,
                    REMEDIATION if extended else "",
                    extended,
                    joined,
                )
            )
            if in_cycle:
                users = {"trainee": user_id, "mentor": mentor_user, "supervisor": supervisor_user}
                _cycle_rows(
                    scale,
                    rng,
                    rows,
                    cycle,
                    ids,
                    enrollment_id,
                    employee_id,
                    started_on,
                    batch,
                    users,
                    extended=extended,
                )
    return rows


def _cycle_rows(scale, rng, rows, cycle, ids, enrollment_id, employee_id, started_on, batch, users, *, extended):
    """The current cycle's activities, gate checks and focus assessment of one trainee. A trainee who is
    ready meets every criterion of the gate; one who is not misses one or two (activities, check, focus)."""
    ready = rng.random() < (scale.extended_ready_rate if extended else scale.ready_rate)
    criteria = ["activities"] + ["check"] * cycle.check_required + ["focus"] * bool(cycle.focus)
    gaps = set() if ready else set(rng.sample(criteria, min(len(criteria), rng.choice((1, 1, 2)))))
    required = [t for t in cycle.templates if t[3]]
    undone = set()
    if "activities" in gaps and required:
        undone = {t[0] for t in rng.sample(required, min(len(required), rng.choice((1, 1, 2))))}
    for template_id, owner, offset, is_required in cycle.templates:
        due_on = started_on + datetime.timedelta(days=offset)
        done = template_id not in undone and (is_required or rng.random() < 0.5)
        done_at = timezone.make_aware(datetime.datetime.combine(min(due_on, batch.due_on), datetime.time(15)))
        rows["activities"].append(
            (
                ids.activity,
                enrollment_id,
                template_id,
                cycle.number,
                due_on,
                done_at if done else None,
                (users.get(owner) or users["trainee"]) if done else None,
                "",
            )
        )
        ids.activity += 1
    if cycle.check_required and not ("check" in gaps and rng.random() < 0.4):  # else: not taken
        failing = [min(cycle.pass_mark - 1, _check_score(rng, 65, 8))]
        passing = [max(cycle.pass_mark, _check_score(rng, 90, 5))]
        # not ready: one or two failed attempts; ready: passed, now and then at the second attempt
        scores = failing * rng.choice((1, 2)) if "check" in gaps else failing * (rng.random() < 0.2) + passing
        for attempt, score in enumerate(scores, start=1):
            rows["gate_checks"].append(
                (
                    ids.gate_check,
                    enrollment_id,
                    cycle.number,
                    attempt,
                    users["mentor"] or users["supervisor"],
                    batch.due_on - datetime.timedelta(days=3 - attempt),
                    score,
                    cycle.pass_mark,
                    "",
                    None,
                    "",
                )
            )
            ids.gate_check += 1
    if cycle.focus and not ("focus" in gaps and rng.random() < 0.4):  # else: not assessed
        required_level = math.ceil(cycle.focus_min_level)
        low = rng.choice(cycle.focus) if "focus" in gaps else None
        assessed_on = batch.due_on - datetime.timedelta(days=3)
        at = timezone.make_aware(datetime.datetime.combine(assessed_on, datetime.time(11)))
        rows["assessments"].append(
            (
                ids.assessment,
                employee_id,
                users["supervisor"],
                Source.SUPERVISOR,
                assessed_on,
                f"Cycle {cycle.number} focus",
                "",
                AssessmentStatus.SUBMITTED,
                None,
                1,
                at,
                at,
                "",
            )
        )
        for indicator_id in cycle.focus:
            level = max(1, required_level - 1) if indicator_id == low else rng.randint(min(required_level, 5), 5)
            rows["scores"].append((ids.score, ids.assessment, indicator_id, level, ""))
            ids.score += 1
        ids.assessment += 1


def _check_score(rng, mean, spread):
    return max(30, min(100, round(rng.gauss(mean, spread))))


def _insert(model, columns, rows):
    """Insert tuples given in ``columns`` (attribute names) order: COPY on PostgreSQL, bulk_create elsewhere."""
    missing = {f.attname for f in model._meta.concrete_fields} - set(columns)
    if missing:
        raise RuntimeError(f"bench/sweep.py does not fill {model.__name__}.{', '.join(sorted(missing))}: update it.")
    if not rows:
        return
    if connection.vendor == "postgresql":
        kash._copy(model._meta.db_table, [model._meta.get_field(c).column for c in columns], rows)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=500)


def keep_due(today, *, every):
    """Leave due only every ``every``-th enrollment (by id); move the others' due date to tomorrow.
    The table keeps all its rows, so a run over what is left differs only in the rows it moves."""
    table = connection.ops.quote_name(Enrollment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET due_on = %s WHERE MOD(id, %s) <> 0", [today + datetime.timedelta(1), every])
    _vacuum(Enrollment)
    return due_count(today)


# Measurement ------------------------------------------------------------------------------


def due_count(today):
    return Enrollment.objects.filter(state__in=DUE_STATES, due_on__lte=today).count()


def _baseline_sql():
    """One set-based UPDATE doing to the due rows what the sweep does to them, all as if advancing."""
    quote = connection.ops.quote_name
    states = ", ".join(["%s"] * len(DUE_STATES))
    return (
        f"UPDATE {quote(Enrollment._meta.db_table)} SET "
        "state = CASE WHEN cycle >= %s THEN %s ELSE %s || (cycle + 1) END, "
        "cycle = CASE WHEN cycle >= %s THEN cycle ELSE cycle + 1 END, "
        "cycle_started_on = %s, due_on = %s, is_gate_failed = %s, remediation_plan = %s, updated_at = %s "
        f"WHERE state IN ({states}) AND due_on <= %s"
    )


def baseline_update(today, *, runs=3, warmup=1):
    """(rows, [ms]): the set-based UPDATE of every due row, each time rolled back; warm-ups not timed."""
    last = cycles.LAST_CYCLE
    params = [last, cycles.COMPLETED, "cycle_", last, today, today + datetime.timedelta(days=14), False, ""]
    params += [timezone.now(), *DUE_STATES, today]
    rows, times = 0, []
    for run in range(warmup + runs):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(_baseline_sql(), params)
            elapsed = time.perf_counter() - started
            rows = cursor.rowcount
            transaction.set_rollback(True)
        if run >= warmup:
            times.append(elapsed * 1000)
    _vacuum(Enrollment)  # the rolled-back row versions must not slow the sweep down
    return rows, times


def set_based_floor(today, *, as_first_measured=False):
    """({part: ms}, {part: rows}): the rows the sweep writes, written by set-based SQL alone — events,
    the next cycle's activities, three notifications and the UPDATE for every due row, as if every
    one advanced (no gate, no translation), the trainees' stage changes with their history rows — in one
    transaction with its foreign keys checked, rolled back: what a sweep done entirely in SQL would cost.
    The target compares the sweep with it (MAX_FLOOR_RATIO). ``as_first_measured``: without the stage
    rows and with the foreign keys left unchecked, as the floor was first measured (reported only)."""
    from django.urls import reverse

    table = {m: connection.ops.quote_name(m._meta.db_table) for m in (Enrollment, EnrollmentEvent, Activity)}
    table.update({m: connection.ops.quote_name(m._meta.db_table) for m in (Batch, CycleTemplate, ActivityTemplate)})
    table.update({m: connection.ops.quote_name(m._meta.db_table) for m in (Notification, Employee)})
    last, now = cycles.LAST_CYCLE, timezone.now()
    due = f"e.state IN ({', '.join(['%s'] * len(DUE_STATES))}) AND e.due_on <= %s"
    due_params = [*DUE_STATES, today]
    new_state = "CASE WHEN e.cycle >= %s THEN %s ELSE %s || (e.cycle + 1) END"
    new_state_params = [last, cycles.COMPLETED, "cycle_"]
    marker = "987654321"
    url_head, url_tail = reverse("training:enrollment-detail", args=[int(marker)]).split(marker)
    statements = [
        (
            "events",
            f"INSERT INTO {table[EnrollmentEvent]} (enrollment_id, actor_id, move, from_state, to_state, reason, at) "
            f"SELECT e.id, NULL, CASE WHEN e.state = %s THEN %s ELSE %s END, e.state, {new_state}, '', %s "
            f"FROM {table[Enrollment]} e WHERE {due}",
            [cycles.PRE_JOB, cycles.START, cycles.ADVANCE, *new_state_params, now, *due_params],
        ),
        (
            "activities",
            f"INSERT INTO {table[Activity]} (enrollment_id, template_id, cycle, due_on, done_at, done_by_id, note) "
            f"SELECT e.id, t.id, e.cycle + 1, %s, NULL, NULL, '' FROM {table[Enrollment]} e "
            f"JOIN {table[Batch]} b ON b.id = e.batch_id "
            f"JOIN {table[CycleTemplate]} c ON c.program_id = b.program_id AND c.number = e.cycle + 1 "
            f"JOIN {table[ActivityTemplate]} t ON t.cycle_id = c.id AND t.batch_id IS NULL "
            f"WHERE {due} ON CONFLICT DO NOTHING",
            [today + datetime.timedelta(days=7), *due_params],
        ),
    ]
    recipients = {
        "trainee": f"JOIN {table[Employee]} p ON p.id = e.trainee_id",
        "mentor": f"JOIN {table[Employee]} t ON t.id = e.trainee_id JOIN {table[Employee]} p ON p.id = t.mentor_id",
        "supervisor": f"JOIN {table[Batch]} b ON b.id = e.batch_id JOIN {table[Employee]} p ON p.id = b.supervisor_id",
    }
    for recipient, join in recipients.items():
        statements.append(
            (
                f"notifications ({recipient})",
                f"INSERT INTO {table[Notification]} (recipient_id, kind, key, title, body, url, created_at, "
                "email_attempts) "
                "SELECT p.user_id, %s, %s || e.id || ':' || e.state || %s || p.user_id, "
                f"n.name || ': ' || e.state || ' → ' || {new_state}, '', %s || e.id || %s, %s, 0 "
                f"FROM {table[Enrollment]} e JOIN {table[Employee]} n ON n.id = e.trainee_id {join} "
                f"WHERE {due} AND p.user_id IS NOT NULL ON CONFLICT DO NOTHING",
                [
                    "enrollment_advance",
                    "enrollment_advance:",
                    f":{today.isoformat()}:",
                    *new_state_params,
                    url_head,
                    url_tail,
                    now,
                    *due_params,
                ],
            )
        )
    if not as_first_measured:  # the floor of issue 8 on: stage changes with history rows, keys checked
        statements += _stage_statements(table, due, due_params, now)
    update_params = [last, cycles.COMPLETED, "cycle_", last, today, today + datetime.timedelta(days=14), False, ""]
    statements.append(("enrollments (the UPDATE)", _baseline_sql(), [*update_params, now, *DUE_STATES, today]))
    times, rows = {}, {}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not as_first_measured:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at COMMIT, which a rolled-back
            # floor never reaches. Checked with each statement instead, the floor pays what a commit pays.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, sql, params in statements:
            started = time.perf_counter()
            cursor.execute(sql, params)
            times[name] = (time.perf_counter() - started) * 1000
            rows[name] = cursor.rowcount
        transaction.set_rollback(True)
    _vacuum(Enrollment, EnrollmentEvent, Activity, Notification, Employee, Employee.history.model)
    return times, rows


def _stage_statements(table, due, due_params, now):
    """The trainees' stage changes and one history row each (staff.services.change_people writes both):
    pre-job → onboarding for those starting cycle 1, → growth for those completing cycle 4."""
    history = Employee.history.model
    stage_of = "CASE WHEN e.state = %s THEN %s ELSE %s END"
    stage_params = [cycles.PRE_JOB, Stage.ONBOARDING, Stage.GROWTH]
    moving = f"{due} AND (e.state = %s OR e.cycle = %s)"
    moving_params = [*due_params, cycles.PRE_JOB, cycles.LAST_CYCLE]
    employees = connection.ops.quote_name(Employee._meta.db_table)
    copied = [f for f in history._meta.concrete_fields if not f.attname.startswith("history_")]
    values = {"history_date": "%s", "history_change_reason": "%s", "history_type": "'~'", "history_user_id": "NULL"}
    columns = [f.column for f in copied] + list(values)
    select = [f"p.{f.column}" for f in copied] + list(values.values())
    return [
        (
            "employees (stage)",
            f"UPDATE {employees} AS p SET stage = {stage_of} FROM {table[Enrollment]} e "
            f"WHERE p.id = e.trainee_id AND {moving}",
            [*stage_params, *moving_params],
        ),
        (
            "employee history rows",
            f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) "
            f"SELECT {', '.join(select)} FROM {employees} p JOIN {table[Enrollment]} e ON e.trainee_id = p.id "
            f"WHERE {moving}",
            [now, "Onboarding", *moving_params],
        ),
    ]


def _vacuum(*models):
    if connection.vendor != "postgresql" or not connection.get_autocommit() or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _table_counts():
    return {
        "events": EnrollmentEvent.objects.count(),
        "activities": Activity.objects.count(),
        "notifications": Notification.objects.count(),
        "completed": Enrollment.objects.filter(state=cycles.COMPLETED).count(),
        "extended": Enrollment.objects.filter(state=cycles.EXTENDED).count(),
    }


@dataclass
class Run:
    """One measured sweep: the baseline, the sweep, where its time went, its memory, and the rerun."""

    due: int
    baseline_rows: int
    baseline_ms: list
    floor_ms: dict  # set_based_floor(): ms per statement
    floor_rows: dict  # … and rows per statement
    sweep_s: float
    sweep_cpu_s: float  # CPU time of this process during the sweep: Python's share, less sensitive to load
    load: list  # the machine's 1-minute load average when the sweep started and when it ended
    moves: dict  # what sweep_due_enrollments returned: claimed and a count per move
    written: dict  # rows the sweep added: events, activities, notifications; completed and extended after
    parts_s: dict  # seconds inside the instrumented functions (see PARTS)
    parts_calls: dict  # … and how many calls
    statements: dict  # {statement kind: [count, seconds]}
    rss_start_mb: float
    rss_peak_mb: float
    peak_reset: bool  # VmHWM was reset at the start, so the peak belongs to the sweep alone
    rerun_s: float
    rerun_moves: dict
    rerun_written: dict
    profile: str = ""
    first_floor_ms: float = 0.0  # the floor as first measured: no stage rows, foreign keys unchecked

    @property
    def baseline_median_ms(self):
        return statistics.median(self.baseline_ms)

    @property
    def floor_total_ms(self):
        return sum(self.floor_ms.values())

    @property
    def ratio(self):
        """The sweep ÷ the single UPDATE (reported, not a target)."""
        return self.sweep_s * 1000 / self.baseline_median_ms

    @property
    def floor_ratio(self):
        """The sweep ÷ the same writes done by set-based SQL alone, measured in the same run (the target)."""
        return self.sweep_s * 1000 / self.floor_total_ms

    @property
    def rss_growth_mb(self):
        return self.rss_peak_mb - self.rss_start_mb

    @property
    def rerun_share(self):
        return self.rerun_s / self.sweep_s if self.sweep_s else 0.0

    @property
    def rerun_changes(self):
        return self.rerun_moves.get("claimed", 0) + sum(self.rerun_written[k] for k in ("events", "activities"))

    @property
    def rerun_notifications(self):
        return self.rerun_written["notifications"]

    @property
    def db_s(self):
        return sum(seconds for _, seconds in self.statements.values())

    @property
    def queries(self):
        return sum(count for count, _ in self.statements.values())


def measure(today, *, baseline_runs=3, chunk_size=None, profile=False):
    """Baseline UPDATE (rolled back), then the sweep as the worker runs it, then a rerun the same day."""
    due = due_count(today)
    baseline_rows, baseline_ms = baseline_update(today, runs=baseline_runs)
    floor_ms, floor_rows = set_based_floor(today)
    first_floor_ms, _rows = set_based_floor(today, as_first_measured=True)
    before = _table_counts()
    options = {"today": today} if chunk_size is None else {"today": today, "chunk_size": chunk_size}
    memory = _Memory()
    profiler = cProfile.Profile() if profile else None  # ``profile``: True, or a path for the pstats file
    with _Instruments() as instruments:
        load = [_load()]
        memory.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        moves = services.sweep_due_enrollments(**options)
        if profiler:
            profiler.disable()
        sweep_s, sweep_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        peak = memory.peak()
        load.append(_load())
    after = _table_counts()
    started = time.perf_counter()
    rerun_moves = services.sweep_due_enrollments(**options)
    rerun_s = time.perf_counter() - started
    again = _table_counts()
    if profiler and isinstance(profile, str):
        profiler.dump_stats(profile)
    return Run(
        due=due,
        baseline_rows=baseline_rows,
        baseline_ms=baseline_ms,
        floor_ms=floor_ms,
        floor_rows=floor_rows,
        first_floor_ms=sum(first_floor_ms.values()),
        sweep_s=sweep_s,
        sweep_cpu_s=sweep_cpu_s,
        load=load,
        moves=dict(moves),
        written=_written(before, after),
        parts_s=dict(instruments.seconds),
        parts_calls=dict(instruments.calls),
        statements={k: list(v) for k, v in instruments.statements.items()},
        rss_start_mb=memory.start_mb,
        rss_peak_mb=peak,
        peak_reset=memory.reset,
        rerun_s=rerun_s,
        rerun_moves=dict(rerun_moves),
        rerun_written=_written(after, again),
        profile=_profile_text(profiler) if profiler else "",
    )


def _load():
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:  # not available on this platform
        return None


def _written(before, after):
    added = {k: after[k] - before[k] for k in ("events", "activities", "notifications")}
    return {**added, "completed": after["completed"], "extended": after["extended"]}


class _Memory:
    """Peak resident memory of this process during a stretch of work. On Linux the high-water mark
    (VmHWM) is reset at the start through /proc/self/clear_refs; elsewhere ru_maxrss is used as is."""

    def __init__(self):
        self.reset = False
        self.start_mb = 0.0

    def start(self):
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.start_mb = _status_mb("VmRSS") or _maxrss_mb()

    def peak(self):
        return _status_mb("VmHWM") or _maxrss_mb()


def _status_mb(key):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# The functions the sweep calls, timed while it runs: (key, module attribute path, label, inside).
PARTS = (
    ("gates", "training.gates.load", "Gate facts: training.gates.load", None),
    ("focus", "training.gates._levels", "of which KASH focus levels", "gates"),
    ("update", "training.moves._update_enrollments", "Enrollment UPDATEs, grouped: moves._update_enrollments", None),
    ("activities", "training.moves._create_activities", "New cycles' activities: INSERT … SELECT", None),
    ("events", "training.moves._insert_events", "Events: one multi-row INSERT", None),
    ("stages", "training.moves._change_stages", "Stages: staff change_people, with history rows", None),
    ("notify", "training.notify.moves_made", "Notifications: notify.moves_made → one INSERT", None),
    (
        "kick_delivery",
        "notifications.services.kick_delivery",
        "E-mail kicks after each commit: kick_delivery → deliver_emails.delay()",
        None,
    ),
)
_STATEMENT = re.compile(r'\b(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', re.IGNORECASE)


class _Instruments:
    """Times the sweep's parts (PARTS) and every SQL statement by kind while it runs."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.calls = Counter()
        self.statements = defaultdict(lambda: [0, 0.0])
        self._restore = []
        self._depth = 0  # inside a timed QuerySet method

    def __enter__(self):
        import importlib

        for key, path, _, _ in PARTS:
            if path is None:
                continue
            module_name, name = path.rsplit(".", 1)
            module = importlib.import_module(module_name)
            original = getattr(module, name, None)
            if original is not None:
                self._patch(module, name, self._timed(key, original))
        self._patch(QuerySet, "bulk_create", self._timed_bulk("bulk_create", QuerySet.bulk_create))
        self._patch(QuerySet, "bulk_update", self._timed_bulk("bulk_update", QuerySet.bulk_update))
        self._patch(QuerySet, "update", self._timed_bulk("update", QuerySet.update))
        self._wrapper = connection.execute_wrapper(self._execute)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        for owner, name, original in reversed(self._restore):
            setattr(owner, name, original)
        return False

    def _patch(self, owner, name, replacement):
        self._restore.append((owner, name, getattr(owner, name)))
        setattr(owner, name, replacement)

    def _timed(self, key, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[key] += time.perf_counter() - started
                self.calls[key] += 1

        return timed

    def _timed_bulk(self, kind, method):
        """A QuerySet method timed per model; the update() inside bulk_update() counts as bulk_update."""

        @functools.wraps(method)
        def timed(queryset, *args, **kwargs):
            if self._depth:
                return method(queryset, *args, **kwargs)
            self._depth += 1
            started = time.perf_counter()
            try:
                return method(queryset, *args, **kwargs)
            finally:
                self._depth -= 1
                key = f"{kind} {queryset.model.__name__}"
                self.seconds[key] += time.perf_counter() - started
                self.calls[key] += 1

        return timed

    def _execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = self.statements[_statement_kind(sql)]
            entry[0] += 1
            entry[1] += time.perf_counter() - started


def _statement_kind(sql):
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
        return "SAVEPOINT / RELEASE"
    table = _STATEMENT.search(sql)
    lock = " … FOR UPDATE" if verb == "SELECT" and "FOR UPDATE" in sql else ""
    return f"{verb} {table.group(1)}{lock}" if table else verb


def _profile_text(profiler, limit=30):
    """The top costs of a cProfile run, by own time and by cumulative time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"Top {limit} by own time (tottime):\n")
    stats.sort_stats("tottime").print_stats(limit)
    out.write(f"\nTop {limit} by cumulative time:\n")
    stats.sort_stats("cumulative").print_stats(limit)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines() if line.strip())


# Report -----------------------------------------------------------------------------------


def failures(big, small=None, *, max_ratio=MAX_FLOOR_RATIO, max_rerun=MAX_RERUN_SHARE):
    """The missed targets, as sentences; empty when the runs meet them."""
    missed = []
    if big.moves.get("claimed", 0) != big.due or big.baseline_rows != big.due:
        missed.append(
            f"the sweep claimed {big.moves.get('claimed', 0):,} of {big.due:,} due rows "
            f"(the UPDATE touched {big.baseline_rows:,})"
        )
    if big.floor_ratio > max_ratio:
        missed.append(
            f"the sweep took {big.sweep_s:.1f} s, {big.floor_ratio:.1f}× the same writes in set-based SQL "
            f"({big.floor_total_ms / 1000:.1f} s), target ≤ {max_ratio:g}×"
        )
    if big.rerun_share > max_rerun:
        missed.append(
            f"the rerun took {big.rerun_s:.2f} s, {big.rerun_share:.1%} of the first run, target ≤ {max_rerun:.0%}"
        )
    if big.rerun_changes or big.rerun_notifications:
        missed.append(
            f"the rerun changed something: {big.rerun_moves.get('claimed', 0)} rows claimed, "
            f"{big.rerun_written['events']} events, {big.rerun_written['activities']} activities, "
            f"{big.rerun_notifications} notifications; target 0"
        )
    if small is not None and big.rss_growth_mb > memory_limit_mb(small):
        missed.append(
            f"peak memory grew by {big.rss_growth_mb:.0f} MB for {big.due:,} rows against "
            f"{small.rss_growth_mb:.0f} MB for {small.due:,}, target ≤ {memory_limit_mb(small):.0f} MB "
            f"({MAX_MEMORY_RATIO:g}× + {MEMORY_SLACK_MB:g} MB): memory must not grow with the rows"
        )
    return missed


def memory_limit_mb(small):
    return small.rss_growth_mb * MAX_MEMORY_RATIO + MEMORY_SLACK_MB


def report(big, small=None, *, heading, details=(), profiled=None):
    """The Markdown report: the table, the targets, where the time goes and the profile of ``profiled``."""
    runs = [big] + ([small] if small is not None else [])
    lines = [f"# {heading}", ""]
    lines += [f"- {detail}" for detail in details]
    lines += [
        "",
        "| | " + " | ".join(f"{r.due:,} due" for r in runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]

    def row(label, render):
        lines.append(f"| {label} | " + " | ".join(render(r) for r in runs) + " |")

    row(
        f"Set-based UPDATE of the due rows, rolled back (median of {len(big.baseline_ms)})",
        lambda r: f"{r.baseline_median_ms:,.0f} ms",
    )
    row(
        "**Floor**: the same writes by set-based SQL alone (events, activities, notifications, stages with "
        "their history rows, the UPDATE; rolled back) — total, × the UPDATE",
        lambda r: f"{r.floor_total_ms / 1000:,.1f} s, {r.floor_total_ms / r.baseline_median_ms:,.1f}×",
    )
    row("**Sweep** (`sweep_due_enrollments`), wall time", lambda r: f"**{r.sweep_s:,.1f} s**")
    row("**Sweep ÷ floor** (target)", lambda r: f"**{r.floor_ratio:,.2f}×**")
    row("Sweep ÷ UPDATE (reported)", lambda r: f"{r.ratio:,.0f}×")
    row(
        "For reference: the floor as first measured (no stage rows, foreign keys unchecked) — total, sweep ÷ it",
        lambda r: f"{r.first_floor_ms / 1000:,.1f} s, {r.sweep_s * 1000 / max(r.first_floor_ms, 1):,.2f}×",
    )
    row("… CPU time of the sweeping process", lambda r: f"{r.sweep_cpu_s:,.1f} s")
    row("… machine load (1-min average) at start → end", lambda r: " → ".join(f"{x}" for x in r.load))
    row("Per moved row", lambda r: f"{r.sweep_s * 1e6 / max(r.moves.get('claimed', 0), 1):,.0f} µs")
    row("Rows moved (claimed)", lambda r: f"{r.moves.get('claimed', 0):,}")
    row(
        "… start / advance / extend",
        lambda r: " / ".join(f"{r.moves.get(m, 0):,}" for m in (cycles.START, cycles.ADVANCE, cycles.EXTEND)),
    )
    row("… completed the program", lambda r: f"{r.written['completed']:,}")
    row("Events written", lambda r: f"{r.written['events']:,}")
    row("Activities created", lambda r: f"{r.written['activities']:,}")
    row("Notifications written", lambda r: f"{r.written['notifications']:,}")
    row(
        "SQL statements / time in the database", lambda r: f"{r.queries:,} / {r.db_s:,.1f} s ({r.db_s / r.sweep_s:.0%})"
    )
    row("Peak RSS growth during the sweep", lambda r: f"{r.rss_growth_mb:,.0f} MB (from {r.rss_start_mb:,.0f} MB)")
    row("Rerun the same day: time (÷ first run)", lambda r: f"{r.rerun_s * 1000:,.0f} ms ({r.rerun_share:.2%})")
    row(
        "Rerun: rows claimed / events / activities / notifications",
        lambda r: (
            f"{r.rerun_moves.get('claimed', 0)} / {r.rerun_written['events']} / "
            f"{r.rerun_written['activities']} / {r.rerun_notifications}"
        ),
    )
    missed = failures(big, small)
    lines += [
        "",
        f"Targets: the sweep ≤ {MAX_FLOOR_RATIO:g}× the same writes in set-based SQL, measured in the same run; "
        "a rerun the same day "
        f"≤ {MAX_RERUN_SHARE:.0%} of the first run with 0 changes; peak memory growth with "
        f"{big.due:,} rows due ≤ {MAX_MEMORY_RATIO:g}× that with "
        + (f"{small.due:,}" if small else "the small share")
        + f" + {MEMORY_SLACK_MB:g} MB (no growth with the number of rows).",
        "",
    ]
    lines += [f"- MISSED — {m}" for m in missed] or ["- All targets met."]
    lines += [
        "",
        f"## Where the sweep's time goes ({big.due:,} due)",
        "",
        "| Part | Calls | s | Share |",
        "|---|---:|---:|---:|",
    ]
    top_level = 0.0
    for key, _, label, inside in PARTS:
        seconds = big.parts_s.get(key, 0.0)
        if inside is None:
            top_level += seconds
        calls = big.parts_calls.get(key, 0)
        lines.append(f"| {'… ' if inside else ''}{label} | {calls:,} | {seconds:,.1f} | {seconds / big.sweep_s:.0%} |")
    rest = big.sweep_s - top_level
    lines.append(f"| The rest: claim, load, plan, commit | | {rest:,.1f} | {rest / big.sweep_s:.0%} |")
    lines += [
        "",
        f"The set-based writes, for scale ({big.due:,} due, every row as if it advanced):",
        "",
        "| Statement | Rows | ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {big.floor_rows[name]:,} | {ms:,.0f} |" for name, ms in big.floor_ms.items()]
    lines += ["", "| SQL statement of the sweep | Count | s | ms each |", "|---|---:|---:|---:|"]
    for kind, (count, seconds) in sorted(big.statements.items(), key=lambda item: -item[1][1]):
        lines.append(f"| `{kind}` | {count:,} | {seconds:,.2f} | {seconds * 1000 / count:,.2f} |")
    if profiled is not None and profiled.profile:
        lines += [
            "",
            f"## Profile of a sweep of {profiled.due:,} due rows under cProfile ({profiled.sweep_s:,.1f} s with it)",
            "",
            "```text",
            profiled.profile,
            "```",
        ]
    return "\n".join(lines) + "\n"
