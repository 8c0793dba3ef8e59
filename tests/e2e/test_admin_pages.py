"""HR's admin in a real browser on the demo: the onboarding lists fit a 1366 px screen with no column squeezed
to a character a line, in both languages, and no page load asks for something that is not there (the icon)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
LISTS = ["/admin/training/batch/", "/admin/training/enrollment/"]
MAX_LINES = 3  # "Cycle 3: habits and communication" takes three lines in its column; one character a line took 15

# For every body cell of the changelist: how many lines its text takes, and the box's overflow.
MEASURE = """() => {
  const lines = cell => {
    const tops = new Set();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
    }
    return tops.size;
  };
  const box = document.querySelector('#changelist .results');
  const cells = [...document.querySelectorAll('#result_list tbody td, #result_list tbody th')];
  return {
    cells: cells.map(cell => [cell.innerText.trim(), lines(cell)]),
    overflow: box.scrollWidth - box.clientWidth,
  };
}"""


def log_in_as_hr(browser, live_server, language):
    context = browser.new_context(locale=language, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "hr")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    return context, page


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_onboarding_lists_fit_the_screen_without_squeezed_columns(browser, live_server, demo, language):
    context, page = log_in_as_hr(browser, live_server, language)
    try:
        for path in LISTS:
            page.goto(f"{live_server.url}{path}")
            measured = page.evaluate(MEASURE)
            assert len(measured["cells"]) > 20, path
            squeezed = [(text, lines) for text, lines in measured["cells"] if lines > MAX_LINES]
            assert squeezed == [], path
            assert measured["overflow"] <= 0, path
    finally:
        context.close()


def test_admin_pages_load_without_a_missing_file(browser, live_server, demo):
    context, page = log_in_as_hr(browser, live_server, "zh-CN")
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    try:
        for path in ["/admin/", *LISTS, "/admin/staff/employee/import/"]:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
        icon = page.evaluate("fetch('/favicon.ico').then(r => [r.status, r.headers.get('content-type')])")
    finally:
        context.close()
    assert missing == []
    assert icon[0] == 200
    assert icon[1] in ("image/x-icon", "image/vnd.microsoft.icon")
