"""The honours demo (issue 15 §3, §10) on a small staff: last month's award decided with its winner published and
credited, this month's window open with two nominations, last quarter's role model; a second run adds nothing."""

import pytest
from django.utils import timezone

from incentives import demo_honours
from incentives.models import AwardProgramme, EntryKind, Nomination, PointsEntry, ProgrammeKind
from incentives.selectors import honours as selectors
from staff.models import Stage
from tests.staff.factories import EmployeeFactory, TeamFactory, make_hr_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    make_hr_user(username="hr")
    teams = []
    for code in "AB":
        team = TeamFactory(name=f"Demo {code}")
        team.supervisor = EmployeeFactory(team=team, stage=Stage.MANAGEMENT, user__username=f"lead_{code}")
        team.save()
        for i in range(4):
            EmployeeFactory(team=team, stage=Stage.GROWTH, user__username=f"agent_{code}{i}")
        teams.append(team)
    EmployeeFactory(team=None, stage=Stage.MANAGEMENT, user__username="site_manager")
    return teams


def test_the_demo_shows_a_decided_award_an_open_window_and_a_role_model(staff):
    today = timezone.localdate()
    counts = demo_honours.seed(today=today)
    assert counts["award programmes"] == 3 and counts["honours won"] == 2
    monthly = AwardProgramme.objects.filter(kind=ProgrammeKind.MONTHLY_AWARD).order_by("starts_on")
    decided, current = list(monthly)
    winner = Nomination.objects.get(programme=decided, status="won")
    assert decided.ends_on < today and winner.decided_at.date() > decided.ends_on
    assert PointsEntry.objects.get(source_ref=f"award:{winner.pk}").kind == EntryKind.AWARD
    assert winner in selectors.wall_honours(winner.nominee.team)
    assert current.opens_on <= today <= current.closes_on
    assert Nomination.objects.filter(programme=current, status="nominated").count() == 2
    role_model = AwardProgramme.objects.get(kind=ProgrammeKind.ROLE_MODEL)
    assert role_model.decider is not None and role_model.nominations.filter(status="won").count() == 1
    assert demo_honours.seed(today=today) == {}
    assert Nomination.objects.count() == 5  # two teams: two nominations last month, two now, one role model
