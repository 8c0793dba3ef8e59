"""The demo's effects page has something to show: the shipped playbooks went live before their drills (marketing
after a pilot in two teams), and the QA story's agent had her grade raised six weeks ago."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from insights.selectors import authority, playbooks
from linkage import demo, demo_drills
from staff.demo import ROLE_HR, ROLE_SUPERVISOR


def _hr():
    return get_user_model().objects.get(username=ROLE_HR)


def test_the_playbooks_went_live_before_their_first_drills(demo_world, db):
    today = timezone.localdate()
    effects = {e.playbook.code: e for e in playbooks.effects(playbooks.playbooks(), _hr(), today=today)}
    marketing, incident = effects[demo.MARKETING], effects[demo.INCIDENT]
    assert marketing.published_on < marketing.drilled_from
    assert incident.published_on < incident.drilled_from
    assert marketing.pilot.start == marketing.published_on - datetime.timedelta(weeks=3)
    assert incident.pilot is None
    for _kpi, before, after, pilot, control, drilled, _not_yet in marketing.rows:
        assert None not in (before, after, pilot, control, drilled)
    for _kpi, before, after, *_rest in incident.rows:  # published before the demo's KPI history began
        assert before is None and after is not None
    first_marketing_drill = today - datetime.timedelta(
        weeks=demo_drills.WEEKS_BETWEEN_DRILLS * demo_drills.DRILLS_PER_TEAM
    )
    assert marketing.drilled_from == first_marketing_drill


def test_the_pilot_teams_are_the_demo_supervisors_and_one_more(demo_world, db):
    from linkage.models import PlaybookVersion

    first = PlaybookVersion.objects.get(playbook__code=demo.MARKETING, number=1)
    teams = list(first.pilot_teams.select_related("supervisor__user"))
    assert len(teams) == demo.PILOT_TEAMS
    assert ROLE_SUPERVISOR in {team.supervisor.user.username for team in teams}
    assert [e.to_status for e in first.events.order_by("at", "pk")] == ["pilot", "published", "retired"]


def test_a_grade_raise_has_cases_before_and_after_it(demo_world, db):
    raised = {row.direction: row for row in authority.authority_effects(_hr())}["raised"]
    assert raised.changes == 1
    assert raised.before.cases > 0 and raised.after.cases > 0


def test_the_effects_page_shows_them(demo_world, client, db):
    client.force_login(_hr())
    page = client.get(reverse("insights:effects"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-direction="raised"' in html
