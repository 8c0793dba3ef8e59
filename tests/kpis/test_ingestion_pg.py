"""Concurrent ingests on PostgreSQL: overlapping requests end with the highest revision of every day and no
error; two different rows sent as the same revision at the same moment are never both taken."""

import datetime

import pytest

from kpis.models import AgentDay, Channel, Ingest
from kpis.services.ingestion import RowsRefused, ingest_agent_rows
from tests.kpis.ingestion_world import World, agent_row
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres(reason="two ingests at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def world(transactional_db):
    return World()


def days(first, last, revision, inbound):
    return [
        agent_row(number, date=datetime.date(2026, 11, n).isoformat(), revision=revision, inbound_handled=inbound)
        for n in range(first, last + 1)
        for number in ("E10015", "E10016")
    ]


def sender(world, rows):
    return lambda: ingest_agent_rows(actor=world.hr, channel=Channel.API, rows=rows).pk


@pytest.mark.parametrize("order", ["lower first", "higher first"])
def test_overlapping_ingests_end_with_the_highest_revision_and_no_error(world, order):
    lower, higher = sender(world, days(1, 20, 2, 90)), sender(world, days(10, 30, 3, 91))
    results = at_once(lower, higher) if order == "lower first" else at_once(higher, lower)
    assert all(isinstance(result, int) for result in results), results
    stored = {
        (day.employee.employee_number, day.on.day): (day.revision, day.inbound_handled)
        for day in AgentDay.objects.select_related("employee")
    }
    assert len(stored) == 60
    assert {stored[("E10015", n)] for n in range(1, 10)} == {(2, 90)}
    assert {stored[("E10016", n)] for n in range(10, 31)} == {(3, 91)}
    assert set(Ingest.objects.values_list("status", flat=True)) == {"done"}


def test_two_different_rows_sent_as_the_same_revision_at_once_are_never_both_taken(world):
    one, other = sender(world, days(1, 5, 1, 90)), sender(world, days(1, 5, 1, 91))
    results = at_once(one, other)
    refused = [result for result in results if isinstance(result, RowsRefused)]
    assert len(refused) == 1, results
    assert len({day.inbound_handled for day in AgentDay.objects.all()}) == 1
    assert AgentDay.objects.count() == 10
