"""A manager opens an initiative on a phone and reads its computed effect: the numbers on the page are effects.py's
(issue 14, "Proven by tests")."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from improvement import effects
from kpis.templatetags.kpi_results import kpi_value
from tests.improvement.initiatives_factories import InitiativeFactory, goal, guardrail
from tests.kpis.factories import AgentDayFactory
from tests.staff.factories import PASSWORD, EmployeeFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def initiative(transactional_db):
    """Pilot team P against control team C, a before month, a pilot window and two months after go-live."""
    today = timezone.localdate()
    rollout = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # last month's first day
    pilot_start = rollout - datetime.timedelta(days=30)
    pilot, control = TeamFactory(name="Pilot team"), TeamFactory(name="Control team")
    manager = EmployeeFactory(name="Centre manager", team=pilot, user__username="manager")
    pilot.supervisor = manager
    pilot.save()
    agents = [EmployeeFactory(team=pilot), EmployeeFactory(team=control)]
    days = [pilot_start - datetime.timedelta(days=10), pilot_start + datetime.timedelta(days=3), rollout]
    for n, agent in enumerate(agents):
        for m, day in enumerate(days):
            AgentDayFactory(employee=agent, on=day, fcr_resolved=60 + 10 * m + 8 * (1 - n), inbound_handled=100)
    found = InitiativeFactory(
        title="First-contact ownership",
        owner=manager,
        status="check",
        baseline_from=pilot_start - datetime.timedelta(days=20),
        baseline_to=pilot_start - datetime.timedelta(days=1),
        pilot_start=pilot_start,
        rollout_start=rollout,
        after_to=None,
        scope_teams=[pilot, control],
        pilot_teams=[pilot],
    )
    goal(found, "fcr")
    guardrail(found, "transfer_rate", Decimal("0.2"))
    return found


def test_a_manager_reads_the_computed_effect_on_a_phone(browser, live_server, initiative):
    check = effects.check_of(initiative, today=timezone.localdate())
    (fcr,) = check.goals
    context = browser.new_context(locale="en", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "manager")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/improvement/initiatives/")
        page.click("text=First-contact ownership")
        page.wait_for_url(f"**/improvement/initiatives/{initiative.pk}/")
        headline = page.locator("#check-headline")
        assert headline.is_visible()
        assert headline.get_attribute("data-difference") == str(effects.quantised(fcr.pilot_control.difference))
        assert "First-contact resolution +8.0 points" in headline.inner_text()
        row = page.locator("#check-table tr[data-kpi=fcr]")
        for cell, value in (
            ("before", fcr.before),
            ("after", fcr.after),
            ("pilot", fcr.pilot),
            ("control", fcr.control),
        ):
            assert row.locator(f"[data-cell={cell}]").inner_text().strip() == kpi_value(value, fcr.kpi)
            assert row.get_attribute(f"data-{cell}") == str(effects.quantised(value))
        assert page.locator("svg[data-chart=fcr] polyline").count() >= 2
        assert page.locator("#guardrails [data-guardrail=transfer_rate]").is_visible()
        # The page fits a phone: nothing but the tables scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/p_initiative_phone.png", full_page=True)
    finally:
        context.close()
