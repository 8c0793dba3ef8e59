"""The trainee's and the supervisor's onboarding paths (DOMAIN §3) on the seeded demo, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from staff.models import Employee
from training import services
from training.models import Activity, ActivityOwner, CycleTemplate, Enrollment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-pass-2026"
PROGRESS = "Progress through the four cycles"


def log_in(browser, live_server, username, *, width=1280, height=900):
    context = browser.new_context(locale="en", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def progress_of(page):
    return int(page.get_by_role("progressbar", name=PROGRESS).get_attribute("aria-valuenow"))


def trainee_enrollment():
    return Enrollment.objects.select_related("batch__program").get(trainee__user__username="trainee")


def meet_the_gate(enrollment):
    """Everything the gate of the current cycle asks for, done through the services by the supervisor."""
    supervisor = get_user_model().objects.get(username="supervisor")
    required = enrollment.activities.filter(cycle=enrollment.cycle, template__is_required=True, done_at__isnull=True)
    for activity in required:
        services.complete_activity(actor=supervisor, activity_id=activity.pk, note="Done for the test")
    cycle = CycleTemplate.objects.get(program=enrollment.batch.program, number=enrollment.cycle)
    if cycle.check_required:
        services.record_gate_check(actor=supervisor, enrollment_id=enrollment.pk, score=95)
    focus = list(cycle.focus_indicators.all())
    if focus:
        services.create_assessment(
            actor=supervisor,
            subject=enrollment.trainee,
            source="supervisor",
            assessed_on=timezone.localdate(),
            scores={indicator.pk: (4, "Ready for the next cycle") for indicator in focus},
            submit=True,
        )


def test_trainee_marks_an_activity_done_on_a_phone_and_her_progress_grows(browser, live_server, demo):
    enrollment = trainee_enrollment()
    activity = (
        enrollment.activities.filter(
            cycle=enrollment.cycle,
            done_at__isnull=True,
            template__owner=ActivityOwner.TRAINEE,
            template__is_required=True,
        )
        .select_related("template")
        .order_by("due_on", "template__order", "pk")
        .first()
    )
    assert activity is not None, "the demo leaves the trainee open work in her cycle"
    context, page = log_in(browser, live_server, "trainee", width=390, height=844)
    try:
        page.get_by_role("button", name="Toggle navigation").click()
        page.get_by_role("link", name="My onboarding", exact=True).click()
        page.wait_for_url("**/training/onboarding/me/")
        before = progress_of(page)
        item = page.get_by_role("listitem").filter(has_text=activity.template.title_en)
        item.get_by_label("Note or evidence").fill("Studied the 4C cases with my mentor")
        item.get_by_role("button", name="Mark done").click()
        page.wait_for_url("**/training/onboarding/me/")
        assert page.get_by_role("alert").filter(has_text="Done:").is_visible()
        after = progress_of(page)
    finally:
        context.close()
    assert after > before
    activity.refresh_from_db()
    assert activity.is_done
    assert activity.note == "Studied the 4C cases with my mentor"


def test_supervisor_approves_a_met_gate_and_the_trainee_sees_the_next_cycle(browser, live_server, demo):
    enrollment = trainee_enrollment()
    assert enrollment.state == "cycle_3", "the demo has the trainee in cycle 3"
    meet_the_gate(enrollment)
    name = Employee.objects.get(user__username="trainee").name
    context, page = log_in(browser, live_server, "supervisor")
    try:
        page.get_by_role("link", name="Batch board").click()
        page.wait_for_url("**/training/onboarding/batches/")
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"**/training/onboarding/enrollments/{enrollment.pk}/")
        assert page.get_by_text("Met: the gate can be approved.").is_visible()
        page.get_by_role("button", name="Approve the gate", exact=True).click()
        page.wait_for_url(f"**/training/onboarding/enrollments/{enrollment.pk}/")
        assert page.get_by_role("alert").filter(has_text="is now: Cycle 4").is_visible()
    finally:
        context.close()

    context, page = log_in(browser, live_server, "trainee")
    try:
        page.get_by_role("link", name="My onboarding", exact=True).click()
        page.wait_for_url("**/training/onboarding/me/")
        timeline = page.get_by_role("list", name="Onboarding timeline")
        assert timeline.locator("[aria-current=step]").inner_text().strip().endswith("Cycle 4: emotions and motivation")
        assert page.get_by_role("heading", name="4. Emotion management and motivation").is_visible()
        assert progress_of(page) == 75  # three cycles behind her, nothing of the fourth done yet
    finally:
        context.close()
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.cycle) == ("cycle_4", 4)
    assert enrollment.events.filter(move="advance", actor__username="supervisor").exists()
    assert Activity.objects.filter(enrollment=enrollment, cycle=4).exists()
