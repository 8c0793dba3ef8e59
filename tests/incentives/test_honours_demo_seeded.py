"""The honours in the seeded demo (issue 15 §10): the demo supervisor's team shows last month's winner on its wall;
this month's window is open with two nominations the demo HR may decide; the role model has its named decider."""

from django.urls import reverse

from incentives.models import AwardProgramme, Nomination, ProgrammeKind
from staff.demo.plan import ROLE_HR, ROLE_SUPERVISOR


def test_the_demo_supervisor_sees_last_months_winner_on_the_wall(demo_world, db, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=ROLE_SUPERVISOR))
    page = client.get(reverse("incentives:wall")).content.decode()
    winner = Nomination.objects.filter(programme__kind=ProgrammeKind.MONTHLY_AWARD, status="won").get()
    assert 'id="wall-honours"' in page and f'data-honour="{winner.pk}"' in page


def test_hr_sees_the_open_window_with_two_nominations_to_decide(demo_world, db, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=ROLE_HR))
    programmes = client.get(reverse("incentives:honours")).context["page"]
    current = list(programmes)[0]
    assert current.is_open and current.n_nominations == 2
    page = client.get(reverse("incentives:honours-programme", args=[current.pk])).content.decode()
    assert page.count("decide-form") == 2
    assert AwardProgramme.objects.get(kind=ProgrammeKind.ROLE_MODEL).decider is not None
