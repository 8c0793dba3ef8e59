"""The reporting system (issue 16 §4): each period's drafts open once, authors are reminded, the author writes and
submits (the figures freeze), the manager approves or returns; the same numbers on the page, in the API, the PDF
and the XLSX; a supervisor never reads another team's report; cells never run as formulas."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from insights import reporting
from insights.models import Report, ReportEvent, ReportKind, ReportStatus
from insights.services import reports as services
from notifications.models import Notification
from tests.insights.cohort_factories import api, centre
from tests.insights.report_factories import OCTOBER, WEEK, monthly, weekly
from tests.kpis.factories import AgentDayFactory, QueueDayFactory
from tests.staff.factories import EmployeeFactory
from training.models import Enrollment, GateCheck

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 16)


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 16, 10, 0), tick=False)
    w = centre()
    # Team A's week (9–15 November): a1's two days, 30 + 15 resolved of 40 + 20 inbound (FCR 45/60 = 75.0 %),
    # 12,000 + 6,000 handle seconds (AHT 18,000/60 = 300 s). A day before and after the week does not count, nor
    # the mover's day in Team B.
    AgentDayFactory(
        employee=w.a1, on=datetime.date(2026, 11, 10), inbound_handled=40, fcr_resolved=30, handle_seconds=12000
    )
    AgentDayFactory(
        employee=w.a1, on=datetime.date(2026, 11, 15), inbound_handled=20, fcr_resolved=15, handle_seconds=6000
    )
    AgentDayFactory(employee=w.a1, on=datetime.date(2026, 11, 8), inbound_handled=100, fcr_resolved=0)
    AgentDayFactory(employee=w.a1, on=datetime.date(2026, 11, 16), inbound_handled=100, fcr_resolved=0)
    AgentDayFactory(employee=w.mover, on=datetime.date(2026, 11, 10), inbound_handled=100, fcr_resolved=10)
    # a1's gate checks of the week: one passed (80 ≥ 70), one failed (60): 1 of 2 = 50.0 %.
    enrollment = Enrollment.objects.get(trainee=w.a1)
    for attempt, score in ((3, 80), (4, 60)):
        GateCheck.objects.create(
            enrollment=enrollment,
            cycle=3,
            attempt=attempt,
            taken_on=datetime.date(2026, 11, 12),
            score=score,
            pass_mark=70,
            examiner=w.lead_a.user,
        )
    return w


def line(payload, key):
    return next(found for section in payload["sections"] for found in section["lines"] if found["key"] == key)


# The rules -----------------------------------------------------------------------------------------------------


def test_periods_and_due_days():
    assert reporting.last_week(MONDAY) == WEEK
    assert reporting.last_week(datetime.date(2026, 11, 22)) == WEEK  # Sunday: the week is not over yet
    assert reporting.last_month(MONDAY) == OCTOBER
    assert reporting.last_month(datetime.date(2027, 1, 1)) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert reporting.due_on(ReportKind.WEEKLY_TEAM, WEEK[1]) == datetime.date(2026, 11, 17)
    assert reporting.due_on(ReportKind.MONTHLY_CENTRE, OCTOBER[1]) == datetime.date(2026, 11, 5)
    assert reporting.reminder_from(datetime.date(2026, 11, 17)) == datetime.date(2026, 11, 15)


@pytest.mark.parametrize("source", list(ReportStatus))
@pytest.mark.parametrize("target", list(ReportStatus))
def test_only_the_listed_moves_are_allowed(source, target):
    allowed = {("draft", "submitted"), ("returned", "submitted"), ("submitted", "approved"), ("submitted", "returned")}
    assert reporting.can_move(source, target) == ((source, target) in allowed)


# Drafts and reminders ------------------------------------------------------------------------------------------


def test_drafts_open_once_per_team_week_and_centre_month(world):
    assert services.open_due_reports(today=MONDAY) == 3  # Team A, Team B (people hired by the week's end), October
    assert services.open_due_reports(today=MONDAY) == 0
    weekly_teams = set(Report.objects.filter(kind=ReportKind.WEEKLY_TEAM).values_list("team__name", flat=True))
    assert weekly_teams == {"Team A", "Team B"}
    centre_report = Report.objects.get(kind=ReportKind.MONTHLY_CENTRE)
    assert (centre_report.period_start, centre_report.period_end, centre_report.due_on) == (
        *OCTOBER,
        datetime.date(2026, 11, 5),
    )
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DRAFT}


def test_the_beat_task_opens_the_drafts(world, settings):
    from insights.tasks import open_due_reports

    assert settings.CELERY_BEAT_SCHEDULE["insights-report-drafts"]["task"] == "insights.tasks.open_due_reports"
    assert open_due_reports.delay().get() == 3
    assert Report.objects.count() == 3


def test_authors_are_reminded_once_a_day_until_they_submit(world):
    report = weekly(world.team_a)  # due Tuesday 17 November: reminded from Sunday the 15th
    assert services.remind_authors(today=datetime.date(2026, 11, 14)) == 0
    assert services.remind_authors(today=MONDAY) == 1
    assert services.remind_authors(today=MONDAY) == 0
    note = Notification.objects.get(kind=services.REMINDER)
    assert note.recipient == world.lead_a.user
    assert note.url == reverse("insights:report", args=[report.pk])
    assert services.remind_authors(today=MONDAY + datetime.timedelta(days=1)) == 1
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="A steady week.")
    assert services.remind_authors(today=MONDAY + datetime.timedelta(days=2)) == 0


def test_the_centre_report_reminds_hr_when_there_is_no_floor_manager(world):
    monthly()
    assert services.remind_authors(today=MONDAY) == 1
    assert Notification.objects.get(kind=services.REMINDER).recipient == world.hr


# Figures -------------------------------------------------------------------------------------------------------


def test_a_weekly_report_fills_itself_from_its_team_and_week(client, world):
    report = weekly(world.team_a)
    client.force_login(world.lead_a.user)
    payload = api(world.lead_a.user).get(reverse("insights-report-detail", args=[report.pk])).json()
    fcr = line(payload, "kpi:fcr")
    assert (fcr["numerator"], fcr["denominator"], fcr["value"], fcr["shown"]) == ("45", "60", "0.7500", "75.0%")
    aht = line(payload, "kpi:aht")
    assert (aht["value"], aht["shown"]) == ("300.0000", "300 s")
    # Team A at the week's end: lead_a and a1 (a2 and a3 left, the mover is in Team B); nobody joined or left.
    assert [line(payload, key)["value"] for key in ("headcount", "joiners", "leavers")] == [
        "2.0000",
        "0.0000",
        "0.0000",
    ]
    gates = line(payload, "gates")
    assert (gates["numerator"], gates["denominator"], gates["value"], gates["shown"]) == ("1", "2", "0.5000", "50.0%")
    assert not any(found["key"] == "kpi:connect_rate" for section in payload["sections"] for found in section["lines"])
    page = client.get(reverse("insights:report", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="kpi:fcr"' in html and "75.0%" in html and 'title="45 / 60"' in html


def test_an_empty_period_shows_no_data_never_zero(client, world):
    report = monthly(period=(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31)))
    payload = api(world.hr).get(reverse("insights-report-detail", args=[report.pk])).json()
    fcr = line(payload, "kpi:fcr")
    assert (fcr["value"], fcr["denominator"]) == (None, "0")
    assert line(payload, "gates")["value"] is None
    client.force_login(world.hr)
    html = client.get(reverse("insights:report", args=[report.pk])).content.decode()
    row = html[html.index('data-figure="kpi:fcr"') :].split("</tr>")[0]
    assert "No data" in row and "%" not in row


def test_the_same_numbers_on_the_page_in_the_api_the_pdf_and_the_xlsx(client, world):
    report = weekly(world.team_a)
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="FCR held up.")
    client.force_login(world.hr)
    html = client.get(reverse("insights:report", args=[report.pk])).content.decode()
    payload = api(world.hr).get(reverse("insights-report-detail", args=[report.pk])).json()
    pdf = client.get(reverse("insights:report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    book = load_workbook(io.BytesIO(client.get(reverse("insights:report-xlsx", args=[report.pk])).content))
    cells = {row[0].value: row for row in book["Report"].iter_rows()}
    for key, label in (("kpi:fcr", "First-contact resolution"), ("gates", "Gate checks passed")):
        found = line(payload, key)
        assert found["shown"] in html and found["shown"] in text
        row = cells[label]
        assert Decimal(str(row[1].value)).quantize(Decimal("0.0001")) == Decimal(found["value"])
        assert row[1].number_format == "0.0%"
        assert (str(row[2].value), str(row[3].value), row[4].value) == (
            found["numerator"],
            found["denominator"],
            found["shown"],
        )
    assert "FCR held up." in text


def test_submitting_freezes_the_figures_a_draft_stays_live(world):
    report = weekly(world.team_a)
    client = api(world.lead_a.user)
    url = reverse("insights-report-detail", args=[report.pk])
    newcomer = EmployeeFactory(team=world.team_a)
    AgentDayFactory(employee=newcomer, on=datetime.date(2026, 11, 11), inbound_handled=40)
    live = line(client.get(url).json(), "kpi:fcr")
    assert (live["denominator"], live["value"]) == ("100", "0.4500")  # 45 / (60 + 40): a draft reads today's rows
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="Done.")
    AgentDayFactory(employee=newcomer, on=datetime.date(2026, 11, 12), inbound_handled=50)
    frozen = line(client.get(url).json(), "kpi:fcr")
    assert (frozen["denominator"], frozen["value"]) == ("100", "0.4500")  # as submitted, not 45 / 150


# The workflow --------------------------------------------------------------------------------------------------


def test_the_author_submits_the_manager_approves(client, world):
    report = weekly(world.team_a)
    client.force_login(world.lead_a.user)
    url = reverse("insights:report", args=[report.pk])
    refused = client.post(url, {"action": "submit", "commentary": "  "})
    assert refused.status_code == 400
    assert "Write your commentary before you submit." in refused.content.decode()
    assert client.post(url, {"action": "save", "commentary": "Draft words."}).status_code == 302
    assert Report.objects.get(pk=report.pk).commentary == "Draft words."
    assert client.post(url, {"action": "submit", "commentary": "Final words."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.author, report.commentary) == (
        ReportStatus.SUBMITTED,
        world.lead_a.user,
        "Final words.",
    )
    assert report.figures["kpis"]
    assert Notification.objects.filter(kind=services.SUBMITTED, recipient=world.hr).count() == 1
    # The author cannot approve her own report; she no longer edits it either.
    assert "Approve" not in client.get(url).content.decode()
    with pytest.raises(PermissionDenied):
        services.review(actor=world.lead_a.user, report_id=report.pk, approve=True)
    client.force_login(world.hr)
    assert client.post(url, {"action": "approve", "note": ""}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reviewer) == (ReportStatus.APPROVED, world.hr)
    assert Notification.objects.filter(kind=services.REVIEWED, recipient=world.lead_a.user).count() == 1
    moves = list(ReportEvent.objects.filter(report=report).values_list("from_status", "to_status", "actor"))
    assert moves == [("draft", "submitted", world.lead_a.user.pk), ("submitted", "approved", world.hr.pk)]
    # Approving again changes nothing.
    services.review(actor=world.hr, report_id=report.pk, approve=True)
    assert ReportEvent.objects.filter(report=report).count() == 2


def test_a_returned_report_needs_a_note_and_goes_back_to_its_author(client, world):
    report = weekly(world.team_a)
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="First go.")
    client.force_login(world.hr)
    url = reverse("insights:report", args=[report.pk])
    refused = client.post(url, {"action": "return", "note": ""})
    assert refused.status_code == 400 and "Say what should change" in refused.content.decode()
    assert client.post(url, {"action": "return", "note": "Say why AHT rose."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.figures, report.review_note) == (ReportStatus.RETURNED, {}, "Say why AHT rose.")
    services.submit(actor=world.lead_a.user, report_id=report.pk, commentary="AHT rose with the new product.")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_centre_report_is_not_approved_by_its_own_author(world):
    report = monthly()
    services.submit(actor=world.hr, report_id=report.pk, commentary="October.")
    with pytest.raises(PermissionDenied):
        services.review(actor=world.hr, report_id=report.pk, approve=True)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_supervisor_never_reads_another_teams_report(client, world):
    mine, theirs = weekly(world.team_a), weekly(world.team_b)
    monthly()
    client.force_login(world.lead_a.user)
    listed = client.get(reverse("insights:reports")).context["page"].object_list
    assert [report.pk for report in listed] == [mine.pk]
    for name in ("insights:report", "insights:report-pdf", "insights:report-xlsx"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert [found["id"] for found in api(world.lead_a.user).get(reverse("insights-report-list")).json()["results"]] == [
        mine.pk
    ]
    with pytest.raises(PermissionDenied):
        services.submit(actor=world.lead_a.user, report_id=theirs.pk, commentary="Not mine.")


def test_the_archive_filters_and_pages(client, world):
    for i in range(30):
        start = WEEK[0] - datetime.timedelta(days=7 * i)
        weekly(world.team_a, period=(start, start + datetime.timedelta(days=6)))
    weekly(world.team_b)
    client.force_login(world.hr)
    page = client.get(reverse("insights:reports"), {"team": world.team_b.pk}).context["page"]
    assert [report.team for report in page.object_list] == [world.team_b]
    first = client.get(reverse("insights:reports"), {"team": world.team_a.pk}).context["page"]
    assert (first.paginator.count, len(first.object_list)) == (30, 25)
    assert client.get(reverse("insights:reports"), {"year": "abc"}).status_code == 200
    listed = api(world.hr).get(reverse("insights-report-list"), {"team": world.team_a.pk, "year": 2026}).json()
    assert listed["count"] == 30


def test_spreadsheet_cells_never_run_as_formulas(client, world):
    report = weekly(world.team_a, commentary='=HYPERLINK("http://evil.example","click")')
    world.team_a.name = "+cmd|' /C calc'!A0"
    world.team_a.save()
    client.force_login(world.hr)
    book = load_workbook(io.BytesIO(client.get(reverse("insights:report-xlsx", args=[report.pk])).content))
    texts = [cell for row in book["Report"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(cell.value.startswith("=HYPERLINK") for cell in texts)
    assert all(cell.data_type == "s" for cell in texts)


def test_chinese_page_pdf_and_xlsx(client, world):
    report = weekly(world.team_a)
    client.force_login(world.hr)
    headers = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    html = client.get(reverse("insights:report", args=[report.pk]), **headers).content.decode()
    assert "首次解决率" in html
    pdf = client.get(reverse("insights:report-pdf", args=[report.pk]), **headers)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "75.0%" in text
    book = load_workbook(io.BytesIO(client.get(reverse("insights:report-xlsx", args=[report.pk]), **headers).content))
    labels = [row[0].value for row in book.worksheets[0].iter_rows()]
    assert "首次解决率" in labels


def test_the_report_page_reads_a_fixed_number_of_queries(client, world):
    report = weekly(world.team_a)
    client.force_login(world.hr)
    url = reverse("insights:report", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        person = EmployeeFactory(team=world.team_a)
        AgentDayFactory(employee=person, on=datetime.date(2026, 11, 11), inbound_handled=5, fcr_resolved=1)
    QueueDayFactory(on=datetime.date(2026, 11, 11), offered=10, answered=9)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
