"""Spreadsheet files in and out: the formats HR uploads and downloads, and ``import_file``.

The admin's import and export use the same formats and resources, so a file behaves the same
whether HR uploads it in the admin or a script calls ``import_file``.
"""

from pathlib import PurePath

from django.utils.translation import gettext as _
from import_export.formats import base_formats

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
