"""The KASH benchmark: a contact center of 10,000 people with two years of assessments, and the
queries and server time of the team heatmap and a KASH profile next to a trivial page.

Generation and measurement work on the current database connection and take the scale as
arguments, so tests/bench/test_bench_smoke.py runs them on a tiny scale in the test database.
The bulk tables (users, employees, assessments, scores) go in with COPY on PostgreSQL and with
bulk_create elsewhere; `python -m bench` (bench/__main__.py) owns the benchmark database.
"""

import datetime
import io
import math
import random
import statistics
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.models import Department, Employee, Position, Site, Stage, Team
from training.models import Assessment, AssessmentStatus, Indicator, PositionTarget, Score, Source

# Bump when the generated data changes shape, so `python -m bench` rebuilds a database it would reuse.
GENERATOR_VERSION = 2
PREFIX = "KB"  # codes and user names of generated rows, so they never collide with other data
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MAX_QUERIES = 12  # issue 9 added the unread count (once a second request), the filter options and the page count
MAX_RATIO = 8.0
TEAMS_PER_BATCH = 10  # assessments and scores are written every few teams: memory stays bounded


@dataclass(frozen=True)
class Scale:
    people: int = 10_000
    team_size: int = 50
    months: int = 24
    teams_per_department: int = 25
    departments_per_site: int = 2
    seed: int = 2026
    # Chances per person and month of an assessment besides the monthly supervisor one.
    mentor_rate: float = 0.06  # people with a mentor only
    self_rate: float = 0.01  # all fifteen indicators
    qa_rate: float = 0.01  # the skill indicators
    correction_rate: float = 0.002  # a supervisor assessment corrected by a later one
    draft_rate: float = 0.01  # an unsubmitted supervisor draft in the latest month

    @property
    def teams(self):
        return math.ceil(self.people / self.team_size)


# Generation -------------------------------------------------------------------------------

# (code suffix, title, grade, general target level); every third indicator expects one level more.
POSITIONS = (
    ("JR", "Junior agent", 3, 3),
    ("AG", "Agent", 4, 3),
    ("SR", "Senior agent", 5, 4),
    ("TL", "Team lead", 7, 4),
)
POSITION_OF_STAGE = {
    Stage.PRE_JOB: "JR",
    Stage.ONBOARDING: "JR",
    Stage.GROWTH: "AG",
    Stage.HIGH_PERFORMER: "SR",
    Stage.MANAGEMENT: "TL",
    Stage.LEFT: "AG",
}
# A junior agent still onboarding is expected one level lower than the junior position's target.
ONBOARDING_RELIEF = ("JR", Stage.ONBOARDING, -1)
ABILITY_OF_STAGE = {
    Stage.PRE_JOB: 1.6,
    Stage.ONBOARDING: 2.0,
    Stage.GROWTH: 2.8,
    Stage.HIGH_PERFORMER: 3.7,
    Stage.MANAGEMENT: 3.8,
    Stage.LEFT: 2.5,
}
MEMBER_STAGES = (Stage.PRE_JOB, Stage.ONBOARDING, Stage.GROWTH, Stage.HIGH_PERFORMER, Stage.LEFT)
MEMBER_STAGE_WEIGHTS = (3, 20, 55, 17, 5)
MENTORED_STAGES = {Stage.PRE_JOB, Stage.ONBOARDING, Stage.GROWTH}
MENTORS_PER_TEAM = 3  # members 1..3 of a team are high performers who mentor the newer ones
SUPERVISOR_SCORES = 5  # indicators per monthly supervisor assessment, rotating through the framework
EVIDENCE = (
    "Heard on a recorded call.",
    "Seen at the floor walk.",
    "From the monthly QA sample.",
    "Customer complaint reviewed together.",
)
NOTES = ("Discussed privately.", "Watch the breaks.", "Ready for more complex queues.")

USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
EMPLOYEE_COLUMNS = (
    "id",
    "user_id",
    "employee_number",
    "name",
    "email",
    "hire_date",
    "team_id",
    "position_id",
    "stage",
    "mentor_id",
    "language",
    "left_on",
)
ASSESSMENT_COLUMNS = (
    "id",
    "subject_id",
    "assessor_id",
    "source",
    "assessed_on",
    "context",
    "private_note",
    "status",
    "supersedes_id",
    "version",
    "created_at",
    "submitted_at",
    "idempotency_key",
)
SCORE_COLUMNS = ("id", "assessment_id", "indicator_id", "level", "evidence")


@dataclass(frozen=True)
class Counts:
    people: int
    teams: int
    assessments: int
    scores: int
    seconds: float


@dataclass
class _Person:
    id: int
    user_id: int
    stage: str
    mentor_user_id: int | None
    supervisor_user_id: int | None  # the team's supervisor; None for the supervisor themself
    ability: list  # per indicator, at the start of the period
    growth: float  # levels gained per month


def generate(scale=Scale(), *, today=None, log=None):
    """Create the organisation and its assessment history at ``scale`` on the current connection."""
    log = log or (lambda message: None)
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(scale.seed)
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code").values_list("pk", "dimension"))
    if not indicators:
        raise RuntimeError("No active KASH indicators: migrate first (training 0002 ships the default framework).")

    with transaction.atomic():
        teams, positions = _organisation(scale)
        people_by_team = _people(scale, rng, teams, positions, indicators, today)
        _position_targets(positions, [pk for pk, _ in indicators])
    log(f"  organisation: {scale.people:,} people in {len(teams)} teams")

    months = _months(today, scale.months)
    next_assessment, next_score = _next_id(Assessment), _next_id(Score)
    assessments = scores = 0
    team_ids = list(people_by_team)
    for start in range(0, len(team_ids), TEAMS_PER_BATCH):
        batch = [person for team_id in team_ids[start : start + TEAMS_PER_BATCH] for person in people_by_team[team_id]]
        assessment_rows, score_rows = _history(scale, rng, batch, indicators, months, next_assessment, next_score)
        with transaction.atomic():
            _insert(Assessment, ASSESSMENT_COLUMNS, assessment_rows)
            _insert(Score, SCORE_COLUMNS, score_rows)
        next_assessment += len(assessment_rows)
        next_score += len(score_rows)
        assessments += len(assessment_rows)
        scores += len(score_rows)
        log(f"  history: {assessments:,} assessments, {scores:,} scores")
    _reset_sequences(Assessment, Score)
    return Counts(scale.people, len(teams), assessments, scores, round(time.perf_counter() - started, 1))


def _organisation(scale):
    """Sites, departments, teams (their supervisors come later) and positions, with ORM bulk_create."""
    departments_needed = math.ceil(scale.teams / scale.teams_per_department)
    sites = Site.objects.bulk_create(
        Site(code=f"{PREFIX}-S{n + 1:02d}", name=f"Site {n + 1}", region="East")
        for n in range(math.ceil(departments_needed / scale.departments_per_site))
    )
    departments = Department.objects.bulk_create(
        Department(
            site=sites[n // scale.departments_per_site], code=f"{PREFIX}-D{n + 1:03d}", name=f"Department {n + 1}"
        )
        for n in range(departments_needed)
    )
    teams = Team.objects.bulk_create(
        Team(
            department=departments[n // scale.teams_per_department], code=f"{PREFIX}-T{n + 1:04d}", name=f"Team {n + 1}"
        )
        for n in range(scale.teams)
    )
    positions = {
        key: Position(
            code=f"{PREFIX}-{key}", title=title, job_family="Service", job_group="Customer contact", grade=grade
        )
        for key, title, grade, _ in POSITIONS
    }
    Position.objects.bulk_create(positions.values())
    return teams, positions


def _people(scale, rng, teams, positions, indicators, today):
    """Users and employees (COPY), then each team's supervisor; returns {team id: [_Person]}."""
    User = get_user_model()
    next_user, next_employee = _next_id(User), _next_id(Employee)
    joined = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    first_month = today - datetime.timedelta(days=31 * scale.months)
    user_rows, employee_rows, people_by_team = [], [], {}
    for team_index, team in enumerate(teams):
        size = min(scale.team_size, scale.people - team_index * scale.team_size)
        people = []
        for member in range(size):
            n = team_index * scale.team_size + member
            user_id, employee_id = next_user + n, next_employee + n
            if member == 0:
                stage = Stage.MANAGEMENT
            elif member <= MENTORS_PER_TEAM:
                stage = Stage.HIGH_PERFORMER
            else:
                stage = rng.choices(MEMBER_STAGES, MEMBER_STAGE_WEIGHTS)[0]
            mentor = (
                people[1 + member % MENTORS_PER_TEAM]
                if stage in MENTORED_STAGES and member > MENTORS_PER_TEAM
                else None
            )
            user_rows.append(
                (user_id, "!bench", None, False, f"{PREFIX.lower()}{n + 1:06d}", "", "", "", False, True, joined)
            )
            employee_rows.append(
                (
                    employee_id,
                    user_id,
                    f"{PREFIX}{n + 1:06d}",
                    f"Agent {n + 1:05d}" if member else f"Supervisor {team_index + 1:04d}",
                    "",
                    first_month - datetime.timedelta(days=rng.randrange(1500)),
                    team.pk,
                    positions[POSITION_OF_STAGE[stage]].pk,
                    stage,
                    mentor.id if mentor else None,
                    "zh-hans",
                    None,
                )
            )
            base = ABILITY_OF_STAGE[stage]
            people.append(
                _Person(
                    id=employee_id,
                    user_id=user_id,
                    stage=stage,
                    mentor_user_id=mentor.user_id if mentor else None,
                    supervisor_user_id=people[0].user_id if people else None,
                    ability=[base + rng.uniform(-0.8, 0.8) for _ in indicators],
                    growth=0 if stage == Stage.LEFT else rng.uniform(0, 0.05),
                )
            )
        people_by_team[team.pk] = people
    _insert(User, USER_COLUMNS, user_rows)
    _insert(Employee, EMPLOYEE_COLUMNS, employee_rows)
    _reset_sequences(User, Employee)
    for team in teams:
        team.supervisor_id = people_by_team[team.pk][0].id
    Team.objects.bulk_update(teams, ["supervisor"], batch_size=500)
    return people_by_team


def _position_targets(positions, indicator_ids):
    targets = []
    for key, _, _, level in POSITIONS:
        for n, indicator_id in enumerate(indicator_ids):
            expected = min(5, level + (n % 3 == 0))
            targets.append(PositionTarget(position=positions[key], indicator_id=indicator_id, level=expected))
            key_relieved, stage, delta = ONBOARDING_RELIEF
            if key == key_relieved:
                targets.append(
                    PositionTarget(
                        position=positions[key], indicator_id=indicator_id, stage=stage, level=expected + delta
                    )
                )
    PositionTarget.objects.bulk_create(targets)


def _months(today, count):
    """[(first day, number of days that may carry an assessment)], oldest first, ending with today's month."""
    months = []
    first = today.replace(day=1)
    for _ in range(count):
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        months.append((first, min(last, today).day))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    months.reverse()
    return months


def _history(scale, rng, people, indicators, months, next_assessment, next_score):
    """Assessment and score rows for ``people``; ids are given here so COPY needs no RETURNING."""
    assessment_rows, score_rows = [], []
    count = len(indicators)
    indicator_ids = [pk for pk, _ in indicators]
    skills = [n for n, (_, dimension) in enumerate(indicators) if dimension == "S"] or list(range(count))
    coaching = [n for n, (_, dimension) in enumerate(indicators) if dimension in "SH"] or list(range(count))
    stamps = {}
    submitted = AssessmentStatus.SUBMITTED

    def stamp(day):
        if day not in stamps:
            stamps[day] = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        return stamps[day]

    def add(person, month, day, source, assessor, chosen, *, context, status=submitted, supersedes=None, shift=0):
        nonlocal next_assessment, next_score
        assessment_id = next_assessment
        next_assessment += 1
        note = rng.choice(NOTES) if source == Source.SUPERVISOR and rng.random() < 0.05 else ""
        at = stamp(day)
        assessment_rows.append(
            (
                assessment_id,
                person.id,
                assessor,
                source,
                day,
                context,
                note,
                status,
                supersedes,
                1,
                at,
                at if status == submitted else None,
                "",
            )
        )
        for n in chosen:
            raw = person.ability[n] + person.growth * month + rng.gauss(0, 0.5) + shift
            evidence = rng.choice(EVIDENCE) if rng.random() < 0.1 else ""
            score_rows.append((next_score, assessment_id, indicator_ids[n], min(5, max(1, int(raw + 0.5))), evidence))
            next_score += 1
        return assessment_id

    latest = len(months) - 1
    for offset, person in enumerate(people):
        for month, (first, days) in enumerate(months):
            day = first + datetime.timedelta(days=rng.randrange(days))
            rotation = [(month * SUPERVISOR_SCORES + offset + k) % count for k in range(min(SUPERVISOR_SCORES, count))]
            monthly = add(person, month, day, Source.SUPERVISOR, person.supervisor_user_id, rotation, context="Monthly")
            if rng.random() < scale.correction_rate:
                add(
                    person,
                    month,
                    day,
                    Source.SUPERVISOR,
                    person.supervisor_user_id,
                    rotation,
                    context="Correction",
                    supersedes=monthly,
                    shift=rng.choice((-1, 1)),
                )
            if person.mentor_user_id and rng.random() < scale.mentor_rate:
                chosen = rng.sample(coaching, min(SUPERVISOR_SCORES, len(coaching)))
                add(person, month, day, Source.MENTOR, person.mentor_user_id, chosen, context="Coaching session")
            if rng.random() < scale.self_rate:
                add(person, month, day, Source.SELF, person.user_id, range(count), context="Self review")
            if rng.random() < scale.qa_rate:
                add(person, month, day, Source.QA, person.supervisor_user_id, skills, context="QA sample")
            if month == latest and person.supervisor_user_id and rng.random() < scale.draft_rate:
                add(
                    person,
                    month,
                    day,
                    Source.SUPERVISOR,
                    person.supervisor_user_id,
                    rotation,
                    context="Draft",
                    status=AssessmentStatus.DRAFT,
                )
    return assessment_rows, score_rows


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models):
    """Ids were given explicitly: move PostgreSQL's sequences past them (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _insert(model, columns, rows):
    """Insert tuples given in ``columns`` (attribute names) order: COPY on PostgreSQL, bulk_create elsewhere."""
    fields = [model._meta.get_field(column) for column in columns]
    missing = {f.attname for f in model._meta.concrete_fields} - set(columns)
    if missing:
        raise RuntimeError(f"bench/kash.py does not fill {model.__name__}.{', '.join(sorted(missing))}: update it.")
    if connection.vendor == "postgresql":
        _copy(model._meta.db_table, [f.column for f in fields], rows)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=500)


def _copy(table, columns, rows):
    quote = connection.ops.quote_name
    buffer = io.StringIO()
    buffer.writelines("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN", buffer)


def _copy_text(value):
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    return str(value)


# Measurement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subjects:
    """Who and what the benchmark looks at: the first generated team and its longest history."""

    supervisor_user: object
    team: Team
    member: Employee
    position: Position


def subjects():
    team = Team.objects.select_related("supervisor__user", "supervisor__position").get(code=f"{PREFIX}-T0001")
    busiest = (
        Assessment.objects.filter(subject__team=team, status=AssessmentStatus.SUBMITTED)
        .exclude(subject=team.supervisor)
        .values("subject")
        .annotate(scores=Count("scores"))
        .order_by("-scores", "subject")
        .first()
    )
    if busiest is None:
        raise RuntimeError(f"Team {team.code} has no assessed members: generate the data first.")
    member = Employee.objects.get(pk=busiest["subject"])
    return Subjects(team.supervisor.user, team, member, team.supervisor.position)


@dataclass
class PageResult:
    name: str
    url: str
    queries: int
    times_ms: list
    captured: list = field(default_factory=list, repr=False)  # [(ms, sql)] of the counted request
    is_trivial: bool = False

    @property
    def median_ms(self):
        return statistics.median(self.times_ms)

    @property
    def p90_ms(self):
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]  # nearest rank


def pages(chosen):
    """(name, url, is the trivial page): the lightest authenticated page first, as the yardstick."""
    return [
        ("Trivial: position detail", reverse("staff:position-detail", args=[chosen.position.pk]), True),
        ("Team heatmap", reverse("training:team-heatmap"), False),
        ("KASH profile", reverse("training:kash-profile", args=[chosen.member.pk]), False),
    ]


class HttpsClient(Client):
    """With DEBUG off, plain HTTP is redirected to HTTPS: this client asks every page as over HTTPS."""

    def get(self, path, *args, **kwargs):
        return super().get(path, *args, secure=True, **kwargs)


def median_seconds(fn, runs):
    """The median wall time of ``runs`` calls of ``fn``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(chosen, *, runs=30, warmup=3, client=None):
    """Each page: warm-ups and one request with its queries captured, then ``runs`` timed rounds.

    A round requests every page once, so load from elsewhere on the machine weighs on all pages alike
    and the ratios to the trivial page stay fair.
    """
    client = client or Client()
    client.force_login(chosen.supervisor_user, backend=MODEL_BACKEND)
    results = []
    for name, url, is_trivial in pages(chosen):
        for _ in range(warmup):
            _get(client, url)
        timer = _QueryTimer()
        with CaptureQueriesContext(connection) as context, connection.execute_wrapper(timer):
            _get(client, url)
        results.append(PageResult(name, url, len(context.captured_queries), [], timer.captured, is_trivial))
    for _ in range(runs):
        for result in results:
            started = time.perf_counter()
            _get(client, result.url)
            result.times_ms.append((time.perf_counter() - started) * 1000)
    return results


class _QueryTimer:
    """An execute wrapper noting each query's SQL and time more finely than connection.queries does."""

    def __init__(self):
        self.captured = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.captured.append(((time.perf_counter() - started) * 1000, sql))


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, expected 200.")
    return response


def trivial(results):
    return next(r for r in results if r.is_trivial)


def ratio(result, results):
    return result.median_ms / trivial(results).median_ms


def failures(results, *, max_queries=MAX_QUERIES, max_ratio=MAX_RATIO):
    """The missed targets, as sentences; empty when every measured page meets them."""
    missed = []
    for result in results:
        if result.is_trivial:
            continue
        if result.queries > max_queries:
            missed.append(f"{result.name}: {result.queries} queries, target ≤ {max_queries}")
        if ratio(result, results) > max_ratio:
            missed.append(
                f"{result.name}: median {result.median_ms:.1f} ms is {ratio(result, results):.1f}× the trivial page, "
                f"target ≤ {max_ratio:g}×"
            )
    return missed


def report(results, *, heading, details=(), with_queries=False, max_queries=MAX_QUERIES, max_ratio=MAX_RATIO):
    """The Markdown report: the table, the targets, and on request each page's queries."""
    runs = len(results[0].times_ms)
    lines = [f"# {heading}", ""]
    lines += [f"- {detail}" for detail in details]
    lines += [
        f"- {runs} timed requests per page after warm-ups; server time through django.test.Client",
        "",
        "| Page | Queries | Median ms | p90 ms | × trivial |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} (`{r.url}`) | {r.queries} | {r.median_ms:.1f} | {r.p90_ms:.1f} | {ratio(r, results):.1f}× |"
        )
    missed = failures(results, max_queries=max_queries, max_ratio=max_ratio)
    lines += ["", f"Targets per KASH page: ≤ {max_queries} queries and ≤ {max_ratio:g}× the trivial page (median).", ""]
    lines += [f"- MISSED — {m}" for m in missed] or ["- All targets met."]
    if with_queries:
        for r in results:
            lines += ["", f"## Queries of {r.name}", "", "| ms | SQL |", "|---:|---|"]
            for ms, sql in r.captured:
                text = sql if len(sql) <= 300 else sql[:297] + "..."
                lines.append(f"| {ms:.2f} | `{text.replace('|', '¦')}` |")
    return "\n".join(lines) + "\n"
