"""Honour pages (issue 15 §3, §7): the matrix rows per persona, programmes with open windows first, nominating and
deciding on the page, a winner published on the team's wall and in her timeline, and query counts that stay fixed
as data grows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incentives.models import Nomination, PointsEntry
from staff.models import Stage
from tests.incentives.honours_factories import ProgrammeFactory, decide, nominate
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.test_authorization_matrix import EXPECTED, ROLES, _client_for, _outcome

pytestmark = pytest.mark.django_db

MINE = sorted(name for name in EXPECTED if "honour" in name or "nomination" in name or "award-programme" in name)


@pytest.fixture
def mworld(world):
    team_c = TeamFactory(name="Team C")
    world.batch_supervisor = EmployeeFactory(
        name="Supervisor C", team=team_c, stage=Stage.MANAGEMENT, user__username="sup_c"
    )
    team_c.supervisor = world.batch_supervisor
    team_c.save()
    return world


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_persona_as_the_matrix_says(client, mworld, role):
    _client_for(client, mworld, role)
    unexpected = []
    for name in MINE:
        kwargs_for, expected = EXPECTED[name]
        url = reverse(name, kwargs=kwargs_for(mworld) if kwargs_for else None)
        got = _outcome(client.get(url))
        if got != expected[role]:
            unexpected.append((name, expected[role], got))
    assert unexpected == []
    assert len(MINE) == 10


def test_open_windows_come_first(client, world):
    today = timezone.localdate()
    past = ProgrammeFactory(
        name="Past award", opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=30)
    )
    later = ProgrammeFactory(name="Closes later", closes_on=today + datetime.timedelta(days=9))
    sooner = ProgrammeFactory(name="Closes sooner", closes_on=today + datetime.timedelta(days=2))
    other_team = ProgrammeFactory(name="Team B only", team=world.other_team)
    client.force_login(world.trainee.user)
    page = client.get(reverse("incentives:honours")).context["page"]
    assert list(page) == [sooner, later, past]
    assert other_team not in list(page)
    only_open = client.get(reverse("incentives:honours"), {"open": "on"}).context["page"]
    assert list(only_open) == [sooner, later]


def test_nominating_on_the_page(client, world):
    programme = ProgrammeFactory(team=world.team)
    client.force_login(world.mentor.user)
    response = client.get(reverse("incentives:honours-programme", args=[programme.pk]))
    form = response.context["form"]
    assert world.trainee in form.fields["nominee"].queryset and world.mentor not in form.fields["nominee"].queryset
    data = {"nominee": world.trainee.pk, "reason": "Calm on every hard call.", "token": form.initial["token"]}
    url = reverse("incentives:honours-nominate", args=[programme.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click makes one nomination
    assert Nomination.objects.get().reason == "Calm on every hard call."


def test_a_refused_nomination_shows_why(client, world):
    today = timezone.localdate()
    programme = ProgrammeFactory(
        team=world.team, opens_on=today - datetime.timedelta(days=9), closes_on=today - datetime.timedelta(days=1)
    )
    client.force_login(world.mentor.user)
    url = reverse("incentives:honours-nominate", args=[programme.pk])
    response = client.post(url, {"nominee": world.trainee.pk, "reason": "Late."})
    assert response.status_code == 400 and "Nominations closed" in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_decider_decides_on_the_page_and_the_winner_is_published(client, world):
    programme = ProgrammeFactory(team=world.team, points=20)
    nomination = nominate(world.mentor.user, programme, world.trainee)
    client.force_login(world.supervisor.user)
    page = client.get(reverse("incentives:honours-programme", args=[programme.pk])).content.decode()
    assert "decide-form" not in page  # HR decides this one
    client.force_login(world.hr)
    page = client.get(reverse("incentives:honours-programme", args=[programme.pk])).content.decode()
    assert "decide-form" in page
    url = reverse("incentives:honours-decide", args=[nomination.pk])
    assert client.post(url, {"decision": "won", "note": "Bravo"}).status_code == 302
    assert client.post(url, {"decision": "won", "note": "Bravo"}).status_code == 302  # retried: nothing twice
    assert PointsEntry.objects.get(source_ref=f"award:{nomination.pk}").points == 20
    client.force_login(world.mentor.user)
    wall = client.get(reverse("incentives:wall")).content.decode()
    assert 'id="wall-honours"' in wall and f'data-honour="{nomination.pk}"' in wall
    client.force_login(world.trainee.user)
    mine = client.get(reverse("incentives:my-honours")).content.decode()
    assert f'data-honour="{nomination.pk}"' in mine
    client.force_login(world.supervisor.user)
    theirs = client.get(reverse("incentives:honours-person", args=[world.trainee.pk])).content.decode()
    assert f'data-honour="{nomination.pk}"' in theirs


def test_the_nominee_gets_no_decide_form_on_her_own_nomination(client, world):
    programme = ProgrammeFactory(team=world.team, decided_by="named", decider=world.supervisor)
    own = nominate(world.mentor.user, programme, world.supervisor)
    other = nominate(world.mentor.user, programme, world.trainee)
    client.force_login(world.supervisor.user)
    page = client.get(reverse("incentives:honours-programme", args=[programme.pk])).content.decode()
    assert reverse("incentives:honours-decide", args=[other.pk]) in page
    assert reverse("incentives:honours-decide", args=[own.pk]) not in page
    client.post(reverse("incentives:honours-decide", args=[own.pk]), {"decision": "won"})
    assert Nomination.objects.get(pk=own.pk).status == "nominated"


def test_the_other_team_does_not_see_the_wall_honour(client, world):
    programme = ProgrammeFactory(team=world.team)
    decide(world.hr, nominate(world.mentor.user, programme, world.trainee))
    client.force_login(world.other_trainee.user)
    assert 'id="wall-honours"' not in client.get(reverse("incentives:wall")).content.decode()


def _grow(world, n):
    people = [EmployeeFactory(team=world.team) for _ in range(n)]
    for _ in range(n):
        programme = ProgrammeFactory(team=world.team, winners=n)
        for person in people:
            decide(world.hr, nominate(world.supervisor.user, programme, person))
        nominate(world.mentor.user, programme, world.trainee)
    return programme


@pytest.mark.parametrize("url_name", ["incentives:honours", "incentives:honours-programme", "incentives:my-honours"])
def test_the_query_count_does_not_grow_with_data(client, world, url_name, django_assert_max_num_queries):
    programme = _grow(world, 2)
    client.force_login(world.supervisor.user)
    args = [programme.pk] if url_name == "incentives:honours-programme" else []
    with django_assert_max_num_queries(25) as small:
        assert client.get(reverse(url_name, args=args)).status_code == 200
    programme = _grow(world, 5)
    args = [programme.pk] if url_name == "incentives:honours-programme" else []
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name, args=args)).status_code == 200
