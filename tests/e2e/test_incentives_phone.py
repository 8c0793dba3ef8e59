"""Issue 15, "Proven by tests" (Playwright): an agent recognises a colleague on a phone in two taps and Send; a
supervisor opens the Herzberg balance of her team and sees the mix, the material warning and who was not recognised;
a trainee answers a pulse survey on a phone, and her answer is counted without her name on it."""

import pytest

from incentives.models import PulseRespondent, PulseTally, Recognition
from incentives.services import recognition as recognition_services
from tests.incentives.pulse_factories import make_survey, open_wave
from tests.staff.factories import PASSWORD, EmployeeFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def team(transactional_db):
    team = TeamFactory(name="Team A")
    lead = EmployeeFactory(name="Lead", team=team, user__username="lead", language="en")
    team.supervisor = lead
    team.save()
    agent = EmployeeFactory(name="Agent", team=team, user__username="agent", language="en")
    colleague = EmployeeFactory(name="Colleague", team=team, user__username="colleague", language="en")
    quiet = EmployeeFactory(name="Quiet One", team=team, user__username="quiet", language="en")
    return {"team": team, "lead": lead, "agent": agent, "colleague": colleague, "quiet": quiet}


def _login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_agent_recognises_a_colleague_on_a_phone(browser, live_server, team):
    context = browser.new_context(locale="en", viewport=PHONE)
    page = context.new_page()
    try:
        _login(page, live_server.url, "agent")
        page.goto(f"{live_server.url}/incentives/give/")
        page.click(f"label:has-text('{team['colleague'].name}')")
        page.click("label:has-text('Achievement')")
        page.click("#send")
        page.wait_for_url("**/incentives/wall/**")
        recognition = Recognition.objects.get(giver=team["agent"])
        assert list(recognition.recipients.values_list("pk", flat=True)) == [team["colleague"].pk]
        assert recognition.motivator == "achievement"
        assert page.locator(f"[data-recognition='{recognition.pk}']").is_visible()
        assert _fits(page, PHONE["width"])
    finally:
        context.close()


def test_a_supervisor_sees_her_teams_herzberg_balance(browser, live_server, team):
    for n in range(3):  # material recognition dominates; the quiet one is never recognised
        recognition_services.give_recognition(
            user=team["agent"].user,
            recipients=[team["colleague"]],
            message=f"Thanks {n}",
            motivator="achievement",
            kind="material",
            points=0,
            idempotency_key=f"k{n}",
        )
    context = browser.new_context(locale="en", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url, "lead")
        page.goto(f"{live_server.url}/incentives/balance/?team={team['team'].pk}")
        assert page.locator("#motivators").is_visible()
        assert page.locator("#material-warning").is_visible()
        assert team["quiet"].name in page.locator("#quiet").inner_text()
        assert _fits(page, 1366)
    finally:
        context.close()


def test_a_trainee_answers_a_pulse_survey_on_a_phone(browser, live_server, team):
    survey = make_survey()
    wave = open_wave(survey)
    context = browser.new_context(locale="en", viewport=PHONE)
    page = context.new_page()
    try:
        _login(page, live_server.url, "quiet")
        page.goto(f"{live_server.url}/incentives/pulse/")
        for fieldset in page.locator("fieldset[data-question]").all():
            fieldset.locator("label").nth(3).click()  # a 4 on each question
        page.click("#send")
        page.wait_for_load_state()
        assert PulseRespondent.objects.filter(wave=wave).count() == 1
        questions = survey.questions.count()
        fours = PulseTally.objects.filter(wave=wave, score=4).values_list("count", flat=True)
        assert sum(fours) == questions
        assert _fits(page, PHONE["width"])
    finally:
        context.close()
