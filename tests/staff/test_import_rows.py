"""Row-level rules of HR's imports, through the admin's real upload → preview → confirm (issue 10 §1, §2).

Each bad case asserts that nothing was written and that the page names the row, the column and the reason.
"""

import datetime
import html
import re
import threading
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff import resources
from staff.models import Department, Employee, Position, Site, Stage, Team
from staff.permissions import HR_GROUP
from staff.resources import EmployeeResource
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user

HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor"]
POSITION_HEADER = ["code", "title", "job_family", "job_group", "grade", "superior"]


@pytest.fixture
def org(db):
    """Two teams, a position, a veteran mentor M001 and 张伟 (E10015), whom she mentors; HR signed in."""
    team = TeamFactory(code="T01")
    other_team = TeamFactory(code="T02", department=team.department)
    position = PositionFactory(code="AGENT")
    mentor = EmployeeFactory(employee_number="M001", name="Veteran", team=team, position=position, stage=Stage.GROWTH)
    zhang = EmployeeFactory(
        employee_number="E10015",
        name="张伟",
        hire_date=datetime.date(2020, 3, 1),
        team=team,
        position=position,
        mentor=mentor,
        stage=Stage.GROWTH,
    )
    hr = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return SimpleNamespace(team=team, other_team=other_team, position=position, mentor=mentor, zhang=zhang, hr=hr)


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def snapshot():
    """Every row of the organisation and people, to prove that nothing was written."""
    return {
        model: list(model.objects.order_by("pk").values()) for model in (Site, Department, Team, Position, Employee)
    }


def csv_file(rows, name="employees.csv"):
    return SimpleUploadedFile(name, "\r\n".join(",".join(row) for row in rows).encode(), content_type="text/csv")


def preview(client, rows, model="employee"):
    upload = csv_file(rows, f"{model}s.csv")
    response = client.post(reverse(f"admin:staff_{model}_import"), {"format": "0", "import_file": upload})
    assert response.status_code == 200
    return response


def confirm(client, previewed, model="employee", **extra):
    data = {**previewed.context["confirm_form"].initial, **extra}
    return client.post(reverse(f"admin:staff_{model}_process_import"), data, follow=True)


def problems_shown(response):
    """(row, column, reason) of each line of the page's problem table, as the clerk reads them."""
    table = re.search(r'<table class="import-problems">(.*?)</table>', response.content.decode(), re.S)
    assert table, "the page lists no problems"
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table.group(1), re.S)
    return [tuple(html.unescape(cell) for cell in row) for row in cells]


def zhang_row(**cells):
    row = {"employee_number": "E10015", "name": "张伟", "hire_date": "2020-03-01", "team": "T01"}
    row.update(position="AGENT", stage="growth", mentor="M001")
    row.update(cells)
    return [row[column] for column in HEADER]


# 1. Imports that change who someone is -----------------------------------------------------------


def test_preview_shows_a_changed_identity_field_by_field(hr_client, org):
    before = snapshot()

    response = preview(hr_client, [HEADER, zhang_row(name="李娜", hire_date="2024-05-06")])

    changes = [(c.column, c.old, c.new) for row in response.context["result"].identity_changes for c in row.changes]
    assert ("name", "张伟", "李娜") in changes
    assert ("hire_date", "2020-03-01", "2024-05-06") in changes
    page = response.content.decode()
    assert "张伟" in page and "李娜" in page
    assert "I confirm that 1 person’s identity changes" in html.unescape(page)
    assert snapshot() == before


def test_confirm_without_the_identity_confirmation_writes_nothing(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(name="李娜", hire_date="2024-05-06", team="T02")])
    before = snapshot()

    response = confirm(hr_client, previewed)

    assert snapshot() == before
    shown = problems_shown(response)
    assert [(row, column) for row, column, _reason in shown] == [("2", "name"), ("2", "hire_date")]
    assert "“张伟” → “李娜”" in shown[0][2]
    assert "confirm" in shown[0][2]
    assert not LogEntry.objects.exists()


def test_confirm_with_the_identity_confirmation_writes_the_change(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(name="李娜", hire_date="2024-05-06")])

    confirm(hr_client, previewed, confirm_identity_changes="on")

    org.zhang.refresh_from_db()
    assert (org.zhang.name, org.zhang.hire_date) == ("李娜", datetime.date(2024, 5, 6))


def test_confirm_that_finds_more_identity_changes_than_were_confirmed_writes_nothing(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(name="李娜"), zhang_row(employee_number="E20001", name="新人")])
    EmployeeFactory(employee_number="E20001", name="Someone else")  # created by a colleague after the preview
    before = snapshot()

    response = confirm(hr_client, previewed, confirm_identity_changes="on")

    assert snapshot() == before
    assert [(row, column) for row, column, _reason in problems_shown(response)] == [
        ("2", "name"),
        ("3", "name"),
        ("3", "hire_date"),
    ]


def test_blank_cell_keeps_the_current_value(hr_client, org):
    response = preview(hr_client, [HEADER, zhang_row(mentor="", stage="", team="T02")])
    assert [(c.column, c.old, c.new) for row in response.context["result"].changes for c in row.changes] == [
        ("team", "T01", "T02")
    ]

    confirm(hr_client, response)

    org.zhang.refresh_from_db()
    assert (org.zhang.team, org.zhang.mentor, org.zhang.stage) == (org.other_team, org.mentor, Stage.GROWTH)


def test_preview_lists_each_changed_cell_of_an_update(hr_client, org):
    response = preview(hr_client, [HEADER, zhang_row(team="T02", stage="high_performer")])

    page = html.unescape(response.content.decode())
    assert re.search(r"T01\s*→\s*T02", page)
    assert response.context["result"].identity_changes == []
    assert "confirm_identity_changes" not in response.context["confirm_form"].fields


# 2. Codes that look the same are the same ----------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["Ｅ１００１５", "E10015\u200b", "\ufeffE10015", " E10015 ", "E\u200d10015", "E10015\u2060"]
)
def test_employee_number_that_looks_the_same_matches_the_existing_person(hr_client, org, number):
    before = snapshot()

    previewed = preview(hr_client, [HEADER, zhang_row(employee_number=number)])
    confirm(hr_client, previewed)

    assert snapshot() == before
    assert previewed.context["result"].totals["new"] == 0


@pytest.mark.parametrize("column, cell", [("team", "Ｔ０２"), ("team", "T02\u200b"), ("mentor", "\u200bＭ００１")])
def test_lookup_cells_are_normalised_before_matching(hr_client, org, column, cell):
    previewed = preview(hr_client, [HEADER, zhang_row(employee_number="E20001", name="新人", **{column: cell})])
    confirm(hr_client, previewed)

    new = Employee.objects.get(employee_number="E20001")
    assert (new.team.code, new.mentor.employee_number) == ("T02" if column == "team" else "T01", "M001")


def test_team_code_that_looks_the_same_updates_the_existing_team(hr_client, org):
    rows = [["code", "name", "department"], ["Ｔ０１\u200b", "Renamed", org.team.department.code]]

    confirm(hr_client, preview(hr_client, rows, model="team"), model="team")

    assert list(Team.objects.order_by("code").values_list("code", "name")) == [
        ("T01", "Renamed"),
        ("T02", org.other_team.name),
    ]


def test_codes_are_normalised_when_created(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(employee_number="Ｅ２０００２\u200b", name="新人")])
    confirm(hr_client, previewed)

    assert Employee.objects.filter(employee_number="E20002").exists()


def test_numbers_dates_and_headers_are_read_as_they_look(hr_client, org):
    header = ["employee_number\u200b", "ｎａｍｅ", "hire_date", "team", "position"]
    rows = [header, ["E20003", "新人", "２０２６－０３－０１", "T01", "AGENT"]]
    position_rows = [POSITION_HEADER, ["LEAD", "Lead", "Service", "Contact", "５", ""]]

    confirm(hr_client, preview(hr_client, rows))
    confirm(hr_client, preview(hr_client, position_rows, model="position"), model="position")

    assert Employee.objects.get(employee_number="E20003").hire_date == datetime.date(2026, 3, 1)
    assert Position.objects.get(code="LEAD").grade == 5


# 3. Positions above themselves ------------------------------------------------------------------------


@pytest.fixture
def chain(org):
    """LEAD above AGENT-2 above AGENT-3."""
    lead = PositionFactory(code="LEAD")
    agent2 = PositionFactory(code="AGENT-2", superior=lead)
    PositionFactory(code="AGENT-3", superior=agent2)
    return lead


def position_row(code, superior):
    return [code, f"Title {code}", "Service", "Contact", "3", superior]


@pytest.mark.parametrize(
    "rows, named",
    [
        ([position_row("LEAD", "LEAD")], [("2", "superior", "LEAD → LEAD")]),
        ([position_row("LEAD", "AGENT-2")], [("2", "superior", "LEAD → AGENT-2 → LEAD")]),
        ([position_row("LEAD", "AGENT-3")], [("2", "superior", "LEAD → AGENT-3 → AGENT-2 → LEAD")]),
        (
            [position_row("NEW", "AGENT-3"), position_row("LEAD", "NEW")],
            [
                ("2", "superior", "NEW → AGENT-3 → AGENT-2 → LEAD → NEW"),
                ("3", "superior", "LEAD → NEW → AGENT-3 → AGENT-2 → LEAD"),
            ],
        ),
    ],
    ids=["own-superior", "two", "three", "within-file"],
)
def test_superiors_in_a_loop_are_rejected_with_the_rows_named(hr_client, chain, rows, named):
    before = snapshot()

    response = preview(hr_client, [POSITION_HEADER, *rows], model="position")

    assert snapshot() == before
    assert "confirm_form" not in response.context
    shown = problems_shown(response)
    assert [(row, column) for row, column, _reason in shown] == [(row, column) for row, column, _loop in named]
    for (_row, _column, reason), (_r, _c, loop) in zip(shown, named, strict=True):
        assert loop in reason


def test_superior_loop_closed_between_preview_and_confirm_writes_nothing(hr_client, chain):
    previewed = preview(hr_client, [POSITION_HEADER, position_row("NEW", "AGENT-3")], model="position")
    Position.objects.filter(code="LEAD").update(superior=PositionFactory(code="NEW"))
    before = snapshot()

    response = confirm(hr_client, previewed, model="position")

    assert snapshot() == before
    assert [(row, column) for row, column, _reason in problems_shown(response)] == [("2", "superior")]


# 4. Confirm re-validates in its transaction --------------------------------------------------------------


def test_team_deleted_between_preview_and_confirm_writes_nothing_and_says_why(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(employee_number="E20001", name="新人", team="T02")])
    org.other_team.delete()
    before = snapshot()

    response = confirm(hr_client, previewed)

    assert snapshot() == before
    assert problems_shown(response) == [("2", "team", "No team has code “T02”.")]
    assert not LogEntry.objects.exists()
    assert not [m for m in response.context["messages"] if "Import finished" in str(m)]


@pytest.mark.postgres(reason="PostgreSQL checks foreign keys when the transaction commits")
@pytest.mark.django_db(transaction=True)
def test_team_deleted_while_the_confirm_runs_writes_nothing_and_says_why(hr_client, org, monkeypatch):
    previewed = preview(hr_client, [HEADER, zhang_row(employee_number="E20001", name="新人", team="T02")])

    def delete_team():  # a colleague, on her own connection, after the rows were validated and written
        try:
            Team.objects.filter(code="T02").delete()
        finally:
            connections.close_all()

    written = EmployeeResource.after_import

    def meanwhile(resource, dataset, result, **kwargs):
        colleague = threading.Thread(target=delete_team)
        colleague.start()
        colleague.join(timeout=30)
        assert not colleague.is_alive()
        written(resource, dataset, result, **kwargs)

    monkeypatch.setattr(EmployeeResource, "after_import", meanwhile)
    response = confirm(hr_client, previewed)

    assert not Team.objects.filter(code="T02").exists()
    assert not Employee.objects.filter(employee_number="E20001").exists()
    [(row, column, reason)] = problems_shown(response)
    assert (row, column) == ("—", "—")
    assert "changed or deleted while the file was being imported" in reason
    assert not LogEntry.objects.exists()


# 5. Double click -----------------------------------------------------------------------------------------


def test_confirm_posted_twice_says_the_import_is_done_and_changes_nothing(hr_client, org):
    previewed = preview(hr_client, [HEADER, zhang_row(employee_number="E20001", name="新人")])
    confirm(hr_client, previewed)
    before = snapshot()
    entries = LogEntry.objects.count()

    response = confirm(hr_client, previewed)

    assert response.status_code == 200
    assert snapshot() == before
    assert LogEntry.objects.count() == entries
    assert "This import is already done" in " ".join(str(m) for m in response.context["messages"])


# 6. Reasons a clerk can act on ----------------------------------------------------------------------------


def test_own_mentor_is_reported_on_the_mentor_column_in_plain_words(hr_client, org):
    before = snapshot()

    response = preview(hr_client, [HEADER, zhang_row(mentor="E10015")])

    assert snapshot() == before
    assert problems_shown(response) == [("2", "mentor", "An employee cannot be her own mentor.")]
    assert "employee_not_own_mentor" not in response.content.decode()


# A NUL byte is refused with the whole file when it is read (staff.spreadsheets); the others reach the cells.
@pytest.mark.parametrize("column, control", [("name", "\x01"), ("team", "\x1b"), ("employee_number", "\x7f")])
def test_invisible_control_character_in_a_cell_is_reported_with_its_column(hr_client, org, column, control):
    before = snapshot()
    cells = {"employee_number": "E20001", "name": "新人", "team": "T01"}
    cells[column] = cells[column][:1] + control + cells[column][1:]

    response = preview(hr_client, [HEADER, zhang_row(**cells)])

    assert snapshot() == before
    assert problems_shown(response) == [("2", column, "The cell contains an invisible control character; retype it.")]


def test_every_constraint_of_the_staff_models_has_a_plain_reason():
    names = {
        constraint.name
        for model in (Site, Department, Team, Position, Employee)
        for constraint in model._meta.constraints
        if not isinstance(constraint, models.UniqueConstraint) or constraint.fields
    }

    assert names <= set(resources.CONSTRAINT_PROBLEMS)


def test_loop_check_reads_all_positions_in_one_query(hr_client, chain, django_assert_num_queries):
    rows = [POSITION_HEADER, position_row("AGENT-3", "LEAD")]

    with CaptureQueriesContext(connection) as captured:
        preview(hr_client, rows, model="position")
    for n in range(30):
        PositionFactory(code=f"X{n}", superior=chain)

    with django_assert_num_queries(len(captured)):
        preview(hr_client, rows, model="position")
