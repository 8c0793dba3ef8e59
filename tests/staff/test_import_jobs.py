"""Big imports on the worker (issue 10 §3): an upload over IMPORT_BACKGROUND_BYTES is checked by a Celery job,
confirmed on its page, imported by another job, with a progress bar meanwhile; all or nothing as ever.

Through the admin's real upload; Celery runs eagerly, and the jobs are published once the upload commits.
"""

import datetime
import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from staff import import_jobs
from staff.models import Employee, ImportJob, ImportJobStatus, Team
from tests.staff.test_import_rows import HEADER, csv_file, hr_client, org, problems_shown, snapshot, zhang_row

__all__ = ["hr_client", "org"]  # fixtures


@pytest.fixture(autouse=True)
def every_upload_is_big(settings, tmp_path):
    settings.IMPORT_BACKGROUND_BYTES = 10
    settings.IMPORT_TMP_DIR = tmp_path


def new_hire(n, **cells):
    row = {"employee_number": f"N{n:03d}", "name": f"新员工{n}", "hire_date": "2026-03-02", "team": "T01"}
    row.update(position="AGENT", stage="pre_job", mentor="")
    row.update(cells)
    return [row[column] for column in HEADER]


def upload(client, rows, capture):
    with capture(execute=True):
        response = client.post(reverse("admin:staff_employee_import"), {"format": "0", "import_file": csv_file(rows)})
    assert response.status_code == 302
    return ImportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def job_page(client, job):
    return client.get(reverse("admin:staff_employee_import_job", args=[job.pk]))


def confirm(client, job, capture, **data):
    with capture(execute=True):
        return client.post(reverse("admin:staff_employee_import_job", args=[job.pk]), data, follow=True)


def test_a_big_upload_is_checked_by_the_worker_and_writes_nothing(hr_client, org, django_capture_on_commit_callbacks):
    before = snapshot()

    job = upload(hr_client, [HEADER, new_hire(1), new_hire(2)], django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.READY
    assert job.totals == {"new": 2}
    assert snapshot() == before
    page = job_page(hr_client, job).content.decode()
    assert "2 new records" in page and "Confirm import" in page


def test_confirming_a_checked_job_imports_it_once(hr_client, org, django_capture_on_commit_callbacks):
    job = upload(hr_client, [HEADER, new_hire(1), new_hire(2)], django_capture_on_commit_callbacks)

    confirm(hr_client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert "The file is imported." in job_page(hr_client, job).content.decode()
    assert set(Employee.objects.filter(employee_number__startswith="N").values_list("name", flat=True)) == {
        "新员工1",
        "新员工2",
    }
    assert Employee.history.filter(employee_number="N001").count() == 1
    before = snapshot()

    again = confirm(hr_client, job, django_capture_on_commit_callbacks)

    assert "already confirmed" in again.content.decode()
    assert snapshot() == before


def test_a_job_with_bad_rows_lists_them_and_writes_nothing(hr_client, org, django_capture_on_commit_callbacks):
    before = snapshot()

    job = upload(hr_client, [HEADER, new_hire(1), new_hire(2, team="NOPE")], django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    shown = problems_shown(job_page(hr_client, job))
    assert len(shown) == 1 and shown[0][:2] == ("3", "team")
    assert "NOPE" in shown[0][2]
    assert snapshot() == before


def test_a_change_of_identity_needs_the_tick_before_the_job_imports(hr_client, org, django_capture_on_commit_callbacks):
    job = upload(hr_client, [HEADER, zhang_row(name="李娜")], django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.identity_change_count == 1
    assert "I confirm that 1 person’s identity changes" in html.unescape(job_page(hr_client, job).content.decode())

    refused = confirm(hr_client, job, django_capture_on_commit_callbacks)

    assert "Tick the confirmation" in refused.content.decode()
    assert Employee.objects.get(employee_number="E10015").name == "张伟"

    confirm(hr_client, job, django_capture_on_commit_callbacks, confirm_identity_changes="on")

    assert Employee.objects.get(employee_number="E10015").name == "李娜"


def test_chunks_share_one_transaction_row_numbers_and_keys(
    hr_client, org, monkeypatch, django_capture_on_commit_callbacks
):
    """Rows in later chunks name a mentor created in an earlier chunk, and a key repeated across chunks is
    reported on its row of the whole file."""
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)
    rows = [HEADER, new_hire(1), new_hire(2), new_hire(3, mentor="N001"), new_hire(4), new_hire(5)]
    job = upload(hr_client, rows, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.READY and job.totals == {"new": 5}
    confirm(hr_client, job, django_capture_on_commit_callbacks)
    assert Employee.objects.get(employee_number="N003").mentor.employee_number == "N001"

    repeated = upload(
        hr_client, [HEADER, new_hire(6), new_hire(7), new_hire(8), new_hire(6)], django_capture_on_commit_callbacks
    )

    repeated.refresh_from_db()
    assert repeated.status == ImportJobStatus.REJECTED
    assert repeated.problems[0][0] == 5
    assert "already on row 2" in repeated.problems[0][2]
    assert not Employee.objects.filter(employee_number__in=["N006", "N007", "N008"]).exists()


def test_a_team_deleted_before_the_confirm_fails_the_job_whole(hr_client, org, django_capture_on_commit_callbacks):
    spare = Team.objects.create(code="T09", name="Spare", department=org.team.department)
    job = upload(hr_client, [HEADER, new_hire(1), new_hire(2, team="T09")], django_capture_on_commit_callbacks)
    spare.delete()
    before = snapshot()

    confirm(hr_client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert any(problem[0] == 3 and "T09" in problem[2] for problem in job.problems)
    assert snapshot() == before


def test_the_job_page_shows_the_progress_while_the_worker_checks(hr_client, org):
    job = ImportJob.objects.create(
        resource="employee", upload_name="import-x", file_name="big.csv", actor=org.hr, status="previewing"
    )
    progress = import_jobs.Progress(job)
    progress.start(40_000)
    for _ in range(10_000):
        progress.done += 1
    progress._write(step="checking")

    page = job_page(hr_client, job).content.decode()

    assert 'value="25"' in page and "10000 of 40000 rows checked" in page
    assert 'http-equiv="refresh"' in page


def test_the_sweep_starts_a_lost_job_and_stops_a_dead_one(hr_client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the publish is lost
        response = hr_client.post(
            reverse("admin:staff_employee_import"), {"format": "0", "import_file": csv_file([HEADER, new_hire(1)])}
        )
    lost = ImportJob.objects.get()
    assert response.status_code == 302 and lost.status == ImportJobStatus.PREVIEW_QUEUED
    dead = ImportJob.objects.create(
        resource="employee",
        upload_name="import-dead",
        file_name="dead.csv",
        actor=org.hr,
        status=ImportJobStatus.IMPORTING,
        started_at=timezone.now() - import_jobs.STALE_AFTER - timedelta(seconds=1),
    )

    started, stopped = import_jobs.sweep(now=timezone.now() + import_jobs.QUEUED_GRACE + timedelta(seconds=1))

    assert (started, stopped) == (1, 1)
    lost.refresh_from_db()
    dead.refresh_from_db()
    assert lost.status == ImportJobStatus.READY
    assert dead.status == ImportJobStatus.FAILED
    assert "The worker stopped" in job_page(hr_client, dead).content.decode()


def test_a_job_confirmed_after_its_upload_expired_says_so(hr_client, org, django_capture_on_commit_callbacks, settings):
    job = upload(hr_client, [HEADER, new_hire(1)], django_capture_on_commit_callbacks)
    for path in settings.IMPORT_TMP_DIR.glob("import-*"):
        path.unlink()

    confirm(hr_client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert "expired" in job.problems[0][2]
    assert not Employee.objects.filter(employee_number="N001").exists()


def test_a_small_upload_is_still_previewed_in_the_request(hr_client, org, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1 << 20

    response = hr_client.post(
        reverse("admin:staff_employee_import"), {"format": "0", "import_file": csv_file([HEADER, new_hire(1)])}
    )

    assert response.status_code == 200 and "confirm_form" in response.context
    assert not ImportJob.objects.exists()


def test_hire_date_of_a_new_hire_is_kept(hr_client, org, django_capture_on_commit_callbacks):
    job = upload(hr_client, [HEADER, new_hire(1)], django_capture_on_commit_callbacks)
    confirm(hr_client, job, django_capture_on_commit_callbacks)
    assert Employee.objects.get(employee_number="N001").hire_date == datetime.date(2026, 3, 2)


def test_the_sweep_counts_the_wait_from_the_confirm_and_resends_once_per_grace(hr_client, org, monkeypatch):
    sent = []
    monkeypatch.setattr(import_jobs, "kick", sent.append)
    uploaded_long_ago = timezone.now() - timedelta(days=1)
    job = ImportJob.objects.create(
        resource="employee", upload_name="import-x", file_name="big.csv", actor=org.hr, status=ImportJobStatus.READY
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=uploaded_long_ago, queued_at=uploaded_long_ago)
    import_jobs.confirm(job_id=job.pk, actor=org.hr, confirmed_digest="")
    now = timezone.now()

    assert import_jobs.sweep(now=now) == (0, 0)  # just confirmed: its own publish is on the way
    later = now + import_jobs.QUEUED_GRACE + timedelta(seconds=1)
    assert import_jobs.sweep(now=later) == (1, 0)
    assert import_jobs.sweep(now=later + timedelta(seconds=59)) == (0, 0)
    assert sent == [job.pk]


def test_a_job_whose_file_has_a_nul_keeps_its_problems(hr_client, org, django_capture_on_commit_callbacks):
    before = snapshot()

    job = upload(hr_client, [HEADER, new_hire(1, name="新\x00员工")], django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.REJECTED
    assert job.problems[0][:2] == [2, "name"]
    assert snapshot() == before
