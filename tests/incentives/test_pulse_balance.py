"""The Herzberg balance of a team (issue 15 §6) and its items on the supervisor's "Today": recognition by
motivator, spiritual vs material with the warning when material dominates, people not recognised in 30 days,
the hygiene pulse trend and alerts, honours this quarter; figures on a fixture, a fixed query count, the scopes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incentives.models import Recognition
from incentives.selectors import balance as selectors
from incentives.services import pulse as pulse_services
from staff import today as staff_today
from staff.models import Stage
from tests.incentives.factories import give
from tests.incentives.pulse_factories import answer, close, make_survey, open_wave, team_of
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user
from tests.test_authorization_matrix import EXPECTED, ROLES, _client_for, _outcome

pytestmark = pytest.mark.django_db

MINE = ["incentives:pulse", "incentives:pulse-results", "incentives:balance"]
MINE += ["incentives-pulse-wave-list", "incentives-pulse-answer-list", "incentives-pulse-result-list"]


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
def test_pulse_pages_answer_each_persona_as_the_matrix_says(client, mworld, role):
    _client_for(client, mworld, role)
    unexpected = []
    for name in MINE:
        kwargs_for, expected = EXPECTED[name]
        url = reverse(name, kwargs=kwargs_for(mworld) if kwargs_for else None)
        got = _outcome(client.get(url))
        if got != expected[role]:
            unexpected.append((name, expected[role], got))
    assert unexpected == []


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def team():
    """Six members: three recognised lately (two material, one spiritual), one only 40 days ago, two never."""
    team = team_of(6)
    members = team.members_made
    boss = team.supervisor
    recent = [
        give(boss, members[0], members[1], motivator="achievement", kind="material", points=0),
        give(boss, members[2], motivator="growth", kind="material"),
        give(boss, members[0], motivator="achievement"),
    ]
    old = give(boss, members[3], motivator="responsibility")
    Recognition.objects.filter(pk=old.pk).update(created_at=_ago(40))
    Recognition.objects.filter(pk__in=[r.pk for r in recent]).update(created_at=_ago(3))
    return team


def test_balance_figures_on_a_fixture(team):
    today = timezone.localdate()
    mix = selectors.recognition_mix(team, today=today)
    counts = {value: n for value, _label, n in mix.by_motivator}
    assert counts == {
        "achievement": 2,  # one recognition of two teammates counts once
        "recognition": 0,
        "work_itself": 0,
        "responsibility": 1,
        "advancement": 0,
        "growth": 1,
    }
    assert (mix.spiritual, mix.material) == (2, 2)
    assert not mix.material_dominates  # half is not more than half
    quiet = list(selectors.not_recognised(team, today=today))
    assert quiet == sorted(team.members_made[3:], key=lambda e: (e.name, e.pk))  # the supervisor is not listed


def test_material_dominating_shows_the_warning(client, team):
    give(team.supervisor, team.members_made[4], motivator="achievement", kind="material")
    client.force_login(team.supervisor.user)
    response = client.get(reverse("incentives:balance"))
    assert response.context["mix"].material_dominates
    assert 'id="material-warning"' in response.content.decode()


def test_the_balance_shows_the_hygiene_trend_and_the_open_alert(client, team):
    survey = make_survey()
    wave1 = open_wave(survey, number=1)
    for person in team.members_made:
        answer(person, wave1, {"supervision": 5, "pay": 4})
    close(wave1, days_ago=31)
    wave2 = open_wave(survey, number=2)
    for person in team.members_made:
        answer(person, wave2, {"supervision": 3, "pay": 4})
    close(wave2)
    pulse_services.evaluate_closed_waves()
    client.force_login(team.supervisor.user)
    response = client.get(reverse("incentives:balance"), {"team": team.pk})
    rows = dict(response.context["hygiene_rows"])
    assert [str(v) for v in rows["Supervision"]] == ["5.00", "3.00"]
    assert [alert.factor for alert, _m in response.context["alerts"]] == ["supervision"]
    assert "recognition does not fix it" in response.content.decode()


def test_a_supervisor_sees_only_her_teams_and_hr_gets_a_paginated_list(client, team):
    other = team_of(1)
    client.force_login(team.supervisor.user)
    assert client.get(reverse("incentives:balance"), {"team": other.pk}).status_code == 404
    hr = make_hr_user(username="balance_hr")
    client.force_login(hr)
    listing = client.get(reverse("incentives:balance"))
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 2
    assert client.get(reverse("incentives:balance"), {"team": other.pk}).status_code == 200


def _grow(team, n):
    more = [EmployeeFactory(team=team) for _ in range(n)]
    for person in more:
        give(team.supervisor, person, motivator="growth", kind="material")
    survey = make_survey(name=f"Pulse {n}")
    wave = open_wave(survey)
    for person in more:
        answer(person, wave)


def test_the_balance_view_has_a_fixed_query_count(client, team, django_assert_max_num_queries):
    client.force_login(team.supervisor.user)
    _grow(team, 5)
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("incentives:balance")).status_code == 200
    _grow(team, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("incentives:balance")).status_code == 200


def test_today_says_how_many_were_not_recognised_in_30_days(client, team):
    give(team.supervisor, team.members_made[5], motivator="growth")
    items = [
        item
        for source in staff_today._sources
        for item in source(team.supervisor.user, today=timezone.localdate(), now=timezone.now())
        if item.key == f"incentives-quiet:{team.pk}"
    ]
    assert [item.text for item in items] == ["2 people not recognised in 30 days"]
    client.force_login(team.supervisor.user)
    assert "2 people not recognised in 30 days" in client.get(reverse("staff:today")).content.decode()
    give(team.supervisor, team.members_made[3], team.members_made[4], motivator="growth")
    assert "not recognised in 30 days" not in client.get(reverse("staff:today")).content.decode()


def test_today_shows_a_hygiene_alert_of_her_team(client, team):
    survey = make_survey()
    wave = open_wave(survey)
    for person in team.members_made:
        answer(person, wave, {"relations": 1, "supervision": 2})
    close(wave)
    pulse_services.evaluate_closed_waves()
    client.force_login(team.supervisor.user)
    body = client.get(reverse("staff:today")).content.decode()
    assert "Pulse alert" in body and "recognition does not fix hygiene" in body
