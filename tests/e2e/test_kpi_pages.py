"""The KPI pages of each persona on the demo (six months of measures), in English and Chinese, on a desktop and
a phone: the page answers with its heading, shows numbers in a table beside each chart, draws its charts
without a script error, and fits a 375 px screen without scrolling sideways."""

import pytest

from tests.e2e.test_landings import LANGUAGES, VIEWPORTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    # (username, path): (English heading start, Chinese heading start)
    ("trainee", "/kpis/my-results/"): ("My results", "我的业绩"),
    ("supervisor", "/kpis/team/"): ("Team KPIs", "班组KPI"),
    ("hr", "/kpis/centre/"): ("Centre KPIs", "中心KPI"),
    ("hr", "/kpis/scorecards/"): ("Scorecard months", "绩效计分卡月份"),
    ("hr", "/kpis/ingests/"): ("Ingest log", "导入记录"),
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize(("username", "path"), list(PAGES))
def test_each_kpi_page_works_for_its_persona(browser, live_server, demo, username, path, language, viewport):
    english, chinese = PAGES[username, path]
    context, page = log_in(browser, live_server, username, language, viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.wait_for_load_state()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        heading = page.locator("main h1").first.inner_text().strip()
        assert heading.startswith(english if language == "en" else chinese), heading
        assert page.locator("main table td").count() > 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.wait_for_load_state("networkidle")
        assert errors == []
    finally:
        context.close()
