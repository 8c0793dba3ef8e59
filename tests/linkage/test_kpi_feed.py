"""Issue 13 §5: the cases feed the KPI measures where the platform sent no row. The rows are ingested like the
platform's; a platform row is never overwritten, and one sent later replaces the feed's whatever the revisions; a
rerun changes nothing; a change is sent with a higher revision."""

import datetime
from decimal import Decimal

import pytest

from kpis.models import AgentDay, Ingest
from kpis.models.measures import AGENT_AMOUNTS, AGENT_COUNTS
from kpis.services.ingestion import RowsRefused, ingest_agent_rows
from linkage import tasks
from linkage.models import Case, CaseEvent, Grade, Handoff, Issuance, LinkageRole, Scenario
from linkage.services import kpi_feed
from tests.kpis.factories import AgentDayFactory, IngestFactory
from tests.linkage.factories import case_category

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 12, 4)
SENT_AT = datetime.datetime(2026, 12, 5, 1, 30, tzinfo=SHANGHAI)  # the beat entry's time, for yesterday


def _at(day, hour):
    return datetime.datetime(2026, 12, day, hour, tzinfo=SHANGHAI)


def _case(owner, opened_at, *, category="complaint", closed_at=None, outcome=""):
    return Case.objects.create(
        reference=f"CK{Case.objects.count() + 1:05d}",
        customer_ref="138****5678",
        channel="phone",
        category=case_category(category),
        summary="x",
        owner=owner,
        team=owner.team,
        opened_at=opened_at,
        first_response_due_at=opened_at,
        resolution_due_at=opened_at + datetime.timedelta(hours=24),
        status="closed" if closed_at else "open",
        closed_at=closed_at,
        outcome=outcome,
    )


def _handoff(case, role, at):
    return Handoff.objects.create(
        case=case,
        to_role=LinkageRole.objects.get(code=role),
        reason_code="specialist",
        handed_at=at,
        handed_by=case.owner.user,
    )


def _issuance(case, amount, *, reverses=None):
    return Issuance.objects.create(
        case=case,
        scenario=Scenario.objects.get(code="fee-charged-in-error"),
        risk="low",
        amount=Decimal(amount),
        issued_by=case.owner,
        team=case.owner.team,
        grade=Grade.objects.get(code="g1"),
        customer_ref=case.customer_ref,
        issued_at=case.opened_at,
        on=DAY,
        reverses=reverses,
    )


@pytest.fixture
def day(world, time_machine):
    """The trainee's 4 December: a complaint resolved at first contact, a fee dispute handed to the second line (and
    to the supervisor role: not a transfer to the second line), a complaint of the day before escalated today, and
    coupons of ¥20 and ¥15.50 (reversed). The mentor had a case too, but the platform sent her row."""
    time_machine.move_to(SENT_AT, tick=False)
    trainee = world.trainee
    first = _case(trainee, _at(4, 10), closed_at=_at(4, 11), outcome="first_contact")
    dispute = _case(trainee, _at(4, 12), category="fee-dispute")
    _handoff(dispute, "second-line-specialist", _at(4, 12))
    _handoff(dispute, "supervisor", _at(4, 13))
    older = _case(trainee, _at(3, 9))
    CaseEvent.objects.create(case=older, kind="escalated", at=_at(4, 9), key="escalated:1")
    _issuance(first, "20.00")
    _issuance(first, "-15.50", reverses=_issuance(first, "15.50"))
    _case(world.mentor, _at(4, 15), closed_at=_at(4, 16), outcome="first_contact")
    world.platform_row = AgentDayFactory(
        employee=world.mentor, on=DAY, inbound_handled=80, fcr_resolved=70, ingest=IngestFactory(actor=world.hr)
    )
    return world


def _stored(employee):
    return AgentDay.objects.get(employee=employee, on=DAY)


def test_the_cases_of_the_day_are_ingested_as_the_agents_row(day):
    ingest = kpi_feed.feed_day(on=DAY)
    assert ingest.status == "done" and ingest.file_name == kpi_feed.FEED_NAME and ingest.actor is None
    row = _stored(day.trainee)
    assert (row.team_id, row.site_id) == (day.team.pk, day.team.department.site_id)
    assert row.revision == 25 * 3600 + 30 * 60  # seconds since the day's start when sent
    got = {name: getattr(row, name) for name in kpi_feed.FED}
    assert got == {
        "fcr_resolved": 1,
        "transfers_l2": 1,
        "complaints_received": 1,
        "complaints_escalated": 1,
        "complaints_closed": 1,
    }
    assert row.inbound_handled == 2  # the cases she opened that day
    assert (row.coupon_count, row.coupon_amount_cny) == (1, Decimal("20.00"))  # the reversal nets out
    assert not AgentDay.objects.filter(employee=day.other_trainee).exists()


def test_a_platform_row_is_never_overwritten(day):
    kpi_feed.feed_day(on=DAY)
    row = _stored(day.mentor)
    assert (row.revision, row.inbound_handled, row.fcr_resolved, row.ingest_id) == (
        1,
        80,
        70,
        day.platform_row.ingest_id,
    )
    assert day.mentor.employee_number not in {r["employee_number"] for r in kpi_feed.agent_day_rows(on=DAY)}


def test_a_rerun_changes_nothing(day, time_machine):
    kpi_feed.feed_day(on=DAY)
    before = list(AgentDay.objects.order_by("pk").values())
    ingests = Ingest.objects.count()
    time_machine.move_to(SENT_AT + datetime.timedelta(hours=2), tick=False)
    assert kpi_feed.agent_day_rows(on=DAY) == []
    assert tasks.feed_kpis.apply(kwargs={"on": DAY.isoformat()}).get() is None
    assert list(AgentDay.objects.order_by("pk").values()) == before
    assert Ingest.objects.count() == ingests


def test_a_change_is_sent_again_with_a_higher_revision(day, time_machine):
    kpi_feed.feed_day(on=DAY)
    first = _stored(day.trainee).revision
    _case(day.trainee, _at(4, 20), closed_at=_at(4, 21), outcome="first_contact")
    time_machine.move_to(SENT_AT + datetime.timedelta(hours=1), tick=False)
    kpi_feed.feed_day(on=DAY)
    row = _stored(day.trainee)
    assert (row.fcr_resolved, row.inbound_handled, row.complaints_received) == (2, 3, 2)
    assert row.revision == first + 3600


def test_the_daily_task_feeds_yesterday(day):
    assert tasks.feed_kpis.apply().get() is not None
    assert _stored(day.trainee).fcr_resolved == 1


def test_a_part_never_exceeds_its_whole_when_it_counts_an_earlier_case(day):
    """A case opened the day before and resolved at first contact after midnight: inbound_handled rises to it."""
    _case(day.other_trainee, _at(3, 23), category="card", closed_at=_at(4, 0), outcome="first_contact")
    rows = {r["employee_number"]: r for r in kpi_feed.agent_day_rows(on=DAY)}
    row = rows[day.other_trainee.employee_number]
    assert (row["fcr_resolved"], row["inbound_handled"]) == (1, 1)
    kpi_feed.feed_day(on=DAY)
    assert _stored(day.other_trainee).fcr_resolved == 1


def _platform_row(employee, revision, **values):
    """The platform's row for the day, as the platform sends it (kpis.rows.AGENT_COLUMNS)."""
    row = dict.fromkeys(AGENT_COUNTS, 0) | dict.fromkeys(AGENT_AMOUNTS, "0.00")
    row |= {"date": DAY.isoformat(), "employee_number": employee.employee_number, "revision": revision}
    row |= {"team_code": employee.team.code, "site_code": employee.team.department.site.code}
    return row | {"inbound_handled": 50, "fcr_resolved": 40} | values


def test_the_platform_row_replaces_the_feed_row_whatever_its_revision(day):
    """The feed's revision counts seconds into the day; the platform's own revision 1 still replaces its row."""
    kpi_feed.feed_day(on=DAY)
    assert _stored(day.trainee).revision > 1 and not _stored(day.trainee).from_platform
    ingest = ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, 1)])
    row = _stored(day.trainee)
    assert (row.revision, row.from_platform, row.ingest_id, row.fcr_resolved) == (1, True, ingest.pk, 40)
    assert (ingest.rows_replaced, ingest.rows_unchanged) == (1, 0)
    assert kpi_feed.agent_day_rows(on=DAY) == [], "the feed leaves the platform's day alone from now on"


def test_the_platform_is_not_refused_for_sending_the_revision_the_feed_used(day):
    """The same revision with other values is refused only against the platform's own earlier row."""
    kpi_feed.feed_day(on=DAY)
    revision = _stored(day.trainee).revision
    ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, revision)])
    assert (_stored(day.trainee).from_platform, _stored(day.trainee).fcr_resolved) == (True, 40)


def test_a_feed_row_never_replaces_a_platform_row_sent_meanwhile(day):
    """The feed computed its rows, then the platform's row for the trainee arrived before the feed stored them:
    the feed's higher revision changes nothing there, and its other rows are stored."""
    rows = kpi_feed.agent_day_rows(on=DAY)
    assert day.trainee.employee_number in {row["employee_number"] for row in rows}
    platform = ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, 1)])
    ingest = ingest_agent_rows(actor=None, channel="api", rows=rows, file_name=kpi_feed.FEED_NAME, from_platform=False)
    row = _stored(day.trainee)
    assert (row.revision, row.from_platform, row.ingest_id, row.fcr_resolved) == (1, True, platform.pk, 40)
    assert ingest.rows_unchanged == 1 and ingest.rows_inserted == len(rows) - 1


def test_a_platform_correction_still_needs_a_higher_revision_than_its_own(day):
    ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, 3)])
    lower = ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, 2, fcr_resolved=10)])
    assert lower.rows_unchanged == 1 and _stored(day.trainee).fcr_resolved == 40
    with pytest.raises(RowsRefused):
        ingest_agent_rows(actor=day.hr, channel="api", rows=[_platform_row(day.trainee, 3, fcr_resolved=10)])
