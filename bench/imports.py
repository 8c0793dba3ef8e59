"""`python -m bench import`: the peak memory of reading hostile and big import files (issue 10: ≤ 300 MB).

Each file is made in a temporary folder, then read in a fresh process of its own, as a worker would:
hostile files through ``staff.imports.import_file`` (a dry run, which refuses them before any row reaches
the database), big valid files through ``staff.imports.read_dataset`` (the whole parse, every row kept).
The process reports its peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the Django
start-up included) and what the import answered; a file over TARGET_MB, or one read without an answer,
misses the target. The report is printed and written to var/bench-import.md.
"""

import argparse
import dataclasses
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl.utils import get_column_letter

TARGET_MB = 300
MEASURE = "--measure"  # the hidden option of the process that reads one file
HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor", "email"]


@dataclasses.dataclass
class Case:
    name: str
    filename: str
    through: str  # "import_file" (dry run) or "read_dataset"
    make: object  # path -> None, writes the file


def _row(n):
    return [f"E{n:06d}", f"张伟{n}", "2026-03-01", "SZ-RET-1", "CS-AGENT", "岗前培训", "", f"e{n}@bank.example"]


def _write_csv(path, rows, target_bytes=None):
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(",".join(HEADER) + "\r\n")
        n = 0
        while (target_bytes and file.tell() < target_bytes) or (not target_bytes and n < rows):
            file.write(",".join(_row(n)) + "\r\n")
            n += 1


def _cell(column, row, text):
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet_rows(count, start=2):
    letters = "ABCDEFGH"
    for n in range(start, start + count):
        yield f'<row r="{n}">' + "".join(_cell(letters[i], n, v) for i, v in enumerate(_row(n))) + "</row>"


def _stream(archive, name, head, parts, tail):
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(head.encode())
        buffer = io.StringIO()
        for piece in parts:
            buffer.write(piece)
            if buffer.tell() > 1 << 20:
                part.write(buffer.getvalue().encode())
                buffer = io.StringIO()
        part.write((buffer.getvalue() + tail).encode())


def _write_xlsx(path, sheet_parts, dimension="A1:H2", shared_strings=(), headers=HEADER):
    """A minimal workbook whose one sheet is the XML strings of ``sheet_parts``, streamed into the zip."""
    cells = "".join(_cell(get_column_letter(i + 1), 1, h) for i, h in enumerate(headers))
    header = f'<row r="1">{cells}</row>'
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{rel}/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            f'Type="{rel}/worksheet"/><Relationship Id="rId2" Target="sharedStrings.xml" '
            f'Type="{rel}/sharedStrings"/></Relationships>',
        )
        _stream(archive, "xl/sharedStrings.xml", f'<sst xmlns="{ns}">', shared_strings, "</sst>")
        head = f'<worksheet xmlns="{ns}"><dimension ref="{dimension}"/><sheetData>{header}'
        _stream(archive, "xl/worksheets/sheet1.xml", head, sheet_parts, "</sheetData></worksheet>")


def _zip_bomb(path):
    """1 GB of sheet XML (the same row, numbered implicitly) in about 1 MB: the zip's directory says so."""
    row = "<row>" + "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in _row(1)) + "</row>"
    chunk = row * ((1 << 20) // len(row))
    _write_xlsx(path, (chunk for _ in range(1024)))


def _shared_strings_near_the_limit(path):
    """Just under the limit of distinct short shared strings (20 MB), which openpyxl keeps in memory."""
    count = 19_500_000 // 28
    strings = (f"<si><t>{n:012d}</t></si>" for n in range(count))
    _write_xlsx(path, _sheet_rows(10), shared_strings=strings)


def _near_the_unpacked_limit(path):
    """A valid sheet just under 100 MB of XML (inline strings): parsed to the end, every row kept."""
    _write_xlsx(path, _sheet_rows(99_000))


def _wide_numbers(path):
    """50 columns of distinct numbers in rows up to the unpacked limit: the most cells a workbook can bring."""
    letters = [get_column_letter(n) for n in range(1, 51)]

    def rows():
        for n in range(2, 60_000):
            cells = "".join(f'<c r="{letter}{n}"><v>{n * 50 + i}.5</v></c>' for i, letter in enumerate(letters))
            yield f'<row r="{n}">{cells}</row>'

    _write_xlsx(path, rows(), headers=[f"column {n}" for n in range(1, 51)])


def _lying_dimension(path):
    """4 KB that claims A1:XFD1048576 and puts its last row at 1,048,576."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    _write_xlsx(path, [*_sheet_rows(3), far], dimension="A1:XFD1048576")


CASES = [
    Case("zip bomb (~1 GB of XML)", "bomb.xlsx", "import_file", _zip_bomb),
    Case("XLSX with a lying dimension", "lying.xlsx", "import_file", _lying_dimension),
    Case("XLSX of 99,000 rows near the unpacked limit", "big.xlsx", "read_dataset", _near_the_unpacked_limit),
    Case("XLSX of 60,000 rows × 50 numbers", "wide.xlsx", "read_dataset", _wide_numbers),
    Case("XLSX of shared strings near their limit", "strings.xlsx", "read_dataset", _shared_strings_near_the_limit),
    Case("50 MB CSV", "huge.csv", "import_file", lambda path: _write_csv(path, 0, target_bytes=50 << 20)),
    Case("CSV of 100,000 rows", "rows.csv", "read_dataset", lambda path: _write_csv(path, 100_000)),
]


def measure(path, filename, through):
    """Read one file as the import would; return (answer, peak RSS in MB). Runs in a fresh process."""
    import resource

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from staff.imports import import_file, read_dataset
    from staff.spreadsheets import FileProblem

    data = Path(path).read_bytes()
    started = time.monotonic()
    if through == "import_file":
        result = import_file(resource_name="employee", data=data, filename=filename, dry_run=True, user=None)
        answer = "; ".join(problem.message for problem in result.problems)[:160] or f"{result.totals}"
    else:
        try:
            answer = f"{read_dataset(data, filename).height:,} rows read"
        except FileProblem as problem:
            answer = problem.message[:160]
    seconds = time.monotonic() - started
    return answer, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == MEASURE:
        answer, peak_mb, seconds = measure(*argv[1:4])
        print(json.dumps({"answer": answer, "peak_mb": peak_mb, "seconds": seconds}))
        return 0
    argparse.ArgumentParser(prog="python -m bench import", description=__doc__.split("\n\n")[0]).parse_args(argv)
    lines = [f"# bench import — peak memory of reading one file (target ≤ {TARGET_MB} MB)", ""]
    lines += ["| file | size | read through | peak RSS | time | answer |", "| --- | --- | --- | --- | --- | --- |"]
    failed = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        for case in CASES:
            path = Path(folder) / case.filename
            case.make(path)
            command = [sys.executable, "-m", "bench.imports", MEASURE, str(path), case.filename, case.through]
            run = subprocess.run(command, capture_output=True, text=True)
            if run.returncode:
                failed.append(case.name)
                lines.append(f"| {case.name} | | {case.through} | crashed | | {run.stderr.strip()[-160:]} |")
                continue
            report = json.loads(run.stdout.strip().splitlines()[-1])
            if report["peak_mb"] > TARGET_MB:
                failed.append(case.name)
            size = f"{path.stat().st_size / (1 << 20):.1f} MB"
            lines.append(
                f"| {case.name} | {size} | {case.through} | {report['peak_mb']:.0f} MB | "
                f"{report['seconds']:.1f} s | {report['answer']} |"
            )
            path.unlink()
    lines += ["", f"Over {TARGET_MB} MB or crashed: {', '.join(failed)}" if failed else "Every file within the target."]
    report = "\n".join(lines)
    print(report)
    out = Path(__file__).resolve().parents[1] / "var" / "bench-import.md"
    out.write_text(report + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
