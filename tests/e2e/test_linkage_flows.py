"""Role linkage in the browser (issue 12): HR answers a consultation comment and publishes the new version; an
agent acknowledges it on a phone and it leaves her list of playbooks to read."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from linkage.models import Acknowledgement, Playbook, PlaybookVersion, VersionStatus
from linkage.services import playbooks
from tests.e2e.test_landings import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consultation(demo):
    """The incident playbook's version 2 in consultation, with the trainee's comment not yet answered."""
    User = get_user_model()
    hr, trainee = User.objects.get(username="hr"), User.objects.get(username="trainee")
    incident = Playbook.objects.get(code="incident-handling")
    version = playbooks.start_version(
        actor=hr,
        playbook=incident,
        from_version=incident.versions.get(status=VersionStatus.PUBLISHED),
        reason="The lobby asked for an earlier warning.",
    )
    playbooks.open_consultation(actor=hr, version=version, days=7, today=timezone.localdate())
    playbooks.add_comment(user=trainee, version=version, body="Who calls the floor manager?")
    return version


def test_hr_answers_the_comment_and_publishes_then_the_agent_acknowledges_on_a_phone(
    browser, live_server, consultation
):
    context, page = log_in(browser, live_server, "hr", "en", "desktop")
    try:
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/linkage/playbooks/incident-handling/?version=2")
        page.fill(f"#answer-{consultation.comments.get().pk}", "The team lead, with the code phrase.")
        page.locator("form[action$='/answer/'] button[type=submit]").click()
        page.wait_for_load_state()
        assert "The team lead, with the code phrase." in page.content()

        page.goto(f"{live_server.url}/admin/linkage/playbookversion/")
        page.locator(f"input[name=_selected_action][value='{consultation.pk}']").check()
        page.select_option("select[name=action]", "publish")
        page.locator("button[name=index]").click()
        page.wait_for_load_state()
        assert "is published" in page.content()
    finally:
        context.close()
    assert PlaybookVersion.objects.get(pk=consultation.pk).status == VersionStatus.PUBLISHED

    context, page = log_in(browser, live_server, "trainee", "zh-hans", "phone")
    try:
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/linkage/playbooks/incident-handling/")
        page.locator("#acknowledge").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
    trainee = get_user_model().objects.get(username="trainee").employee
    assert Acknowledgement.objects.filter(version=consultation, employee=trainee).exists()
