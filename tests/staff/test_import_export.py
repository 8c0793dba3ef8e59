"""Spreadsheet import and export of sites, departments, teams, positions and employees."""

import datetime
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from staff.imports import import_file
from staff.models import Department, Employee, Position, Site, Stage, Team
from staff.permissions import HR_GROUP
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user
from tests.staff.spreadsheet_files import csv_bytes

HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor", "email"]


@pytest.fixture
def org(db):
    """A team, a position, a veteran who mentors, and an HR member with the staff permissions."""
    team = TeamFactory(code="T01", name="Team One")
    position = PositionFactory(code="AGENT", title="Agent")
    mentor = EmployeeFactory(employee_number="M001", name="Veteran", team=team, position=position)
    hr = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return SimpleNamespace(team=team, position=position, mentor=mentor, hr=hr)


def run(data, org, *, filename="employees.csv", resource_name="employee", dry_run=False):
    return import_file(resource_name=resource_name, data=data, filename=filename, dry_run=dry_run, user=org.hr)


def where(result):
    return [(problem.row, problem.column) for problem in result.problems]


def test_utf8_csv_creates_employees(org):
    data = csv_bytes(
        [
            HEADER,
            ["E001", "Alice", "2026-03-01", "T01", "AGENT", "onboarding", "M001", "alice@example.com"],
            ["E002", "Bob", "2026/3/2", "T01", "AGENT", "Growth", "", ""],
        ]
    )

    result = run(data, org)

    assert result.problems == []
    assert result.totals["new"] == 2
    alice = Employee.objects.get(employee_number="E001")
    assert (alice.name, alice.hire_date, alice.team, alice.position) == (
        "Alice",
        datetime.date(2026, 3, 1),
        org.team,
        org.position,
    )
    assert (alice.stage, alice.mentor, alice.email) == (Stage.ONBOARDING, org.mentor, "alice@example.com")
    bob = Employee.objects.get(employee_number="E002")
    assert (bob.stage, bob.hire_date, bob.mentor) == (Stage.GROWTH, datetime.date(2026, 3, 2), None)


def test_utf8_csv_with_bom_imports(org):
    data = csv_bytes([HEADER, ["E001", "Alice", "2026-03-01", "T01", "AGENT", "", "", ""]], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")

    result = run(data, org)

    assert result.problems == []
    assert Employee.objects.get(employee_number="E001").stage == Stage.PRE_JOB


def test_gbk_csv_with_chinese_headers_imports(org):
    with translation.override("zh-hans"):
        growth_label = str(Stage.GROWTH.label)
    data = csv_bytes(
        [
            ["工号", "姓名", "入职日期", "班组", "岗位", "阶段", "导师", "邮箱"],
            ["E001", "张三", "2026年3月1日", "T01", "AGENT", growth_label, "M001", ""],
        ],
        encoding="gb18030",
    )

    result = run(data, org)

    assert result.problems == []
    zhang = Employee.objects.get(employee_number="E001")
    assert (zhang.name, zhang.hire_date, zhang.stage, zhang.mentor) == (
        "张三",
        datetime.date(2026, 3, 1),
        Stage.GROWTH,
        org.mentor,
    )


def test_file_with_bad_rows_writes_nothing_and_reports_every_one(org):
    data = csv_bytes(
        [
            HEADER,
            ["E001", "Alice", "2026-03-01", "T01", "AGENT", "", "", ""],
            ["E002", "Bob", "2026-03-01", "NOPE", "AGENT", "", "", ""],
            ["E003", "Carol", "next monday", "T01", "AGENT", "", "", ""],
            ["E001", "Alice again", "2026-03-01", "T01", "AGENT", "", "", ""],
            ["E004", "Dan", "2026-03-01", "T01", "AGENT", "veteran", "", ""],
        ]
    )

    result = run(data, org)

    assert where(result) == [(3, "team"), (4, "hire_date"), (5, "employee_number"), (6, "stage")]
    messages = [problem.message for problem in result.problems]
    assert "NOPE" in messages[0]
    assert "next monday" in messages[1]
    assert "row 2" in messages[2]
    assert "veteran" in messages[3]
    assert not Employee.objects.exclude(pk=org.mentor.pk).exists()


def test_problems_name_the_column_as_written_in_the_file(org):
    data = csv_bytes([["工号", "姓名", "入职日期", "班组"], ["E001", "张三", "2026-03-01", "T99"]], encoding="gb18030")

    result = run(data, org)

    assert where(result) == [(2, "班组")]


def test_model_rules_are_checked_too(org):
    data = csv_bytes([HEADER, ["E001", "", "2026-03-01", "T01", "AGENT", "", "", "not-an-email"]])

    result = run(data, org)

    assert where(result) == [(2, "name"), (2, "email")]
    assert not Employee.objects.filter(employee_number="E001").exists()


def test_missing_required_column_is_reported_once(org):
    data = csv_bytes([["employee_number", "name"], ["E001", "Alice"], ["E002", "Bob"]])

    result = run(data, org)

    assert where(result) == [(None, "hire_date")]
    assert "入职日期" in result.problems[0].message
    assert result.has_errors()
    assert not Employee.objects.filter(employee_number__in=["E001", "E002"]).exists()


def test_unreadable_file_is_reported(org):
    result = run(b"not a workbook", org, filename="employees.xlsx")

    assert where(result) == [(None, None)]
    assert result.has_errors()


def test_dry_run_writes_nothing(org):
    data = csv_bytes([HEADER, ["E001", "Alice", "2026-03-01", "T01", "AGENT", "", "", ""]])

    result = run(data, org, dry_run=True)

    assert result.totals["new"] == 1
    assert not Employee.objects.filter(employee_number="E001").exists()


def test_reimporting_the_same_file_changes_nothing(org):
    data = csv_bytes(
        [
            HEADER,
            ["E001", "Alice", "2026-03-01", "T01", "AGENT", "growth", "M001", "alice@example.com"],
            ["E002", "Bob", "2026-03-02", "T01", "AGENT", "", "", ""],
        ]
    )
    run(data, org)
    history_rows = Employee.history.count()

    result = run(data, org)

    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, 2)
    assert Employee.history.count() == history_rows


def test_import_records_who_changed_what(org):
    run(csv_bytes([HEADER, ["E001", "Alice", "2026-03-01", "T01", "AGENT", "", "", ""]]), org)

    result = run(csv_bytes([HEADER, ["E001", "Alice", "2026-03-01", "T01", "AGENT", "growth", "", ""]]), org)

    assert result.totals["update"] == 1
    record = Employee.objects.get(employee_number="E001").history.latest()
    assert (record.stage, record.history_user) == (Stage.GROWTH, org.hr)
    assert "employees.csv" in record.history_change_reason


def test_xlsx_import(org):
    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名", "入职日期", "班组", "岗位"])
    book.active.append([1001, "李四", datetime.datetime(2026, 3, 1), "T01", "AGENT"])
    stream = io.BytesIO()
    book.save(stream)

    result = run(stream.getvalue(), org, filename="employees.xlsx")

    assert result.problems == []
    li = Employee.objects.get(employee_number="1001")
    assert (li.name, li.hire_date) == ("李四", datetime.date(2026, 3, 1))
    assert run(stream.getvalue(), org, filename="employees.xlsx").totals["skip"] == 1


def test_organisation_imports_top_down_with_chinese_headers(org):
    files = [
        ("site", [["代码", "名称", "区域"], ["SH", "上海中心", "华东"]]),
        ("department", [["代码", "名称", "站点"], ["SH-CS", "客服部", "SH"]]),
        ("team", [["代码", "名称", "部门", "主管"], ["SH-A", "一组", "SH-CS", "M001"]]),
        (
            "position",
            [
                ["代码", "职位名称", "职系", "职组", "职级", "编制", "直接上级", "部门"],
                ["LEAD", "班长", "服务", "客户联络", "5", "3", "", "SH-CS"],
                ["CSR", "客服专员", "服务", "客户联络", "3", "40", "LEAD", "SH-CS"],
            ],
        ),
    ]

    for resource_name, rows in files:
        result = run(csv_bytes(rows, "gb18030"), org, filename=f"{resource_name}.csv", resource_name=resource_name)
        assert result.problems == [], resource_name

    assert Site.objects.get(code="SH").region == "华东"
    assert Department.objects.get(code="SH-CS").site.code == "SH"
    assert Team.objects.get(code="SH-A").supervisor == org.mentor
    csr = Position.objects.get(code="CSR")
    assert (csr.grade, csr.headcount, csr.superior.code, csr.department.code) == (3, 40, "LEAD", "SH-CS")


def test_bad_number_is_reported_with_its_column(org):
    rows = [["code", "title", "job_family", "job_group", "grade"], ["LEAD", "Lead", "Service", "Contact", "five"]]

    result = run(csv_bytes(rows), org, filename="positions.csv", resource_name="position")

    assert where(result) == [(2, "grade")]
    assert not Position.objects.filter(code="LEAD").exists()


# Through the admin, as HR uses it ------------------------------------------------------------


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def test_admin_import_previews_then_writes_on_confirm(hr_client):
    data = csv_bytes([HEADER, ["E001", "张三", "2026-03-01", "T01", "AGENT", "", "", ""]], encoding="gb18030")
    upload = SimpleUploadedFile("employees.csv", data, content_type="text/csv")

    preview = hr_client.post(reverse("admin:staff_employee_import"), {"format": "0", "import_file": upload})

    assert preview.status_code == 200
    assert "张三" in preview.content.decode()
    assert not Employee.objects.filter(employee_number="E001").exists()
    confirm_form = preview.context["confirm_form"]

    response = hr_client.post(reverse("admin:staff_employee_process_import"), confirm_form.initial)

    assert response.status_code == 302
    assert Employee.objects.get(employee_number="E001").name == "张三"


def test_admin_import_of_a_bad_file_lists_problems_and_offers_no_confirm(hr_client):
    data = csv_bytes([HEADER, ["E001", "Alice", "someday", "T01", "AGENT", "", "", ""]])
    upload = SimpleUploadedFile("employees.csv", data, content_type="text/csv")

    response = hr_client.post(reverse("admin:staff_employee_import"), {"format": "0", "import_file": upload})

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "someday" in response.content.decode()
    assert not Employee.objects.filter(employee_number="E001").exists()


def test_admin_import_without_a_required_column_names_it(hr_client):
    upload = SimpleUploadedFile(
        "employees.csv", csv_bytes([["工号", "姓名"], ["E001", "张三"]]), content_type="text/csv"
    )

    response = hr_client.post(reverse("admin:staff_employee_import"), {"format": "0", "import_file": upload})

    assert "confirm_form" not in response.context
    assert "入职日期" in response.content.decode()


# Export ------------------------------------------------------------------------------------


def export(client, file_format):
    fields = {f"employeeresource_{name}": "on" for name in HEADER}
    return client.post(reverse("admin:staff_employee_export"), {"format": file_format, "resource": "0", **fields})


def test_csv_export_cannot_run_formulas(hr_client, org):
    EmployeeFactory(employee_number="E666", name="=cmd|' /C calc'!A0", email="@evil", team=org.team)

    response = export(hr_client, "0")

    content = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in content
    assert ",'@evil" in content
    assert ",=cmd" not in content


def test_xlsx_export_cannot_run_formulas(hr_client, org):
    EmployeeFactory(employee_number="E666", name="=cmd|' /C calc'!A0", team=org.team)

    response = export(hr_client, "1")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "cmd" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in cells] == [("'=cmd|' /C calc'!A0", "s")]


def test_exported_file_imports_back_unchanged(hr_client, org):
    EmployeeFactory(employee_number="E666", name="=cmd|' /C calc'!A0", team=org.team, mentor=org.mentor)
    exported = export(hr_client, "0").content

    result = run(exported, org)

    assert result.problems == []
    assert result.totals["skip"] == 2
    assert Employee.objects.get(employee_number="E666").name == "=cmd|' /C calc'!A0"
