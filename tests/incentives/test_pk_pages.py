"""The PK pages and API (issue 15 §4, §7) per persona: the list, organising one, the standings with the big-screen
mode, external results, closing early, and the split after close (each person's amount only to HR, the organiser
and the winner's supervisor); query counts do not grow with data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incentives.models import PkAward, PkCompetition
from incentives.services import pk as services
from tests.incentives.pk_factories import closed_case, competition, days
from tests.kpis.factories import IngestFactory
from tests.staff.factories import EmployeeFactory, TeamFactory

AFTER = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def closed(world):
    ingest = IngestFactory()
    days(world.trainee, ingest=ingest, inbound_handled=100, fcr_resolved=80)
    days(world.mentor, ingest=ingest, inbound_handled=100, fcr_resolved=90)
    days(world.other_trainee, ingest=ingest, inbound_handled=100, fcr_resolved=70)
    closed_case(world.trainee)
    world.pk = competition(world.hr, [world.team, world.other_team], pool=Decimal("999.99"))
    with time_machine.travel(AFTER):
        services.close_due()
    return world


def test_the_list_shows_competitions_to_an_agent(client, closed):
    response = login(client, closed.other_trainee.user).get(reverse("incentives:pk-list"))
    assert response.status_code == 200
    assert "November FCR PK" in response.content.decode()
    assert reverse("incentives:pk-create") not in response.content.decode()


def test_the_list_filters_by_status(client, closed):
    competition(closed.hr, [closed.team, closed.other_team], name="Still running PK")
    response = login(client, closed.hr).get(reverse("incentives:pk-list") + "?status=open")
    body = response.content.decode()
    assert "Still running PK" in body and "November FCR PK" not in body


def test_a_supervisor_organises_a_team_pk_between_the_teams_of_her_site(client, world):
    neighbour = TeamFactory(name="Team N", department=world.team.department)
    login(client, world.supervisor.user)
    data = {
        "name": "December PK",
        "kind": "team",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "metric": "first_contact",
        "normalisation": "agent",
        "minimum_volume": "2",
        "pool_unit": "points",
        "pool": "500",
        "teams": [world.team.pk, neighbour.pk],
        "token": "t-1",
    }
    response = client.post(reverse("incentives:pk-create"), data)
    made = PkCompetition.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("incentives:pk-detail", args=[made.pk])
    client.post(reverse("incentives:pk-create"), data)  # a double click
    assert PkCompetition.objects.count() == 1
    assert made.standings.count() == 2


def test_a_supervisor_cannot_pick_a_team_of_another_site(client, world):
    login(client, world.supervisor.user)
    data = {"name": "X", "kind": "team", "starts_on": "2026-12-01", "ends_on": "2026-12-31", "metric": "kpi"}
    data.update({"normalisation": "agent", "minimum_volume": "0", "pool_unit": "cny", "pool": "0"})
    data["teams"] = [world.team.pk, world.other_team.pk]
    response = client.post(reverse("incentives:pk-create"), data)
    assert response.status_code == 200 and not PkCompetition.objects.exists()


def test_an_agent_may_not_organise(client, world):
    assert login(client, world.trainee.user).get(reverse("incentives:pk-create")).status_code == 403


def test_the_standings_page_shows_the_board_and_the_winner(client, closed):
    body = login(client, closed.trainee.user).get(reverse("incentives:pk-detail", args=[closed.pk.pk])).content
    body = body.decode()
    assert 'id="pk-standings"' in body and "Team A" in body and "Team B" in body
    assert 'id="pk-honours"' in body


def test_the_big_screen_is_dark_large_refreshes_every_minute_and_has_no_nav(client, closed):
    response = login(client, closed.hr).get(reverse("incentives:pk-detail", args=[closed.pk.pk]) + "?screen=1")
    body = response.content.decode()
    assert '<meta http-equiv="refresh" content="60">' in body
    assert 'data-bs-theme="dark"' in body and 'id="pk-screen"' in body
    assert "navbar" not in body and 'id="pk-standings"' in body


def test_the_winners_supervisor_sees_every_amount_and_the_formula(client, closed):
    body = login(client, closed.supervisor.user).get(reverse("incentives:pk-split", args=[closed.pk.pk]))
    body = body.content.decode()
    assert 'id="pk-formula"' in body
    assert body.count("data-employee=") == PkAward.objects.filter(competition=closed.pk).count() == 2
    assert 'id="pk-total">999.99<' in body


def test_an_agent_sees_her_own_line_only(client, closed):
    body = login(client, closed.trainee.user).get(reverse("incentives:pk-split", args=[closed.pk.pk])).content
    body = body.decode()
    assert body.count("data-employee=") == 1 and f'data-employee="{closed.trainee.pk}"' in body


def test_an_agent_of_the_losing_team_sees_the_roles_but_no_person(client, closed):
    body = login(client, closed.other_trainee.user).get(reverse("incentives:pk-split", args=[closed.pk.pk]))
    body = body.content.decode()
    assert 'id="pk-roles"' in body and "data-employee=" not in body


def test_the_organiser_enters_external_results(client, world):
    pk = competition(world.hr, [world.team, world.other_team], kind="external", metric="manual")
    participant = pk.participants.order_by("pk").first()
    login(client, world.hr)
    url = reverse("incentives:pk-results", args=[pk.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"participant": participant.pk, "value": "88.5", "volume": "12"})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.manual_value == Decimal("88.5")
    assert pk.standings.get(participant=participant).rank == 1


def test_a_result_for_a_participant_of_another_competition_is_404(client, world):
    pk = competition(world.hr, [world.team, world.other_team], kind="external", metric="manual")
    other = competition(world.hr, [world.team, world.other_team], kind="external", metric="manual", idempotency_key="o")
    stranger = other.participants.first()
    response = login(client, world.hr).post(
        reverse("incentives:pk-results", args=[pk.pk]), {"participant": stranger.pk, "value": "1"}
    )
    assert response.status_code == 404


def test_closing_early_from_the_page_closes_once(client, world):
    pk = competition(world.hr, [world.team, world.other_team], pool=10)
    login(client, world.hr)
    url = reverse("incentives:pk-close", args=[pk.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    pk.refresh_from_db()
    assert pk.status == "closed"


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_query_counts_do_not_grow_with_data(client, closed):
    login(client, closed.hr)
    urls = [
        reverse("incentives:pk-list"),
        reverse("incentives:pk-detail", args=[closed.pk.pk]),
        reverse("incentives:pk-detail", args=[closed.pk.pk]) + "?screen=1",
        reverse("incentives:pk-split", args=[closed.pk.pk]),
    ]
    before = [_queries(client, url) for url in urls]
    teams = [TeamFactory() for _ in range(6)]
    for team in teams:
        days(EmployeeFactory(team=team), inbound_handled=10, fcr_resolved=5)
    big = competition(closed.hr, [closed.team, closed.other_team, *teams], idempotency_key="big", pool=100)
    for n in range(5):
        days(EmployeeFactory(team=closed.team), inbound_handled=10 + n, fcr_resolved=n)
    with time_machine.travel(AFTER):
        services.close_due()
    urls_big = [urls[0], *(u.replace(f"/{closed.pk.pk}/", f"/{big.pk}/") for u in urls[1:])]
    after = [_queries(client, url) for url in urls_big]
    assert before == after


def test_the_api_lists_competitions_and_standings(client, closed):
    login(client, closed.trainee.user)
    competitions = client.get(reverse("incentives-pk-competition-list")).json()
    assert [c["id"] for c in competitions["results"]] == [closed.pk.pk]
    standings = client.get(reverse("incentives-pk-standing-list") + f"?competition={closed.pk.pk}").json()
    assert [(s["participant_name"], s["rank"]) for s in standings["results"]] == [("Team A", 1), ("Team B", 2)]
