"""Spreadsheet files built in memory for the import tests: CSV bytes, XLSX workbooks and surgery on their XML."""

import io
import zipfile

import openpyxl

SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def csv_bytes(rows, encoding="utf-8"):
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def with_sheet(data, transform):
    """The workbook ``data`` with its first sheet's XML passed through ``transform``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(
                info.filename, transform(content) if info.filename == "xl/worksheets/sheet1.xml" else content
            )
    return out.getvalue()


def with_shared_strings(data, count, *, text="text"):
    """The workbook ``data`` with ``count`` distinct shared strings (openpyxl itself writes inline ones)."""
    strings = "".join(f"<si><t>{text} {n}</t></si>" for n in range(count))
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{SPREADSHEET_NS}">{strings}</sst>')
    return out.getvalue()
