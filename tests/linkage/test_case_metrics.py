"""Issue 13 §5: cases, first-contact resolutions, transfers per 100, reopen rate and breaches per owner and team, on
a fixture with a known answer, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linkage.models import Case, Handoff, LinkageRole
from linkage.selectors.case_metrics import CaseMetrics, owner_metrics, team_metrics
from tests.linkage.factories import case_category
from tests.staff.factories import EmployeeFactory

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=SHANGHAI)
START, END = datetime.date(2026, 12, 1), datetime.date(2026, 12, 7)


def _at(month, day, hour, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def _case(owner, opened_at, *, due_hours=48, closed_after=None, outcome="", reopened=0, team=None, handoffs=0):
    case = Case.objects.create(
        reference=f"CM{Case.objects.count() + 1:05d}",
        customer_ref="138****5678",
        channel="phone",
        category=case_category(),
        summary="x",
        owner=owner,
        team=team or owner.team,
        opened_at=opened_at,
        first_response_due_at=opened_at,
        resolution_due_at=opened_at + datetime.timedelta(hours=due_hours),
        status="closed" if closed_after else "open",
        closed_at=closed_after and opened_at + datetime.timedelta(hours=closed_after),
        outcome=outcome,
        reopen_count=reopened,
    )
    role = LinkageRole.objects.get(code="second-line-specialist")
    for _n in range(handoffs):
        Handoff.objects.create(
            case=case, to_role=role, reason_code="specialist", handed_at=opened_at, handed_by=owner.user
        )
    return case


@pytest.fixture
def cases(world):
    """The trainee owns 5 cases opened in the period: 2 resolved at first contact (2 and 0 hand-offs), 1 resolved
    later after a reopen and past its target (1 hand-off), 1 still open past its target, 1 opened in the first minute
    of the period in Team B and open past its target; and 2 outside the period (a minute before, the day after).
    The mentor (Team A) owns 1 case resolved at first contact in time with 1 hand-off."""
    t, m = world.trainee, world.mentor
    _case(t, _at(12, 1, 9), closed_after=1, outcome="first_contact", handoffs=2)
    _case(t, _at(12, 2, 23), closed_after=2, outcome="first_contact")
    _case(t, _at(12, 3, 9), closed_after=72, outcome="later", reopened=1, handoffs=1)
    _case(t, _at(12, 7, 23), due_hours=24)
    _case(t, _at(12, 1, 0), due_hours=1, team=world.other_team)
    _case(t, _at(11, 30, 23, 59), closed_after=1, outcome="first_contact", handoffs=5)
    _case(t, _at(12, 8, 0), due_hours=1, reopened=2)
    _case(m, _at(12, 5, 10), closed_after=3, outcome="first_contact", handoffs=1)
    return world


def test_owner_metrics_known_answer(cases):
    got = owner_metrics([cases.trainee.pk, cases.mentor.pk, cases.other_trainee.pk], start=START, end=END, now=NOW)
    assert got[cases.trainee.pk] == CaseMetrics(cases=5, first_contact=2, transfers=3, reopened=1, breaches=3)
    assert got[cases.mentor.pk] == CaseMetrics(cases=1, first_contact=1, transfers=1, reopened=0, breaches=0)
    assert got[cases.other_trainee.pk] == CaseMetrics()
    trainee = got[cases.trainee.pk]
    assert (trainee.fcr_rate, trainee.transfers_per_100, trainee.reopen_rate) == (
        Decimal("40.0"),
        Decimal("60.0"),
        Decimal("20.0"),
    )
    assert got[cases.other_trainee.pk].fcr_rate is None


def test_team_metrics_count_the_team_a_case_was_opened_in(cases):
    got = team_metrics([cases.team.pk, cases.other_team.pk], start=START, end=END, now=NOW)
    assert got[cases.team.pk] == CaseMetrics(cases=5, first_contact=3, transfers=4, reopened=1, breaches=2)
    assert got[cases.other_team.pk] == CaseMetrics(cases=1, breaches=1)


def test_an_open_case_is_a_breach_only_once_past_its_target(cases):
    before = _at(12, 8, 22)  # the Dec 7 case is due on Dec 8 at 23:00
    got = owner_metrics([cases.trainee.pk], start=START, end=END, now=before)
    assert got[cases.trainee.pk].breaches == 2


def test_queries_do_not_grow_with_people_or_cases(cases):
    ids = [cases.trainee.pk, cases.mentor.pk]
    with CaptureQueriesContext(connection) as few:
        owner_metrics(ids, start=START, end=END, now=NOW)
    for _n in range(5):
        person = EmployeeFactory(team=cases.team)
        ids.append(person.pk)
        _case(person, _at(12, 4, 10), closed_after=1, outcome="first_contact", handoffs=2)
    with CaptureQueriesContext(connection) as many:
        got = owner_metrics(ids, start=START, end=END, now=NOW)
        team_metrics([cases.team.pk, cases.other_team.pk], start=START, end=END, now=NOW)
    assert len(few) == 2
    assert len(many) == 4
    assert got[ids[-1]] == CaseMetrics(cases=1, first_contact=1, transfers=2)
