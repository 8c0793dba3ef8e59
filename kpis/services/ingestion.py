"""Ingestion of the platform's daily rows (issue 11 §3), by API or file: every row checked first, then one
set-based upsert where the highest revision wins.

- The key is (employee, date) or (queue, date). A revision higher than the stored one replaces the row; a lower
  or equal one changes nothing, so a replayed request changes 0 rows. The same revision with other values is
  refused: the platform must send a higher revision to correct a day.
- The platform outranks the product: an agent's day the product derived from its cases (``from_platform``
  off, linkage.services.kpi_feed) is replaced by the platform's row whatever its revision, and never replaces
  a platform row; revisions are compared only between rows of the same origin.
- A row belongs to the team and site it names for that date, never to today's roster.
- Any bad row: nothing is written and every problem is reported (row, column, reason).
- Every ingest is recorded. The Ingest row is written before the rows are checked, outside the block that
  writes the rows, so a refused ingest stays recorded as failed with its problems while its rows roll back.
- A day of a closed scorecard month that is inserted or replaced is still stored (raw data is kept) and a
  LateRevision flags it for HR; the frozen scorecard is left alone (kpis.services.scorecards recomputes only
  open months).
"""

import datetime
import hashlib
import pickle
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from config.bulk import insert_rows, upsert_rows
from kpis import rows as spec
from kpis.models import AgentDay, Ingest, IngestStatus, LateRevision, Measure, Month, MonthStatus, Queue, QueueDay
from kpis.models.measures import AGENT_AMOUNTS, AGENT_COUNTS, QUEUE_COUNTS, Source
from staff.models import Employee, Site, Team

ROW = "row"  # a row's number, when the caller gives one (a file's line); otherwise its position from 1
PROBLEMS_KEPT = 1000  # problems stored on a failed Ingest; the ValidationError carries all of them
LOCK_CLASS = {Source.AGENT: 1101, Source.QUEUE: 1102}  # PostgreSQL advisory lock namespaces, one per source


class RowsRefused(ValidationError):
    """The rows were refused: ``problems`` lists every bad row (kpis.rows.Problem); nothing was written."""

    def __init__(self, problems, ingest):
        self.problems = problems
        self.ingest = ingest
        super().__init__([_("Row %(row)s, %(column)s: %(message)s") % p.as_dict() for p in problems[:PROBLEMS_KEPT]])


@dataclass(frozen=True)
class _Kind:
    source: str
    model: type
    key: str  # the row's owner: "employee" or "queue"
    values: tuple  # the stored columns compared between revisions, besides the key, date and revision
    ranked: tuple = ("revision",)  # the stored columns a sent row must exceed (in order) to replace the stored one


AGENT = _Kind(
    Source.AGENT,
    AgentDay,
    "employee",
    ("team", "site", "line", *AGENT_COUNTS, *AGENT_AMOUNTS, "extra"),
    ranked=("from_platform", "revision"),
)
QUEUE = _Kind(Source.QUEUE, QueueDay, "queue", ("site", *QUEUE_COUNTS, "extra"))


def ingest_agent_rows(*, actor, channel, rows, file_name="", ingest=None, from_platform=True):
    """Check and store agents' daily rows ({column: value}, see kpis.rows.AGENT_COLUMNS); returns the done
    Ingest or raises RowsRefused (a ValidationError) with every problem, having written no row. Rows the
    product derived itself (``from_platform=False``) only fill days the platform has not sent."""
    return _ingest(
        AGENT, actor=actor, channel=channel, rows=rows, file_name=file_name, ingest=ingest, platform=from_platform
    )


def ingest_queue_rows(*, actor, channel, rows, file_name="", ingest=None):
    """Check and store queues' daily rows (kpis.rows.QUEUE_COLUMNS), like ingest_agent_rows."""
    return _ingest(QUEUE, actor=actor, channel=channel, rows=rows, file_name=file_name, ingest=ingest, platform=True)


def _ingest(kind, *, actor, channel, rows, file_name, ingest, platform):
    rows = list(rows)
    digest = _digest(kind, rows if platform else ["derived", rows])
    ingest = _start(kind, ingest, actor=actor, channel=channel, file_name=file_name, total=len(rows), digest=digest)
    if _replay_of(ingest):
        return ingest
    try:
        with transaction.atomic():
            _check_and_write(kind, ingest, rows, platform)
    except RowsRefused as refused:
        _finish(ingest, IngestStatus.FAILED, problems=[p.as_dict() for p in refused.problems[:PROBLEMS_KEPT]])
        raise
    except Exception:
        _finish(
            ingest, IngestStatus.FAILED, problems=[{"row": None, "column": "", "message": _("Stopped by an error.")}]
        )
        raise
    return ingest


def _digest(kind, rows):
    """A fingerprint of the rows exactly as sent. Pickled only to be hashed (never loaded): 4× faster than JSON
    for a day of 10,000 agents. Equal bytes mean equal rows; rows that are equal but pickle differently only
    miss the shortcut and are checked in full."""
    return hashlib.sha256(pickle.dumps([kind.source, rows], protocol=5)).hexdigest()


def _start(kind, ingest, *, actor, channel, file_name, total, digest):
    if ingest is None:
        return Ingest.objects.create(
            source=kind.source,
            channel=channel,
            actor=actor,
            file_name=file_name,
            status=IngestStatus.RUNNING,
            rows_total=total,
            digest=digest,
        )
    ingest.status, ingest.rows_total, ingest.digest = IngestStatus.RUNNING, total, digest
    ingest.save(update_fields=["status", "rows_total", "digest"])
    return ingest


def _replay_of(ingest):
    """Finish ``ingest`` as unchanged if the very same rows were stored whole before, and say so. Every key then
    holds that revision or a higher one (a revision only ever rises and days are never deleted), so checking
    and upserting them again could change nothing: a retried request costs one look-up."""
    earlier = (
        Ingest.objects.filter(source=ingest.source, digest=ingest.digest, status=IngestStatus.DONE)
        .exclude(pk=ingest.pk)
        .values("first_on", "last_on")
        .first()
    )
    if earlier is None:
        return False
    _finish(ingest, IngestStatus.DONE, rows_done=ingest.rows_total, rows_unchanged=ingest.rows_total, **earlier)
    return True


def _finish(ingest, status, **fields):
    for name, value in {"status": status, "finished_at": timezone.now(), **fields}.items():
        setattr(ingest, name, value)
    ingest.save(update_fields=["status", "finished_at", *fields])


def _check_and_write(kind, ingest, rows, platform):
    parsed, problems = _parse(kind, rows)
    problems += _check_references(kind, parsed)
    winners, duplicate_problems = _winners(kind, parsed)
    problems += duplicate_problems
    if problems:
        raise RowsRefused(sorted(problems, key=lambda p: (p.row, p.column)), ingest)
    _lock_days(kind, {row["date"] for _number, row in winners})
    closed = _lock_months(winners) if kind is AGENT else {}
    stored = _stored(kind, winners)
    problems = _check_revisions(kind, winners, stored, platform)
    if problems:
        raise RowsRefused(problems, ingest)
    written = _write(kind, ingest, winners, platform)
    inserted = sum(1 for key in written if key not in stored)
    if kind is AGENT:
        _flag_late_revisions(ingest, winners, set(written), closed)
    dates = [row["date"] for _number, row in parsed]
    _finish(
        ingest,
        IngestStatus.DONE,
        rows_done=len(rows),
        rows_inserted=inserted,
        rows_replaced=len(written) - inserted,
        rows_unchanged=len(rows) - len(written),
        first_on=min(dates, default=None),
        last_on=max(dates, default=None),
    )


def extra_measures(source):
    """The measures HR added for ``source`` (kpis.rows.ExtraMeasure), e.g. for kpis.rows.header_map."""
    found = Measure.objects.filter(source=source, is_builtin=False)
    return [
        spec.ExtraMeasure(code, is_decimal, (name_en, name_zh))
        for code, is_decimal, name_en, name_zh in found.values_list("code", "is_decimal", "name_en", "name_zh")
    ]


def _parse(kind, rows):
    """[(row number, typed values)] of the rows without problems, and every problem."""
    extra = extra_measures(kind.source)
    today = timezone.localdate()
    parsed, problems = [], []
    for index, values in enumerate(rows):
        if not isinstance(values, dict):
            problems.append(spec.Problem(index + 1, "", _("Send each row as an object of columns.")))
            continue
        number = values.get(ROW, index + 1)
        cells = {key: value for key, value in values.items() if key != ROW}
        typed, row_problems = spec.parse_row(cells, kind.source, row=number, today=today, extra=extra)
        if typed is None:
            problems += row_problems
        else:
            parsed.append((number, typed))
    return parsed, problems


def _check_references(kind, parsed):
    """Unknown codes, a team of another site, a day before the hire date or after the last working day. Sets
    the rows' ids (``key``, ``team``, ``site``) as it goes; one query per kind of code."""

    def codes(column):
        return _any({row[column] for _number, row in parsed}, "text")

    sites = dict(Site.objects.filter(code__in=codes("site_code")).values_list("code", "pk"))
    problems = []
    if kind is AGENT:
        teams = {
            code: (pk, site)
            for code, pk, site in Team.objects.filter(code__in=codes("team_code")).values_list(
                "code", "pk", "department__site_id"
            )
        }
        people = {
            number: (pk, hired, left)
            for number, pk, hired, left in Employee.objects.filter(
                employee_number__in=codes("employee_number")
            ).values_list("employee_number", "pk", "hire_date", "left_on")
        }
        for number, row in parsed:
            problems += _agent_references(number, row, sites, teams, people)
    else:
        queues = {
            code: (pk, site)
            for code, pk, site in Queue.objects.filter(code__in=codes("queue_code")).values_list(
                "code", "pk", "site_id"
            )
        }
        for number, row in parsed:
            problems += _queue_references(number, row, sites, queues)
    return problems


def _any(values, db_type):
    """The right side of an ``__in`` lookup: on PostgreSQL one array parameter (thousands of values cost Django
    and the server far less that way than as thousands of parameters)."""
    values = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [values])
    return values


def _agent_references(number, row, sites, teams, people):
    problems = []
    site, team, person = sites.get(row["site_code"]), teams.get(row["team_code"]), people.get(row["employee_number"])
    if person is None:
        problems.append(spec.Problem(number, "employee_number", _("No employee has this employee number.")))
    else:
        row["key"], hired, left = person
        if row["date"] < hired:
            message = _("%(date)s is before the hire date (%(hired)s).")
            problems.append(spec.Problem(number, "date", message % {"date": row["date"], "hired": hired}))
        if left is not None and row["date"] > left:
            message = _("%(date)s is after the last working day (%(left)s).")
            problems.append(spec.Problem(number, "date", message % {"date": row["date"], "left": left}))
    if site is None:
        problems.append(spec.Problem(number, "site_code", _("No site has this code.")))
    if team is None:
        problems.append(spec.Problem(number, "team_code", _("No team has this code.")))
    elif site is not None and team[1] != site:
        problems.append(spec.Problem(number, "team_code", _("This team is not in that site.")))
    if team is not None and site is not None:
        row["team"], row["site"] = team[0], site
    return problems


def _queue_references(number, row, sites, queues):
    problems = []
    site, queue = sites.get(row["site_code"]), queues.get(row["queue_code"])
    if queue is None:
        problems.append(spec.Problem(number, "queue_code", _("No queue has this code.")))
    if site is None:
        problems.append(spec.Problem(number, "site_code", _("No site has this code.")))
    elif queue is not None and queue[1] != site:
        problems.append(spec.Problem(number, "queue_code", _("This queue is not in that site.")))
    if queue is not None:
        row["key"], row["site"] = queue[0], site
    return problems


def _winners(kind, parsed):
    """The row with the highest revision for each key; the same key and revision twice is refused
    (even with the same values: the platform sent one row twice), naming both rows."""
    owner = "employee_number" if kind is AGENT else "queue_code"
    best, problems = {}, []
    for number, row in parsed:
        key = (row[owner], row["date"])
        seen = best.get(key)
        if seen is not None and seen[1]["revision"] == row["revision"]:
            message = _("Rows %(first)s and %(second)s both send revision %(revision)s of this day.")
            params = {"first": seen[0], "second": number, "revision": row["revision"]}
            problems.append(spec.Problem(number, "revision", message % params))
        elif seen is None or seen[1]["revision"] < row["revision"]:
            best[key] = (number, row)
    return list(best.values()), problems


def _lock_days(kind, dates):
    """PostgreSQL: one transaction-scoped advisory lock per day written, taken in date order, so two ingests of
    the same days run one after the other (each sees what the other stored) and never deadlock."""
    if connection.vendor != "postgresql" or not dates:
        return
    days = sorted(day.toordinal() for day in dates)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, d)) FROM (SELECT unnest(%s::integer[]) AS d ORDER BY d) AS days",
            [LOCK_CLASS[kind.source], days],
        )


def _stored(kind, winners):
    """{(key id, date): {column: value}} of the stored rows for the winners' keys."""
    if not winners:
        return {}
    keys = {(row["key"], row["date"]) for _number, row in winners}
    owner = f"{kind.key}_id"
    ranked = [c for c in kind.ranked if c != "revision"]
    columns = [owner, "on", "revision", *ranked, *(f"{c}_id" if c in ("team", "site") else c for c in kind.values)]
    dates = [row["date"] for _number, row in winners]
    found = kind.model.objects.filter(
        **{f"{owner}__in": _any({key for key, _on in keys}, "integer")}, on__range=(min(dates), max(dates))
    ).values_list(*columns)
    return {
        (values[0], values[1]): dict(zip(columns[2:], values[2:], strict=True))
        for values in found
        if (values[0], values[1]) in keys
    }


def _check_revisions(kind, winners, stored, platform):
    """The same revision sent again with other values is refused, against a stored row of the same origin only
    (a derived row is replaced by any platform row; a derived row never replaces a platform one)."""
    problems = []
    for number, row in winners:
        old = stored.get((row["key"], row["date"]))
        if old is None or old["revision"] != row["revision"] or old.get("from_platform", True) != platform:
            continue
        differ = [c for c in kind.values if old[f"{c}_id" if c in ("team", "site") else c] != row[c]]
        if differ:
            message = _(
                "Revision %(revision)s of this day was already received with other values (%(columns)s); send a "
                "higher revision."
            )
            problems.append(
                spec.Problem(number, "revision", message % {"revision": row["revision"], "columns": ", ".join(differ)})
            )
    return problems


def _write(kind, ingest, winners, platform):
    """Upsert the winners: inserted, or replacing a stored row they outrank (kind.ranked). Returns the keys
    written."""
    origin = [platform] if "from_platform" in kind.ranked else []
    columns = [kind.key, "on", "revision", *(["from_platform"] if origin else []), "ingest", *kind.values]
    rows = [
        (row["key"], row["date"], row["revision"], *origin, ingest.pk, *(row[c] for c in kind.values))
        for _number, row in winners
    ]
    return upsert_rows(
        kind.model, columns, rows, conflict=[kind.key, "on"], update=columns[2:], where_newer=kind.ranked
    )


def _lock_months(winners):
    """Lock the scorecard months the rows fall in (created if new) and return ``{month: pk}`` of the closed ones.
    Closing a month locks its row too (kpis.services.scorecards), so a day stored while HR closes its month
    either counts in the frozen scorecards (stored first) or is flagged as a late revision (closed first)."""
    months = sorted({datetime.date(row["date"].year, row["date"].month, 1) for _number, row in winners})
    for month in months:
        Month.objects.get_or_create(month=month)
    locked = Month.objects.select_for_update(no_key=True).filter(month__in=months).order_by("month")
    return {row.month: row.pk for row in locked if row.status == MonthStatus.CLOSED}


def _flag_late_revisions(ingest, winners, written, closed):
    """A LateRevision for each day written in a closed month (raw data is kept, the scorecard stays frozen)."""
    if not closed:
        return
    late = []
    for _number, row in winners:
        month = closed.get(row["date"].replace(day=1))
        if month is not None and (row["key"], row["date"]) in written:
            late.append((month, row["key"], row["date"], row["revision"], ingest.pk))
    columns = ["month", "employee", "on", "revision", "ingest", "is_reviewed"]
    insert_rows(LateRevision, columns, [(*values, False) for values in late], ignore_conflicts=True)
