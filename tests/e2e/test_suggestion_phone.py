"""An agent submits a suggestion on a phone; a reviewer declines it with a reason; the agent opens it on the phone
and reads why (issue 14, "Proven by tests")."""

import pytest

from improvement.models import Suggestion
from improvement.services import suggestions as services
from tests.staff.factories import PASSWORD, EmployeeFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "The CRM vendor cannot change the first screen before next year."


@pytest.fixture
def people(transactional_db):
    team = TeamFactory(name="Team A")
    lead = EmployeeFactory(name="Lead", team=team, user__username="lead")
    team.supervisor = lead
    team.save()
    agent = EmployeeFactory(name="Agent", team=team, user__username="agent", language="en")
    return agent, lead


def _login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_agent_submits_on_a_phone_and_reads_the_declined_reason(browser, live_server, people):
    agent, lead = people
    context = browser.new_context(locale="en", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _login(page, live_server.url, "agent")
        page.goto(f"{live_server.url}/improvement/suggestions/")
        page.click("#suggest")
        page.click("label[for=id_category_1]")  # System: a big radio button
        page.fill("input[name=title]", "Order history on the first screen")
        page.fill("textarea[name=what]", "Show the last three calls when the phone rings.")
        page.click("#send")
        page.wait_for_url("**/improvement/suggestions/*/")
        suggestion = Suggestion.objects.get(title="Order history on the first screen")
        assert (suggestion.author_id, suggestion.category) == (agent.pk, "system")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        services.move(user=lead.user, suggestion_id=suggestion.pk, to_status="declined", answer=REASON)

        page.goto(f"{live_server.url}/improvement/suggestions/")
        page.click(f"[data-suggestion='{suggestion.pk}']")
        page.wait_for_url(f"**/improvement/suggestions/{suggestion.pk}/")
        answer = page.locator("#answer")
        assert answer.is_visible() and REASON in answer.inner_text()
        assert "Declined" in page.locator("#status").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path="/tmp/s_suggestion_phone.png", full_page=True)
    finally:
        context.close()
