"""The KASH team heatmap fits a laptop screen in English and Chinese, and scrolls inside its table on a phone."""

import pytest

from training.models import Indicator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"


def open_heatmap(browser, live_server, *, language, width, height=768):
    context = browser.new_context(locale=language, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "hr")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/training/kash/team/")
    return context, page


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_all_twenty_columns_fit_at_1366_pixels(browser, live_server, demo, language):
    """The fifteen KASH indicators and the five emotional-intelligence ones of cycle 4 (issue 15 §9)."""
    assert Indicator.objects.filter(is_active=True).count() == 20
    context, page = open_heatmap(browser, live_server, language=language, width=1366)
    try:
        headers = page.locator("table.heatmap thead th.heat-col")
        assert headers.count() == 20
        right_edges = headers.evaluate_all("(cells) => cells.map((cell) => cell.getBoundingClientRect().right)")
        assert max(right_edges) <= 1366
        wrap = page.locator(".heatmap-wrap").evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        assert wrap[0] <= wrap[1]
        assert page.locator("#heat-legend").is_visible()
        assert page.locator("table.heatmap tbody tr").count() > 0
    finally:
        context.close()


def test_on_a_phone_only_the_table_scrolls_sideways(browser, live_server, demo):
    context, page = open_heatmap(browser, live_server, language="zh-CN", width=375, height=812)
    try:
        page_width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert page_width[0] <= page_width[1]
        wrap = page.locator(".heatmap-wrap").evaluate("(el) => [el.scrollWidth, el.clientWidth]")
        assert wrap[0] > wrap[1]  # the fifteen columns scroll inside their wrapper
        assert page.locator("#heat-legend").is_visible()
        name = page.locator("table.heatmap tbody th.heat-name").first
        page.locator(".heatmap-wrap").evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        box = name.bounding_box()
        assert box is not None and box["x"] >= 0  # the names stay in view while the cells scroll
    finally:
        context.close()
