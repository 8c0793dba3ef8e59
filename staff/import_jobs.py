"""Big imports on the worker (issue 10 §3): an upload over settings.IMPORT_BACKGROUND_BYTES is previewed by a
Celery task, confirmed by HR on its job page, and imported by another task, with a progress bar meanwhile.

The import itself is the same as in the admin's request (``staff.imports.RESOURCES``, all or nothing in one
transaction, the identity confirmation); a job only keeps less of it: the totals, the problems and the changes
of identity, never a result per row (``SummaryResult``), so that its memory does not grow with the rows it
has imported. Progress is written beside the upload in IMPORT_TMP_DIR, outside the import's transaction, so
the job page sees it while the rows are not yet committed.

Publishing a task never holds up HR's request (``config.celery.publish_quickly``); the per-minute
``sweep`` starts a job whose publish was lost and stops a job whose worker died (its transaction was rolled
back, so nothing was written)."""

import copy
import json
import logging
import os
import time
from datetime import timedelta
from pathlib import Path

import tablib
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.encoding import force_str

from config.celery import publish_quickly

from .import_results import ImportResult, Problem
from .imports import RESOURCES, ImportTempStorage, read_dataset
from .models import ImportJob
from .models import ImportJobStatus as Status
from .resources import RECORD_CHANGED_MEANWHILE
from .spreadsheets import FileProblem

log = logging.getLogger(__name__)

# Stored on the job for its page; the counts say how many there were in all.
KEPT_PROBLEMS = 1_000
KEPT_IDENTITY_CHANGES = 1_000
# Rows checked and written at a time: a chunk's records are released once it is written.
CHUNK_ROWS = 5_000
# A job still running after this long lost its worker (a killed worker's transaction is rolled back).
STALE_AFTER = timedelta(seconds=settings.IMPORT_JOB_TIME_LIMIT_SECONDS + 120)
# A queued job whose publish was lost is started by the sweep after this long.
QUEUED_GRACE = timedelta(minutes=2)

_CLAIMS = {Status.PREVIEW_QUEUED: Status.PREVIEWING, Status.IMPORT_QUEUED: Status.IMPORTING}


def is_big(size):
    """Whether an upload of ``size`` bytes is previewed and imported on the worker."""
    return size > settings.IMPORT_BACKGROUND_BYTES


@transaction.atomic
def start_preview(*, resource_name, upload_name, file_name, actor):
    """A job for an upload already saved in ImportTempStorage; the worker checks it once this commits."""
    job = ImportJob.objects.create(resource=resource_name, upload_name=upload_name, file_name=file_name, actor=actor)
    transaction.on_commit(lambda: kick(job.pk))
    return job


@transaction.atomic
def confirm(*, job_id, actor, confirmed_digest):
    """HR confirmed the checked file: queue its import. False if it was confirmed already (a double click)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.READY).update(
        status=Status.IMPORT_QUEUED,
        confirmed_digest=confirmed_digest,
        queued_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    if claimed:
        transaction.on_commit(lambda: kick(job_id))
    return bool(claimed)


def kick(job_id):
    from .tasks import run_import_job

    try:
        publish_quickly(run_import_job, job_id)
    except Exception:  # kombu raises several kinds of errors for an unreachable broker
        log.warning("Broker unreachable; import job %s waits for the sweep.", job_id, exc_info=True)


def run(job_id):
    """Check or import the job's file, if it is waiting (a second delivery finds it claimed and does nothing)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.status not in _CLAIMS:
        return
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job_id, status=job.status).update(status=_CLAIMS[job.status], started_at=now):
        return
    is_preview = job.status == Status.PREVIEW_QUEUED
    upload = ImportTempStorage(name=job.upload_name, read_mode="rb")
    progress = Progress(job)
    try:
        # The job's outcome is saved in the import's own transaction: a worker killed after the rows are
        # committed cannot leave the job looking unfinished (and the sweep then calling it failed).
        with transaction.atomic():
            result = _import(job, upload, progress, dry_run=is_preview)
            summary = _summary(result)
            status = Status.REJECTED if summary["problem_count"] else (Status.READY if is_preview else Status.DONE)
            ImportJob.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **summary)
    except Exception:
        ImportJob.objects.filter(pk=job_id).update(status=Status.FAILED, finished_at=timezone.now())
        upload.remove()
        progress.remove()
        raise
    if status != Status.READY:
        upload.remove()
    progress.remove()


def _import(job, upload, progress, *, dry_run):
    """The job's file checked (``dry_run``) or imported in chunks of CHUNK_ROWS rows, all in one transaction:
    a chunk's records are released once written, and later chunks find them in the database (a mentor created
    by an earlier row). Rolled back whole for a preview, or if any row has a problem."""
    resource_class = RESOURCES[job.resource]
    try:
        dataset = read_dataset(upload.read(), job.file_name)
    except FileProblem as problem:
        return resource_class().rejected_result([Problem(problem.row, problem.column, problem.message)])
    progress.start(len(dataset))
    background = type(f"Background{resource_class.__name__}", (BackgroundImportMixin, resource_class), {})
    whole = SummaryResult()
    keys = {}  # key -> first row, over the whole file
    try:
        with transaction.atomic():
            for offset in range(0, max(len(dataset), 1), CHUNK_ROWS):
                resource = background(progress=progress, offset=offset, keys=keys)
                chunk = tablib.Dataset(*dataset[offset : offset + CHUNK_ROWS], headers=dataset.headers)
                result = resource.import_data(
                    chunk,
                    dry_run=False,  # the outer transaction is rolled back instead: later chunks see this one
                    rollback_on_validation_errors=False,
                    raise_errors=False,
                    user=job.actor,
                    file_name=job.file_name,
                )
                whole.add(result, offset)
                if any(problem.row is None for problem in result.problems):  # the file as a whole: said once
                    break
            resource.whole_file = True
            resource._dry_run, resource._confirmed_identity_changes = dry_run, job.confirmed_digest
            whole.problems += [
                Problem(line, resource._column_as_written(attribute), message)
                for line, attribute, message in resource.check_import(whole)
            ]
            if dry_run or whole.problems:
                transaction.set_rollback(True)
            elif connection.vendor == "postgresql":
                # Check the deferred foreign keys now, inside this block, rather than at the commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except IntegrityError:  # PostgreSQL checks foreign keys at commit: a row the file names was deleted meanwhile
        return resource_class().rejected_result([Problem(None, None, force_str(RECORD_CHANGED_MEANWHILE))])
    return whole


def _summary(result):
    problems = [[row, column, _storable(message)] for row, column, message in result.problems]
    changes = [
        {
            "row": row.row,
            "key": _storable(row.key),
            "changes": [[c.column, _storable(c.old), _storable(c.new)] for c in row.changes if c.is_identity],
        }
        for row in result.identity_changes
    ]
    return {
        "rows": sum(result.totals.values()),
        "totals": {kind: count for kind, count in result.totals.items() if count},
        "problems": problems[:KEPT_PROBLEMS],
        "problem_count": len(problems),
        "identity_changes": changes[:KEPT_IDENTITY_CHANGES],
        "identity_change_count": len(changes),
        "identity_digest": result.identity_digest,
    }


def _storable(text):
    """A text PostgreSQL's jsonb can hold: a NUL quoted from a cell becomes a replacement mark."""
    return force_str(text).replace("\x00", "\ufffd")


def sweep(now=None):
    """Start the jobs whose publish was lost; stop the ones whose worker died. Returns (started, stopped)."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(status__in=_CLAIMS.values(), started_at__lt=now - STALE_AFTER)
    stopped = 0
    for job in stale:
        stopped += ImportJob.objects.filter(pk=job.pk, status=job.status).update(status=Status.FAILED, finished_at=now)
        ImportTempStorage(name=job.upload_name).remove()
        Progress(job).remove()
    waiting = list(
        ImportJob.objects.filter(status__in=list(_CLAIMS), queued_at__lt=now - QUEUED_GRACE).values_list(
            "pk", flat=True
        )
    )
    # Sent again only after another QUEUED_GRACE: a busy worker does not find a pile of copies.
    ImportJob.objects.filter(pk__in=waiting).update(queued_at=now)
    for job_id in waiting:
        kick(job_id)
    return len(waiting), stopped


class SummaryResult(ImportResult):
    """A job's result: totals, problems and changes, but no result kept per row."""

    def append_row_result(self, row_result):
        pass

    def add(self, chunk, offset):
        """Add a chunk's result; its rows were numbered from ``offset``."""
        for kind, count in chunk.totals.items():
            self.totals[kind] += count
        self.problems += [
            Problem(None if problem.row is None else problem.row + offset, problem.column, problem.message)
            for problem in chunk.problems
        ]
        self.changes += chunk.changes


class BackgroundImportMixin:
    """Mixed in before a staff resource for one chunk of a job: no diff per row; rows numbered in the whole
    file; a key unique over the whole file; progress as the rows are checked. The changes of identity are
    checked once, over the whole file (``whole_file``)."""

    def __init__(self, *, progress, offset, keys, **kwargs):
        super().__init__(**kwargs)
        self._meta = copy.copy(self._meta)
        self._meta.skip_html_diff = True
        self.progress, self.offset, self.keys, self.whole_file = progress, offset, keys, False

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._rows_by_key = self.keys

    def check_import(self, result):
        return super().check_import(result) if self.whole_file else []

    def get_result_class(self):
        return SummaryResult

    def import_row(self, row, instance_loader, **kwargs):
        kwargs["row_number"] += self.offset
        row_result = super().import_row(row, instance_loader, **kwargs)
        self.progress.tick()
        return row_result

    def after_import(self, dataset, result, **kwargs):
        self.progress.writing()
        super().after_import(dataset, result, **kwargs)


class Progress:
    """How far a running job is, in a small file beside its upload: written by the worker at most every half
    second, read by the job page."""

    EVERY = 0.5

    def __init__(self, job):
        self.path = os.path.join(settings.IMPORT_TMP_DIR, f"{ImportTempStorage.PREFIX}progress-{job.pk}")
        self.done, self.total, self._written_at = 0, 0, 0.0

    def start(self, total):
        self.total = total
        self._write(step="checking")

    def tick(self):
        self.done += 1
        if time.monotonic() - self._written_at >= self.EVERY:
            self._write(step="checking")

    def writing(self):
        self._write(step="writing")

    def _write(self, *, step):
        self._written_at = time.monotonic()
        temporary = f"{self.path}.tmp"
        with open(temporary, "w") as file:
            json.dump({"done": self.done, "total": self.total, "step": step}, file)
        os.replace(temporary, self.path)

    def read(self):
        """``{"done", "total", "step"}``, or None before the worker started."""
        try:
            with open(self.path) as file:
                return json.load(file)
        except (FileNotFoundError, ValueError):
            return None

    def remove(self):
        for path in (self.path, f"{self.path}.tmp"):
            Path(path).unlink(missing_ok=True)
