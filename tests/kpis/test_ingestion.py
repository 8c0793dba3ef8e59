"""Ingestion service (issue 11 §3): the highest revision wins, replays change nothing, a row keeps the team it
names, any bad row refuses the whole request (every problem reported, nothing written), late revisions in a closed
month are stored and flagged."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import AgentDay, Channel, Ingest, LateRevision, Measure, Month, QueueDay, Source
from kpis.services.ingestion import RowsRefused, ingest_agent_rows, ingest_queue_rows
from staff.models import Stage
from staff.services import move_employee
from tests.kpis.ingestion_world import DAY, World, agent_row, queue_row
from tests.staff.factories import EmployeeFactory


@pytest.fixture
def world(db):
    return World()


def ingest(world, rows, **kwargs):
    return ingest_agent_rows(actor=world.hr, channel=Channel.API, rows=rows, **kwargs)


def test_first_ingest_stores_every_row_with_its_measures(world):
    result = ingest(world, [agent_row(), agent_row("E10016")])
    day = AgentDay.objects.get(employee=world.agent, on=DAY)
    assert (day.inbound_handled, day.fcr_resolved, day.coupon_amount_cny) == (92, 81, Decimal("20.50"))
    assert (day.team, day.site, day.line, day.revision, day.ingest) == (world.team, world.site, "card", 1, result)
    assert AgentDay.objects.count() == 2


def test_an_ingest_is_recorded_with_who_sent_it_and_what_it_changed(world):
    result = ingest(world, [agent_row(), agent_row("E10016", date="2026-11-03")])
    result.refresh_from_db()
    assert (result.source, result.channel, result.actor, result.status) == ("agent", "api", world.hr, "done")
    assert (result.rows_total, result.rows_done, result.rows_inserted, result.rows_replaced) == (2, 2, 2, 0)
    assert (result.rows_unchanged, result.first_on, result.last_on) == (0, DAY, datetime.date(2026, 11, 3))
    assert result.finished_at is not None


def test_a_higher_revision_replaces_the_stored_row(world):
    ingest(world, [agent_row()])
    second = ingest(world, [agent_row(revision="2", inbound_handled="95")])
    day = AgentDay.objects.get(employee=world.agent, on=DAY)
    assert (day.revision, day.inbound_handled, day.ingest) == (2, 95, second)
    assert (second.rows_inserted, second.rows_replaced, second.rows_unchanged) == (0, 1, 0)


def test_a_lower_revision_sent_after_a_higher_one_changes_nothing(world):
    ingest(world, [agent_row()])
    second = ingest(world, [agent_row(revision="2", inbound_handled="95")])
    late = ingest(world, [agent_row(), agent_row("E10016")])
    day = AgentDay.objects.get(employee=world.agent, on=DAY)
    assert (day.revision, day.inbound_handled, day.ingest) == (2, 95, second)
    assert (late.rows_inserted, late.rows_replaced, late.rows_unchanged) == (1, 0, 1)


def test_a_whole_month_replayed_changes_no_row(world):
    days = [DAY.replace(day=n) for n in range(1, 31)]
    rows = [agent_row(number, date=day.isoformat()) for day in days for number in ("E10015", "E10016")]
    first = ingest(world, rows)
    replay = ingest(world, rows)
    assert (first.rows_inserted, replay.rows_inserted, replay.rows_replaced, replay.rows_unchanged) == (60, 0, 0, 60)
    assert set(AgentDay.objects.values_list("ingest", flat=True)) == {first.pk}


def test_a_month_sent_again_in_another_order_changes_no_row(world):
    rows = [agent_row(number, date=f"2026-11-{n:02d}") for n in range(1, 31) for number in ("E10015", "E10016")]
    first = ingest(world, rows)
    again = ingest(world, rows[::-1])
    assert (again.rows_inserted, again.rows_replaced, again.rows_unchanged) == (0, 0, 60)
    assert set(AgentDay.objects.values_list("ingest", flat=True)) == {first.pk}


def test_an_exact_replay_is_answered_from_the_ingest_log_without_checking_again(world):
    first = ingest(world, [agent_row()])
    world.agent.left_on = datetime.date(2026, 11, 1)  # the day would now be refused if it were new
    world.agent.save()
    replay = ingest(world, [agent_row()])
    assert (replay.status, replay.rows_unchanged, replay.first_on, replay.digest) == ("done", 1, DAY, first.digest)
    with pytest.raises(RowsRefused):
        ingest(world, [agent_row(revision="2")])


def test_a_failed_request_sent_again_is_checked_again(world):
    with pytest.raises(RowsRefused):
        ingest(world, [agent_row("E10017")])
    EmployeeFactory(employee_number="E10017", team=world.team)
    assert ingest(world, [agent_row("E10017")]).rows_inserted == 1


def test_two_revisions_of_a_day_in_one_request_keep_the_highest(world):
    result = ingest(world, [agent_row(revision="2", inbound_handled="95"), agent_row()])
    assert AgentDay.objects.get().revision == 2
    assert (result.rows_inserted, result.rows_unchanged) == (1, 1)


def test_the_same_revision_with_other_values_is_refused(world):
    ingest(world, [agent_row()])
    with pytest.raises(RowsRefused) as refused:
        ingest(world, [agent_row(inbound_handled="95")])
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (1, "revision")
    assert "already received with other values (inbound_handled); send a higher revision" in problem.message
    assert AgentDay.objects.get().inbound_handled == 92


def test_a_row_keeps_the_team_it_names_after_the_agent_moves(world):
    move_employee(employee_id=world.agent.pk, actor=world.hr, team=world.new_team)
    ingest(world, [agent_row(), agent_row(date="2026-11-20", team_code="GZ-T2")])
    teams = dict(AgentDay.objects.values_list("on", "team__code"))
    assert teams == {DAY: "GZ-T1", datetime.date(2026, 11, 20): "GZ-T2"}


def test_a_leavers_days_before_her_last_day_are_stored(world):
    move_employee(employee_id=world.agent.pk, actor=world.hr, stage=Stage.LEFT)
    world.agent.refresh_from_db()
    assert world.agent.left_on is not None
    ingest(world, [agent_row()])
    assert AgentDay.objects.filter(employee=world.agent).count() == 1


# Bad rows: each case changes one thing in a valid second row; (changes, column, words of the message).
BAD_ROWS = {
    "unknown employee": ({"employee_number": "E99999"}, "employee_number", "No employee has this employee number"),
    "unknown team": ({"team_code": "NOPE"}, "team_code", "No team has this code"),
    "unknown site": ({"site_code": "NOPE"}, "site_code", "No site has this code"),
    "team of another site": ({"team_code": "SH-T1"}, "team_code", "This team is not in that site"),
    "before hire": ({"date": "2026-01-04"}, "date", "is before the hire date (2026-01-05)"),
    "not a date": ({"date": "2026-13-01"}, "date", "is not a date"),
    "missing date": ({"date": ""}, "date", "Missing"),
    "future date": ({"date": "2999-01-01"}, "date", "is in the future"),
    "count not a number": ({"inbound_handled": "many"}, "inbound_handled", "is not a number"),
    "count with decimals": ({"outbound_handled": "3.5"}, "outbound_handled", "is not a whole number"),
    "negative count": ({"staffed_seconds": "-1"}, "staffed_seconds", "is negative"),
    "missing count": ({"handle_seconds": None}, "handle_seconds", "Missing"),
    "amount with 3 decimals": ({"coupon_amount_cny": "1.234"}, "coupon_amount_cny", "more than 2 decimals"),
    "negative amount": ({"coupon_amount_cny": "-5"}, "coupon_amount_cny", "is negative"),
    "revision 0": ({"revision": "0"}, "revision", "whole number from 1 up"),
    "revision missing": ({"revision": None}, "revision", "whole number from 1 up"),
    "revision with decimals": ({"revision": "1.5"}, "revision", "whole number from 1 up"),
    "first-contact resolutions above inbound": ({"fcr_resolved": "93"}, "fcr_resolved", "is more than inbound"),
    "transfers above inbound": ({"transfers_l2": "93"}, "transfers_l2", "is more than inbound"),
    "escalations above complaints": ({"complaints_escalated": "4"}, "complaints_escalated", "more than complaints"),
    "satisfied above responses": ({"csat_satisfied": "41"}, "csat_satisfied", "more than csat_responses"),
    "unknown column": ({"nps": "3"}, "nps", "Unknown column"),
    "invisible control character": ({"employee_number": "E10016\x00"}, "employee_number", "control character"),
    "a JSON true as a count": ({"coupon_count": True}, "coupon_count", "is not a number"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_refuses_the_request_with_its_row_column_and_reason(world, case):
    changes, column, words = BAD_ROWS[case]
    with pytest.raises(RowsRefused) as refused:
        ingest(world, [agent_row(), agent_row(**{"employee_number": "E10016", **changes})])
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, column)]
    assert words in refused.value.problems[0].message
    assert AgentDay.objects.count() == 0


def test_a_day_after_the_last_working_day_is_refused(world):
    world.other.left_on = datetime.date(2026, 10, 31)
    world.other.save()
    with pytest.raises(RowsRefused) as refused:
        ingest(world, [agent_row(), agent_row("E10016")])
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "date")]
    assert "after the last working day (2026-10-31)" in refused.value.problems[0].message
    assert AgentDay.objects.count() == 0


def test_the_same_row_sent_twice_in_one_request_is_refused_naming_both_rows(world):
    with pytest.raises(RowsRefused) as refused:
        ingest(world, [agent_row(), agent_row("E10016"), agent_row()])
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (3, "revision")
    assert "Rows 1 and 3 both send revision 1" in problem.message
    assert AgentDay.objects.count() == 0


def test_every_bad_row_is_reported_at_once(world):
    rows = [agent_row(date="x"), agent_row("E10016"), agent_row("E404", inbound_handled="-2")]
    with pytest.raises(RowsRefused) as refused:
        ingest(world, rows)
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "date"), (3, "inbound_handled")]


def test_a_refused_ingest_is_recorded_as_failed_with_its_problems(world):
    with pytest.raises(RowsRefused):
        ingest(world, [agent_row(), agent_row("E99999")])
    failed = Ingest.objects.get()
    assert (failed.status, failed.rows_total, failed.rows_inserted) == ("failed", 2, 0)
    assert failed.problems == [
        {"row": 2, "column": "employee_number", "message": "No employee has this employee number."}
    ]


def test_a_revision_in_a_closed_month_is_stored_and_flagged(world):
    ingest(world, [agent_row()])
    month, _ = Month.objects.update_or_create(month=datetime.date(2026, 11, 1), defaults={"status": "closed"})
    second = ingest(world, [agent_row(revision="2", inbound_handled="95")])
    assert AgentDay.objects.get().inbound_handled == 95
    late = LateRevision.objects.get()
    assert (late.month, late.employee, late.on, late.revision, late.ingest) == (month, world.agent, DAY, 2, second)
    assert late.is_reviewed is False


def test_the_same_revision_sent_into_a_closed_month_flags_nothing(world):
    ingest(world, [agent_row()])
    Month.objects.update_or_create(month=datetime.date(2026, 11, 1), defaults={"status": "closed"})
    ingest(world, [agent_row(), agent_row("E10016", date="2026-12-01")])
    assert LateRevision.objects.count() == 0


def test_a_revision_in_an_open_month_is_not_flagged(world):
    Month.objects.create(month=datetime.date(2026, 11, 1), status="open")
    ingest(world, [agent_row()])
    assert LateRevision.objects.count() == 0


def test_a_measure_hr_added_is_stored_in_extra(world):
    Measure.objects.create(code="qa_score_points", source=Source.AGENT, name_en="QA points", name_zh="质检分")
    ingest(world, [agent_row(qa_score_points="7")])
    assert AgentDay.objects.get().extra == {"qa_score_points": 7}


def test_codes_are_normalised_like_every_import(world):
    ingest(world, [agent_row("Ｅ１００１５\u200b", team_code=" GZ-T1 ")])
    assert AgentDay.objects.get().employee == world.agent


def test_json_numbers_are_taken_as_they_are(world):
    ingest(world, [agent_row(inbound_handled=92, fcr_resolved=80.0, coupon_amount_cny=20.5, revision=1)])
    day = AgentDay.objects.get()
    assert (day.inbound_handled, day.fcr_resolved, day.coupon_amount_cny) == (92, 80, Decimal("20.50"))


def test_a_file_ingest_keeps_its_row_numbers_and_ingest(world):
    queued = Ingest.objects.create(source=Source.AGENT, channel=Channel.FILE, actor=world.hr, file_name="day.csv")
    with pytest.raises(RowsRefused) as refused:
        ingest_agent_rows(actor=world.hr, channel=Channel.FILE, rows=[{**agent_row(date="x"), "row": 7}], ingest=queued)
    assert [(p.row, p.column) for p in refused.value.problems] == [(7, "date")]
    queued.refresh_from_db()
    assert queued.status == "failed"


def test_queue_rows_are_stored_with_revision_1_by_default(world):
    result = ingest_queue_rows(actor=world.hr, channel=Channel.API, rows=[queue_row()])
    day = QueueDay.objects.get()
    assert (day.queue, day.site, day.revision, day.offered, day.answered, day.ingest) == (
        world.queue,
        world.site,
        1,
        500,
        480,
        result,
    )


def test_a_queue_replay_changes_nothing(world):
    ingest_queue_rows(actor=world.hr, channel=Channel.API, rows=[queue_row()])
    replay = ingest_queue_rows(actor=world.hr, channel=Channel.API, rows=[queue_row()])
    assert (replay.rows_inserted, replay.rows_replaced, replay.rows_unchanged) == (0, 0, 1)


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"queue_code": "NOPE"}, "queue_code"),
        ({"site_code": "SH"}, "queue_code"),
        ({"answered": "501"}, "answered"),
        ({"abandoned": "501"}, "abandoned"),
    ],
)
def test_a_bad_queue_row_is_refused(world, changes, column):
    with pytest.raises(RowsRefused) as refused:
        ingest_queue_rows(actor=world.hr, channel=Channel.API, rows=[queue_row(**changes)])
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, column)]
    assert QueueDay.objects.count() == 0
