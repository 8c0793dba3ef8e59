"""Spreadsheet files in and out: the formats HR uploads and downloads, and ``import_file``.

The admin's import and export use the same formats and resources, so a file behaves the same
whether HR uploads it in the admin or a script calls ``import_file``. The formats read through
``staff.spreadsheets`` (one encoding per file, the limits of settings.IMPORT_LIMITS) and write cells
so that an exported file imports back unchanged. Between the admin's preview and its confirm the
upload waits in settings.IMPORT_TMP_DIR; the hourly ``staff.tasks.remove_expired_uploads`` deletes
the ones never confirmed.
"""

import os
import re
import tempfile
import time
from pathlib import Path, PurePath
from uuid import uuid4

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

from . import spreadsheets
from .import_results import Problem
from .models import Education, Stage
from .resources import DepartmentResource, EmployeeResource, PositionResource, SiteResource, TeamResource
from .spreadsheets import FileProblem

RESOURCES = {
    "site": SiteResource,
    "department": DepartmentResource,
    "team": TeamResource,
    "position": PositionResource,
    "employee": EmployeeResource,
}

# Excel runs a cell starting with one of these as a formula ("CSV injection", OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell starting with the escape itself is escaped too, so that reading back undoes exactly what export did.
ESCAPE = "'"


def _escape(cell):
    return ESCAPE + cell if isinstance(cell, str) and cell.startswith((*FORMULA_STARTS, ESCAPE)) else cell


def _unescape(cell):
    is_escaped = isinstance(cell, str) and cell.startswith(ESCAPE) and cell[1:].startswith((*FORMULA_STARTS, ESCAPE))
    return cell[1:] if is_escaped else cell


# A workbook holds a carriage return as "_x000D_" (XML would read it back as a line feed), and so a text that
# really is "_x000D_" as "_x005F_x000D_" (ECMA-376 ST_Xstring, as Excel does); openpyxl does neither.
XML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xml_escape(cell):
    return XML_ESCAPED.sub(r"_x005F_x\1_", cell).replace("\r", "_x000D_") if isinstance(cell, str) else cell


def _xml_unescape(cell):
    return XML_ESCAPED.sub(lambda match: chr(int(match[1], 16)), cell) if isinstance(cell, str) else cell


def _dataset(headers, rows, read_cell=_unescape):
    dataset = tablib.Dataset(headers=headers)
    for i, row in enumerate(rows):
        dataset.append([read_cell(cell) for cell in row])
        rows[i] = None  # hold each row once, not twice: a file at the limits must stay within memory
    return dataset


class SafeCellsMixin:
    """Cells that could run as formulas are exported behind an apostrophe and read back without it.

    import-export calls ``_escape_formulae`` when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is on; its
    own version only drops a leading "=", which loses data and leaves "+", "-" and "@" live.
    """

    def _escape_formulae(self, dataset):
        for i, row in enumerate(dataset):
            dataset[i] = [_escape(cell) for cell in row]


class CSV(SafeCellsMixin, base_formats.CSV):
    """CSV read as bytes, so that its encoding is detected rather than assumed (``spreadsheets.read_csv``)."""

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _dataset(*spreadsheets.read_csv(in_stream))


class XLSX(SafeCellsMixin, base_formats.XLSX):
    """XLSX streamed within the import limits (``spreadsheets.read_xlsx``)."""

    def create_dataset(self, in_stream):
        return _dataset(*spreadsheets.read_xlsx(in_stream), read_cell=lambda cell: _xml_unescape(_unescape(cell)))

    def export_data(self, dataset, **kwargs):
        for i, row in enumerate(dataset):
            dataset[i] = [_xml_escape(cell) for cell in row]
        return super().export_data(dataset, **kwargs)


FORMATS = [CSV, XLSX]


def read_dataset(data, filename):
    """The rows of an uploaded .csv or .xlsx file; ``FileProblem`` if it cannot be imported."""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    for file_format in FORMATS:
        if file_format().get_extension() == extension:
            return file_format().create_dataset(data)
    raise FileProblem(_("Upload a .csv or .xlsx file."))


def limits_text():
    """The import limits as HR reads them on the import page."""
    limits = settings.IMPORT_LIMITS
    message = _(
        "Limits of one file: %(size)s, %(rows)s rows, %(columns)s columns, %(cell)s characters in a cell; "
        "an XLSX workbook may unpack to at most %(unpacked)s. Split a bigger file into several."
    )
    return message % {
        "size": filesizeformat(limits["MAX_FILE_BYTES"]),
        "rows": number_format(limits["MAX_ROWS"], force_grouping=True),
        "columns": limits["MAX_COLUMNS"],
        "cell": number_format(limits["MAX_CELL_CHARS"], force_grouping=True),
        "unpacked": filesizeformat(limits["MAX_UNCOMPRESSED_BYTES"]),
    }


def describe(problem):
    """A ``FileProblem`` as one sentence; where the cell is known, it comes first."""
    if problem.row and problem.column:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": problem.row,
            "column": problem.column,
            "message": problem.message,
        }
    return problem.message


# Uploads between preview and confirm ------------------------------------------------------------


class ImportTempStorage(TempFolderStorage):
    """An upload kept between its preview and its confirm, in ``settings.IMPORT_TMP_DIR``.

    Only the confirm removes it, so a preview never confirmed stays until ``remove_expired_uploads``.
    """

    PREFIX = "import-"
    NAME = re.compile(r"import-\w+")

    def save(self, data):
        self.save_chunks([data])

    def save_chunks(self, chunks):
        """Write the upload, but no more than one byte past the size limit: such a file is refused anyway."""
        folder = Path(settings.IMPORT_TMP_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        room = settings.IMPORT_LIMITS["MAX_FILE_BYTES"] + 1
        with tempfile.NamedTemporaryFile(dir=folder, prefix=self.PREFIX, delete=False) as file:
            self.name = os.path.basename(file.name)
            for chunk in chunks:
                file.write(chunk[:room])
                room -= len(chunk)
                if room <= 0:
                    break

    def read(self):
        try:
            spreadsheets.check_size(os.path.getsize(self.get_full_path()))
            return super().read()
        except FileNotFoundError:
            raise FileProblem(_("This preview has expired; upload the file again.")) from None

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)

    def claim(self):
        """Move the upload to a name only this request knows. False if it is gone: another post of the same
        confirm (a double click) took it first, or imported it already."""
        try:
            source = self.get_full_path()
            self.name = f"{self.name}_confirming_{uuid4().hex}"
            os.rename(source, self.get_full_path())
        except FileNotFoundError:
            return False
        return True

    def get_full_path(self):
        # The name comes back from the confirm form: never let it point outside the folder.
        if not self.NAME.fullmatch(self.name or ""):
            raise FileNotFoundError(self.name)
        return os.path.join(settings.IMPORT_TMP_DIR, self.name)


def remove_expired_uploads():
    """Delete the uploads of previews older than IMPORT_TMP_MAX_AGE_HOURS (never confirmed); return how many."""
    cutoff = time.time() - settings.IMPORT_TMP_MAX_AGE_HOURS * 3600
    removed = 0
    for path in Path(settings.IMPORT_TMP_DIR).glob(ImportTempStorage.PREFIX + "*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # confirmed, or removed by another sweep, meanwhile
            continue
    return removed


class ImportFilesAdminMixin:
    """For an import-export admin: uploads streamed to ``ImportTempStorage`` within the size limit and kept
    only for a confirm, a file that cannot be imported explained in the clerk's words, and the limits shown
    on the import page."""

    def write_to_tmp_storage(self, import_file, input_format):
        storage = self.get_tmp_storage_class()(
            read_mode=input_format.get_read_mode(), **self.get_tmp_storage_class_kwargs()
        )
        storage.save_chunks(import_file.chunks())
        return storage

    def import_action(self, request, **kwargs):
        """A preview that offers no confirm removes its upload at once: only a confirm would read it."""
        response = super().import_action(request, **kwargs)
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name and "confirm_form" not in (getattr(response, "context_data", None) or {}):
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileProblem):
            form.add_error("import_file", describe(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "import_limits": limits_text()}


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
    except FileProblem as problem:
        return resource.rejected_result([Problem(problem.row, problem.column, problem.message)])
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, user=user, file_name=filename)
