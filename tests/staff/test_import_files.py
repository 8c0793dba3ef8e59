"""The file level of an import: one encoding per file, readers within the limits, temp files that expire,
and cells that survive export → import unchanged."""

import io
import os
import time
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from staff import imports, spreadsheets
from staff.imports import ImportTempStorage, import_file, read_dataset
from staff.models import Employee
from staff.permissions import HR_GROUP
from staff.spreadsheets import FileProblem, decode_text
from staff.tasks import remove_expired_uploads
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user
from tests.staff.spreadsheet_files import with_shared_strings, with_sheet, xlsx_bytes

HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor", "email"]


def problem_of(data, filename="employees.csv"):
    with pytest.raises(FileProblem) as caught:
        read_dataset(data, filename)
    return caught.value


# One encoding per file ---------------------------------------------------------------------------


def test_utf8_lines_then_a_gbk_line_are_refused_naming_that_line():
    data = "工号,姓名\nE1,张伟\nE2,李娜\n".encode() + "E3,王芳\n".encode("gbk")

    with pytest.raises(FileProblem) as caught:
        decode_text(data)

    assert caught.value.row == 4
    assert "Line 4" in caught.value.message


def test_gbk_lines_then_more_utf8_lines_are_refused_naming_the_first_gbk_line():
    data = "工号,姓名\nE1,张伟\n".encode("gbk") + "".join(f"E{n},李娜\n" for n in range(3, 10)).encode()

    assert decode_text_problem(data).row == 1


def test_utf8_lines_then_more_gbk_lines_are_refused_naming_the_first_utf8_line():
    data = "工号,姓名\n".encode() + "".join(f"E{n},李娜\n" for n in range(2, 10)).encode("gbk")

    assert decode_text_problem(data).row == 1


def test_a_utf8_file_with_one_damaged_line_names_that_line():
    lines = ["工号,姓名", *(f"E{n},李娜" for n in range(2, 6))]
    data = "\n".join(lines).encode().replace("E3,李娜".encode(), b"E3,\xc0\xff")

    assert decode_text_problem(data).row == 3


def decode_text_problem(data):
    with pytest.raises(FileProblem) as caught:
        decode_text(data)
    return caught.value


def test_a_gbk_file_whose_short_line_is_utf8_by_chance_is_still_gbk():
    # "涓丂" in GBK is E4 B8 81 40, which is also UTF-8 ("丁@"): one such line among many GBK ones is chance.
    lines = ["工号,姓名,班组"] + [f"E{n},张伟,一组" for n in range(40)]
    data = "\n".join(lines).encode("gbk")
    lucky = "E99,涓丂".encode("gbk")
    assert spreadsheets._is_utf8_text(lucky)

    assert decode_text(data + b"\n" + lucky + b"\n").startswith("工号")


def test_a_file_neither_utf8_nor_gbk_names_the_bad_line():
    data = "工号,姓名\nE1,张伟\n".encode("gbk") + b"E2,\xff\xfe\xff\n"

    problem = decode_text_problem(data)

    assert problem.row == 3
    assert "neither UTF-8 nor GBK" in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_files_are_refused_with_what_to_do(encoding):
    data = ("\ufeff" if encoding == "utf-16-be" else "") + "工号,姓名\nE1,张伟\n"

    problem = decode_text_problem(data.encode(encoding))

    assert "UTF-16" in problem.message
    assert "CSV UTF-8" in problem.message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_one_encoding_files_decode(encoding):
    assert decode_text("工号,姓名\nE1,张伟\n".encode(encoding)) == "工号,姓名\nE1,张伟\n"


# Readers -----------------------------------------------------------------------------------------


def test_csv_keeps_row_numbers_across_a_blank_line_and_drops_trailing_ones():
    dataset = read_dataset(b"a,b\n1,2\n\n3,4\n\n\n", "f.csv")

    assert [list(row) for row in dataset] == [["1", "2"], [None, None], ["3", "4"]]


def test_csv_extra_empty_cells_are_not_ragged():
    assert read_dataset(b"a,b\n1,2,,\n", "f.csv").height == 1


def test_ragged_csv_names_every_bad_row():
    problem = problem_of(b"a,b,c\n1,2,3\n1,2,3,4\n1,2\n1,2,3,4\n")

    assert "Rows 3, 5 have more cells" in problem.message
    assert "Row 4 has fewer cells" in problem.message


def test_xlsx_with_a_lying_dimension_reads_only_its_cells():
    data = with_sheet(xlsx_bytes([["a", "b"], [1, 2]]), lambda xml: xml.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"'))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    dataset = read_dataset(data, "f.xlsx")

    assert (dataset.headers, [list(row) for row in dataset]) == (["a", "b"], [[1, 2]])


def test_xlsx_row_far_below_stops_at_the_row_limit(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_ROWS": 1000}
    data = with_sheet(
        xlsx_bytes([["a"], [1]]),
        lambda xml: xml.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>2</v></c></row></sheetData>'),
    )

    assert "more than 1,000 rows" in problem_of(data, "f.xlsx").message


def test_xlsx_zip_bomb_is_refused_from_its_directory(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_UNCOMPRESSED_BYTES": 1024 * 1024}
    data = with_sheet(xlsx_bytes([["a"], [1]]), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 2**21))
    assert len(data) < 20_000

    assert "unpacks to" in problem_of(data, "f.xlsx").message


def test_xlsx_with_too_much_shared_text_is_refused_before_parsing(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_SHARED_STRINGS_BYTES": 10_000}
    data = with_shared_strings(xlsx_bytes([["a"], [1]]), 1000)

    assert "text unpacks to" in problem_of(data, "f.xlsx").message


def test_xlsx_formula_is_refused_with_its_cell():
    problem = problem_of(xlsx_bytes([["a", "b"], [1, "=A2*2"]]), "f.xlsx")

    assert (problem.row, problem.column) == (2, "b")
    assert "=A2*2" in problem.message
    assert "formula" in problem.message


def test_unknown_extension_is_refused():
    assert "csv or .xlsx" in problem_of(b"a\n1\n", "employees.txt").message


# Temp files between preview and confirm --------------------------------------------------------


@pytest.fixture
def tmp_dir(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path
    return tmp_path


def test_temp_storage_writes_in_the_import_folder_and_reads_back(tmp_dir):
    storage = ImportTempStorage(read_mode="rb")
    storage.save_chunks([b"a,b\n", b"1,2\n"])

    assert [path.name for path in tmp_dir.iterdir()] == [storage.name]
    assert ImportTempStorage(name=storage.name, read_mode="rb").read() == b"a,b\n1,2\n"


def test_temp_storage_keeps_no_more_than_the_size_limit(tmp_dir, settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_FILE_BYTES": 10}
    storage = ImportTempStorage(read_mode="rb")
    storage.save_chunks([b"x" * 8, b"x" * 8, b"x" * 8])

    assert (tmp_dir / storage.name).stat().st_size == 11
    with pytest.raises(FileProblem, match="larger than"):
        storage.read()


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "import-../x", ""])
def test_temp_storage_never_reads_outside_its_folder(tmp_dir, name):
    with pytest.raises(FileProblem, match="expired"):
        ImportTempStorage(name=name, read_mode="rb").read()


def test_sweep_removes_only_expired_uploads(tmp_dir, settings):
    settings.IMPORT_TMP_MAX_AGE_HOURS = 6
    old, fresh = ImportTempStorage(read_mode="rb"), ImportTempStorage(read_mode="rb")
    old.save(b"a\n1\n")
    fresh.save(b"a\n1\n")
    (tmp_dir / "keep.txt").write_text("not an upload")
    seven_hours_ago = time.time() - 7 * 3600
    os.utime(tmp_dir / old.name, (seven_hours_ago, seven_hours_ago))

    assert remove_expired_uploads.apply().result == 1  # apply(): eager, whatever state an earlier test left

    assert sorted(path.name for path in tmp_dir.iterdir()) == sorted([fresh.name, "keep.txt"])
    assert remove_expired_uploads.apply().result == 0


def test_sweep_of_a_missing_folder_removes_nothing(settings, tmp_path):
    settings.IMPORT_TMP_DIR = tmp_path / "never-made"

    assert imports.remove_expired_uploads() == 0


def test_sweep_is_scheduled(settings):
    entries = settings.CELERY_BEAT_SCHEDULE.values()
    assert any(entry["task"] == "staff.tasks.remove_expired_uploads" for entry in entries)


# Export → import is lossless -------------------------------------------------------------------

ODD_NAMES = [
    "\tTab",
    "\rReturn",
    "Two\r\nlines",
    "_x000D_ literally",
    "'=already quoted",
    "''=twice",
    "'plain apostrophe",
    "=1+1",
    "-minus",
    "@at",
]


@pytest.fixture
def org(db):
    team = TeamFactory(code="T01")
    position = PositionFactory(code="AGENT")
    hr = make_hr_user(username="hr")
    Group.objects.get(name=HR_GROUP).permissions.set(Permission.objects.filter(content_type__app_label="staff"))
    return SimpleNamespace(team=team, position=position, hr=hr)


@pytest.mark.parametrize("cell", ODD_NAMES)
def test_escape_is_undone_exactly(cell):
    assert imports._unescape(imports._escape(cell)) == cell


@pytest.mark.parametrize("format_index, filename", [("0", "employees.csv"), ("1", "employees.xlsx")])
def test_export_imports_back_changing_nothing(client, org, format_index, filename):
    for n, name in enumerate(ODD_NAMES):
        EmployeeFactory(employee_number=f"E{n:03d}", name=name, team=org.team, position=org.position)
    client.force_login(org.hr)
    fields = {f"employeeresource_{name}": "on" for name in HEADER}
    exported = client.post(
        reverse("admin:staff_employee_export"), {"format": format_index, "resource": "0", **fields}
    ).content

    result = import_file(resource_name="employee", data=exported, filename=filename, dry_run=False, user=org.hr)

    assert result.problems == []
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(ODD_NAMES))
    assert sorted(Employee.objects.values_list("name", flat=True)) == sorted(ODD_NAMES)
