"""Suggestion pages (issue 14 §1, §5): the matrix rows of every suggestion URL per role, submitting on the page,
the declined answer shown to the author, POST-only actions, and box/triage/participation query counts that stay
fixed as data grows."""

import pytest
from django.urls import reverse

from improvement.models import Suggestion
from improvement.services import suggestions as services
from staff.models import Stage
from tests.improvement.suggestions_factories import SuggestionFactory
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.test_authorization_matrix import EXPECTED, ROLES, _client_for, _outcome

pytestmark = pytest.mark.django_db

MINE = sorted(name for name in EXPECTED if name.startswith(("improvement:suggestion", "improvement-suggestion")))


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
def test_matrix_rows_of_suggestions(client, mworld, role):
    """The same rows as tests/test_authorization_matrix.py, on a world without the onboarding records."""
    _client_for(client, mworld, role)
    unexpected = []
    for name in MINE:
        kwargs_for, expected = EXPECTED[name]
        url = reverse(name, kwargs=kwargs_for(mworld) if kwargs_for else None)
        got = _outcome(client.get(url))
        if got != expected[role]:
            unexpected.append((name, expected[role], got))
    assert unexpected == []


def test_submit_on_the_page_then_read_the_declined_reason(client, world):
    client.force_login(world.trainee.user)
    response = client.post(
        reverse("improvement:suggestion-new"),
        {"category": "rule", "title": "Coupon limit", "what": "Let leads give 20 yuan.", "is_public": "on"},
    )
    s = Suggestion.objects.get(title="Coupon limit")
    assert response.status_code == 302 and s.author == world.trainee and s.is_public
    client.force_login(world.supervisor.user)
    assert (
        client.post(reverse("improvement:suggestion-move", args=[s.pk]), {"to_status": "declined"}).status_code == 302
    )
    assert Suggestion.objects.get(pk=s.pk).status == "new"  # no reason: refused
    client.post(reverse("improvement:suggestion-move", args=[s.pk]), {"to_status": "declined", "answer": "Budget cap"})
    client.force_login(world.trainee.user)
    page = client.get(reverse("improvement:suggestion", args=[s.pk])).content.decode()
    assert 'id="answer"' in page and "Budget cap" in page


def test_support_button_on_the_page(client, world):
    s = SuggestionFactory(author=world.trainee)
    client.force_login(world.mentor.user)
    client.post(reverse("improvement:suggestion-support", args=[s.pk]))
    client.post(reverse("improvement:suggestion-support", args=[s.pk]))
    assert Suggestion.objects.get(pk=s.pk).support_count == 1


def _grow(world, n):
    for i in range(n):
        author = EmployeeFactory(team=world.team if i % 2 else world.other_team)
        SuggestionFactory(author=author, status=("new", "under_review", "accepted", "implemented")[i % 4])


@pytest.mark.parametrize("url_name", ["improvement:suggestions", "improvement:suggestion-triage"])
def test_list_queries_do_not_grow(client, world, django_assert_max_num_queries, url_name):
    client.force_login(world.supervisor.user)
    _grow(world, 3)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(world, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_participation_queries_do_not_grow_with_teams(client, world, django_assert_max_num_queries):
    client.force_login(world.hr)
    _grow(world, 4)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("improvement:suggestion-participation")).status_code == 200
    for _ in range(5):
        team = TeamFactory()
        SuggestionFactory(author=EmployeeFactory(team=team), status="declined", answer="No")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("improvement:suggestion-participation")).status_code == 200


def test_participation_figures(world):
    from improvement.selectors.suggestions import participation

    SuggestionFactory(author=world.trainee, status="accepted")
    SuggestionFactory(author=world.trainee, status="declined", answer="No")
    SuggestionFactory(author=world.mentor, status="implemented")
    row = next(r for r in participation() if r["team"] == "Team A")
    assert (row["suggestions"], row["authors"], row["accepted"], row["implemented"]) == (3, 2, 1, 1)
    assert row["adoption"] == pytest.approx(2 / 3)
    assert row["participation"] == pytest.approx(2 / row["headcount"])


def test_private_suggestion_is_404_for_a_colleague(client, world):
    s = services.submit(user=world.trainee.user, category="other", title="Private", what="x", is_public=False)
    client.force_login(world.mentor.user)
    assert client.get(reverse("improvement:suggestion", args=[s.pk])).status_code == 404
