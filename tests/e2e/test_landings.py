"""Each demo role logs in and lands on its own page, in English and Chinese, on a desktop and on a phone: the page
fits a 375 px screen without scrolling sideways, and the unread badge shows next to the menu toggler there
without opening the menu."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
LANDINGS = {
    # username: (path, English heading, Chinese heading)
    "hr": ("/staff/hr/", "HR overview", "人力资源概览"),
    "supervisor": ("/staff/today/", "Today", "今日待办"),
    "mentor": ("/staff/mentees/", "My mentees", "我的带教学员"),
    "trainee": ("/training/onboarding/me/", "My onboarding", "我的新人培养"),  # she is onboarding
}
LANGUAGES = {"en": "en", "zh-hans": "zh-hans"}  # browser locale: the html lang the page must carry
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 812}}


def log_in(browser, live_server, username, language, viewport):
    user = get_user_model().objects.get(username=username)
    Notification.objects.create(recipient=user, kind="test", key=f"test:{username}", title="Unread")
    context = browser.new_context(locale=language, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    return context, page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_role_lands_on_its_page(browser, live_server, demo, username, language, viewport):
    path, english, chinese = LANDINGS[username]
    context, page = log_in(browser, live_server, username, language, viewport)
    try:
        page.wait_for_url(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.lang") == LANGUAGES[language]
        assert page.locator("main h1").first.inner_text().strip() == (english if language == "en" else chinese)
        if username == "trainee":
            assert page.locator("#next-step").is_visible()
        # The bell and its count sit outside the collapsed menu: visible at once, on a phone too.
        bell = page.locator("#nav-inbox")
        assert bell.is_visible()
        assert bell.locator(".badge").is_visible()
        assert page.locator("#nav").is_visible() == (viewport == "desktop")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_on_a_phone_the_bell_sits_next_to_the_toggler_and_once_on_a_desktop(browser, live_server, demo):
    context, page = log_in(browser, live_server, "supervisor", "en", "phone")
    try:
        page.wait_for_url(f"{live_server.url}/staff/today/")
        bell, toggler = page.locator("#nav-inbox").bounding_box(), page.locator(".navbar-toggler").bounding_box()
        assert bell["x"] + bell["width"] <= toggler["x"] and abs(bell["y"] - toggler["y"]) < toggler["height"]
        page.set_viewport_size(VIEWPORTS["desktop"])
        assert page.locator(f"a[href='{reverse('notifications:inbox')}']:visible").count() == 1
        assert not page.locator(".navbar-toggler").is_visible()
    finally:
        context.close()
