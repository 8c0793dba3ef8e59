"""The demo's pulse surveys (issue 15 §10): two waves answered by most of the centre, and one hygiene alert — the
demo supervisor's team, whose supervision score fell — shown on her balance view."""

from django.urls import reverse

from incentives.models import PulseAlert, PulseRespondent, Survey
from staff.demo.plan import ROLE_SUPERVISOR
from staff.models import Employee


def test_two_waves_with_one_hygiene_alert_on_the_supervisors_team(demo_world, db, client):
    survey = Survey.objects.get()
    assert list(survey.waves.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert PulseRespondent.objects.count() >= 50
    supervisor = Employee.objects.get(user__username=ROLE_SUPERVISOR)
    alerts = PulseAlert.objects.filter(group_key__startswith="team:")
    assert [(a.team_id, a.factor, a.has_dropped) for a in alerts] == [(supervisor.team_id, "supervision", True)]
    client.force_login(supervisor.user)
    response = client.get(reverse("incentives:balance"), {"team": supervisor.team_id})
    assert [alert.factor for alert, _message in response.context["alerts"]] == ["supervision"]
