"""Recognition pages (issue 15 §1, §3): the matrix rows per persona, giving on the page (the picker limited to
people in scope), the wall of the caller's team with reactions, "My points", and query counts that stay fixed
as data grows."""

import pytest
from django.urls import reverse

from incentives.models import Reaction, Recognition
from staff.models import Stage
from tests.incentives.factories import give
from tests.staff.factories import EmployeeFactory, TeamFactory
from tests.test_authorization_matrix import EXPECTED, ROLES, _client_for, _outcome, all_patterns

pytestmark = pytest.mark.django_db

MINE = sorted(name for name in EXPECTED if name.startswith(("incentives:", "incentives-")))


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
    every = {name for _route, name, _p in all_patterns() if name and name.startswith(("incentives:", "incentives-"))}
    assert set(MINE) == every  # the matrix covers every incentives URL


def test_the_picker_offers_only_people_in_scope(client, world):
    client.force_login(world.trainee.user)
    page = client.get(reverse("incentives:give")).content.decode()
    assert world.mentor.name in page and world.supervisor.name in page
    assert world.other_trainee.name not in page
    assert f'value="{world.trainee.pk}"' not in page  # not herself


def test_giving_on_the_page_lands_on_the_wall(client, world):
    client.force_login(world.trainee.user)
    token = client.get(reverse("incentives:give")).context["form"].initial["token"]
    data = {"recipients": [world.mentor.pk], "motivator": "work_itself", "kind": "spiritual", "token": token}
    response = client.post(reverse("incentives:give"), data)
    assert response.status_code == 302 and response["Location"] == reverse("incentives:wall")
    client.post(reverse("incentives:give"), data)  # a double tap makes one recognition
    recognition = Recognition.objects.get()
    assert (recognition.giver, recognition.motivator) == (world.trainee, "work_itself")
    assert recognition.message == "Thank you!"
    wall = client.get(reverse("incentives:wall")).content.decode()
    assert f'data-recognition="{recognition.pk}"' in wall


def test_a_refused_recognition_shows_why(client, world):
    client.force_login(world.trainee.user)
    data = {"recipients": [world.mentor.pk], "motivator": "growth", "kind": "material", "points": 60}
    response = client.post(reverse("incentives:give"), data)
    assert response.status_code == 200
    assert "left of your allowance" in response.content.decode()


def test_the_wall_shows_the_callers_team_only(client, world):
    ours = give(world.mentor, world.trainee, message="Team A thanks")
    theirs = give(world.other_supervisor, world.other_trainee, message="Team B thanks")
    client.force_login(world.trainee.user)
    page = client.get(reverse("incentives:wall")).content.decode()
    assert f'data-recognition="{ours.pk}"' in page and f'data-recognition="{theirs.pk}"' not in page
    client.force_login(world.hr)
    page = client.get(reverse("incentives:wall"), {"team": world.other_team.pk}).content.decode()
    assert f'data-recognition="{theirs.pk}"' in page and f'data-recognition="{ours.pk}"' not in page


def test_reacting_on_the_wall(client, world):
    recognition = give(world.mentor, world.trainee)
    client.force_login(world.supervisor.user)
    response = client.post(reverse("incentives:react", args=[recognition.pk]), {"label": "inspiring"})
    assert response.status_code == 302
    assert Reaction.objects.get().label == "inspiring"
    client.force_login(world.other_trainee.user)
    assert client.post(reverse("incentives:react", args=[recognition.pk]), {"label": "thanks"}).status_code == 404


def test_my_points_shows_the_balance_and_allowance_left(client, world):
    give(world.mentor, world.trainee, points=7)
    give(world.trainee, world.mentor, points=3)
    client.force_login(world.trainee.user)
    response = client.get(reverse("incentives:my-points"))
    assert (response.context["balance"], response.context["allowance_left"]) == (7, 47)


def _grow(world, n):
    people = [EmployeeFactory(team=world.team) for _ in range(3)]
    for i in range(n):
        recognition = give(world.supervisor, world.trainee, people[i % 3], points=1, message=f"Thanks {i}")
        Reaction.objects.create(recognition=recognition, employee=people[(i + 1) % 3], label="applause")
        give(world.mentor, world.trainee, points=1, message=f"More {i}")


@pytest.mark.parametrize("url_name", ["incentives:wall", "incentives:my-points"])
def test_the_query_count_does_not_grow_with_data(client, world, url_name, django_assert_max_num_queries):
    client.force_login(world.trainee.user)
    _grow(world, 2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(url_name)).status_code == 200
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
