"""Effects of role linkage (issue 16 §2): a playbook on the KPIs it targets — before and after its first
publication, its pilot teams against the others during the pilot, the teams that drilled it against those that have
not yet since its first scored drill — hand-computed, the same on the page and in the API, and a supervisor's
figures hold only her teams. The figures come from the nightly aggregate (PlaybookSums): the world is refreshed
once, as the night before; what arrives after shows only after the next refresh."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.models import PlaybookSums
from insights.services.aggregates import refresh_playbooks
from kpis.models import Kpi
from linkage.models import Drill, DrillStatus, VersionEvent
from tests.insights.cohort_factories import api, centre
from tests.kpis.factories import AgentDayFactory
from tests.linkage.factories import PlaybookFactory, version_in
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
PUBLISHED = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)
PILOTED = datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC)
DRILLED = datetime.datetime(2026, 11, 5, 15, 0, tzinfo=datetime.UTC)


def day(employee, on, inbound, fcr):
    return AgentDayFactory(employee=employee, on=on, inbound_handled=inbound, fcr_resolved=fcr)


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 16, 10, 0), tick=False)
    w = centre()
    w.playbook = PlaybookFactory(code="zz-card-fraud", name_en="Card fraud", name_zh="盗刷")
    w.playbook.target_kpis.add(Kpi.objects.get(code="fcr"))
    version = version_in("published", playbook=w.playbook, pilot_teams=[w.team_a], published_at=PUBLISHED)
    for to_status, at in (("pilot", PILOTED), ("published", PUBLISHED)):
        event = VersionEvent.objects.create(version=version, from_status="", to_status=to_status)
        VersionEvent.objects.filter(pk=event.pk).update(at=at)
    Drill.objects.create(
        version=version,
        team=w.team_a,
        status=DrillStatus.SCORED,
        scheduled_for=DRILLED,
        scored_at=DRILLED,
        examiner=w.lead_a,
    )
    b = EmployeeFactory(team=w.team_b)
    # Before (4–31 October): A 5/10 and 16/20, B 7/10 and 10/20 → 38/60. Pilot (20–31 October): A 16/20, B 10/20.
    day(w.a1, datetime.date(2026, 10, 10), 10, 5)
    day(b, datetime.date(2026, 10, 10), 10, 7)
    day(w.a1, datetime.date(2026, 10, 25), 20, 16)
    day(b, datetime.date(2026, 10, 25), 20, 10)
    # After (1–15 November): A 9/10 and 8/10, B 6/10 → 23/30. Since the drill (5–15 November): A 8/10, B 6/10.
    day(w.a1, datetime.date(2026, 11, 3), 10, 9)
    day(w.a1, datetime.date(2026, 11, 10), 10, 8)
    day(b, datetime.date(2026, 11, 10), 10, 6)
    refresh_playbooks()
    return w


def test_before_after_pilot_control_and_drilled_not_yet_drilled(client, world):
    client.force_login(world.hr)
    effects = client.get(reverse("insights:effects")).context["playbook_effects"]
    found = next(e for e in effects if e.playbook == world.playbook)
    assert (found.published_on, found.drilled_from, found.drilled_teams) == (
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 5),
        1,
    )
    (kpi, before, after, pilot, control, drilled, not_drilled), *_ = found.rows
    assert kpi.code == "fcr"
    shown = [value.quantize(Decimal("0.0001")) for value in (before, after, pilot, control, drilled, not_drilled)]
    assert shown == [Decimal(v) for v in ("0.6333", "0.7667", "0.8000", "0.5000", "0.8000", "0.6000")]


def test_the_page_and_the_api_show_the_same_figures(client, world):
    client.force_login(world.hr)
    html = client.get(reverse("insights:effects")).content.decode()
    row = html[html.index('data-playbook="zz-card-fraud"') :].split("</tr>")[0]
    for shown in ("63.3%", "76.7%", "80.0%", "50.0%", "60.0%"):
        assert shown in row
    pages = api(world.hr).get(reverse("insights-playbooks-list")).json()
    found = next(p for p in pages["playbooks"] if p["code"] == "zz-card-fraud")
    assert (found["pilot_from"], found["pilot_to"]) == ("2026-10-20", "2026-10-31")
    assert found["kpis"] == [
        {
            "kpi": "fcr",
            "before": "0.6333",
            "after": "0.7667",
            "pilot": "0.8000",
            "control": "0.5000",
            "drilled": "0.8000",
            "not_drilled": "0.6000",
        }
    ]


def test_a_supervisor_reads_her_teams_only(world):
    found = next(
        p
        for p in api(world.lead_b.user).get(reverse("insights-playbooks-list")).json()["playbooks"]
        if p["code"] == "zz-card-fraud"
    )
    # Team B alone: before 17/30, after 6/10; it was neither a pilot team nor drilled.
    assert (found["teams"], found["drilled_teams"]) == (1, 0)
    assert found["kpis"][0] | {} == {
        "kpi": "fcr",
        "before": "0.5667",
        "after": "0.6000",
        "pilot": None,
        "control": None,
        "drilled": None,
        "not_drilled": None,
    }


def test_an_unpublished_playbook_is_not_listed(world):
    draft = PlaybookFactory(code="zz-draft")
    draft.target_kpis.add(Kpi.objects.get(code="fcr"))
    version_in("draft", playbook=draft)
    codes = [p["code"] for p in api(world.hr).get(reverse("insights-playbooks-list")).json()["playbooks"]]
    assert "zz-card-fraud" in codes and "zz-draft" not in codes
    assert timezone.now()


def test_the_figures_are_those_of_the_last_refresh(world):
    day(world.a1, datetime.date(2026, 11, 12), 10, 0)  # arrives after the night's refresh
    first = api(world.hr).get(reverse("insights-playbooks-list")).json()
    assert next(p for p in first["playbooks"] if p["code"] == "zz-card-fraud")["kpis"][0]["after"] == "0.7667"
    assert first["refreshed_at"] is not None
    refresh_playbooks()
    again = api(world.hr).get(reverse("insights-playbooks-list")).json()
    # After (1–15 November) is now 23/40; the drilled team A 8/20.
    found = next(p for p in again["playbooks"] if p["code"] == "zz-card-fraud")["kpis"][0]
    assert (found["after"], found["drilled"]) == ("0.5750", "0.4000")


def test_a_rerun_writes_the_same_rows(world):
    def rows():
        return sorted(
            PlaybookSums.objects.filter(playbook=world.playbook).values_list("window", "start", "end", "team", "sums")
        )

    before = rows()
    assert {window for window, *_rest in before} == {"before", "after", "pilot", "drills"}
    refresh_playbooks()
    assert rows() == before


def test_before_the_first_refresh_the_page_says_so(client, world):
    from insights.models import RefreshMark

    PlaybookSums.objects.all().delete()
    RefreshMark.objects.filter(name="playbook_effects").delete()
    client.force_login(world.hr)
    html = client.get(reverse("insights:effects")).content.decode()
    assert "after the first nightly refresh" in html
    row = html[html.index('data-playbook="zz-card-fraud"') :].split("</tr>")[0]
    assert "%" not in row


def test_the_query_count_does_not_grow_with_the_days(client, world):
    client.force_login(world.hr)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("insights:effects"))
    for n in range(30):
        day(EmployeeFactory(team=world.team_b), datetime.date(2026, 10, 1) + datetime.timedelta(days=n), 10, 5)
    refresh_playbooks()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("insights:effects"))
    assert len(large) == len(small)
