"""Every page a demo role reaches from the navigation, the admin and the API docs run in Chromium under the
site's Content-Security-Policy without one violation: no inline script, handler or style element left, and
what the pages do with script (the language switch, the KASH charts, Swagger UI) still works.
"""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
ROLES = ["hr", "supervisor", "mentor", "trainee"]
EXTRA = {
    "hr": ["/admin/", "/admin/staff/employee/", "/admin/staff/employee/import/", "/admin/staff/employee/export/"],
    "supervisor": ["/api/docs/"],
}
EXTRA["hr"].append("/api/docs/")

# Injected before any page script (Playwright's init scripts are not subject to the page's policy).
RECORD = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
NAV_LINKS = """() => [...document.querySelectorAll('nav a.nav-link, nav a.dropdown-item')]
  .map((a) => a.getAttribute('href')).filter((href) => href && href.startsWith('/'))"""


def log_in(browser, live_server, username):
    context = browser.new_context(locale="en", viewport={"width": 1366, "height": 900})
    context.add_init_script(RECORD)
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(f"{page.url}: {message.text}"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    return context, page, messages


def policy_messages(messages):
    return [text for text in messages if "Content Security Policy" in text or "Permissions-Policy" in text]


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_runs_without_a_policy_violation(browser, live_server, demo, username):
    context, page, messages = log_in(browser, live_server, username)
    try:
        paths = list(dict.fromkeys([*page.evaluate(NAV_LINKS), *EXTRA.get(username, [])]))
        assert len(paths) >= 3
        violations = {}
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            found = page.evaluate("window.__violations")
            if found:
                violations[path] = found
        assert violations == {}
        assert policy_messages(messages) == []
    finally:
        context.close()


def test_scripts_moved_out_of_the_pages_still_work(browser, live_server, demo):
    context, page, messages = log_in(browser, live_server, "supervisor")
    try:
        page.wait_for_load_state("networkidle")
        # The language switch submits itself on change (static/js/submit_on_change.js), no inline onchange.
        with page.expect_navigation():
            page.select_option("select[name=language]", "zh-hans")
        assert page.evaluate("document.documentElement.lang") == "zh-hans"
        # Swagger UI renders the schema's operations from static files alone.
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.evaluate("window.__violations") == []
        assert policy_messages(messages) == []
    finally:
        context.close()


def test_the_admin_export_pages_select_all_box_still_works(browser, live_server, demo):
    # Its inline handler runs because the policy allows exactly that text by hash ('unsafe-hashes').
    context, page, messages = log_in(browser, live_server, "hr")
    try:
        page.goto(f"{live_server.url}/admin/staff/employee/export/")
        fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
        assert fields.count() > 3
        page.uncheck("input.select-toggle")
        assert page.evaluate(
            """() => [...document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]')]
              .every((box) => !box.checked)"""
        )
        assert page.evaluate("window.__violations") == []
        assert policy_messages(messages) == []
    finally:
        context.close()
