"""The platform's daily rows (issue 11 §1, §3): the default file columns, their Chinese and English header names,
and the checks one row must pass on its own. Pure: no database; the ingestion service adds the checks that need
one (unknown codes, hire and leaving dates, revisions already stored).

Codes are normalised like every import (``staff.cells.normalise``: NFKC, invisible characters dropped), so
"Ｅ１００１５" with a zero-width space names E10015.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kpis.models.measures import AGENT_AMOUNTS, AGENT_COUNTS, AGENT_PARTS, QUEUE_COUNTS, QUEUE_PARTS, Source
from staff.cells import DateWidget, checked, normalise

AGENT_COLUMNS = (
    "date",
    "employee_number",
    "team_code",
    "site_code",
    "line",
    "revision",
    *AGENT_COUNTS,
    *AGENT_AMOUNTS,
)
QUEUE_COLUMNS = ("date", "site_code", "queue_code", "revision", *QUEUE_COUNTS)
COLUMNS = {Source.AGENT: AGENT_COLUMNS, Source.QUEUE: QUEUE_COLUMNS}
OPTIONAL = {Source.AGENT: frozenset({"line"}), Source.QUEUE: frozenset({"revision"})}
CODES = frozenset({"employee_number", "team_code", "site_code", "queue_code"})
COUNTS = frozenset({*AGENT_COUNTS, *QUEUE_COUNTS})
AMOUNTS = frozenset(AGENT_AMOUNTS)
PARTS = {Source.AGENT: AGENT_PARTS, Source.QUEUE: QUEUE_PARTS}
LINE_MAX = 40
MAX_VALUE = 10**12  # far above any day's count; keeps "1e999999" from becoming a huge number

# Header names a file may use besides the column itself: the Chinese export's headers, and the measures'
# names as seeded (migration 0002) in both languages.
ALIASES = {
    "date": ("日期", "Date"),
    "employee_number": ("工号", "员工工号", "Employee number"),
    "team_code": ("班组代码", "班组", "Team code", "Team"),
    "site_code": ("职场代码", "职场", "Site code", "Site"),
    "queue_code": ("队列代码", "队列", "Queue code", "Queue"),
    "line": ("业务线", "Line"),
    "revision": ("版本", "修订版本", "Revision"),
    "staffed_seconds": ("在线时长（秒）", "Staffed seconds"),
    "handle_seconds": ("处理时长（秒）", "Handle seconds"),
    "inbound_handled": ("呼入接听量", "Inbound calls handled"),
    "outbound_handled": ("呼出量", "Outbound calls handled"),
    "fcr_resolved": ("首次解决量", "Resolved at first contact"),
    "transfers_l2": ("转二线量", "Transfers to second line"),
    "complaints_received": ("受理投诉量", "Complaints received"),
    "complaints_escalated": ("投诉升级量", "Complaints escalated"),
    "complaints_closed": ("投诉办结量", "Complaints closed"),
    "complaint_handle_seconds": ("投诉处理时长（秒）", "Complaint handle seconds"),
    "csat_responses": ("满意度评价数", "Satisfaction responses"),
    "csat_satisfied": ("满意评价数", "Satisfied responses"),
    "coupon_count": ("补偿券张数", "Coupons issued"),
    "coupon_amount_cny": ("补偿金额（元）", "Coupon amount (CNY)"),
    "offered": ("呼入量", "Calls offered"),
    "answered": ("接通量", "Calls answered"),
    "abandoned": ("放弃量", "Calls abandoned"),
}


@dataclass(frozen=True)
class ExtraMeasure:
    """A measure HR added: its values go to the row's ``extra`` under ``code``."""

    code: str
    is_decimal: bool = False
    names: tuple = ()


@dataclass(frozen=True)
class Problem:
    """Why one cell of one row was refused (``column`` blank: the row as a whole)."""

    row: int
    column: str
    message: str

    def as_dict(self):
        # A message may quote a cell as sent; a NUL in it could be neither stored (PostgreSQL's jsonb) nor read.
        return {"row": self.row, "column": _visible(self.column), "message": _visible(self.message)}


def _visible(text):
    return str(text).replace("\x00", "\ufffd")


def header_key(text):
    """A header as compared: normalised, case-folded, spaces and dashes as underscores."""
    return normalise(text).casefold().replace(" ", "_").replace("-", "_")


def _names(source, extra):
    names = {}
    for column in COLUMNS[source]:
        for name in (column, *ALIASES.get(column, ())):
            names[header_key(name)] = column
    for measure in extra:
        for name in (measure.code, *measure.names):
            names.setdefault(header_key(name), measure.code)
    return names


def header_map(headers, source, extra=()):
    """{column: index} of a file's header row (Chinese or English names; HR's measures by code or name).
    Raises ValidationError listing every unknown, repeated or missing column. Blank headers are ignored."""
    names = _names(source, extra)
    found, problems = {}, []
    for index, header in enumerate(headers):
        if not normalise(header):
            continue
        column = names.get(header_key(header))
        if column is None:
            problems.append(_("Unknown column “%(header)s”.") % {"header": normalise(header)})
        elif column in found:
            problems.append(_("The column “%(header)s” appears twice.") % {"header": normalise(header)})
        else:
            found[column] = index
    missing = [c for c in COLUMNS[source] if c not in found and c not in OPTIONAL[source]]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise ValidationError(problems)
    return found


# --- one cell ------------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value):
    if type(value) is str and value.isascii() and value.isprintable():
        return value.strip()  # plain ASCII: NFKC changes nothing and it holds no invisible character
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        if value is None:
            return ""
        raise CellError(_("Send text or a number here."))
    try:
        return checked(normalise(value))
    except ValueError as error:
        raise CellError(str(error)) from None


@lru_cache(maxsize=512)
def _date_from_text(text):
    return DateWidget().clean(text)


def parse_date(value, today):
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = _text(value)
        if not text:
            raise CellError(_("Missing: enter a value."))
        try:
            value = _date_from_text(text)
        except ValueError as error:
            raise CellError(str(error)) from None
    if value > today:
        raise CellError(_("%(date)s is in the future.") % {"date": value.isoformat()})
    return value


def _number(value):
    """(Decimal, the text shown in messages); CellError when blank or not a number."""
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    text = _text(value)
    if not text:
        raise CellError(_("Missing: enter a value."))
    try:
        number = Decimal(str(value) if isinstance(value, float) else text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    if abs(number) >= MAX_VALUE:
        raise CellError(_("“%(value)s” is too large.") % {"value": text})
    return number, text


def parse_count(value):
    """A whole number from 0 up. Plain digits and JSON integers take the fast path (a day has 200,000 cells)."""
    if type(value) is int and 0 <= value < MAX_VALUE:
        return value
    if type(value) is str and value.isascii() and value.isdigit() and len(value) < 13:
        return int(value)
    number, text = _number(value)
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    if number < 0:
        raise CellError(_("“%(value)s” is negative; counts start at 0.") % {"value": text})
    return int(number)


def parse_amount(value):
    """An amount of money from 0 up with at most 2 decimals, as a Decimal of 2 places."""
    if type(value) is str and value.isascii() and value.isprintable():
        return _amount_from_text(value.strip())  # a day repeats the same few amounts
    return _amount(value)


@lru_cache(maxsize=1024)
def _amount_from_text(text):
    return _amount(text)


def _amount(value):
    number, text = _number(value)
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise CellError(_("“%(value)s” has more than 2 decimals.") % {"value": text})
    if number < 0:
        raise CellError(_("“%(value)s” is negative.") % {"value": text})
    return number.quantize(Decimal("0.01"))


def parse_revision(value):
    try:
        revision = parse_count(value)
    except CellError:
        revision = 0
    if revision < 1:
        raise CellError(_("The revision must be a whole number from 1 up."))
    return revision


def _parse_code(value):
    text = _text(value)
    if not text:
        raise CellError(_("Missing: enter a value."))
    return _check_length(text)


def _check_length(text):
    if len(text) > LINE_MAX:
        raise CellError(_("Longer than %(limit)d characters.") % {"limit": LINE_MAX})
    return text


def _parse_text(value):
    return _check_length(_text(value))


def _parser(column):
    if column == "revision":
        return parse_revision
    if column in COUNTS:
        return parse_count
    if column in AMOUNTS:
        return parse_amount
    return _parse_code if column in CODES else _parse_text


# Each source's columns after the date, with their parser and their default when optional (None: required).
PLANS = {
    source: tuple(
        (column, _parser(column), (1 if column == "revision" else "") if column in OPTIONAL[source] else None)
        for column in columns
        if column != "date"
    )
    for source, columns in COLUMNS.items()
}


# --- one row -------------------------------------------------------------------------------------------


def parse_row(values, source, *, row, today, extra=()):
    """(typed values, problems) of one row given as {column: value}: strings or numbers, a file's or JSON's.
    The typed values hold every column of the source (``revision`` of a queue row defaults to 1) and
    ``extra`` ({code: value} of HR's measures present in the row); None when there is any problem."""
    extra = {measure.code: measure for measure in extra}
    columns = COLUMNS[source]
    problems, extras = [], {}
    for key in values.keys() - columns:
        if key not in extra:
            problems.append(Problem(row, str(key), _("Unknown column.")))
    typed = {}
    try:
        typed["date"] = parse_date(values.get("date"), today)
    except CellError as error:
        problems.append(Problem(row, "date", str(error)))
    for column, parse, default in PLANS[source]:
        value = values.get(column)
        if default is not None and (value is None or value == ""):
            typed[column] = default
            continue
        try:
            typed[column] = parse(value)
        except CellError as error:
            problems.append(Problem(row, column, str(error)))
    for code, measure in extra.items():
        if code in values and values[code] not in (None, ""):
            try:
                number = parse_amount(values[code]) if measure.is_decimal else parse_count(values[code])
            except CellError as error:
                problems.append(Problem(row, code, str(error)))
            else:
                extras[code] = str(number) if measure.is_decimal else number
    for part, whole in PARTS[source]:
        if part in typed and whole in typed and typed[part] > typed[whole]:
            message = _("%(part)s (%(value)s) is more than %(whole)s (%(total)s).") % {
                "part": part,
                "value": typed[part],
                "whole": whole,
                "total": typed[whole],
            }
            problems.append(Problem(row, part, message))
    if problems:
        return None, problems
    typed["extra"] = extras
    return typed, []
