"""The catalogue of bad and hostile files, each uploaded through the admin's real import page as HR does.

Every kind writes nothing, offers no confirm, and shows the row and column (where there is one) and a
translated reason the clerk can act on — never a Python exception's name.
"""

import codecs
import datetime
import html
import io
import random
import re
import zipfile
from types import SimpleNamespace
from typing import NamedTuple

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff.models import Employee
from staff.permissions import HR_GROUP
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user
from tests.staff.spreadsheet_files import csv_bytes, with_shared_strings, with_sheet, xlsx_bytes

HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor", "email"]
GOOD = ["E001", "张伟", "2026-03-01", "T01", "AGENT", "", "", ""]
CSV, XLSX = "0", "1"  # the admin's format choices, in the order of staff.imports.FORMATS


def row(**cells):
    return [cells.get(name, good) for name, good in zip(HEADER, GOOD, strict=True)]


def junk(size, seed=10):
    return random.Random(seed).randbytes(size)


class Kind(NamedTuple):
    filename: str
    file_format: str
    data: bytes
    row: int | None  # where the table of problems names the row, or the form's message "Row r, column c: …"
    column: str | None
    reason: str  # a part of the translated message (file-level messages name their lines themselves)
    limits: dict = {}


UTF8_ROWS = [HEADER, row(), row(employee_number="E002", name="李娜")]
GBK_ROW = ",".join(row(employee_number="E003", name="王芳")).encode("gbk")
NOT_A_DATE = "is not a date"

KINDS = {
    # Encodings
    "utf8-then-gbk": Kind("e.csv", CSV, csv_bytes(UTF8_ROWS) + b"\r\n" + GBK_ROW, None, None, "Line 4 is in another"),
    "gbk-then-utf8": Kind(
        "e.csv",
        CSV,
        csv_bytes([HEADER, row()], "gbk") + b"\r\n" + csv_bytes([row(employee_number=f"E1{n}") for n in range(5)]),
        None,
        None,
        "Line 2 is in another encoding",
    ),
    "utf16-le-bom": Kind("e.csv", CSV, csv_bytes(UTF8_ROWS, "utf-16"), None, None, "UTF-16"),
    "utf16-be-bom": Kind("e.csv", CSV, codecs.BOM_UTF16_BE + csv_bytes(UTF8_ROWS, "utf-16-be"), None, None, "UTF-16"),
    "utf16-no-bom": Kind("e.csv", CSV, csv_bytes(UTF8_ROWS, "utf-16-le"), None, None, "NUL characters"),
    "neither-utf8-nor-gbk": Kind(
        "e.csv", CSV, csv_bytes(UTF8_ROWS, "gbk") + b"\r\nE9,\xff\xff", None, None, "Line 4 is neither UTF-8 nor GBK"
    ),
    # Wrong format for the content, both ways, and other programs' files
    "xlsx-named-csv": Kind("e.csv", CSV, xlsx_bytes(UTF8_ROWS), None, None, "is an Excel workbook (XLSX), not a CSV"),
    "csv-named-xlsx": Kind("e.xlsx", XLSX, csv_bytes(UTF8_ROWS), None, None, "is CSV text, not an Excel workbook"),
    "xls-as-xlsx": Kind("e.xlsx", XLSX, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk(2000), None, None, "(.xls)"),
    "xls-as-csv": Kind("e.csv", CSV, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk(2000), None, None, "(.xls)"),
    "binary-as-csv": Kind("e.csv", CSV, b"\x89PNG\r\n\x1a\n" + junk(4000), None, None, "neither UTF-8 nor GBK"),
    "binary-as-xlsx": Kind("e.xlsx", XLSX, junk(4000), None, None, "not an Excel workbook"),
    "truncated-xlsx": Kind("e.xlsx", XLSX, xlsx_bytes(UTF8_ROWS)[:3000], None, None, "damaged"),
    "zip-without-workbook": Kind("e.xlsx", XLSX, b"", None, None, "damaged"),  # data made below
    # Shape
    "empty-csv": Kind("e.csv", CSV, b"", None, None, "The submitted file is empty"),  # Django's own check
    "blank-lines-csv": Kind("e.csv", CSV, b"\r\n \r\n\r\n", None, None, "The file is empty"),
    "empty-xlsx-file": Kind("e.xlsx", XLSX, b"", None, None, "The submitted file is empty"),
    "empty-sheet": Kind("e.xlsx", XLSX, xlsx_bytes([]), None, None, "The file is empty"),
    "header-only-csv": Kind("e.csv", CSV, csv_bytes([HEADER]), None, None, "has a header row but no rows"),
    "header-only-xlsx": Kind("e.xlsx", XLSX, xlsx_bytes([HEADER]), None, None, "has a header row but no rows"),
    "row-too-long": Kind(
        "e.csv", CSV, csv_bytes([HEADER, row(), row(employee_number="E002") + ["x"]]), None, None, "Row 3 has more"
    ),
    "rows-too-short": Kind(
        "e.csv", CSV, csv_bytes([HEADER, row()[:3], row(), row()[:5]]), None, None, "Rows 2, 4 have fewer cells"
    ),
    # A quote never closed swallows the rest of the file into one cell: the row comes out short.
    "unclosed-quote": Kind(
        "e.csv", CSV, csv_bytes([HEADER, row(name='"张伟'), row(employee_number="E002")]), None, None, "Row 2 has fewer"
    ),
    "xlsx-cell-past-header": Kind("e.xlsx", XLSX, xlsx_bytes([HEADER, [*row(), "x"]]), None, None, "Row 2 has more"),
    "nul-in-cell": Kind("e.csv", CSV, csv_bytes([HEADER, row(name="张\x00伟")]), 2, "name", "control character"),
    # Size
    "huge-cell-csv": Kind("e.csv", CSV, csv_bytes([HEADER, row(name="张" * 40_000)]), 2, "name", "40,000 characters"),
    "giant-cell-csv": Kind("e.csv", CSV, csv_bytes([HEADER, row(name="x" * 200_000)]), None, None, "Row 2 has a cell"),
    # openpyxl writes at most Excel's 32,767 characters in a cell; a lower limit catches them.
    "huge-cell-xlsx": Kind(
        "e.xlsx",
        XLSX,
        xlsx_bytes([HEADER, row(name="x" * 40_000)]),
        2,
        "name",
        "32,767 characters",
        {"MAX_CELL_CHARS": 1000},
    ),
    "too-many-columns-csv": Kind(
        "e.csv", CSV, csv_bytes([HEADER + [f"x{n}" for n in range(4)]]), 1, "L", "12 columns", {"MAX_COLUMNS": 10}
    ),
    "too-many-columns-xlsx": Kind("e.xlsx", XLSX, b"", 3, "BH", "60 columns"),  # data made below
    "too-many-rows-csv": Kind(
        "e.csv",
        CSV,
        csv_bytes([HEADER] + [row(employee_number=f"E{n}") for n in range(8)]),
        None,
        None,
        "more than 5 rows",
        {"MAX_ROWS": 5},
    ),
    "too-many-rows-xlsx": Kind(
        "e.xlsx",
        XLSX,
        xlsx_bytes([HEADER] + [row(employee_number=f"E{n}") for n in range(8)]),
        None,
        None,
        "more than 5 rows",
        {"MAX_ROWS": 5},
    ),
    "file-too-big": Kind(
        "e.csv", CSV, csv_bytes([HEADER] + [row()] * 50), None, None, "larger than 1000", {"MAX_FILE_BYTES": 1000}
    ),
    "billion-laughs": Kind("e.xlsx", XLSX, b"", None, None, "damaged"),  # data made below
    "zip-bomb": Kind("e.xlsx", XLSX, b"", None, None, "unpacks to", {"MAX_UNCOMPRESSED_BYTES": 1024 * 1024}),
    "shared-strings-bomb": Kind(
        "e.xlsx",
        XLSX,
        with_shared_strings(xlsx_bytes(UTF8_ROWS), 1000, text="张伟"),
        None,
        None,
        "text unpacks to",
        {"MAX_SHARED_STRINGS_BYTES": 10_000},
    ),
    "lying-dimension": Kind("e.xlsx", XLSX, b"", 3, "hire_date", NOT_A_DATE),  # data made below
    # Content Excel makes
    "formula": Kind("e.xlsx", XLSX, xlsx_bytes([HEADER, row(name='=CONCAT("张","伟")')]), 2, "name", "formula"),
    # Headers
    "missing-column": Kind(
        "e.csv", CSV, csv_bytes([["工号", "姓名"], ["E001", "张伟"]]), None, "hire_date", "入职日期"
    ),
    "duplicate-column": Kind(
        "e.csv", CSV, csv_bytes([[*HEADER, "姓名"], [*row(), "张伟"]]), None, "姓名", "appears more than once"
    ),
    # Rows
    "date-day-first": Kind("e.csv", CSV, csv_bytes([HEADER, row(hire_date="31/12/2026")]), 2, "hire_date", NOT_A_DATE),
    "date-words": Kind("e.csv", CSV, csv_bytes([HEADER, row(hire_date="next monday")]), 2, "hire_date", NOT_A_DATE),
    "date-excel-serial": Kind("e.csv", CSV, csv_bytes([HEADER, row(hire_date="46082")]), 2, "hire_date", NOT_A_DATE),
    "date-impossible": Kind("e.csv", CSV, csv_bytes([HEADER, row(hire_date="2026-02-30")]), 2, "hire_date", NOT_A_DATE),
    "date-number-cell": Kind(
        "e.xlsx", XLSX, xlsx_bytes([HEADER, [*row()[:2], 3.5, *row()[3:]]]), 2, "hire_date", NOT_A_DATE
    ),
    "blank-line-keeps-row-numbers": Kind(
        "e.csv",
        CSV,
        csv_bytes([HEADER, row(), [], row(employee_number="E2", hire_date="x")]),
        4,
        "hire_date",
        NOT_A_DATE,
    ),
    "unknown-team": Kind("e.csv", CSV, csv_bytes([HEADER, row(team="NOPE")]), 2, "team", "NOPE"),
    "unknown-mentor": Kind("e.csv", CSV, csv_bytes([HEADER, row(mentor="M999")]), 2, "mentor", "M999"),
    "unknown-stage": Kind("e.csv", CSV, csv_bytes([HEADER, row(stage="veteran")]), 2, "stage", "veteran"),
    "duplicate-number": Kind("e.csv", CSV, csv_bytes([HEADER, row(), row(name="李娜")]), 3, "employee_number", "row 2"),
    "bad-email": Kind("e.csv", CSV, csv_bytes([HEADER, row(email="not-an-email")]), 2, "email", "email"),
    "blank-name": Kind("e.csv", CSV, csv_bytes([HEADER, row(name="")]), 2, "name", "blank"),
}


def _zip_without_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def _too_many_columns():
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(row())
    book.active.cell(row=3, column=60, value="far right")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# The sheet's XML made 2 MB of spaces: a few KB zipped, more than the (lowered) 1 MB limit unpacked.
BOMB = with_sheet(xlsx_bytes(UTF8_ROWS), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 2**21))
# A sheet claiming the largest range Excel has, A1:XFD1048576, with three rows, one of them bad.
LYING = with_sheet(
    xlsx_bytes([HEADER, row(), row(employee_number="E002", hire_date="someday")]),
    lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml),
)
# Entities that expand to gigabytes when the sheet's XML is parsed (expat refuses them).
ENTITIES = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
LAUGHS = with_sheet(
    xlsx_bytes([HEADER, row(name="LAUGH")]),
    lambda xml: (
        f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{ENTITIES}]>'.encode()
        + xml[xml.index(b"<worksheet") :].replace(b"LAUGH", b"&lol9;")
    ),
)
KINDS["zip-without-workbook"] = KINDS["zip-without-workbook"]._replace(data=_zip_without_workbook())
KINDS["too-many-columns-xlsx"] = KINDS["too-many-columns-xlsx"]._replace(data=_too_many_columns())
KINDS["zip-bomb"] = KINDS["zip-bomb"]._replace(data=BOMB)
KINDS["billion-laughs"] = KINDS["billion-laughs"]._replace(data=LAUGHS)
KINDS["lying-dimension"] = KINDS["lying-dimension"]._replace(data=LYING)


@pytest.fixture
def org(db, settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path
    team = TeamFactory(code="T01", name="Team One")
    position = PositionFactory(code="AGENT", title="Agent")
    mentor = EmployeeFactory(employee_number="M001", name="Veteran", team=team, position=position)
    hr = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return SimpleNamespace(team=team, position=position, mentor=mentor, hr=hr)


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def upload(client, kind):
    data = {"format": kind.file_format, "import_file": SimpleUploadedFile(kind.filename, kind.data)}
    return client.post(reverse("admin:staff_employee_import"), data)


def page_text(response):
    """The page as the clerk reads it: no tags, one space between words."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def assert_refused(response, kind):
    text = page_text(response)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert Employee.objects.count() == 1  # the mentor of the world, nothing more
    assert kind.reason in text
    assert "encountered while trying to read file" not in text
    if kind.row and kind.column:
        assert f"Row {kind.row}, column {kind.column}: " in text or f" {kind.row} {kind.column} " in text
    elif kind.column:
        assert f" — {kind.column} " in text


def test_the_catalogue_has_forty_kinds():
    assert len(KINDS) >= 40


@pytest.mark.parametrize("name", KINDS)
def test_bad_file_writes_nothing_and_says_why(hr_client, settings, name):
    kind = KINDS[name]
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, **kind.limits}

    assert_refused(upload(hr_client, kind), kind)
    assert not list(settings.IMPORT_TMP_DIR.iterdir())  # a refused preview keeps no upload


def test_import_page_shows_the_limits(hr_client):
    text = page_text(hr_client.get(reverse("admin:staff_employee_import")))

    assert "20.0 MB" in text
    assert "100,000 rows" in text
    assert "50 columns" in text


def test_a_good_file_after_the_bad_ones_still_imports(hr_client, settings):
    preview = upload(hr_client, Kind("e.csv", CSV, csv_bytes([HEADER, row()]), None, None, ""))
    assert len(list(settings.IMPORT_TMP_DIR.iterdir())) == 1  # kept for the confirm

    response = hr_client.post(reverse("admin:staff_employee_process_import"), preview.context["confirm_form"].initial)

    assert response.status_code == 302
    assert Employee.objects.get(employee_number="E001").hire_date == datetime.date(2026, 3, 1)
    assert not list(settings.IMPORT_TMP_DIR.iterdir())


@pytest.mark.parametrize(
    "name, reason",
    [
        ("date-day-first", "“31/12/2026”不是有效日期"),
        ("row-too-long", "第 3 行的单元格比表头行多"),
        ("utf8-then-gbk", "第 4 行的编码与文件中大多数行不同"),
    ],
)
def test_bad_file_is_explained_in_chinese(hr_client, name, reason):
    hr_client.cookies["django_language"] = "zh-hans"

    assert_refused(upload(hr_client, KINDS[name]), KINDS[name]._replace(reason=reason))
