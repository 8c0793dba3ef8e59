"""The supervisor's assessment → heatmap path and the trainee's self-assessment, in a real browser."""

import pytest

from staff.models import Employee
from training.models import Assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"


def log_in(browser, live_server, username, *, language="en", width=1280):
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_supervisor_assesses_a_trainee_and_sees_the_heatmap(browser, live_server, demo):
    trainee = Employee.objects.get(user__username="trainee")
    before = Assessment.objects.filter(subject=trainee, source="supervisor", status="submitted").count()
    context, page = log_in(browser, live_server, "supervisor")
    try:
        page.click("text=KASH heatmap")
        page.wait_for_url("**/training/kash/team/")
        page.click(f"table.heatmap >> text={trainee.name}")
        page.get_by_role("link", name="Assess", exact=True).click()
        page.wait_for_url("**/assess/")
        # The first indicator on the form: level 4, with evidence.
        page.locator("input[type=radio][value='4']").first.check()
        page.locator("textarea[name^=evidence_]").first.fill("Resolved an angry caller's card block calmly")
        page.click("button[name=submit]")
        page.wait_for_url(f"**/training/kash/people/{trainee.pk}/")
        assert page.locator(".alert-success").inner_text().strip() == "Assessment submitted."
        assert page.locator("#kash-table").is_visible()
        page.click("text=KASH heatmap")
        assert page.locator("table.heatmap").is_visible()
        assert page.locator("text=Who needs what").is_visible()
    finally:
        context.close()
    after = Assessment.objects.filter(subject=trainee, source="supervisor", status="submitted").count()
    assert after == before + 1


def test_trainee_assesses_herself_on_a_phone_in_chinese(browser, live_server, demo):
    trainee = Employee.objects.get(user__username="trainee")
    before = Assessment.objects.filter(subject=trainee, source="self").count()
    context, page = log_in(browser, live_server, "trainee", language="zh-CN", width=390)
    try:
        page.goto(f"{live_server.url}/training/kash/me/")
        assert page.locator("main h1").inner_text().strip() == "我的 KASH 档案"
        page.get_by_role("link", name="自我评估").click()
        page.wait_for_url("**/assess/")
        page.locator("input[type=radio][value='3']").nth(1).check()
        page.click("button[name=submit]")
        page.wait_for_url(f"**/training/kash/people/{trainee.pk}/")
        assert "watch" not in page.content()
    finally:
        context.close()
    assert Assessment.objects.filter(subject=trainee, source="self").count() == before + 1
