"""HR's KPI file pages (issue 11 §3): upload → preview (nothing written, every problem listed) → confirm, in the
request for a small file and on the worker (eager Celery here) with a progress page for a big one; a second
confirm writes nothing more; the ingest log, filtered and paginated."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis import files
from kpis.models import AgentDay, Ingest, IngestStatus, QueueDay
from kpis.rows import AGENT_COLUMNS, ALIASES
from tests.kpis.factories import IngestFactory
from tests.kpis.ingestion_world import World, agent_row, queue_row
from tests.staff.factories import EmployeeFactory

UPLOAD_URL = reverse("kpis:ingest-upload")
CONFIRM_URL = reverse("kpis:ingest-confirm")
LOG_URL = reverse("kpis:ingest-log")


@pytest.fixture(autouse=True)
def uploads_folder(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def hr_client(client, world):
    client.force_login(world.hr)
    return client


def agent_csv(rows, name="day.csv"):
    lines = [",".join(AGENT_COLUMNS)] + [",".join(row.get(c, "") for c in AGENT_COLUMNS) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode())


def preview(client, rows, source="agent", upload=None):
    return client.post(UPLOAD_URL, {"source": source, "file": upload or agent_csv(rows)})


def confirm(client, response, capture=None):
    data = response.context["confirm"].initial
    if capture is None:
        return client.post(CONFIRM_URL, data)
    with capture(execute=True):
        return client.post(CONFIRM_URL, data)


def month_rows(days=3):
    return [agent_row(n, date=f"2026-11-{d:02d}") for d in range(1, days + 1) for n in ("E10015", "E10016")]


def test_the_upload_page_offers_agent_and_queue_files(hr_client):
    response = hr_client.get(UPLOAD_URL)
    assert response.status_code == 200
    assert b'value="agent"' in response.content and b'value="queue"' in response.content


def test_the_preview_shows_rows_days_and_employees_and_writes_nothing(hr_client):
    response = preview(hr_client, month_rows())
    result = response.context["preview"]
    assert (result.rows, result.first_on, result.last_on, result.owners) == (
        6,
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 3),
        2,
    )
    assert (result.inserted, result.replaced, result.unchanged, result.problems) == (6, 0, 0, [])
    assert (AgentDay.objects.count(), Ingest.objects.count()) == (0, 0)
    assert b"Confirm and ingest" in response.content


def test_the_preview_lists_every_bad_row_with_its_column_and_reason_and_offers_no_confirm(hr_client, tmp_path):
    rows = [agent_row(), agent_row("E99999"), agent_row("E10016", inbound_handled="-3")]
    response = preview(hr_client, rows)
    problems = {(p["row"], p["column"]) for p in response.context["preview"].problems}
    assert problems == {(3, "employee_number"), (4, "inbound_handled")}
    assert b"No employee has this employee number." in response.content
    assert response.context["confirm"] is None
    assert (AgentDay.objects.count(), Ingest.objects.count(), list(tmp_path.iterdir())) == (0, 0, [])


def test_a_file_that_cannot_be_read_is_explained_on_the_upload_form(hr_client):
    lines = ["日期,工号\n".encode("gbk")] + ["2026-11-02,张三\n".encode("gbk")] * 40
    lines[4:8] = ["2026-11-02,张三\n".encode()] * 4  # lines 5 to 8 pasted from a UTF-8 file
    response = preview(hr_client, [], upload=SimpleUploadedFile("day.csv", b"".join(lines)))
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("Line 5 is in another encoding")


def test_confirming_a_small_file_writes_its_rows_in_the_request(hr_client, world):
    response = confirm(hr_client, preview(hr_client, month_rows()))
    ingest = Ingest.objects.get()
    assert response.url == reverse("kpis:ingest-detail", args=[ingest.pk])
    assert (ingest.status, ingest.channel, ingest.file_name, ingest.actor) == ("done", "file", "day.csv", world.hr)
    assert (ingest.rows_inserted, AgentDay.objects.count()) == (6, 6)
    page = hr_client.get(response.url)
    assert b"6 rows inserted" in page.content and b"hx-trigger" not in page.content


def test_an_xlsx_with_chinese_headers_is_previewed_and_ingested(hr_client):
    book = openpyxl.Workbook()
    book.active.append([ALIASES[column][0] for column in AGENT_COLUMNS])
    for row in month_rows(2):
        book.active.append([row[column] for column in AGENT_COLUMNS])
    content = io.BytesIO()
    book.save(content)
    response = preview(hr_client, [], upload=SimpleUploadedFile("十一月.xlsx", content.getvalue()))
    assert (response.context["preview"].rows, response.context["preview"].problems) == (4, [])
    confirm(hr_client, response)
    assert Ingest.objects.get().file_name == "十一月.xlsx" and AgentDay.objects.count() == 4


def test_a_queue_file_is_ingested_through_the_same_pages(hr_client, world):
    row = queue_row()
    columns = ["date", "site_code", "queue_code", "offered", "answered", "abandoned"]
    data = ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"
    response = preview(hr_client, [], source="queue", upload=SimpleUploadedFile("q.csv", data.encode()))
    confirm(hr_client, response)
    assert QueueDay.objects.get().answered == 480


def test_a_second_confirm_of_the_same_file_writes_nothing_more_and_says_so(hr_client):
    response = preview(hr_client, month_rows())
    first = confirm(hr_client, response)
    second = hr_client.post(CONFIRM_URL, response.context["confirm"].initial, follow=True)
    assert second.redirect_chain[-1][0] == first.url
    assert b"already confirmed" in second.content
    assert (Ingest.objects.count(), AgentDay.objects.count()) == (1, 6)


def test_a_big_file_is_ingested_by_the_worker_and_its_page_shows_the_result(
    hr_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(files, "SMALL_ROWS", 2)
    monkeypatch.setattr(files, "CHUNK_ROWS", 4)
    response = confirm(hr_client, preview(hr_client, month_rows(5)), django_capture_on_commit_callbacks)
    ingest = Ingest.objects.get()
    assert (ingest.status, ingest.rows_total, ingest.rows_done, ingest.rows_inserted) == ("done", 10, 10, 10)
    assert AgentDay.objects.count() == 10
    assert b"10 rows inserted" in hr_client.get(response.url).content


def test_the_worker_saves_its_progress_after_each_chunk_of_rows(
    hr_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(files, "SMALL_ROWS", 2)
    monkeypatch.setattr(files, "CHUNK_ROWS", 4)
    seen, check_cells = [], files.check_cells

    def watched(*args, **kwargs):  # what the progress page would read as each chunk starts (none at preview)
        seen.append(Ingest.objects.values_list("status", "rows_done", "rows_total").first())
        return check_cells(*args, **kwargs)

    monkeypatch.setattr(files, "check_cells", watched)
    confirm(hr_client, preview(hr_client, month_rows(5)), django_capture_on_commit_callbacks)
    assert seen == [None, ("running", 0, 10), ("running", 4, 10), ("running", 8, 10)]
    assert Ingest.objects.values_list("status", "rows_done").get() == ("done", 10)


def test_a_big_file_with_a_bad_row_fails_on_the_worker_writing_nothing(
    hr_client, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(files, "SMALL_ROWS", 2)
    response = preview(hr_client, month_rows())
    world.other.left_on = datetime.date(2026, 11, 1)  # she left between the preview and the confirm
    world.other.save()
    detail = confirm(hr_client, response, django_capture_on_commit_callbacks)
    ingest = Ingest.objects.get()
    assert (ingest.status, AgentDay.objects.count()) == ("failed", 0)
    assert {(p["row"], p["column"]) for p in ingest.problems} == {(5, "date"), (7, "date")}
    assert b"after the last working day" in hr_client.get(detail.url).content


def test_a_running_ingest_shows_its_progress_and_asks_again(hr_client, world):
    ingest = IngestFactory(channel="file", status=IngestStatus.RUNNING, rows_total=8000, rows_done=2000, actor=world.hr)
    page = hr_client.get(reverse("kpis:ingest-detail", args=[ingest.pk]))
    assert b"2000 of 8000 rows checked." in page.content
    assert b'hx-trigger="every 2s"' in page.content and b"width: 25%" in page.content


def test_htmx_gets_only_the_status_part(hr_client, world):
    ingest = IngestFactory(channel="file", status=IngestStatus.RUNNING, rows_total=10, actor=world.hr)
    part = hr_client.get(reverse("kpis:ingest-detail", args=[ingest.pk]), headers={"HX-Request": "true"})
    assert part.content.lstrip().startswith(b'<div id="ingest-status"')


def test_the_sweep_starts_a_file_whose_publish_was_lost(hr_client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(files, "SMALL_ROWS", 2)
    monkeypatch.setattr(files, "kick", lambda ingest_id: None)  # the broker was down at confirm time
    confirm(hr_client, preview(hr_client, month_rows()), django_capture_on_commit_callbacks)
    monkeypatch.undo()
    assert Ingest.objects.get().status == "queued"
    started, stopped = files.sweep(now=timezone.now() + files.QUEUED_GRACE * 2)
    assert (started, stopped, Ingest.objects.get().status, AgentDay.objects.count()) == (1, 0, "done", 6)


def test_the_sweep_fails_a_file_whose_worker_died(world):
    ingest = IngestFactory(channel="file", status=IngestStatus.RUNNING, actor=world.hr)
    assert files.sweep(now=timezone.now() + files.STALE_AFTER * 2) == (0, 1)
    ingest.refresh_from_db()
    assert ingest.status == "failed" and ingest.problems[0]["message"]


def test_the_log_filters_by_source_status_and_day(hr_client, world):
    day = datetime.date(2026, 11, 2)
    wanted = IngestFactory(source="queue", status="done", first_on=day, last_on=day, actor=world.hr)
    IngestFactory(source="agent", status="done", first_on=day, last_on=day)
    IngestFactory(source="queue", status="failed", first_on=day, last_on=day)
    IngestFactory(source="queue", status="done", first_on=day.replace(day=5), last_on=day.replace(day=6))
    page = hr_client.get(LOG_URL, {"source": "queue", "status": "done", "on": "2026-11-02"})
    assert [ingest.pk for ingest in page.context["page"]] == [wanted.pk]


def test_the_log_reads_in_a_fixed_number_of_queries_whatever_its_length(hr_client, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(LOG_URL).status_code == 200
        return len(captured)

    IngestFactory(actor=world.hr)
    few = queries()
    IngestFactory.create_batch(120, actor=EmployeeFactory().user)
    assert queries() == few


def test_the_log_pages_through_many_ingests(hr_client, world):
    IngestFactory.create_batch(120, actor=world.hr)
    page = hr_client.get(LOG_URL, {"page": "3"}).context["page"]
    assert (page.number, len(page.object_list), page.paginator.count) == (3, 20, 120)


def test_the_hr_overview_links_to_the_upload_and_the_log(hr_client):
    page = hr_client.get(reverse("staff:hr-home")).content.decode()
    assert UPLOAD_URL in page and LOG_URL in page


def test_a_supervisor_cannot_confirm_an_upload(client, world):
    supervisor = EmployeeFactory(team=world.team)
    client.force_login(supervisor.user)
    response = client.post(CONFIRM_URL, {"upload": "import-x", "source": "agent", "file_name": "a.csv"})
    assert response.status_code == 404
