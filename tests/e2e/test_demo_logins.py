"""Each demo role logs in through the real login form and lands on its role's page, in both languages."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
LANDINGS = {
    # username: (path, English heading, Chinese heading)
    "hr": ("/staff/hr/", "HR overview", "人力资源概览"),
    "supervisor": ("/staff/today/", "Today", "今日待办"),
    "mentor": ("/staff/mentees/", "My mentees", "我的带教学员"),
    # the demo trainee is onboarding: she lands on her onboarding, not on her profile
    "trainee": ("/training/onboarding/me/", "My onboarding", "我的新人培养"),
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("username", list(LANDINGS))
def test_demo_login_lands_on_the_role_page(browser, live_server, demo, username, language):
    path, english, chinese = LANDINGS[username]
    context = browser.new_context(locale=language, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{live_server.url}{path}")
        heading = page.locator("main h1").first.inner_text()
        assert heading.strip() == (english if language == "en" else chinese)
        # Assets are served by the app itself: Bootstrap's stylesheet applied (navbar is styled).
        assert page.evaluate("getComputedStyle(document.querySelector('nav')).display") == "flex"
    finally:
        context.close()
