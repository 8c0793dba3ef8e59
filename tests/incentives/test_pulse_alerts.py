"""Waves and alerts (issue 15 §5): the beat opens the next wave when due and invites once; a factor below the
threshold or fallen sharply raises one alert per wave, group and factor, to its owner (HR for pay and policy, the
supervisor for supervision), saying that recognition does not fix hygiene."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from incentives.models import PulseAlert, Wave
from incentives.services import pulse as services
from incentives.tasks import run_pulse_waves
from notifications.models import Notification
from tests.incentives.pulse_factories import answer, close, make_survey, open_wave, team_of
from tests.staff.factories import make_hr_user

pytestmark = pytest.mark.django_db


def test_the_next_wave_opens_when_due_and_invites_once():
    team = team_of(6)
    survey = make_survey(every_days=30, open_days=7)
    first = services.open_due_waves()
    assert [w.number for w in first] == [1]
    assert services.open_due_waves() == []  # beat firing twice opens nothing more
    invited = Notification.objects.filter(kind=services.INVITED)
    assert invited.count() == 6  # the members, not their supervisor
    assert Wave.objects.get().invited == 6
    later = timezone.localdate() + datetime.timedelta(days=30)
    with time_machine.travel(
        datetime.datetime.combine(later, datetime.time(9), tzinfo=timezone.get_current_timezone())
    ):
        run_pulse_waves()
        run_pulse_waves()
    assert list(survey.waves.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert invited.count() == 12
    assert team.supervisor.user_id not in set(invited.values_list("recipient_id", flat=True))


def test_the_day_before_closing_those_who_did_not_answer_are_reminded_once():
    team = team_of(5)
    wave = open_wave(make_survey(), days=2)
    answer(team.members_made[0], wave)
    assert services.remind(today=wave.opens_on) == 4
    assert services.remind(today=wave.opens_on) == 0


@pytest.fixture
def falling():
    """Team of six: supervision 4 in wave 1, 3 in wave 2 (a drop of 1.00); pay 2 both times (below 3)."""
    hr = make_hr_user(username="pulse_alert_hr")
    team = team_of(6)
    survey = make_survey()
    wave1 = open_wave(survey, number=1)
    for person in team.members_made:
        answer(person, wave1, {"supervision": 4, "pay": 2})
    close(wave1, days_ago=31)
    wave2 = open_wave(survey, number=2)
    for person in team.members_made:
        answer(person, wave2, {"supervision": 3, "pay": 2})
    close(wave2, days_ago=1)
    return {"team": team, "hr": hr, "waves": [wave1, wave2]}


def test_a_sharp_drop_raises_one_alert_to_the_supervisor(falling):
    team = falling["team"]
    run_pulse_waves()
    run_pulse_waves()  # beat twice: nothing new
    wave2 = falling["waves"][1]
    alert = PulseAlert.objects.get(wave=wave2, group_key=f"team:{team.pk}", factor="supervision")
    assert (alert.has_dropped, alert.is_below, alert.owner) == (True, False, "supervisor")
    assert str(alert.previous) == "4.00" and str(alert.average) == "3.00"
    sent = Notification.objects.filter(kind=services.ALERTED, key__startswith=f"{services.ALERTED}:{alert.pk}:")
    assert list(sent.values_list("recipient_id", flat=True)) == [team.supervisor.user_id]
    body = sent.get().body  # in the supervisor's language
    assert "recognition does not fix it" in body or "认可解决不了它" in body


def test_pay_below_the_threshold_goes_to_hr(falling):
    services.evaluate_closed_waves()
    team, hr = falling["team"], falling["hr"]
    alerts = PulseAlert.objects.filter(group_key=f"team:{team.pk}", factor="pay")
    assert alerts.count() == 2 and set(alerts.values_list("owner", flat=True)) == {"hr"}
    recipients = set(Notification.objects.filter(kind=services.ALERTED).values_list("recipient_id", flat=True))
    assert hr.pk in recipients


def test_alerts_are_keyed_once_per_wave_group_and_factor(falling):
    wave2 = falling["waves"][1]
    first = services.evaluate_wave(wave_id=wave2.pk)
    again = services.evaluate_wave(wave_id=wave2.pk)
    assert first > 0 and again == 0
    keys = list(PulseAlert.objects.filter(wave=wave2).values_list("group_key", "factor"))
    assert len(keys) == len(set(keys))


def test_a_group_under_five_raises_no_alert():
    team = team_of(4)
    survey = make_survey()
    wave = open_wave(survey)
    for person in team.members_made:
        answer(person, wave, {"supervision": 1, "pay": 1})
    close(wave)
    assert services.evaluate_closed_waves() == 0
    assert not PulseAlert.objects.exists()
