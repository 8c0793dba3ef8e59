"""A drill on the floor (issue 12): the demo supervisor's team has no certified specialist for the marketing step
"explain" — its weakest link, red on the coverage page. She scores tomorrow's drill on a tablet, confirms the
specialist's certification, and the step turns green."""

import pytest
from django.contrib.auth import get_user_model

from linkage.models import Certification, Drill, DrillStatus
from tests.e2e.test_landings import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def log_in_on_a_tablet(browser, live_server, username, language):
    context = browser.new_context(locale=language, viewport=TABLET, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def explain_row(page, live_server):
    page.goto(f"{live_server.url}/linkage/team/coverage/")
    return page.locator("tr[data-playbook='customer-marketing'][data-step='explain']")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_supervisor_scores_a_drill_on_a_tablet_and_the_weak_step_turns_green(browser, live_server, demo, language):
    supervisor = get_user_model().objects.get(username="supervisor")
    drill = Drill.objects.get(team__supervisor__user=supervisor, status=DrillStatus.SCHEDULED, is_refresher=False)
    specialist = drill.participants.get(role__code="second-line-specialist").employee
    context, page = log_in_on_a_tablet(browser, live_server, "supervisor", language)
    try:
        row = explain_row(page, live_server)
        assert row.get_attribute("data-weak") == "yes"
        assert "table-danger" in row.get_attribute("class")

        page.goto(f"{live_server.url}/linkage/drills/{drill.pk}/score/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        scored = page.locator("section[data-scored='yes']")
        assert scored.count() == 3  # discover, guide (the agent), explain (the specialist)
        for label in scored.locator("label.btn").all():
            label.tap()  # a finger on the floor, not a mouse
        for field in scored.locator("input[type=number]").all():
            field.fill("45")
        with page.expect_navigation():
            page.locator("#save-scores").tap()
        assert page.locator("#score-errors").count() == 0, page.locator("#score-form").inner_text()
        assert page.url.rstrip("/").endswith(f"/linkage/drills/{drill.pk}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        with page.expect_navigation():
            page.locator(f"button[data-certify='{specialist.pk}']").tap()
        assert Certification.objects.filter(employee=specialist, playbook__code="customer-marketing").exists()

        row = explain_row(page, live_server)
        assert row.get_attribute("data-weak") == "no"
        assert "table-danger" not in (row.get_attribute("class") or "")
        assert specialist.name in row.inner_text()
    finally:
        context.close()
    drill.refresh_from_db()
    assert drill.status == DrillStatus.SCORED
    assert drill.participants.filter(passed=True).count() == 2
