"""The initiative pages: the list (filters, a fixed number of queries), the Plan form with its formsets, the page
with the computed Check, and the POST-only moves and decision."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement import effects
from improvement.models import Initiative
from kpis.models import Kpi
from tests.improvement.initiatives_factories import InitiativeFactory, goal, guardrail
from tests.kpis.factories import AgentDayFactory
from tests.staff.factories import EmployeeFactory

D = datetime.date


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _many(world, n):
    for _ in range(n):
        initiative = InitiativeFactory(owner=EmployeeFactory(team=world.team), scope_teams=[world.team])
        goal(initiative, "fcr")


def test_the_list_takes_the_same_queries_however_many_initiatives(client, world, django_assert_max_num_queries):
    _login(client, world.supervisor.user)
    _many(world, 3)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("improvement:initiatives")).status_code == 200
    _many(world, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("improvement:initiatives"))
    assert len(response.context["page"]) == 20 and response.context["page"].paginator.count == 28


def test_the_list_filters_by_status_owner_and_site(client, world):
    mine = InitiativeFactory(owner=world.supervisor, scope_teams=[world.team], status="do")
    other = InitiativeFactory(owner=EmployeeFactory(team=world.team), scope_teams=[world.team])
    elsewhere = InitiativeFactory(owner=world.other_supervisor, scope_teams=[world.other_team])
    _login(client, world.hr)
    url = reverse("improvement:initiatives")
    assert [i.pk for i in client.get(url, {"status": "do"}).context["page"]] == [mine.pk]
    site = world.other_team.department.site
    assert [i.pk for i in client.get(url, {"site": site.pk}).context["page"]] == [elsewhere.pk]
    _login(client, world.supervisor.user)
    assert [i.pk for i in client.get(url, {"mine": "on"}).context["page"]] == [mine.pk]
    assert {i.pk for i in client.get(url).context["page"]} == {mine.pk, other.pk}


def _form(owner, **extra):
    data = {
        "title": "Tiered coupon authority",
        "goal": "Fewer escalations",
        "method": "",
        "owner": owner.pk,
        "baseline_from": "2026-09-01",
        "baseline_to": "2026-09-30",
        "pilot_start": "2026-10-15",
        "rollout_start": "2026-12-01",
        "after_to": "",
    }
    for prefix, rows in (("kpis", 2), ("risks", 1), ("milestones", 2)):
        data |= {f"{prefix}-TOTAL_FORMS": rows, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 20}
    return data | extra


def test_a_supervisor_plans_an_initiative_with_kpis_risks_and_milestones(client, world):
    _login(client, world.supervisor.user)
    escalation = Kpi.objects.get(code="escalation_rate")
    payout = Kpi.objects.get(code="payout_per_complaint")
    data = _form(
        world.supervisor,
        scope_teams=[world.team.pk],
        pilot_teams=[world.team.pk],
        **{
            "kpis-0-kpi": escalation.pk,
            "kpis-0-role": "goal",
            "kpis-0-target": "0.1",
            "kpis-1-kpi": payout.pk,
            "kpis-1-role": "guardrail",
            "kpis-1-threshold": "40",
            "risks-0-risk": "Payouts grow",
            "risks-0-counter_measure": "Alert at 40 yuan",
            "milestones-0-title": "Publish the authority matrix",
            "milestones-0-due_on": "2026-10-14",
        },
    )
    response = client.post(reverse("improvement:initiative-new"), data)
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "improvement:initiative", args=[initiative.pk]
    )
    assert sorted(initiative.kpis.values_list("role", flat=True)) == ["goal", "guardrail"]
    assert initiative.risks.count() == 1 and initiative.milestones.count() == 1
    assert list(initiative.pilot_teams.all()) == [world.team]


def test_a_guardrail_without_a_threshold_is_refused(client, world):
    _login(client, world.supervisor.user)
    data = _form(
        world.supervisor,
        **{"kpis-0-kpi": Kpi.objects.get(code="csat").pk, "kpis-0-role": "guardrail"},
    )
    response = client.post(reverse("improvement:initiative-new"), data)
    assert response.status_code == 200 and not Initiative.objects.exists()
    assert response.context["kpis"].forms[0].errors["threshold"]


@pytest.fixture
def checked(world):
    initiative = InitiativeFactory(
        owner=world.supervisor, scope_teams=[world.team, world.other_team], pilot_teams=[world.team], status="check"
    )
    goal(initiative, "fcr")
    guardrail(initiative, "transfer_rate", Decimal("0.2"))
    rows = [
        (world.trainee, D(2026, 9, 10), 60, 100),
        (world.trainee, D(2026, 11, 2), 90, 100),
        (world.other_trainee, D(2026, 11, 2), 70, 100),
        (world.other_trainee, D(2026, 12, 2), 85, 100),
    ]
    for employee, on, resolved, inbound in rows:
        AgentDayFactory(employee=employee, on=on, fcr_resolved=resolved, inbound_handled=inbound)
    return initiative


def test_the_page_shows_the_computed_check_with_a_headline_and_a_chart(client, world, checked):
    _login(client, world.trainee.user)  # read-only for an agent of a team in scope
    response = client.get(reverse("improvement:initiative", args=[checked.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-difference="0.2000"' in page  # pilot 0.9 vs control 0.7: FCR +20.0 points
    assert "+20.0 points" in page
    assert 'data-before="0.6000"' in page and 'data-after="0.8500"' in page
    assert "<svg" in page and "<polyline" in page
    assert 'id="decision-form"' not in page and 'id="move-form"' not in page


def test_the_owner_decides_then_closes(client, world, checked):
    _login(client, world.supervisor.user)
    page = client.get(reverse("improvement:initiative", args=[checked.pk])).content.decode()
    assert 'id="decision-form"' in page
    url = reverse("improvement:initiative-decide", args=[checked.pk])
    client.post(url, {"decision": "standardise", "note": ""})
    assert Initiative.objects.get(pk=checked.pk).status == "check"  # a decision needs its note
    client.post(url, {"decision": "standardise", "note": "The lift held"})
    client.post(reverse("improvement:initiative-move", args=[checked.pk]), {"to_status": "closed"})
    checked.refresh_from_db()
    assert (checked.status, checked.decision, checked.decision_note) == ("closed", "standardise", "The lift held")


def test_an_agent_may_not_move_it(client, world, checked):
    _login(client, world.trainee.user)
    response = client.post(reverse("improvement:initiative-move", args=[checked.pk]), {"to_status": "do"})
    assert response.status_code == 403 and Initiative.objects.get(pk=checked.pk).status == "check"


def test_the_api_returns_the_same_check(client, world, checked):
    _login(client, world.supervisor.user)
    response = client.get(f"/api/improvement/initiatives/{checked.pk}/effects/")
    assert response.status_code == 200
    (fcr,) = response.json()["goals"]
    check = effects.check_of(checked, today=timezone.localdate())
    assert fcr["pilot"] == str(effects.quantised(check.goals[0].pilot)) == "0.9000"
    assert fcr["pilot_minus_control"] == "0.2000" and fcr["before"] == "0.6000"
    assert [m["month"] for m in fcr["pilot_monthly"]] == ["2026-10-01", "2026-11-01"]
    listed = client.get("/api/improvement/initiatives/").json()
    assert [row["id"] for row in listed["results"]] == [checked.pk]


def test_the_page_takes_the_same_queries_however_much_kpi_data(client, world, checked, django_assert_max_num_queries):
    _login(client, world.supervisor.user)
    url = reverse("improvement:initiative", args=[checked.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for day in range(1, 28):
        AgentDayFactory(employee=EmployeeFactory(team=world.team), on=D(2026, 11, day), inbound_handled=10)
    goal(checked, "csat")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
