"""The demo's two initiatives shaped like seed 003's, whose Check is computed from the demo's KPI data."""

from django.utils import timezone

from improvement import effects
from improvement.demo_initiatives import COUPONS, FIRST_CONTACT
from improvement.models import GuardrailBreach, Initiative


def _check(title):
    initiative = Initiative.objects.get(title=title)
    return initiative, effects.check_of(initiative, today=timezone.localdate())


def test_first_contact_ownership_was_piloted_on_two_teams_and_lifted_fcr(demo_world, db):
    initiative, check = _check(FIRST_CONTACT)
    assert initiative.status == "check" and initiative.pilot_teams.count() == 2
    (fcr,) = check.goals
    assert fcr.kpi.code == "fcr"
    assert fcr.pilot_control.difference > 0.02  # the pilot teams resolve more than the control group
    assert fcr.before_after.difference > 0.01  # and the site after go-live more than before
    assert fcr.monthly and fcr.pilot_monthly
    (connect,) = check.guardrails
    assert connect.kpi.code == "connect_rate" and connect.guardrail_breached is False
    assert initiative.kpis.get(role="goal").baseline is not None  # computed from the before window


def test_tiered_coupon_authority_lowers_escalations_within_its_payout_guardrail(demo_world, db):
    initiative, check = _check(COUPONS)
    assert initiative.status == "do"
    (escalation,) = check.goals
    assert escalation.pilot_control.difference < 0 and escalation.before_after.difference < 0
    assert escalation.improved(escalation.before_after) is True
    (payout,) = check.guardrails
    assert payout.guardrail_breached is False
    assert not GuardrailBreach.objects.exists()


def test_the_initiative_page_shows_the_computed_headline(demo_world, db, client):
    from django.contrib.auth import get_user_model

    initiative, check = _check(FIRST_CONTACT)
    client.force_login(get_user_model().objects.get(username="supervisor"))
    response = client.get(f"/improvement/initiatives/{initiative.pk}/")
    assert response.status_code == 200
    effect, kind, change = check.headline
    assert kind == "pilot"
    assert f'data-difference="{effects.quantised(change.difference)}"' in response.content.decode()
