"""Writes of initiatives: the plan (who may, windows, the baseline computed), the status moves with their audit, the
Act decision, and the daily guardrail check that alerts the owner once per breach."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from improvement.models import GuardrailBreach, Initiative, InitiativeEvent
from improvement.services import initiatives as services
from kpis.models import Kpi
from notifications.models import Notification
from tests.improvement.initiatives_factories import InitiativeFactory, guardrail
from tests.kpis.factories import AgentDayFactory

D = datetime.date


def _plan(owner, **changes):
    return {
        "title": "First-contact ownership",
        "goal": "Resolve more at the first contact.",
        "method": "",
        "owner": owner,
        "baseline_from": D(2026, 9, 1),
        "baseline_to": D(2026, 9, 30),
        "pilot_start": D(2026, 10, 15),
        "rollout_start": D(2026, 12, 1),
        "after_to": None,
        **changes,
    }


def test_a_supervisor_plans_an_initiative_and_the_goal_baseline_is_computed(world):
    AgentDayFactory(employee=world.trainee, on=D(2026, 9, 10), fcr_resolved=70, inbound_handled=100)
    fcr = Kpi.objects.get(code="fcr")
    initiative = services.save_plan(
        actor=world.supervisor.user,
        plan=_plan(world.supervisor),
        scope_teams=[world.team],
        pilot_teams=[world.team],
        children={
            "kpis": [{"kpi": fcr, "role": "goal", "target": Decimal("0.8")}],
            "risks": [{"risk": "Longer calls", "counter_measure": "Coach", "owner": world.supervisor}],
            "milestones": [{"title": "Train the pilot teams", "due_on": D(2026, 10, 10)}],
        },
    )
    assert initiative.created_by == world.supervisor.user and initiative.status == "plan"
    (row,) = initiative.kpis.all()
    assert row.baseline == Decimal("0.7000") and row.target == Decimal("0.8")
    assert initiative.risks.count() == 1 and initiative.milestones.count() == 1


def test_an_agent_may_not_plan_one(world):
    with pytest.raises(PermissionDenied):
        services.save_plan(actor=world.trainee.user, plan=_plan(world.trainee))
    assert not Initiative.objects.exists()


def test_the_before_window_must_end_before_the_pilot(world):
    with pytest.raises(ValidationError):
        services.save_plan(actor=world.hr, plan=_plan(world.supervisor, baseline_to=D(2026, 10, 20)))


def test_only_the_owner_or_hr_changes_the_plan(world):
    initiative = InitiativeFactory(owner=world.supervisor)
    with pytest.raises(PermissionDenied):
        services.save_plan(actor=world.other_supervisor.user, initiative=initiative, plan={"title": "Mine"})
    services.save_plan(actor=world.hr, initiative=initiative, plan={"title": "Renamed"})
    initiative.refresh_from_db()
    assert initiative.title == "Renamed"


def test_moves_follow_the_table_and_are_audited(world):
    initiative = InitiativeFactory(owner=world.supervisor)
    actor = world.supervisor.user
    with pytest.raises(ValidationError):
        services.move_status(actor=actor, initiative_id=initiative.pk, to_status="check")
    services.move_status(actor=actor, initiative_id=initiative.pk, to_status="do", note="Go")
    services.move_status(actor=actor, initiative_id=initiative.pk, to_status="do")  # already there: nothing
    events = list(InitiativeEvent.objects.filter(initiative=initiative).values_list("from_status", "to_status"))
    assert events == [("plan", "do")]
    with pytest.raises(PermissionDenied):
        services.move_status(actor=world.trainee.user, initiative_id=initiative.pk, to_status="check")


def test_act_records_the_decision_and_an_adjusted_initiative_runs_again(world):
    initiative = InitiativeFactory(owner=world.supervisor, status="check")
    actor = world.hr
    with pytest.raises(ValidationError):
        services.decide(actor=actor, initiative_id=initiative.pk, decision="adjust", note="")
    services.decide(actor=actor, initiative_id=initiative.pk, decision="adjust", note="Pilot longer")
    initiative.refresh_from_db()
    assert (initiative.status, initiative.decision, initiative.decided_by) == ("act", "adjust", actor)
    with pytest.raises(ValidationError):
        services.move_status(actor=actor, initiative_id=initiative.pk, to_status="closed")
    services.move_status(actor=actor, initiative_id=initiative.pk, to_status="do")
    assert Initiative.objects.get(pk=initiative.pk).status == "do"


def test_standardising_links_the_standard_and_closes(world):
    initiative = InitiativeFactory(owner=world.supervisor, status="check")
    services.decide(
        actor=world.hr,
        initiative_id=initiative.pk,
        decision="standardise",
        note="Lift held for two months",
        standard_note="Authority matrix: tier 1 up to 50 yuan",
    )
    services.move_status(actor=world.hr, initiative_id=initiative.pk, to_status="closed")
    initiative.refresh_from_db()
    assert initiative.status == "closed" and initiative.standard_note.startswith("Authority matrix")


# The daily guardrail check --------------------------------------------------------------------------------------


@pytest.fixture
def watched(world):
    """An initiative in do over Team A with a guardrail: FCR must not fall below 0.6 (last seven days)."""
    initiative = InitiativeFactory(owner=world.supervisor, status="do", scope_teams=[world.team])
    guardrail(initiative, "fcr", Decimal("0.6"))
    return initiative


def _day(world, on, resolved):
    AgentDayFactory(employee=world.trainee, on=on, fcr_resolved=resolved, inbound_handled=100)


def _alerts(world):
    return Notification.objects.filter(recipient=world.supervisor.user, kind=services.BREACH).count()


def test_a_breach_alerts_the_owner_once_and_again_after_it_cleared(world, watched):
    _day(world, D(2026, 12, 1), 50)  # 0.5 < 0.6
    assert services.check_guardrails(on=D(2026, 12, 2)) == {"opened": 1, "cleared": 0}
    services.check_guardrails(on=D(2026, 12, 2))  # beat fired twice
    services.check_guardrails(on=D(2026, 12, 3))  # still breached the next day
    assert _alerts(world) == 1
    (breach,) = GuardrailBreach.objects.all()
    assert (breach.started_on, breach.value, breach.cleared_on) == (D(2026, 12, 2), Decimal("0.5"), None)

    _day(world, D(2026, 12, 3), 90)  # the last seven days: 140/200 = 0.7
    assert services.check_guardrails(on=D(2026, 12, 4)) == {"opened": 0, "cleared": 1}
    assert GuardrailBreach.objects.get().cleared_on == D(2026, 12, 4)

    _day(world, D(2026, 12, 4), 0)  # 140/300 < 0.6 again
    assert services.check_guardrails(on=D(2026, 12, 5)) == {"opened": 1, "cleared": 0}
    assert _alerts(world) == 2 and GuardrailBreach.objects.count() == 2


def test_only_initiatives_in_do_or_check_are_watched(world, watched):
    Initiative.objects.filter(pk=watched.pk).update(status="plan")
    _day(world, D(2026, 12, 1), 10)
    assert services.check_guardrails(on=D(2026, 12, 2)) == {"opened": 0, "cleared": 0}
    assert _alerts(world) == 0


def test_the_celery_task_runs_the_check(world, watched):
    from improvement.tasks import check_guardrails

    _day(world, timezone.localdate() - datetime.timedelta(days=1), 10)
    assert check_guardrails.delay().get() == {"opened": 1, "cleared": 0}
