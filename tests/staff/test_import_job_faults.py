"""A big import after a fault (issue 10 §3, §4): a real worker on PostgreSQL + Redis is killed with SIGKILL in
the middle of an import job — its pool process, or its main process (the pool process dies with it). Nothing of
the file is written (the job's one transaction is rolled back), the sweep stops the job once it is stale, and the
same file uploaded again after the worker is back is imported whole, each row once.

Mid-import is made certain, not timed: the test holds, uncommitted, an employee with the key of the file's last
row, so the job checks every row, writes its first chunk in its transaction, and then waits on that key inside
the last chunk's write until the worker is killed. The test then lets go of the key; PostgreSQL notices the dead
client by itself (no session is terminated here) and rolls the job's transaction back."""

import contextlib
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bench.import_speed import _csv, _world
from config.celery import publish_quickly
from staff import import_jobs
from staff.imports import ImportTempStorage
from staff.models import Employee, ImportJob, Stage
from staff.models import ImportJobStatus as Status
from staff.tasks import run_import_job
from tests.training.celery_stack import publishing_to, running_stack, skip_without_redis, wait_until

N = import_jobs.CHUNK_ROWS + 1_000  # two chunks: the first is written before the job waits in the second
HELD = f"BN{N - 1:06d}"  # the file's last row (bench.import_speed._rows numbers them BN000000 …)
DATA = _csv(N)
JOB_SECONDS = 45  # a bound for the test: the import takes a few seconds


@pytest.fixture
def stack(tmp_path, settings):
    skip_without_redis()
    with running_stack(tmp_path) as stack:
        # The worker's VAR_DIR is the stack's; its IMPORT_TMP_DIR is VAR_DIR / "import-tmp" (config.settings).
        settings.IMPORT_TMP_DIR = stack.tmp / "var" / "import-tmp"
        yield stack


@pytest.fixture
def hr(transactional_db):
    """20 teams, a position and a veteran mentor (bench.import_speed's world); the HR user who uploads."""
    return _world()


def file_rows():
    return Employee.objects.filter(employee_number__startswith="BN")


def file_history():
    return Employee.history.filter(employee_number__startswith="BN")


def start_import(stack, hr):
    """The file saved as an upload and its import queued (as HR's confirm leaves it), published for real."""
    upload = ImportTempStorage(read_mode="rb")
    upload.save(DATA)
    job = ImportJob.objects.create(
        resource="employee",
        upload_name=upload.name,
        file_name="big.csv",
        actor=hr,
        status=Status.IMPORT_QUEUED,
    )
    with publishing_to(stack.broker_url):
        publish_quickly(run_import_job, job.pk)
    return job, upload


def _blocked_session():
    """The database session (pid) of another process waiting for a lock, if any."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # statistics views are read once per transaction
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _session_ended(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def _process_gone(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # dead, not yet reaped by whoever adopted it


@contextlib.contextmanager
def import_stuck_mid_way(stack, job):
    """Hold the last row's key until the worker is killed inside the ``with``: yields once the job waits in its
    last chunk's write; on leaving lets go of the key and waits until PostgreSQL has ended the dead session."""
    with transaction.atomic():
        Employee.objects.create(employee_number=HELD, name="Held", hire_date="2020-01-01", stage=Stage.GROWTH)
        wait_until(_blocked_session, JOB_SECONDS, "the import to wait on the held key", stack)
        session = _blocked_session()
        with connection.cursor() as cursor:  # the job's write of its last chunk, after the first was written
            cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [session])
            assert cursor.fetchone()[0].startswith(f'INSERT INTO "{Employee._meta.db_table}"')
        progress = import_jobs.Progress(job).read()
        assert progress["total"] == N and progress["done"] >= import_jobs.CHUNK_ROWS, progress
        assert ImportJob.objects.get(pk=job.pk).status == Status.IMPORTING
        yield
        transaction.set_rollback(True)  # the held employee was never there
    wait_until(lambda: _session_ended(session), 15, "PostgreSQL to end the killed worker's session", stack)


def assert_stopped_by_the_sweep_with_nothing_written(job, upload, history_before):
    assert not file_rows().exists()  # the chunks written before the kill were rolled back with the job
    assert file_history().count() == 0 and Employee.history.count() == history_before
    job.refresh_from_db()
    assert job.status == Status.IMPORTING  # nobody alive will finish it

    assert import_jobs.sweep() == (0, 0)  # not stale yet: a job may run up to its time limit
    assert import_jobs.sweep(now=timezone.now() + import_jobs.STALE_AFTER + timedelta(seconds=1)) == (0, 1)

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.finished_at is not None
    assert not Path(upload.get_full_path()).exists()
    assert not file_rows().exists()


def assert_imported_again_whole_once(stack, hr):
    job, upload = start_import(stack, hr)
    done = {Status.DONE, Status.REJECTED, Status.FAILED}
    wait_until(
        lambda: ImportJob.objects.filter(pk=job.pk, status__in=done).exists(),
        JOB_SECONDS,
        "the file uploaded again to be imported",
        stack,
    )
    job.refresh_from_db()
    assert (job.status, job.rows, job.totals, job.problem_count) == (Status.DONE, N, {"new": N}, 0), job.problems
    numbers = list(file_rows().values_list("employee_number", flat=True))
    assert len(numbers) == len(set(numbers)) == N
    assert set(numbers) == {f"BN{n:06d}" for n in range(N)}
    assert file_history().count() == N and set(file_history().values_list("history_type", flat=True)) == {"+"}
    assert Employee.objects.get(employee_number="BN000001").mentor.employee_number == "BV00000"
    assert Employee.objects.get(employee_number="BN000050").mentor.employee_number == "BN000040"
    assert Employee.objects.get(employee_number=HELD).name == f"新员工{N - 1}"
    assert not Path(upload.get_full_path()).exists() and import_jobs.Progress(job).read() is None


@pytest.mark.postgres(reason="a real worker process shares the test database")
def test_an_import_whose_pool_process_is_killed_writes_nothing_and_the_file_imports_whole_again(hr, stack):
    stack.start_redis()
    stack.start_worker(pool="prefork")
    wait_until(stack.pool_pids, 60, "the worker's pool process", stack)
    history_before = Employee.history.count()
    job, upload = start_import(stack, hr)

    with import_stuck_mid_way(stack, job):
        [pool_process] = stack.pool_pids()
        os.kill(pool_process, signal.SIGKILL)
        wait_until(lambda: _process_gone(pool_process), 10, "the pool process to die", stack)

    assert_stopped_by_the_sweep_with_nothing_written(job, upload, history_before)
    # The worker's main process lived on and started a new pool process.
    wait_until(lambda: set(stack.pool_pids()) - {pool_process}, 60, "a new pool process", stack)
    assert_imported_again_whole_once(stack, hr)


@pytest.mark.postgres(reason="a real worker process shares the test database")
def test_an_import_whose_worker_is_killed_writes_nothing_and_the_file_imports_whole_after_a_restart(hr, stack):
    stack.start_redis()
    stack.start_worker(pool="prefork")
    wait_until(stack.pool_pids, 60, "the worker's pool process", stack)
    history_before = Employee.history.count()
    job, upload = start_import(stack, hr)

    with import_stuck_mid_way(stack, job):
        [pool_process] = stack.pool_pids()
        stack.kill("worker")  # the main process; its pool process dies with it (PDEATHSIG)
        wait_until(lambda: _process_gone(pool_process), 10, "the pool process to die with the worker", stack)

    assert_stopped_by_the_sweep_with_nothing_written(job, upload, history_before)
    stack.start_worker(pool="prefork")
    assert_imported_again_whole_once(stack, hr)
