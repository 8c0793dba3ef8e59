"""HR's onboarding back office: pages load in fixed queries, batches are opened and trainees
enrolled through the services, and an enrollment's state moves only through move_enrollment."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from staff.models import Stage
from tests.staff.factories import EmployeeFactory, UserFactory, make_hr_user
from training import cycles, services
from training.models import (
    Activity,
    ActivityTemplate,
    Batch,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
    Program,
)

START = datetime.date(2026, 3, 2)
_numbers = itertools.count(1)


@pytest.fixture
def hr(db):
    """An HR member (not a superuser) with the HR group's permissions."""
    return make_hr_user(username="hr")


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def program():
    return Program.objects.get(code="default-four-cycles")


def make_batch():
    n = next(_numbers)
    supervisor = EmployeeFactory(stage=Stage.MANAGEMENT)
    return Batch.objects.create(
        program=program(),
        code=f"batch-{n}",
        name=f"Batch {n}",
        start_on=START,
        team=supervisor.team,
        supervisor=supervisor,
    )


def make_enrollment(batch=None, **fields):
    batch = batch or make_batch()
    values = {"cycle_started_on": START, "due_on": START + datetime.timedelta(days=10), **fields}
    return Enrollment.objects.create(batch=batch, trainee=EmployeeFactory(team=batch.team), **values)


def first_activity(number):
    return ActivityTemplate.objects.filter(cycle__program=program(), cycle__number=number, batch=None).first()


def make_activity():
    enrollment = make_enrollment(state="cycle_1", cycle=1)
    return Activity.objects.create(enrollment=enrollment, template=first_activity(1), cycle=1, due_on=START)


def make_coaching():
    enrollment = make_enrollment(state="cycle_1", cycle=1)
    return CoachingSession.objects.create(
        employee=enrollment.trainee,
        enrollment=enrollment,
        coach=UserFactory(),
        phase="before",
        scheduled_at=timezone.now(),
    )


def make_gate_check():
    enrollment = make_enrollment(state="cycle_3", cycle=3)
    return GateCheck.objects.create(
        enrollment=enrollment, cycle=3, examiner=UserFactory(), taken_on=START, score=85, pass_mark=80
    )


def make_program():
    n = next(_numbers)
    made = Program.objects.create(code=f"program-{n}", name_en=f"Program {n}", name_zh=f"方案{n}")
    made.batches.create(
        code=f"pb-{n}", name=f"PB {n}", start_on=START, supervisor=EmployeeFactory(stage=Stage.MANAGEMENT)
    )
    return made


def make_cycle():
    return CycleTemplate.objects.create(program=make_program(), number=1, name_en="Habits", name_zh="习惯")


def make_batch_with_enrollment():
    make_enrollment(make_batch())


MAKERS = {
    "program": make_program,
    "cycletemplate": make_cycle,
    "batch": make_batch_with_enrollment,
    "enrollment": make_enrollment,
    "activity": make_activity,
    "coachingsession": make_coaching,
    "gatecheck": make_gate_check,
}


def changelist_queries(client, model_name, app="training"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"admin:{app}_{model_name}_changelist"))
    assert response.status_code == 200
    return len(queries)


def post_action(client, action, enrollments, reason=""):
    return client.post(
        reverse("admin:training_enrollment_changelist"),
        {"action": action, "_selected_action": [e.pk for e in enrollments], "reason": reason},
        follow=True,
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_name", MAKERS)
def test_changelist_loads_in_queries_that_do_not_grow_with_rows(hr_client, model_name):
    for _ in range(3):
        MAKERS[model_name]()
    few = changelist_queries(hr_client, model_name)
    for _ in range(27):
        MAKERS[model_name]()

    assert changelist_queries(hr_client, model_name) == few


@pytest.mark.parametrize("model_name", ["program", "cycletemplate", "batch", "enrollment"])
def test_add_page_loads(hr_client, model_name):
    assert hr_client.get(reverse(f"admin:training_{model_name}_add")).status_code == 200


@pytest.mark.parametrize("model_name", ["activity", "coachingsession", "gatecheck"])
def test_what_the_services_wrote_cannot_be_added_or_deleted_in_the_admin(hr_client, model_name):
    row = MAKERS[model_name]()

    assert hr_client.get(reverse(f"admin:training_{model_name}_add")).status_code == 403
    assert hr_client.get(reverse(f"admin:training_{model_name}_delete", args=[row.pk])).status_code == 403
    assert hr_client.get(reverse(f"admin:training_{model_name}_change", args=[row.pk])).status_code == 200


def test_change_pages_of_program_cycle_batch_and_enrollment_load(hr_client):
    enrollment = make_enrollment()
    urls = [
        reverse("admin:training_program_change", args=[program().pk]),
        reverse("admin:training_cycletemplate_change", args=[program().cycles.get(number=3).pk]),
        reverse("admin:training_batch_change", args=[enrollment.batch_id]),
        reverse("admin:training_enrollment_change", args=[enrollment.pk]),
    ]

    assert [hr_client.get(url).status_code for url in urls] == [200, 200, 200, 200]


def test_cycle_page_lists_the_program_activities_but_not_a_batch_extra(hr_client):
    third = program().cycles.get(number=3)
    services.add_batch_activity(
        actor=make_hr_user(), batch_id=make_batch().pk, cycle_number=3, title_en="Extra", title_zh="额外", kind="drill"
    )

    response = hr_client.get(reverse("admin:training_cycletemplate_change", args=[third.pk]))

    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.title_en for form in formset.initial_forms] == list(
        third.activities.filter(batch=None, key="").values_list("title_en", flat=True)
    )  # the published playbooks' activities (issue 12) are kept by linkage, not edited here
    assert formset.initial_form_count() == 7


# Opening a batch and enrolling -------------------------------------------------------------------


def test_hr_opens_a_batch_and_enrolls_trainees_in_one_form(hr_client, hr):
    supervisor = EmployeeFactory(stage=Stage.MANAGEMENT)
    trainees = [EmployeeFactory(stage=Stage.PRE_JOB), EmployeeFactory(stage=Stage.PRE_JOB)]

    response = hr_client.post(
        reverse("admin:training_batch_add"),
        {
            "program": program().pk,
            "code": "2026-03",
            "name": "March 2026",
            "start_on": "2026-03-02",
            "team": supervisor.team_id,
            "supervisor": supervisor.pk,
            "trainees": [t.pk for t in trainees],
            **management_form("adjustments"),
        },
    )

    assert response.status_code == 302
    batch = Batch.objects.get(code="2026-03")
    enrollments = list(batch.enrollments.order_by("trainee_id"))
    assert [(e.trainee_id, e.state) for e in enrollments] == [(t.pk, cycles.PRE_JOB) for t in trainees]
    assert {e.due_on for e in enrollments} == {datetime.date(2026, 3, 12)}
    assert EnrollmentEvent.objects.filter(enrollment__batch=batch, move="enroll", actor=hr).count() == 2


def test_trainee_picker_of_the_batch_form_finds_employees_by_name(hr_client):
    wang = EmployeeFactory(name="Wang Fang", stage=Stage.PRE_JOB)

    response = hr_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "training", "model_name": "enrollment", "field_name": "trainee", "term": "Wang"},
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(wang.pk)]


def test_enrollment_add_form_asks_only_for_batch_and_trainee(hr_client):
    response = hr_client.get(reverse("admin:training_enrollment_add"))

    assert list(response.context["adminform"].form.fields) == ["batch", "trainee"]


def test_enrollment_add_form_enrolls_through_the_service(hr_client, hr):
    batch, trainee = make_batch(), EmployeeFactory(stage=Stage.PRE_JOB)

    response = hr_client.post(
        reverse("admin:training_enrollment_add"),
        {"batch": batch.pk, "trainee": trainee.pk, "state": cycles.COMPLETED, "cycle": 4},
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get(batch=batch, trainee=trainee)
    assert (enrollment.state, enrollment.cycle) == (cycles.PRE_JOB, 0)
    assert enrollment.events.get().actor == hr


def test_batch_extra_added_in_the_admin_reaches_trainees_already_in_that_cycle(hr_client, hr):
    enrollment = make_enrollment()
    services.move_enrollment(actor=hr, enrollment_id=enrollment.pk, move=cycles.START, from_state=cycles.PRE_JOB)
    batch = enrollment.batch

    response = hr_client.post(
        reverse("admin:training_batch_change", args=[batch.pk]),
        {
            "program": batch.program_id,
            "code": batch.code,
            "name": batch.name,
            "start_on": batch.start_on.isoformat(),
            "team": batch.team_id,
            "supervisor": batch.supervisor_id,
            **management_form("adjustments"),
            **management_form("extra_activities", total=1),
            "extra_activities-0-cycle": program().cycles.get(number=1).pk,
            "extra_activities-0-order": 8,
            "extra_activities-0-title_en": "Night-shift briefing",
            "extra_activities-0-title_zh": "夜班说明会",
            "extra_activities-0-kind": "learning",
            "extra_activities-0-owner": "trainee",
            "extra_activities-0-due_offset_days": 3,
            "extra_activities-0-is_required": "on",
        },
    )

    assert response.status_code == 302
    extra = ActivityTemplate.objects.get(batch=batch)
    assert enrollment.activities.filter(template=extra, due_on=timezone.localdate() + datetime.timedelta(days=3))


# Moving an enrollment ----------------------------------------------------------------------------


def test_hold_action_moves_the_state_through_the_service_and_records_an_event(hr_client, hr):
    enrollment = make_enrollment(state="cycle_2", cycle=2)

    response = post_action(hr_client, "put_on_hold", [enrollment], reason="Sick leave")

    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.held_from) == (cycles.ON_HOLD, "cycle_2")
    event = enrollment.events.get()
    assert (event.move, event.from_state, event.to_state, event.actor, event.reason) == (
        cycles.HOLD,
        "cycle_2",
        cycles.ON_HOLD,
        hr,
        "Sick leave",
    )
    assert "1 enrollment moved." in messages_of(response)


def test_resume_action_returns_to_the_state_held_from(hr_client):
    enrollment = make_enrollment(state=cycles.ON_HOLD, cycle=2, held_from="cycle_2")

    post_action(hr_client, "resume", [enrollment])

    enrollment.refresh_from_db()
    assert enrollment.state == "cycle_2"
    assert enrollment.events.get().move == cycles.RESUME


def test_withdraw_action_moves_every_selected_enrollment(hr_client):
    enrollments = [make_enrollment(), make_enrollment(state="cycle_3", cycle=3)]

    response = post_action(hr_client, "withdraw", enrollments, reason="Left the bank")

    assert set(Enrollment.objects.values_list("state", flat=True)) == {cycles.WITHDRAWN}
    assert EnrollmentEvent.objects.filter(move=cycles.WITHDRAW, reason="Left the bank").count() == 2
    assert "2 enrollments moved." in messages_of(response)


def test_withdraw_action_without_a_reason_changes_nothing(hr_client):
    enrollment = make_enrollment()

    response = post_action(hr_client, "withdraw", [enrollment])

    enrollment.refresh_from_db()
    assert enrollment.state == cycles.PRE_JOB
    assert not EnrollmentEvent.objects.exists()
    assert any("reason" in message for message in messages_of(response))


def test_an_illegal_move_is_reported_and_the_others_still_move(hr_client):
    completed = make_enrollment(state=cycles.COMPLETED, cycle=4)
    open_one = make_enrollment()

    response = post_action(hr_client, "put_on_hold", [completed, open_one])

    completed.refresh_from_db()
    open_one.refresh_from_db()
    assert (completed.state, open_one.state) == (cycles.COMPLETED, cycles.ON_HOLD)
    assert any(str(completed) in message and "nothing can change it" in message for message in messages_of(response))
    assert "1 enrollment moved." in messages_of(response)


def test_enrollment_change_form_has_no_editable_state_field(hr_client):
    enrollment = make_enrollment()
    url = reverse("admin:training_enrollment_change", args=[enrollment.pk])

    response = hr_client.get(url)
    posted = hr_client.post(url, {"state": cycles.COMPLETED, "cycle": 4})

    assert response.status_code == 200
    assert "state" not in response.context["adminform"].form.fields
    assert posted.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.state == cycles.PRE_JOB


def test_enrollments_cannot_be_deleted_in_the_admin(hr_client):
    enrollment = make_enrollment()

    response = hr_client.get(reverse("admin:training_enrollment_delete", args=[enrollment.pk]))

    assert response.status_code == 403


# Notifications -------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def make_notification():
    n = next(_numbers)
    return Notification.objects.create(recipient=UserFactory(), kind="enrollment_hold", key=f"k{n}", title=f"N {n}")


def test_notification_list_loads_in_queries_that_do_not_grow_with_rows(admin_client_):
    for _ in range(3):
        make_notification()
    few = changelist_queries(admin_client_, "notification", app="notifications")
    for _ in range(27):
        make_notification()

    assert changelist_queries(admin_client_, "notification", app="notifications") == few


def test_notifications_are_read_only_in_the_admin(admin_client_):
    notification = make_notification()

    assert admin_client_.get(reverse("admin:notifications_notification_add")).status_code == 403
    change = admin_client_.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert change.status_code == 200
    assert admin_client_.post(change.request["PATH_INFO"], {"title": "Edited"}).status_code == 403
