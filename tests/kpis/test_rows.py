"""The platform's row format (kpis.rows): header names in Chinese and English, and the checks one row passes on
its own. Pure: no database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.models import Source
from kpis.rows import AGENT_COLUMNS, QUEUE_COLUMNS, ExtraMeasure, header_map, parse_row

TODAY = datetime.date(2026, 12, 4)
CHINESE_AGENT_HEADERS = [
    "日期",
    "工号",
    "班组代码",
    "职场代码",
    "业务线",
    "版本",
    "在线时长（秒）",
    "处理时长（秒）",
    "呼入接听量",
    "呼出量",
    "首次解决量",
    "转二线量",
    "受理投诉量",
    "投诉升级量",
    "投诉办结量",
    "投诉处理时长（秒）",
    "满意度评价数",
    "满意评价数",
    "补偿券张数",
    "补偿金额（元）",
]


def messages(error):
    return " ".join(error.value.messages)


def test_the_default_agent_file_maps_each_column_to_its_place():
    assert header_map(AGENT_COLUMNS, Source.AGENT) == {column: i for i, column in enumerate(AGENT_COLUMNS)}


def test_chinese_headers_name_the_same_columns():
    assert header_map(CHINESE_AGENT_HEADERS, Source.AGENT) == {column: i for i, column in enumerate(AGENT_COLUMNS)}


def test_headers_are_matched_whatever_their_case_width_and_spaces():
    headers = ["ＤＡＴＥ", "Employee number", "team-code", "Site code", *AGENT_COLUMNS[5:]]
    assert header_map(headers, Source.AGENT)["employee_number"] == 1


def test_the_queue_file_may_leave_out_the_revision():
    headers = [c for c in QUEUE_COLUMNS if c != "revision"]
    assert set(header_map(headers, Source.QUEUE)) == set(headers)


def test_an_unknown_header_is_refused_by_name():
    with pytest.raises(ValidationError) as error:
        header_map([*AGENT_COLUMNS, "nps"], Source.AGENT)
    assert messages(error) == "Unknown column “nps”."


def test_a_measure_hr_added_is_a_known_header_by_code_or_name():
    extra = [ExtraMeasure("qa_points", names=("QA points", "质检分"))]
    assert header_map([*AGENT_COLUMNS, "质检分"], Source.AGENT, extra)["qa_points"] == len(AGENT_COLUMNS)


def test_a_column_named_twice_is_refused():
    with pytest.raises(ValidationError) as error:
        header_map([*AGENT_COLUMNS, "工号"], Source.AGENT)
    assert messages(error) == "The column “工号” appears twice."


def test_missing_columns_are_listed():
    with pytest.raises(ValidationError) as error:
        header_map([c for c in AGENT_COLUMNS if c not in ("revision", "csat_responses")], Source.AGENT)
    assert messages(error) == "Missing columns: revision, csat_responses."


def test_blank_headers_are_ignored():
    assert header_map([*AGENT_COLUMNS, "", None], Source.AGENT)["coupon_amount_cny"] == len(AGENT_COLUMNS) - 1


def queue_values(**changes):
    values = {"date": "2026-11-02", "site_code": "GZ", "queue_code": "Q1", "offered": "10", "answered": "9"}
    return {**values, "abandoned": "1", **changes}


def test_a_valid_row_gives_typed_values():
    typed, problems = parse_row(queue_values(), Source.QUEUE, row=1, today=TODAY)
    assert problems == []
    assert typed == {
        "date": datetime.date(2026, 11, 2),
        "site_code": "GZ",
        "queue_code": "Q1",
        "revision": 1,
        "offered": 10,
        "answered": 9,
        "abandoned": 1,
        "extra": {},
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026/11/02", datetime.date(2026, 11, 2)), ("2026年11月2日", datetime.date(2026, 11, 2))],
)
def test_dates_may_be_written_as_excel_users_type_them(value, expected):
    typed, _problems = parse_row(queue_values(date=value), Source.QUEUE, row=1, today=TODAY)
    assert typed["date"] == expected


def test_today_is_not_in_the_future():
    typed, problems = parse_row(queue_values(date=TODAY.isoformat()), Source.QUEUE, row=1, today=TODAY)
    assert (typed["date"], problems) == (TODAY, [])


@pytest.mark.parametrize("value", ["１０", "10\u200b", " 10 ", 10, 10.0, Decimal("10")])
def test_counts_are_normalised_like_codes(value):
    typed, _problems = parse_row(queue_values(offered=value), Source.QUEUE, row=1, today=TODAY)
    assert typed["offered"] == 10


@pytest.mark.parametrize("value", ["10**2", "NaN", "Infinity", "1e999999", [1], {"a": 1}])
def test_hostile_counts_are_refused(value):
    typed, problems = parse_row(queue_values(offered=value), Source.QUEUE, row=4, today=TODAY)
    assert typed is None
    assert [(p.row, p.column) for p in problems] == [(4, "offered")]


def test_a_count_in_scientific_notation_is_read_as_its_number():
    typed, _problems = parse_row(queue_values(offered="1e3"), Source.QUEUE, row=1, today=TODAY)
    assert typed["offered"] == 1000


def test_a_part_above_its_whole_names_both():
    _typed, [problem] = parse_row(queue_values(answered="11"), Source.QUEUE, row=3, today=TODAY)
    assert (problem.row, problem.column, problem.message) == (3, "answered", "answered (11) is more than offered (10).")


def test_a_decimal_measure_hr_added_keeps_two_places():
    extra = [ExtraMeasure("refund_cny", is_decimal=True)]
    typed, _problems = parse_row(queue_values(refund_cny="3.5"), Source.QUEUE, row=1, today=TODAY, extra=extra)
    assert typed["extra"] == {"refund_cny": "3.50"}
