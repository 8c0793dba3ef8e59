"""An uploaded .csv or .xlsx file as rows of cells, or one ``FileProblem`` a clerk can act on.

Every file is read within ``settings.IMPORT_LIMITS`` (size, rows, columns, cell length, an XLSX's
unpacked size) so that no upload can hold a worker's memory: an XLSX is checked from its zip
directory before it is parsed, then streamed in openpyxl's read-only mode without trusting the
sheet's declared dimension. No database access here.
"""

import codecs
import csv
import io
import zipfile

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
# A GBK file whose lines are valid UTF-8 by chance is rare; this share of them is not chance.
MIXED_UTF8_SHARE = 0.05
# How many rows a message names before "…".
ROWS_NAMED = 10


class FileProblem(ValueError):
    """The whole file cannot be imported; ``row`` (header = 1) and ``column`` say where, when known."""

    def __init__(self, message, row=None, column=None):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


def limits():
    return settings.IMPORT_LIMITS


def save_as_hint():
    return _("In Excel choose File › Save As › “CSV UTF-8 (comma delimited)” or “Excel Workbook (.xlsx)”.")


def _xls_problem():
    message = _("This file is an old Excel 97–2003 workbook (.xls), which the import does not read.")
    return FileProblem(f"{message} {save_as_hint()}")


def _empty_problem():
    return FileProblem(_("The file is empty: it has no header row and no rows."))


def check_size(size):
    if size > limits()["MAX_FILE_BYTES"]:
        message = _("The file is larger than %(limit)s, the most an import reads. Split it into smaller files.")
        raise FileProblem(message % {"limit": filesizeformat(limits()["MAX_FILE_BYTES"])})


def _rows_named(rows):
    shown = ", ".join(str(row) for row in rows[:ROWS_NAMED])
    return shown + (", …" if len(rows) > ROWS_NAMED else "")


# Text --------------------------------------------------------------------------------------------


def _line_of(data, offset):
    return data.count(b"\n", 0, offset) + 1


def _is_utf8_text(line):
    """A line that is UTF-8 and holds a character of three bytes or more (Chinese); GBK text rarely does."""
    try:
        return max(line.decode("utf-8")) >= "\u0800"
    except UnicodeDecodeError:
        return False


def _mixed_encoding_line(data):
    """When UTF-8 and GBK lines are mixed, the first line in the encoding of fewer lines (the ones to fix)."""
    kinds = [(number, _is_utf8_text(line)) for number, line in enumerate(data.split(b"\n"), 1) if not line.isascii()]
    utf8_lines = sum(is_utf8 for _number, is_utf8 in kinds)
    if not utf8_lines or utf8_lines == len(kinds):
        return None
    # A few UTF-8 lines after GBK ones can be GBK bytes that happen to be UTF-8; many cannot.
    if not kinds[0][1] and utf8_lines < MIXED_UTF8_SHARE * len(kinds):
        return None
    odd_is_utf8 = utf8_lines < len(kinds) - utf8_lines
    return next(number for number, is_utf8 in kinds if is_utf8 == odd_is_utf8)


def decode_text(data):
    """The whole file decoded in one encoding: UTF-8 (with or without a BOM), else GBK/GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(
            _("The file is saved as UTF-16 (“Unicode text”), which the import does not read.") + " " + save_as_hint()
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    mixed = _mixed_encoding_line(data)
    if mixed:
        message = _("Line %(line)s is in another encoding than most lines: the file mixes UTF-8 and GBK text.")
        raise FileProblem(f"{message % {'line': mixed}} {save_as_hint()}", row=mixed)
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        line = max(_line_of(data, utf8_error.start), _line_of(data, error.start))
    message = _("Line %(line)s is neither UTF-8 nor GBK text: the file is not a CSV text file, or it is damaged.")
    raise FileProblem(f"{message % {'line': line}} {save_as_hint()}", row=line)


# Cells and rows, whatever the format ------------------------------------------------------------


class Formula(str):
    """A sheet cell's formula, which an import refuses: its value is whatever Excel last computed, if anything."""


def _check_cell(value, row, column):
    if isinstance(value, Formula):
        message = _(
            "The cell holds a formula (%(formula)s); an import reads values only. "
            "Copy the cells and paste them as values."
        )
        raise FileProblem(message % {"formula": value[:50]}, row, column)
    if isinstance(value, str) and len(value) > limits()["MAX_CELL_CHARS"]:
        message = _("The cell has %(length)s characters; a cell may have at most %(limit)s.")
        limit = number_format(limits()["MAX_CELL_CHARS"], force_grouping=True)
        raise FileProblem(
            message % {"length": number_format(len(value), force_grouping=True), "limit": limit}, row, column
        )


def _table(rows, *, is_csv):
    """``(headers, rows)`` from an iterator of cell lists, within the limits; ragged rows are named."""
    header = _trim(next(rows, None) or [])
    if not any(_has_value(cell) for cell in header):
        raise _empty_problem()
    _check_width(header, 1)
    for index, cell in enumerate(header):
        _check_cell(cell, 1, get_column_letter(index + 1))
        if isinstance(cell, str) and "\x00" in cell:  # a NUL in a data cell is the cell's problem (staff.cells)
            message = _("The header row contains NUL characters: the file is not CSV text (UTF-16, or binary).")
            raise FileProblem(f"{message} {save_as_hint()}")
    headers = [cell if cell is not None else "" for cell in header]
    width, table, blank_run, too_long, too_short = len(headers), [], 0, [], []
    for number, cells in enumerate(rows, 2):
        written = len(cells)
        cells = _trim(cells)
        if not cells:
            blank_run += 1  # kept only if a row follows, so that row numbers stay those of the file
            continue
        if number > limits()["MAX_ROWS"] + 1:
            message = _("The file has more than %(limit)s rows; split it into smaller files.")
            raise FileProblem(message % {"limit": number_format(limits()["MAX_ROWS"], force_grouping=True)}, row=number)
        _check_width(cells, number)
        for index, cell in enumerate(cells):
            _check_cell(cell, number, (headers[index] if index < width else "") or get_column_letter(index + 1))
        if len(cells) > width:
            too_long.append(number)
        elif written < width and is_csv:
            too_short.append(number)  # a CSV line that lost cells; a sheet simply leaves empty cells out
        table += [[None] * width for _blank in range(blank_run)]
        table.append(list(cells) + [None] * (width - len(cells)))
        blank_run = 0
    if not table:
        raise FileProblem(_("The file has a header row but no rows to import."))
    _check_ragged(too_long, too_short, width, is_csv)
    return headers, table


def _has_value(cell):
    return cell is not None and cell != ""


def _trim(cells):
    """The row without its trailing empty cells (spreadsheets add and drop them at random)."""
    end = len(cells)
    while end and not _has_value(cells[end - 1]):
        end -= 1
    return cells[:end]


def _check_width(cells, number):
    if len(cells) > limits()["MAX_COLUMNS"]:
        message = _("The row has %(count)s columns; an import reads at most %(limit)s.")
        column = get_column_letter(len(cells))
        raise FileProblem(message % {"count": len(cells), "limit": limits()["MAX_COLUMNS"]}, number, column)


def _check_ragged(too_long, too_short, width, is_csv):
    if not too_long and not too_short:
        return
    messages = []
    if too_long:
        messages.append(
            ngettext(
                "Row %(rows)s has more cells than the header row (%(width)s columns).",
                "Rows %(rows)s have more cells than the header row (%(width)s columns).",
                len(too_long),
            )
            % {"rows": _rows_named(too_long), "width": width}
        )
    if too_short:
        messages.append(
            ngettext(
                "Row %(rows)s has fewer cells than the header row (%(width)s columns).",
                "Rows %(rows)s have fewer cells than the header row (%(width)s columns).",
                len(too_short),
            )
            % {"rows": _rows_named(too_short), "width": width}
        )
    if is_csv:  # a comma or a line break outside quotes splits a cell or a row
        messages.append(_("A cell with a line break or a comma must be in double quotes; check those rows in Excel."))
    else:
        messages.append(_("Give those cells a header, or delete them."))
    raise FileProblem(" ".join(messages), row=min(too_long + too_short))


# CSV ---------------------------------------------------------------------------------------------


def read_csv(data):
    """``(headers, rows)`` of a CSV file given as bytes."""
    check_size(len(data))
    if data.startswith(ZIP_MAGIC):
        raise FileProblem(
            _("This file is an Excel workbook (XLSX), not a CSV file: choose the XLSX format, or name the file .xlsx.")
        )
    if data.startswith(OLE_MAGIC):
        raise _xls_problem()
    if not data.strip():
        raise _empty_problem()
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    try:
        return _table(reader, is_csv=True)
    except csv.Error as error:
        if "field limit" in str(error):
            message = _("Row %(row)s has a cell of more than %(limit)s characters.")
        else:
            message = _("Row %(row)s is not valid CSV.")
        raise FileProblem(message % {"row": reader.line_num, "limit": limits()["MAX_CELL_CHARS"]}) from None


# XLSX --------------------------------------------------------------------------------------------


def _check_unpacked(archive):
    """Refuse a workbook that would unpack past the limits, from its zip directory alone (a zip bomb)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    # zipfile never inflates an entry past its declared size, so this bounds what parsing can unpack.
    if unpacked > limits()["MAX_UNCOMPRESSED_BYTES"]:
        message = _("The workbook unpacks to %(size)s; an import reads at most %(limit)s. Split it into smaller files.")
        size, limit = filesizeformat(unpacked), filesizeformat(limits()["MAX_UNCOMPRESSED_BYTES"])
        raise FileProblem(message % {"size": size, "limit": limit})
    # openpyxl keeps every shared string in memory, at about six times its size in the XML.
    shared = sum(info.file_size for info in archive.infolist() if info.filename.lower().endswith("sharedstrings.xml"))
    if shared > limits()["MAX_SHARED_STRINGS_BYTES"]:
        message = _(
            "The workbook's text unpacks to %(size)s; an import reads at most %(limit)s. Split it into smaller files."
        )
        size, limit = filesizeformat(shared), filesizeformat(limits()["MAX_SHARED_STRINGS_BYTES"])
        raise FileProblem(message % {"size": size, "limit": limit})


def _open_workbook(data):
    if not data.startswith(ZIP_MAGIC):
        if data.startswith(OLE_MAGIC):
            raise _xls_problem()
        if not data.strip():
            raise _empty_problem()
        try:
            decode_text(data)
        except FileProblem:
            raise FileProblem(_("This file is not an Excel workbook (XLSX).") + " " + save_as_hint()) from None
        raise FileProblem(
            _("This file is CSV text, not an Excel workbook: choose the CSV format, or name the file .csv.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem(_("The workbook is damaged and cannot be opened.") + " " + save_as_hint()) from None
    _check_unpacked(archive)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors) for a damaged package
        raise FileProblem(_("The workbook is damaged and cannot be opened.") + " " + save_as_hint()) from None


def _sheet_rows(sheet):
    for cells in sheet.iter_rows():
        yield tuple(Formula(cell.value) if cell.data_type == "f" else cell.value for cell in cells)


def read_xlsx(data):
    """``(headers, rows)`` of the first sheet of an XLSX workbook given as bytes."""
    check_size(len(data))
    book = _open_workbook(data)
    try:
        sheet = book.active
        sheet.reset_dimensions()  # a hostile <dimension> would pad every row and add empty ones
        return _table(_sheet_rows(sheet), is_csv=False)
    except FileProblem:
        raise
    except Exception:  # a damaged sheet (bad XML, CRC error) is found only while it streams
        raise FileProblem(_("The workbook is damaged and cannot be read.") + " " + save_as_hint()) from None
    finally:
        book.close()
