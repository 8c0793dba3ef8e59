"""Two closes of the same PK at the same moment on PostgreSQL (issue 15 §4): beat firing twice, or two workers
taking the same sweep, close it once — one honour, one split, one points award per person."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from incentives.models import PkAward, PkCompetition, PkHonour, PointsEntry
from incentives.services import pk as services
from tests.incentives.pk_factories import closed_case, competition, days
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres(reason="two closes at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def test_two_concurrent_closes_close_once(transactional_db):
    team, other = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    a1, a2, b1 = EmployeeFactory(team=team), EmployeeFactory(team=team), EmployeeFactory(team=other)
    days(a1, inbound_handled=100, fcr_resolved=90)
    days(a2, inbound_handled=100, fcr_resolved=80)
    days(b1, inbound_handled=100, fcr_resolved=60)
    closed_case(a1)
    pk = competition(make_hr_user(username="hr_pg"), [team, other], pool_unit="points", pool=Decimal(1000))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)):
        results = at_once(lambda: services.close(competition_id=pk.pk), lambda: services.close(competition_id=pk.pk))
    assert sorted(results) == [False, True], results
    assert PkCompetition.objects.get(pk=pk.pk).status == "closed"
    assert PkHonour.objects.filter(competition=pk).count() == 1
    assert PkAward.objects.filter(competition=pk).count() == 2
    assert (
        sum(PointsEntry.objects.filter(source_ref__startswith=f"pk:{pk.pk}:").values_list("points", flat=True)) == 1000
    )
