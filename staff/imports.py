"""Spreadsheet files in and out: the formats HR uploads and downloads, and ``import_file``.

The admin's import and export use the same formats and resources, so a file behaves the same
whether HR uploads it in the admin or a script calls ``import_file``.
"""

from pathlib import PurePath

import tablib
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .models import Education, Stage
from .resources import DepartmentResource, EmployeeResource, PositionResource, Problem, SiteResource, TeamResource

RESOURCES = {
    "site": SiteResource,
    "department": DepartmentResource,
    "team": TeamResource,
    "position": PositionResource,
    "employee": EmployeeResource,
}

# Excel runs a cell starting with one of these as a formula ("CSV injection", OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel on Chinese Windows saves CSV in GBK, which GB18030 extends; everything else is UTF-8.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data):
    """Decode an uploaded text file, with or without a UTF-8 BOM, or GBK/GB18030."""
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor GBK text."))


def _map_cells(dataset, function):
    for i, row in enumerate(dataset):
        dataset[i] = [function(cell) for cell in row]
    return dataset


def _escape(cell):
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def _unescape(cell):
    is_escaped = isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS)
    return cell[1:] if is_escaped else cell


class SafeCellsMixin:
    """Cells that could run as formulas are exported behind an apostrophe and read back without it.

    import-export calls ``_escape_formulae`` when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is on; its
    own version only drops a leading "=", which loses data and leaves "+", "-" and "@" live.
    """

    def _escape_formulae(self, dataset):
        _map_cells(dataset, _escape)


class CSV(SafeCellsMixin, base_formats.CSV):
    """CSV read as bytes, so that its encoding is detected rather than assumed."""

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_text(in_stream)
        return _map_cells(super().create_dataset(in_stream, **kwargs), _unescape)


class XLSX(SafeCellsMixin, base_formats.XLSX):
    def create_dataset(self, in_stream):
        return _map_cells(super().create_dataset(in_stream), _unescape)


FORMATS = [CSV, XLSX]


def read_dataset(data, filename):
    """The rows of an uploaded .csv or .xlsx file."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    for file_format in FORMATS:
        if file_format().get_extension() == extension:
            return file_format().create_dataset(data)
    raise ValueError(_("Upload a .csv or .xlsx file."))


# The example row of each import template: column -> cell; a callable gives a choice's label in the reader's
# language. Codes and employee numbers name rows of the demo, so the template imports as it is there.
EXAMPLES = {
    SiteResource: {"code": "NJ", "name": "南京分中心", "region": "南京", "address": "南京市建邺区江东中路 100 号 5 楼"},
    DepartmentResource: {"code": "WX-CARD", "name": "无锡信用卡客服部", "site": "WX"},
    # The supervisor (an employee number) is usually filled in once the team's people are imported.
    TeamResource: {"code": "SZ-RET-4", "name": "零售客服四组", "department": "SZ-RET", "supervisor": ""},
    PositionResource: {
        "code": "CS-AGENT-SR",
        "title": "高级客服代表",
        "job_family": "客户服务",
        "job_group": "坐席",
        "grade": 4,
        "superior": "CS-SUP",
        "department": "SZ-RET",
        "pay_grade": "P4",
        "pay_level": "1–3 档",
        "headcount": 10,
        "nature_of_work": "全职，一线，轮班",
        "summary": "接听零售客户来电，办理业务咨询与投诉，带教新员工。",
        "min_education": lambda: Education.JUNIOR_COLLEGE.label,
        "years_experience": 2,
        "training_hours": 80,
    },
    EmployeeResource: {
        "employee_number": "E20001",
        "name": "林晓雨",
        "email": "lin.xiaoyu@bank.example",
        "hire_date": "2026-03-02",
        "team": "SZ-RET-1",
        "position": "CS-AGENT",
        "stage": lambda: Stage.PRE_JOB.label,
        "mentor": "",
    },
}


def template_dataset(resource_class):
    """An import file to fill in: every column the import reads, and one example row.

    The headers are the ones HR's spreadsheets use in the reader's language (the first Chinese alias in
    Chinese, the column name otherwise); the import accepts either."""
    resource = resource_class()
    chinese = (translation.get_language() or "").startswith("zh")
    example = EXAMPLES.get(resource_class, {})
    headers, row = [], []
    for column in (field.column_name for field in resource.get_import_fields()):
        aliases = [alias for alias, name in resource.header_aliases.items() if name == column]
        headers.append(aliases[0] if chinese and aliases else column)
        cell = example.get(column, "")
        row.append(str(cell()) if callable(cell) else cell)
    return tablib.Dataset(row, headers=headers)


def template_file(resource_class, extension):
    """``(content, content type)`` of the import template as a .csv (UTF-8 with a BOM, for Excel) or .xlsx."""
    for file_format in FORMATS:
        if file_format().get_extension() == extension:
            content = file_format().export_data(template_dataset(resource_class))
            if isinstance(content, str):
                content = content.encode("utf-8-sig")
            return content, file_format().get_content_type()
    raise ValueError(extension)


def import_file(*, resource_name, data, filename, dry_run, user):
    """Import an uploaded file of sites, departments, teams, positions or employees.

    All or nothing: the returned result's ``problems`` lists (row, column, message) for every bad
    row; if there is any, nothing was written. ``dry_run`` previews without writing.
    """
    resource = RESOURCES[resource_name]()
    try:
        dataset = read_dataset(data, filename)
    except Exception as e:  # whatever the parser chokes on, the user needs one clear message
        return resource.rejected_result([Problem(None, None, _("The file cannot be read: %(error)s") % {"error": e})])
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, user=user, file_name=filename)
