"""The onboarding pages laid out on a phone (375 px) and a laptop (1366 px), in English and Chinese, on the
seeded demo (issue 9 §1): the note box stays wide enough to write in, dates, owners and buttons never break
across lines, and the batch board's risk legend appears only when someone is at risk."""

import datetime

import pytest
from django.utils import timezone

from training.models import Enrollment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
WIDTHS = (375, 1366)
LANGUAGES = ("en", "zh-hans")
NOTE_MIN_WIDTH = 150

# The number of lines an element's text takes: distinct tops of the text's line boxes.
LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""


@pytest.fixture(params=[(w, lang) for w in WIDTHS for lang in LANGUAGES], ids=lambda p: f"{p[0]}px-{p[1]}")
def screen(request):
    return request.param


def open_as(browser, live_server, username, screen):
    width, language = screen
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def lines(locator):
    return [element.evaluate(LINES) for element in locator.all()]


def assert_notes_are_wide(page):
    widths = [box["width"] for box in (note.bounding_box() for note in page.locator("form [id^=note-]").all())]
    assert widths, "the page offers an activity to mark done"
    assert min(widths) >= NOTE_MIN_WIDTH, widths


def trainee_enrollment():
    return Enrollment.objects.get(trainee__user__username="trainee")


def test_the_activity_table_of_the_enrollment_page_fits_the_screen(browser, live_server, demo, screen):
    enrollment = trainee_enrollment()
    context, page = open_as(browser, live_server, "supervisor", screen)
    try:
        page.goto(f"{live_server.url}/training/onboarding/enrollments/{enrollment.pk}/")
        assert_notes_are_wide(page)
        assert set(lines(page.locator("[data-cell=due]"))) == {1}
        assert set(lines(page.locator("[data-cell=owner]"))) == {1}
        assert set(lines(page.locator("td.text-nowrap"))) == {1}  # gate checks, history: dates and names
        assert page.evaluate("document.documentElement.scrollWidth") <= screen[0]
    finally:
        context.close()


def test_my_onboarding_leads_with_the_next_step_and_keeps_dates_whole(browser, live_server, demo, screen):
    context, page = open_as(browser, live_server, "trainee", screen)
    try:
        page.goto(f"{live_server.url}/training/onboarding/me/")
        next_step = page.locator("#next-step")
        assert next_step.inner_text().strip()
        assert next_step.bounding_box()["y"] < page.locator(".onboarding-timeline").bounding_box()["y"]
        assert page.locator("#progress-headline").inner_text().strip()
        assert_notes_are_wide(page)
        assert set(lines(page.locator("[data-cell=due]"))) == {1}
        assert page.evaluate("document.documentElement.scrollWidth") <= screen[0]
    finally:
        context.close()


def test_the_batch_board_keeps_due_dates_and_its_button_whole(browser, live_server, demo, screen):
    context, page = open_as(browser, live_server, "supervisor", screen)
    try:
        page.goto(f"{live_server.url}/training/onboarding/batches/")
        dues = page.locator("[data-due]")
        assert dues.count() > 0
        assert set(lines(dues)) == {1}
        overflowing = page.evaluate(
            "[...document.querySelectorAll('.board-card .card-body')].filter(b => b.scrollWidth > b.clientWidth + 1)"
            ".length"
        )
        assert overflowing == 0, "a badge sticks out of its card"
        show = page.locator("form[method=get] button[type=submit]")
        if show.count():
            assert lines(show) == [1]
    finally:
        context.close()


def test_the_risk_legend_shows_only_with_someone_at_risk(browser, live_server, demo, screen):
    # Nobody due within three days: no one is at risk, and the legend is not shown.
    Enrollment.objects.update(due_on=timezone.localdate() + datetime.timedelta(days=30))
    context, page = open_as(browser, live_server, "supervisor", screen)
    try:
        page.goto(f"{live_server.url}/training/onboarding/batches/")
        assert page.locator(".board-card").count() > 0
        assert page.locator("#risk-legend").count() == 0
        shown = Enrollment.objects.filter(pk=trainee_enrollment().pk)
        shown.update(due_on=timezone.localdate() + datetime.timedelta(days=1))
        page.reload()
        assert page.locator("#risk-legend").is_visible()
    finally:
        context.close()


def test_the_filter_button_of_my_team_stays_on_one_line(browser, live_server, demo, screen):
    context, page = open_as(browser, live_server, "supervisor", screen)
    try:
        page.goto(f"{live_server.url}/staff/team/")
        assert lines(page.locator("main form[method=get] button[type=submit]")) == [1]
    finally:
        context.close()
