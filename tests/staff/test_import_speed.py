"""The fast path of HR's employee import (``staff.import_speed.BulkImportMixin``, issue 10 §3) gives the answers
of the row-by-row import: each case runs both on the same database, rolled back, and compares what they wrote
and what they reported; a preview's query count does not grow with the rows."""

import datetime
import threading
from types import SimpleNamespace

import pytest
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from staff.import_speed import BulkImportMixin, Unsupported, holds
from staff.imports import read_dataset
from staff.models import Employee, Stage, Team
from staff.resources import EmployeeResource
from tests.staff.factories import EmployeeFactory, PositionFactory, TeamFactory, make_hr_user

HEADER = ["employee_number", "name", "hire_date", "team", "position", "stage", "mentor"]
FILE_NAME = "employees.csv"


def row_by_row(resource_class):
    """``resource_class`` without ``BulkImportMixin``: each of its methods as the next class in the MRO has it."""
    mro = resource_class.__mro__
    if BulkImportMixin not in mro:
        return resource_class
    after = mro[mro.index(BulkImportMixin) + 1 :]
    methods = {
        name: next(vars(base)[name] for base in after if name in vars(base))
        for name, value in vars(BulkImportMixin).items()
        if callable(value) and any(name in vars(base) for base in after)
    }
    return type(f"RowByRow{resource_class.__name__}", (resource_class,), methods)


# Valid before and after BulkImportMixin is put in EmployeeResource's bases.
FastEmployeeResource = (
    EmployeeResource
    if issubclass(EmployeeResource, BulkImportMixin)
    else type("FastEmployeeResource", (BulkImportMixin, EmployeeResource), {})
)
RowByRowEmployeeResource = row_by_row(EmployeeResource)


@pytest.fixture
def org(db):
    """Two teams, a position, a veteran mentor M001, 张伟 (E10015) whom she mentors, a trainee T001; HR."""
    team = TeamFactory(code="T01")
    TeamFactory(code="T02", department=team.department)
    position = PositionFactory(code="AGENT")
    mentor = EmployeeFactory(employee_number="M001", name="Veteran", team=team, position=position, stage=Stage.GROWTH)
    EmployeeFactory(
        employee_number="E10015",
        name="张伟",
        hire_date=datetime.date(2020, 3, 1),
        team=team,
        position=position,
        mentor=mentor,
        stage=Stage.GROWTH,
    )
    EmployeeFactory(employee_number="T001", name="Trainee", team=team, position=position, stage=Stage.PRE_JOB)
    return SimpleNamespace(hr=make_hr_user(username="hr"))


def dataset(rows):
    text = "\r\n".join(",".join(row) for row in [HEADER, *rows])
    return read_dataset(text.encode(), FILE_NAME)


def new_rows(count, start=0):
    """``count`` new hires; each after the first is mentored by M001 (a veteran)."""
    return [
        [f"N{n:05d}", f"New {n}", "2026-03-01", "T01", "AGENT", "growth", "M001" if n % 2 else ""]
        for n in range(start, start + count)
    ]


def people():
    return {
        e.employee_number: (
            e.name,
            e.hire_date,
            e.team and e.team.code,
            e.position and e.position.code,
            e.stage,
            e.mentor and e.mentor.employee_number,
        )
        for e in Employee.objects.select_related("team", "position", "mentor")
    }


def history():
    rows = Employee.history.filter(history_change_reason__contains=FILE_NAME)
    return sorted(
        rows.values_list(
            "employee_number", "history_type", "history_user__username", "stage", "mentor__employee_number"
        )
    )


def run(resource_class, rows, user, *, dry_run=False, keep=False):
    """What an import reports and leaves: (problems, totals, people, history); rolled back unless ``keep``."""
    with transaction.atomic():
        result = resource_class().import_data(
            dataset(rows), dry_run=dry_run, raise_errors=False, user=user, file_name=FILE_NAME
        )
        outcome = (result.problems, dict(result.totals), people(), history())
        transaction.set_rollback(not keep)
    return outcome


def same_as_row_by_row(rows, user, **kwargs):
    fast = run(FastEmployeeResource, rows, user, **kwargs)
    assert fast == run(RowByRowEmployeeResource, rows, user, **kwargs)
    return fast


def test_new_rows_are_written_as_row_by_row(org):
    # N00003 is mentored by N00001, a new hire two rows above (she needs to be tenured: "growth").
    rows = [*new_rows(3), ["N00003", "New 3", "2026-03-01", "T02", "AGENT", "pre_job", "N00001"]]
    problems, totals, staff, _ = same_as_row_by_row(rows, org.hr)
    assert problems == []
    assert totals["new"] == 4
    assert staff["N00003"] == ("New 3", datetime.date(2026, 3, 1), "T02", "AGENT", "pre_job", "N00001")
    assert staff["N00001"][-1] == "M001"


def test_updated_rows_are_written_as_row_by_row(org):
    rows = [
        ["E10015", "张伟", "2020-03-01", "T02", "AGENT", "high_performer", ""],
        ["N00001", "New 1", "2026-03-01", "T01", "AGENT", "growth", ""],
        ["T001", "Trainee", "", "", "", "", "N00001"],  # mentored by a new hire of this file
    ]
    problems, totals, staff, _ = same_as_row_by_row(rows, org.hr)
    assert problems == []
    assert (totals["update"], totals["new"]) == (2, 1)
    # An empty cell keeps the current value.
    assert staff["E10015"] == ("张伟", datetime.date(2020, 3, 1), "T02", "AGENT", "high_performer", "M001")
    assert staff["T001"][2:] == ("T01", "AGENT", Stage.PRE_JOB, "N00001")


def test_unchanged_rows_are_skipped_and_a_reimport_changes_nothing(org):
    rows = new_rows(20)
    run(FastEmployeeResource, rows, org.hr, keep=True)
    before = (people(), history())
    problems, totals, staff, written = run(FastEmployeeResource, rows, org.hr, keep=True)
    assert problems == []
    assert totals["skip"] == 20 and totals["new"] == totals["update"] == 0
    assert (staff, written) == before


def test_a_bad_row_anywhere_writes_nothing_and_every_problem_is_reported(org):
    rows = new_rows(60)
    rows[2][3] = "NO-SUCH-TEAM"
    rows[41][2] = "yesterday"
    rows[59][0] = rows[10][0]  # a key already used
    before = people()
    problems, totals, staff, written = same_as_row_by_row(rows, org.hr)
    assert [(p.row, p.column) for p in problems] == [(4, "team"), (43, "hire_date"), (61, "employee_number")]
    assert totals["invalid"] == 3
    assert (staff, written) == (before, [])


def test_a_preview_writes_nothing_and_reports_as_row_by_row(org):
    before = people()
    problems, totals, staff, written = same_as_row_by_row(new_rows(5), org.hr, dry_run=True)
    assert (problems, totals["new"], staff, written) == ([], 5, before, [])


def test_history_rows_name_the_user_and_the_file(org):
    rows = [*new_rows(2), ["E10015", "张伟", "2020-03-01", "T02", "AGENT", "growth", ""]]
    run(FastEmployeeResource, rows, org.hr, keep=True)
    reasons = set(Employee.history.filter(history_user=org.hr).values_list("history_type", "history_change_reason"))
    assert reasons == {("+", f"Imported from {FILE_NAME}"), ("~", f"Imported from {FILE_NAME}")}
    assert Employee.history.filter(history_user=org.hr).count() == 3


@pytest.mark.parametrize(
    "row",
    [
        ["M001", "Veteran", "", "", "", "", "M001"],  # her own mentor
        ["N00001", "New", "2026-03-01", "T01", "AGENT", "growth", "T001"],  # a trainee as mentor
        ["N00001", "New", "2026-03-01", "T01", "AGENT", "growth", "NOBODY"],
    ],
    ids=["own-mentor", "trainee-mentor", "unknown-mentor"],
)
def test_mentor_rules_are_enforced_as_row_by_row(org, row):
    problems, *_ = same_as_row_by_row([row], org.hr)
    if row[-1] != "T001":  # the trainee as mentor is refused only where the row-by-row import refuses it
        assert [(p.row, p.column) for p in problems] == [(2, "mentor")]


def preview_queries(rows, user):
    with CaptureQueriesContext(connection) as queries:
        result = FastEmployeeResource().import_data(
            dataset(rows), dry_run=True, raise_errors=False, user=user, file_name=FILE_NAME
        )
    assert result.problems == []
    return len(queries)


def test_preview_query_count_does_not_grow_with_rows(org):
    update = [["E10015", "张伟", "2020-03-01", "T02", "AGENT", "high_performer", "M001"]]
    # 50: SQLite takes at most 999 values in one statement, so that a bigger file is written in more statements.
    assert preview_queries([*update, *new_rows(10)], org.hr) == preview_queries([*update, *new_rows(50)], org.hr)


def test_a_simple_check_condition_is_decided_in_memory_as_sql_would():
    employee = Employee(pk=5, mentor_id=5, stage=Stage.GROWTH)
    assert holds(~Q(mentor=F("pk")), employee) is False
    assert holds(~Q(mentor=F("pk")) | Q(stage=Stage.GROWTH), employee) is True
    assert holds(~Q(mentor=F("pk")), Employee(mentor_id=5)) is None  # NULL = 5 is unknown: the CHECK passes
    with pytest.raises(Unsupported):
        holds(Q(name__startswith="A"), employee)


@pytest.mark.postgres(reason="PostgreSQL checks foreign keys when the transaction commits")
@pytest.mark.django_db(transaction=True)
def test_a_team_deleted_after_the_bulk_write_rolls_the_whole_file_back(org):
    class DeletedMeanwhile(FastEmployeeResource):
        def after_import(self, dataset, result, **kwargs):
            colleague = threading.Thread(target=delete_team)  # on her own connection, after the rows were written
            colleague.start()
            colleague.join(timeout=30)
            super().after_import(dataset, result, **kwargs)

    def delete_team():
        try:
            Team.objects.filter(code="T02").delete()
        finally:
            connections.close_all()

    rows = [*new_rows(3), ["N00003", "New 3", "2026-03-01", "T02", "AGENT", "growth", ""]]
    result = DeletedMeanwhile().import_data(dataset(rows), raise_errors=False, user=org.hr, file_name=FILE_NAME)

    assert not Team.objects.filter(code="T02").exists()
    assert [(p.row, p.column) for p in result.problems] == [(None, None)]
    assert "changed or deleted while the file was being imported" in result.problems[0].message
    assert not Employee.objects.filter(employee_number__startswith="N").exists()
