"""A report as PDF and XLSX (issue 16 §4): the same lines as its page (selectors.reports.sections), a bar chart
where people would rather look than read, and spreadsheet cells that cannot run: every text is stored as text,
never as a formula, whatever it begins with. Pure: no database (the caller passes the figures)."""

import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import reports as selectors

CHINESE_FONT = "STSong-Light"  # reportlab's built-in CID font for Simplified Chinese: nothing to ship


def _title(report):
    return str(report)


def _period(report):
    return f"{report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}"


def _chart_lines(lines):
    """The lines a chart can show on one scale: rates and percentage KPIs with data, in percent."""
    return [line for line in lines if selectors.percent_unit(line.unit) and line.value is not None]


# PDF ------------------------------------------------------------------------------------------------------------


def pdf(report, figures, *, compress=True):
    """The report as a printable A4 PDF, in the active language."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import KeepTogether

    chinese = (translation.get_language() or "").lower().startswith("zh")
    font = "Helvetica"
    if chinese:
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))
        font = CHINESE_FONT
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_title(report),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    story = [
        Paragraph(_escape(_title(report)), styles["Title"]),
        Paragraph(
            _escape(f"{_('Period')}: {_period(report)} · {_('Status')}: {report.get_status_display()}"),
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#adb5bd")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    for section in selectors.sections(figures):
        rows = [[_("Figure"), _("Value"), _("Numerator"), _("Denominator")]]
        rows += [
            [Paragraph(_escape(line.label), styles["BodyText"]), _escape(line.shown), line.numerator, line.denominator]
            for line in section.lines
        ]
        table = Table(rows, colWidths=[80 * mm, 30 * mm, 32 * mm, 32 * mm], repeatRows=1)
        table.setStyle(grid)
        story += [Paragraph(_escape(section.title), styles["Heading2"]), table]
        charted = _chart_lines(section.lines)
        if len(charted) >= 2:
            drawing = Drawing(170 * mm, 10 * mm + 7 * mm * len(charted))
            chart = HorizontalBarChart()
            chart.x, chart.y = 60 * mm, 5 * mm
            chart.width, chart.height = 100 * mm, 7 * mm * len(charted)
            chart.data = [[float(line.value) * 100 for line in charted]]
            chart.categoryAxis.categoryNames = [line.label[:40] for line in charted]
            chart.categoryAxis.labels.fontName = font
            chart.valueAxis.labels.fontName = font
            chart.valueAxis.valueMin = 0
            chart.valueAxis.valueMax = 100
            chart.bars[0].fillColor = colors.HexColor("#0d6efd")
            drawing.add(chart)
            story.append(KeepTogether([Spacer(1, 2 * mm), drawing]))
        story.append(Spacer(1, 4 * mm))
    effects = selectors.effect_rows(figures)
    if effects:
        rows = [[_("Initiative"), _("KPI"), *selectors.effect_columns()]]
        rows += [
            [Paragraph(_escape(row.title), styles["BodyText"]), Paragraph(_escape(row.kpi), styles["BodyText"])]
            + [_escape(text) for _value, text in row.cells]
            for row in effects
        ]
        table = Table(rows, colWidths=[52 * mm, 38 * mm, 21 * mm, 21 * mm, 21 * mm, 21 * mm], repeatRows=1)
        table.setStyle(grid)
        story += [Paragraph(_escape(_("Initiatives")), styles["Heading2"]), table, Spacer(1, 4 * mm)]
    story.append(Paragraph(_escape(_("Commentary")), styles["Heading2"]))
    for paragraph in (report.commentary or _("No commentary yet.")).split("\n"):
        story.append(Paragraph(_escape(paragraph) or "&nbsp;", styles["BodyText"]))
    if report.review_note:
        story += [
            Paragraph(_escape(_("Review note")), styles["Heading2"]),
            Paragraph(_escape(report.review_note), styles["BodyText"]),
        ]
    document.build(story)
    return buffer.getvalue()


# Characters STSong-Light lacks, and their stand-ins (a missing glyph would print as a box).
PDF_STAND_INS = str.maketrans({"·": "/", "–": "-"})


def _escape(text):
    return str(text).translate(PDF_STAND_INS).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# XLSX -----------------------------------------------------------------------------------------------------------

NUMBER_FORMATS = {"percent": "0.0%", "rate": "0.0%", "seconds": "0", "count": "0"}


def _text_cell(sheet, row, column, value):
    """A cell that holds ``value`` as text, even "=1+1" or "@SUM(…)": never a formula."""
    cell = sheet.cell(row=row, column=column, value=str(value))
    cell.data_type = "s"
    return cell


def _number_cell(sheet, row, column, value, unit):
    cell = sheet.cell(
        row=row, column=column, value=None if value is None else float(value) if isinstance(value, Decimal) else value
    )
    cell.number_format = NUMBER_FORMATS.get(unit, "0.00")
    return cell


def xlsx(report, figures):
    """The report as a workbook: one sheet of figures (label, value to 4 decimals, numerator, denominator, the
    page's text), a sheet of initiatives and a bar chart of the rates."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    bold = Font(bold=True)
    _text_cell(sheet, 1, 1, _title(report)).font = Font(bold=True, size=14)
    _text_cell(sheet, 2, 1, _("Period"))
    _text_cell(sheet, 2, 2, _period(report))
    _text_cell(sheet, 3, 1, _("Status"))
    _text_cell(sheet, 3, 2, report.get_status_display())
    row = 5
    for column, heading in enumerate([_("Figure"), _("Value"), _("Numerator"), _("Denominator"), _("As shown")], 1):
        _text_cell(sheet, row, column, heading).font = bold
    charted = []
    for section in selectors.sections(figures):
        row += 1
        _text_cell(sheet, row, 1, section.title).font = bold
        for line in section.lines:
            row += 1
            _text_cell(sheet, row, 1, line.label)
            _number_cell(sheet, row, 2, line.value, line.unit)
            if line.numerator:
                _number_cell(sheet, row, 3, Decimal(line.numerator), "number")
                _number_cell(sheet, row, 4, Decimal(line.denominator), "number")
            _text_cell(sheet, row, 5, line.shown)
            if selectors.percent_unit(line.unit) and line.value is not None:
                charted.append(row)
    row += 2
    _text_cell(sheet, row, 1, _("Commentary")).font = bold
    _text_cell(sheet, row + 1, 1, report.commentary)
    if report.review_note:
        _text_cell(sheet, row + 2, 1, _("Review note")).font = bold
        _text_cell(sheet, row + 3, 1, report.review_note)
    sheet.column_dimensions["A"].width = 48
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 16
    if len(charted) >= 2:
        data = book.create_sheet(_("Chart")[:31])
        for i, source in enumerate(charted, 1):
            _text_cell(data, i, 1, sheet.cell(row=source, column=1).value)
            _number_cell(data, i, 2, sheet.cell(row=source, column=2).value, "rate")
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Rates")
        chart.legend = None
        chart.add_data(Reference(data, min_col=2, min_row=1, max_row=len(charted)))
        chart.set_categories(Reference(data, min_col=1, min_row=1, max_row=len(charted)))
        chart.height = max(6, len(charted))
        data.add_chart(chart, "D2")
    effects = selectors.effect_rows(figures)
    if effects:
        table = book.create_sheet(_("Initiatives")[:31])
        for column, heading in enumerate([_("Initiative"), _("KPI"), *selectors.effect_columns()], 1):
            _text_cell(table, 1, column, heading).font = bold
        for i, effect in enumerate(effects, 2):
            _text_cell(table, i, 1, effect.title)
            _text_cell(table, i, 2, effect.kpi)
            for column, (value, _text) in enumerate(effect.cells, 3):
                _number_cell(table, i, column, value, effect.unit)
        table.column_dimensions["A"].width = 40
        table.column_dimensions["B"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
