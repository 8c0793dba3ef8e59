"""Reading the platform's export files (kpis.files.read_rows): UTF-8 with or without a BOM or GBK, never a mix;
Chinese or English headers; XLSX; rows numbered as the file's lines; a bad file named in the clerk's words."""

import datetime
import io

import openpyxl
import pytest

from kpis import files
from kpis.models import Source
from kpis.rows import AGENT_COLUMNS, ALIASES, QUEUE_COLUMNS
from staff.spreadsheets import FileProblem
from tests.kpis.ingestion_world import agent_row, queue_row

ZH_HEADERS = [ALIASES[column][0] for column in AGENT_COLUMNS]


def csv_bytes(headers, rows, encoding="utf-8"):
    lines = [",".join(headers)] + [",".join(str(row.get(c, "")) for c in AGENT_COLUMNS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_utf8_csv_with_english_headers_gives_rows_numbered_by_line():
    data = csv_bytes(AGENT_COLUMNS, [agent_row(), agent_row("E10016")])
    rows = files.read_rows(data, "day.csv", Source.AGENT)
    assert [(row["row"], row["employee_number"], row["inbound_handled"]) for row in rows] == [
        (2, "E10015", "92"),
        (3, "E10016", "92"),
    ]


def test_a_utf8_csv_with_a_bom_reads_its_first_header():
    data = b"\xef\xbb\xbf" + csv_bytes(AGENT_COLUMNS, [agent_row()])
    assert files.read_rows(data, "day.csv", Source.AGENT)[0]["date"] == "2026-11-02"


def test_a_gbk_csv_with_chinese_headers_is_read():
    data = csv_bytes(ZH_HEADERS, [agent_row(line="信用卡")], encoding="gbk")
    row = files.read_rows(data, "day.csv", Source.AGENT)[0]
    assert (row["employee_number"], row["line"], row["csat_satisfied"]) == ("E10015", "信用卡", "37")


def test_a_csv_mixing_utf8_and_gbk_lines_is_refused_naming_the_odd_line():
    rows = [agent_row(f"E{n}", line="信用卡") for n in range(10)]
    data = csv_bytes(ZH_HEADERS, rows, encoding="gbk")
    lines = data.split(b"\r\n")
    lines[4] = lines[4].decode("gbk").encode("utf-8")
    with pytest.raises(FileProblem) as refused:
        files.read_rows(b"\r\n".join(lines), "day.csv", Source.AGENT)
    assert refused.value.row == 5
    assert refused.value.message.startswith("Line 5 is in another encoding")


def test_an_xlsx_with_chinese_headers_and_date_cells_is_read():
    cells = [datetime.datetime(2026, 11, 2), "E10015", "GZ-T1", "GZ", "card", 1, *[5] * 13, 20.5]
    rows = files.read_rows(xlsx_bytes(ZH_HEADERS, [cells]), "day.xlsx", Source.AGENT)
    assert (rows[0]["row"], rows[0]["date"], rows[0]["coupon_amount_cny"]) == (2, datetime.datetime(2026, 11, 2), 20.5)


def test_a_queue_file_with_english_names_as_headers_is_read():
    headers = ["Date", "Site code", "Queue code", "Calls offered", "Calls answered", "Calls abandoned"]
    row = queue_row()
    line = ",".join(row[c] for c in ("date", "site_code", "queue_code", "offered", "answered", "abandoned"))
    data = f"{','.join(headers)}\n{line}\n".encode()
    rows = files.read_rows(data, "queues.csv", Source.QUEUE)
    assert {k: v for k, v in rows[0].items() if k != "row"} == {c: row[c] for c in QUEUE_COLUMNS if c in row}


def test_blank_rows_are_left_out_and_later_rows_keep_their_line_numbers():
    header, first, second = csv_bytes(AGENT_COLUMNS, [agent_row(), agent_row("E10016")]).split(b"\r\n")[:3]
    data = b"\r\n".join([header, first, b",,,,,,,,,,,,,,,,,,,", second, b""])
    rows = files.read_rows(data, "day.csv", Source.AGENT)
    assert [row["row"] for row in rows] == [2, 4]


def test_an_unknown_column_is_refused_naming_it():
    data = csv_bytes([*AGENT_COLUMNS[:-1], "bonus"], [agent_row()])
    with pytest.raises(FileProblem) as refused:
        files.read_rows(data, "day.csv", Source.AGENT)
    assert "bonus" in refused.value.message and "coupon_amount_cny" in refused.value.message


def test_an_agent_file_uploaded_as_a_queue_file_is_refused():
    with pytest.raises(FileProblem, match="Missing columns"):
        files.read_rows(csv_bytes(AGENT_COLUMNS, [agent_row()]), "day.csv", Source.QUEUE)


def test_a_row_with_more_cells_than_headers_is_refused_naming_it():
    data = csv_bytes(AGENT_COLUMNS, [agent_row()]) + b"2026-11-02,E10016,GZ-T1,GZ,card,1" + b",1" * 16 + b"\r\n"
    with pytest.raises(FileProblem, match="Row 3 has more cells"):
        files.read_rows(data, "day.csv", Source.AGENT)


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(FileProblem, match=r"\.csv or \.xlsx"):
        files.read_rows(b"%PDF-1.7", "day.pdf", Source.AGENT)


def test_a_workbook_named_csv_is_refused_with_the_reason():
    with pytest.raises(FileProblem, match="Excel workbook"):
        files.read_rows(xlsx_bytes(ZH_HEADERS, []), "day.csv", Source.AGENT)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_FILE_BYTES": 100}
    with pytest.raises(FileProblem, match="larger than"):
        files.read_rows(csv_bytes(AGENT_COLUMNS, [agent_row()]), "day.csv", Source.AGENT)
