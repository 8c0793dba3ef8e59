"""The navbar links to what its user may open, asked of each app's permissions (the batch board of
training.permissions), and keeps the bell with its unread count outside the collapsed menu."""

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import Stage
from tests.staff.factories import EmployeeFactory
from tests.training.onboarding_factories import make_program, open_batch

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def page(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(reverse("home"), follow=True).content.decode()


def links(body):
    nav = body[body.index('<div class="collapse navbar-collapse"') : body.index("</nav>")]
    return {name for name in NAMES if f'href="{reverse(name)}"' in nav}


NAMES = (
    "staff:today",
    "training:batch-board",
    "staff:my-team",
    "training:team-heatmap",
    "staff:my-mentees",
    "staff:my-profile",
)


@pytest.fixture
def deputy(world):
    """Supervises a batch, leads no team."""
    deputy = EmployeeFactory(name="Deputy", team=world.other_team, stage=Stage.MANAGEMENT)
    open_batch(make_program(), hr=world.hr, supervisor=deputy, trainees=[world.trainee], start_on=timezone.localdate())
    return deputy


def test_a_batch_supervisor_who_leads_no_team_is_linked_to_the_batch_board_only(client, deputy):
    body = page(client, deputy.user)
    assert links(body) & {"training:batch-board", "staff:my-team", "training:team-heatmap"} == {"training:batch-board"}
    # Her own pages sit in the user menu, as for everyone who leads people.
    assert f'class="dropdown-item" href="{reverse("staff:my-profile")}"' in body


@pytest.mark.parametrize(
    ("who", "batch_board"), [("supervisor", True), ("hr", True), ("mentor", False), ("trainee", False)]
)
def test_the_batch_board_link_follows_the_permission(client, world, who, batch_board):
    user = world.hr if who == "hr" else getattr(world, who).user
    assert ("training:batch-board" in links(page(client, user))) is batch_board


@pytest.mark.parametrize(("who", "today"), [("supervisor", True), ("hr", False), ("mentor", False), ("trainee", False)])
def test_the_today_link_is_for_whoever_supervises_work(client, world, deputy, who, today):
    user = world.hr if who == "hr" else getattr(world, who).user
    assert ("staff:today" in links(page(client, user))) is today
    assert "staff:today" in links(page(client, deputy.user))


def test_the_bell_sits_outside_the_collapsed_menu(client, world):
    body = page(client, world.trainee.user)
    assert body.index('id="nav-inbox"') < body.index('<div class="collapse navbar-collapse"')
