"""The PK demo (issue 15 §4, §10) on a small staff: a site PK running this month with its board, last month's team
PK closed with its honour and the pool split to the fen; a second run adds nothing."""

import datetime

import pytest

from incentives import demo_pk
from incentives.models import PkAward, PkCompetition, PkHonour
from staff.models import Stage
from tests.incentives.pk_factories import days
from tests.kpis.factories import IngestFactory
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 10)


@pytest.fixture
def staff(db):
    make_hr_user(username="hr")
    ingest = IngestFactory()
    for code, resolved in (("A", 80), ("B", 70)):
        team = TeamFactory(name=f"Demo {code}")
        team.supervisor = EmployeeFactory(team=team, stage=Stage.MANAGEMENT, user__username=f"lead_{code}")
        team.save()
        for i in range(5):
            agent = EmployeeFactory(team=team, stage=Stage.GROWTH, user__username=f"agent_{code}{i}")
            for on in (datetime.date(2026, 11, 5), datetime.date(2026, 12, 3)):
                days(agent, on=on, ingest=ingest, inbound_handled=100 + i * 10, fcr_resolved=resolved)


def test_a_running_site_pk_and_a_finished_team_pk_with_its_split(staff):
    counts = demo_pk.seed(today=TODAY)
    running = PkCompetition.objects.get(status="open")
    finished = PkCompetition.objects.get(status="closed")
    assert running.kind == "site" and running.standings.count() == 2
    assert running.standings.get(rank=1).participant.site.departments.get().teams.get().name == "Demo A"
    assert finished.kind == "team" and PkHonour.objects.filter(competition=finished).count() == 1
    awards = PkAward.objects.filter(competition=finished)
    assert awards.count() == 5 and sum(a.amount_units for a in awards) == 200_000
    assert all(a.amount_units <= 50_000 for a in awards)
    assert counts["PK awards"] == 5
    assert demo_pk.seed(today=TODAY) == {}
