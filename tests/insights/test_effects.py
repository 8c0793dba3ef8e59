"""Effects (issue 16 §2): initiatives' computed Checks listed together, and per team recognition per head, the
hygiene score of the latest closed pulse wave (only for a team published on its own) and attrition — on the page and
in the API alike; a supervisor reads only her teams; fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incentives.models import PulseRespondent, PulseTally, Question, Wave
from tests.incentives.factories import give
from tests.incentives.pulse_factories import make_survey
from tests.insights.cohort_factories import api, centre
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 15, 10, 0), tick=False)
    return centre()


def pulse(world, answers):
    """A closed wave with ``answers`` {team: [(supervision score, pay score, achievement score)] per respondent},
    written as the service writes them: one respondent row each (no score) and the tallies."""
    survey = make_survey()
    wave = Wave.objects.create(
        survey=survey, number=1, opens_on=datetime.date(2026, 11, 1), closes_on=datetime.date(2026, 11, 7)
    )
    questions = list(Question.objects.filter(survey=survey).order_by("order"))
    for team, rows in answers.items():
        for scores in rows:
            person = EmployeeFactory(team=team)
            PulseRespondent.objects.create(wave=wave, employee=person, team=team, site=world.site)
            for question, score in zip(questions, scores, strict=True):
                tally, _ = PulseTally.objects.get_or_create(
                    wave=wave, question=question, team=team, site=world.site, score=score
                )
                PulseTally.objects.filter(pk=tally.pk).update(count=tally.count + 1)
    return wave


def test_recognition_hygiene_and_attrition_per_team(client, world):
    give(world.lead_a, world.a1)
    give(world.lead_a, world.a1)
    # Team A: 6 respondents; hygiene = supervision and pay (not achievement): (3+2)×3 + (4+4)×3 = 39 over 12 answers
    # = 3.25. Team B: 6 respondents, all 5 and 5: 5.00. Both stand alone (the site's rest is nobody).
    pulse(world, {world.team_a: [(3, 2, 5)] * 3 + [(4, 4, 1)] * 3, world.team_b: [(5, 5, 1)] * 6})
    client.force_login(world.hr)
    rows = {row.team.name: row for row in client.get(reverse("insights:effects")).context["teams"]}
    a, b = rows["Team A"], rows["Team B"]
    # Team A's active people now: lead_a, a1 and the six respondents = 8; two recognitions received (a1)
    assert (a.headcount, a.recognitions, a.per_head) == (8, 2, Decimal("0.25"))
    assert (a.hygiene, a.respondents) == (Decimal("3.25"), 6)
    assert b.hygiene == Decimal("5.00")
    # Team A's attrition over 12 months: a2 left (15 Jul); at the start lead_a, today lead_a, a1 and six: 1 / 5
    assert (a.attrition.numerator, a.attrition.denominator) == (1, 5)
    data = {row["name"]: row for row in api(world.hr).get(reverse("insights-effects-list")).json()["teams"]}
    assert data["Team A"]["hygiene"] == "3.25" and data["Team A"]["recognitions_per_head"] == "0.25"
    assert data["Team A"]["attrition"] == {"numerator": 1, "denominator": 5, "value": "0.2000"}


def test_a_team_under_five_respondents_shows_no_hygiene_score(client, world):
    # 6 and 4 respondents in one site: showing A alone would reveal B (site − A = 4 people), so neither stands alone
    pulse(world, {world.team_a: [(3, 3, 3)] * 6, world.team_b: [(1, 1, 1)] * 4})
    client.force_login(world.hr)
    rows = {row.team.name: row for row in client.get(reverse("insights:effects")).context["teams"]}
    assert rows["Team A"].hygiene is None and rows["Team B"].hygiene is None
    assert "1.00" not in client.get(reverse("insights:effects")).content.decode()


def test_a_supervisor_reads_her_teams_only(client, world):
    client.force_login(world.lead_a.user)
    rows = client.get(reverse("insights:effects")).context["teams"]
    assert [row.team.name for row in rows] == ["Team A"]
    assert [row["name"] for row in api(world.lead_a.user).get(reverse("insights-effects-list")).json()["teams"]] == [
        "Team A"
    ]


def test_a_page_past_the_end_answers_404(world):
    assert api(world.hr).get(reverse("insights-effects-list"), {"page": 9}).status_code == 404


def test_the_query_count_does_not_grow_with_teams_or_answers(client, world):
    client.force_login(world.hr)
    pulse(world, {world.team_a: [(3, 3, 3)] * 6, world.team_b: [(4, 4, 4)] * 6})
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("insights:effects"))
    for _ in range(5):
        EmployeeFactory(team=world.team_b)
        give(world.lead_b, world.mover)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("insights:effects"))
    assert len(large) == len(small)
