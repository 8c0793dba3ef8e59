"""The platform's export files (issue 11 §3): an uploaded .csv or .xlsx of agent or queue days, read into the rows
kpis.services.ingestion takes, previewed without writing, and ingested in the request or, when big, on the worker.

Reading is staff.spreadsheets' (one encoding per CSV file, UTF-8 with or without a BOM or GBK; an XLSX streamed
within settings.IMPORT_LIMITS); the header row may be Chinese or English (kpis.rows.header_map). Between the
preview and the confirm the upload waits in settings.IMPORT_TMP_DIR (staff.imports.ImportTempStorage), like the
staff imports; the hourly staff.tasks.remove_expired_uploads deletes the ones never confirmed.

A big file is an Ingest queued for kpis.tasks.ingest_file. The service writes every row in one transaction (all
or nothing), so the progress HR sees comes before it: the worker checks the rows' cells in chunks, saving
``rows_done`` after each (committed, outside any transaction), then hands every row to the service.
"""

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import publish_quickly
from staff import spreadsheets
from staff.cells import normalise
from staff.imports import ImportTempStorage
from staff.spreadsheets import FileProblem

from . import rows as spec
from .models import Channel, Ingest, IngestStatus, Measure, Source
from .services import ingestion

log = logging.getLogger(__name__)

READERS = {"csv": spreadsheets.read_csv, "xlsx": spreadsheets.read_xlsx}
SERVICES = {Source.AGENT: ingestion.ingest_agent_rows, Source.QUEUE: ingestion.ingest_queue_rows}
OWNERS = {Source.AGENT: "employee_number", Source.QUEUE: "queue_code"}
# A file of at most this many rows is ingested in HR's request; a bigger one on the worker, with a progress bar.
SMALL_ROWS = 2_000
# The preview checks a file of at most this many rows against the database too (a rehearsal rolled back):
# unknown people and queues, hire and leaving dates, revisions. A bigger one has its cells checked, the rest
# when it is ingested.
PREVIEW_CHECK_ROWS = 20_000
# Rows whose cells the worker checks between two progress updates.
CHUNK_ROWS = 1_000
# A queued file whose publish was lost is started by the sweep after this long; a running one whose worker
# died (its transaction rolled back: nothing written) is marked failed after the task's time limit and a margin.
QUEUED_GRACE = timedelta(seconds=30)
STALE_AFTER = timedelta(seconds=settings.IMPORT_JOB_TIME_LIMIT_SECONDS + 600)
PROBLEMS_SHOWN = 1_000


def extra_measures(source):
    """The measures HR added for ``source``: a file may carry them as columns, by code or name."""
    measures = Measure.objects.filter(source=source, is_builtin=False)
    return [
        spec.ExtraMeasure(code, is_decimal, (name_en, name_zh))
        for code, is_decimal, name_en, name_zh in measures.values_list("code", "is_decimal", "name_en", "name_zh")
    ]


def read_rows(data, file_name, source, extra=()):
    """The file's rows as ``{column: cell, "row": line}`` (the header is line 1); FileProblem if the file cannot
    be read or its header row does not name the source's columns. Blank rows are left out."""
    extension = PurePath(file_name).suffix.lower().lstrip(".")
    if extension not in READERS:
        raise FileProblem(_("Upload a .csv or .xlsx file."))
    headers, table = READERS[extension](data)
    try:
        columns = spec.header_map(headers, source, extra)
    except ValidationError as error:
        raise FileProblem(" ".join(error.messages), row=1) from None
    rows = []
    for number, cells in enumerate(table, 2):
        if any(cell is not None and cell != "" for cell in cells):
            rows.append({ingestion.ROW: number, **{column: cells[index] for column, index in columns.items()}})
    return rows


def check_cells(rows, source, extra=()):
    """Each row's own checks (kpis.rows.parse_row, no database): ``(typed rows, problems as dicts)``."""
    today = timezone.localdate()
    typed, problems = [], []
    for values in rows:
        cells = {key: value for key, value in values.items() if key != ingestion.ROW}
        row, row_problems = spec.parse_row(cells, source, row=values[ingestion.ROW], today=today, extra=extra)
        if row is None:
            problems += [problem.as_dict() for problem in row_problems]
        else:
            typed.append(row)
    return typed, problems


# Preview --------------------------------------------------------------------------------------------------


@dataclass
class Preview:
    """What a file would do, nothing written: its rows, days, people or queues, and every problem; the counts
    the ingest would have when the rehearsal ran (``is_checked``)."""

    source: str
    rows: int
    first_on: object = None
    last_on: object = None
    owners: int = 0
    problems: list = field(default_factory=list)
    is_checked: bool = False
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0

    @property
    def is_small(self):
        return self.rows <= SMALL_ROWS


def preview(*, rows, source, actor, file_name, extra=()):
    """The file's preview: its cells checked; the whole ingest rehearsed and rolled back when the file has at
    most PREVIEW_CHECK_ROWS rows."""
    typed, problems = check_cells(rows, source, extra)
    dates = [row["date"] for row in typed]
    result = Preview(
        source=source,
        rows=len(rows),
        first_on=min(dates, default=None),
        last_on=max(dates, default=None),
        owners=len({normalise(values.get(OWNERS[source])) for values in rows}),
        problems=problems,
    )
    if len(rows) <= PREVIEW_CHECK_ROWS:
        _rehearse(result, rows=rows, actor=actor, file_name=file_name)
    return result


class _Rehearsal(Exception):
    pass


def _rehearse(result, *, rows, actor, file_name):
    """Ingest the rows inside a transaction that is always rolled back (the Ingest row too)."""
    try:
        with transaction.atomic():
            ingest = SERVICES[result.source](actor=actor, channel=Channel.FILE, rows=rows, file_name=file_name)
            result.inserted, result.replaced = ingest.rows_inserted, ingest.rows_replaced
            result.unchanged = ingest.rows_unchanged
            raise _Rehearsal
    except _Rehearsal:
        result.problems = []
    except ingestion.RowsRefused as refused:
        result.problems = [problem.as_dict() for problem in refused.problems]
    result.is_checked = True


# Confirm ----------------------------------------------------------------------------------------------------


def ingest_now(*, rows, source, actor, file_name, ingest=None):
    """Ingest the rows through the service: the done Ingest, or the failed one (its problems recorded)."""
    try:
        return SERVICES[source](actor=actor, channel=Channel.FILE, rows=rows, file_name=file_name, ingest=ingest)
    except ingestion.RowsRefused as refused:
        return refused.ingest


def upload_name(ingest_id):
    return f"{ImportTempStorage.PREFIX}kpi_ingest_{ingest_id}"


@transaction.atomic
def queue_ingest(*, upload, source, actor, file_name, rows_total):
    """A big file: an Ingest queued for the worker, which reads the upload (claimed by this confirm) once this
    commits. The upload is renamed after the Ingest, so the task needs only its id."""
    ingest = Ingest.objects.create(
        source=source,
        channel=Channel.FILE,
        actor=actor,
        file_name=file_name,
        status=IngestStatus.QUEUED,
        rows_total=rows_total,
    )
    target = ImportTempStorage(name=upload_name(ingest.pk))
    os.replace(upload.get_full_path(), target.get_full_path())
    os.utime(target.get_full_path())  # the expired-upload sweep goes by age: this one is fresh again
    transaction.on_commit(lambda: kick(ingest.pk))
    return ingest


def kick(ingest_id):
    from .tasks import ingest_file

    try:
        publish_quickly(ingest_file, ingest_id)
    except Exception:  # kombu raises several kinds of errors for an unreachable broker
        log.warning("Broker unreachable; KPI ingest %s waits for the sweep.", ingest_id, exc_info=True)


def run(ingest_id):
    """The worker's side of a big file: claim the queued Ingest (a second delivery finds it claimed), check the
    cells chunk by chunk saving the progress, then ingest every row through the service, all or nothing."""
    if not Ingest.objects.filter(pk=ingest_id, status=IngestStatus.QUEUED).update(status=IngestStatus.RUNNING):
        return
    ingest = Ingest.objects.get(pk=ingest_id)
    upload = ImportTempStorage(name=upload_name(ingest_id), read_mode="rb")
    try:
        extra = extra_measures(ingest.source)
        rows = read_rows(upload.read(), ingest.file_name, ingest.source, extra)
        Ingest.objects.filter(pk=ingest_id).update(rows_total=len(rows))
        for start in range(0, len(rows), CHUNK_ROWS):
            check_cells(rows[start : start + CHUNK_ROWS], ingest.source, extra)
            Ingest.objects.filter(pk=ingest_id).update(rows_done=min(start + CHUNK_ROWS, len(rows)))
        ingest_now(rows=rows, source=ingest.source, actor=ingest.actor, file_name=ingest.file_name, ingest=ingest)
    except FileProblem as problem:
        _fail(ingest_id, problem.message, row=problem.row)
    except Exception:
        _fail(ingest_id, _("Stopped by an error; nothing was written."))
        raise
    finally:
        upload.remove()


def _fail(ingest_id, message, row=None):
    problems = [{"row": row, "column": "", "message": message}]
    Ingest.objects.filter(pk=ingest_id).exclude(status=IngestStatus.DONE).update(
        status=IngestStatus.FAILED, finished_at=timezone.now(), problems=problems
    )


def sweep(now=None):
    """Start the queued files whose publish was lost; fail the running ones whose worker died (nothing was
    written: the service's transaction rolled back). Returns (started, stopped)."""
    now = now or timezone.now()
    files = Ingest.objects.filter(channel=Channel.FILE)
    stopped = 0
    for ingest_id in files.filter(status=IngestStatus.RUNNING, created_at__lt=now - STALE_AFTER).values_list(
        "pk", flat=True
    ):
        stopped += Ingest.objects.filter(pk=ingest_id, status=IngestStatus.RUNNING).update(
            status=IngestStatus.FAILED,
            finished_at=now,
            problems=[{"row": None, "column": "", "message": _("The worker stopped; nothing was written.")}],
        )
        Path(ImportTempStorage(name=upload_name(ingest_id)).get_full_path()).unlink(missing_ok=True)
    waiting = list(
        files.filter(status=IngestStatus.QUEUED, created_at__lt=now - QUEUED_GRACE).values_list("pk", flat=True)
    )
    for ingest_id in waiting:
        kick(ingest_id)
    return len(waiting), stopped
