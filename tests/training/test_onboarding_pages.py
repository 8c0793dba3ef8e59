"""Onboarding pages (DOMAIN §3): my onboarding, the mentee and batch boards, the enrollment detail
and its actions, through HTTP as each person would use them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.models import Stage
from tests.staff.factories import EmployeeFactory
from tests.training.factories import AssessmentFactory, ScoreFactory
from training import cycles, services
from training.models import (
    Activity,
    ActivityKind,
    ActivityOwner,
    ActivityTemplate,
    CoachingSession,
    CycleTemplate,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
    Indicator,
    Program,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def program(indicators):
    """Four cycles of three required activities (two the trainee's, one the mentor's). Every cycle
    focuses on the Habit indicator; cycle 1's gate wants it at level 3; cycle 3 has a check."""
    program = Program.objects.create(code="pages-test", name_en="Pages test", name_zh="页面测试", pre_job_days=5)
    for number in range(1, 5):
        cycle = CycleTemplate.objects.create(
            program=program,
            number=number,
            name_en=f"Cycle {number} test",
            name_zh=f"第{number}周期",
            length_days=14,
            check_required=number == 3,
            pass_mark=80,
            focus_min_level=Decimal("3") if number == 1 else None,
        )
        cycle.focus_indicators.set([indicators[1]])
        for order, (title, owner) in enumerate(
            (
                ("Read the guide", ActivityOwner.TRAINEE),
                ("Shadow calls", ActivityOwner.TRAINEE),
                ("Mentor review", ActivityOwner.MENTOR),
            )
        ):
            ActivityTemplate.objects.create(
                cycle=cycle,
                order=order,
                title_en=f"{title} {number}",
                title_zh=f"{title} {number}",
                kind=ActivityKind.PRACTICE,
                owner=owner,
                due_offset_days=3 + order,
            )
    return program


def open_batch(world, program, code="batch-1", *, trainees=(), supervisor=None, start_on=None):
    supervisor = supervisor or world.supervisor
    return services.open_batch(
        actor=world.hr,
        program=program,
        code=code,
        name=f"Batch {code}",
        start_on=start_on or timezone.localdate() - datetime.timedelta(days=5),
        supervisor=supervisor,
        team=supervisor.team,
        trainees=trainees,
    )


def start(world, batch, trainee):
    enrollment = Enrollment.objects.get(batch=batch, trainee=trainee)
    return services.move_enrollment(actor=world.hr, enrollment_id=enrollment.pk, move="start", from_state="pre_job")


@pytest.fixture
def batch(world, program):
    return open_batch(world, program, trainees=[world.trainee, world.other_trainee])


@pytest.fixture
def enrollment(world, batch):
    """The trainee in cycle 1; the other trainee (another team) in cycle 1 of the same batch."""
    start(world, batch, world.other_trainee)
    return start(world, batch, world.trainee)


def activity(enrollment, owner="trainee", cycle=None):
    return Activity.objects.filter(
        enrollment=enrollment, cycle=cycle or enrollment.cycle, template__owner=owner
    ).order_by("template__order")[0]


def meet_gate(enrollment, indicator):
    """Every required activity of the current cycle done and the focus indicator assessed at 4."""
    enrollment.activities.filter(cycle=enrollment.cycle).update(done_at=timezone.now())
    ScoreFactory(
        assessment=AssessmentFactory(subject=enrollment.trainee, assessed_on=timezone.localdate()),
        indicator=indicator,
        level=4,
    )
    if enrollment.cycle == 3:
        services.record_gate_check(actor=enrollment.batch.supervisor.user, enrollment_id=enrollment.pk, score=90)


def move(client, enrollment, move, from_state, *, follow=False, **fields):
    return client.post(
        reverse("training:enrollment-move", args=[enrollment.pk]),
        {"move": move, "from_state": from_state, **fields},
        follow=follow,
    )


def reload(enrollment):
    return Enrollment.objects.get(pk=enrollment.pk)


# My onboarding ------------------------------------------------------------------------------


def test_trainee_marks_an_activity_done_and_progress_moves(client, world, enrollment):
    login(client, world.trainee.user)
    before = client.get(reverse("training:my-onboarding")).context["page"].progress
    target = activity(enrollment)
    response = client.post(
        reverse("training:activity-done", args=[target.pk]),
        {"note": "read it twice", "next": "/training/onboarding/me/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("training:my-onboarding")
    target.refresh_from_db()
    assert target.is_done and target.note == "read it twice" and target.done_by == world.trainee.user
    page = client.get(reverse("training:my-onboarding")).context["page"]
    assert (before, page.progress) == (0, 8)  # one of cycle 1's three required activities: (0 + 1/3) / 4
    assert (page.required_done, page.required_total) == (1, 3)


def test_my_onboarding_shows_the_cycle_mentor_focus_and_coaching(client, world, enrollment, indicators):
    CoachingSession.objects.create(
        employee=enrollment.trainee,
        enrollment=enrollment,
        coach=world.mentor.user,
        phase="before",
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
        agreed_actions="shorter notes",
    )
    response = login(client, world.trainee.user).get(reverse("training:my-onboarding"))
    page = response.context["page"]
    body = response.content.decode()
    assert [s.status for s in page.timeline] == ["done", "current", "todo", "todo", "todo", "todo"]
    assert [a.can_mark for a in page.activities] == [True, True, False]  # the mentor's is not hers
    assert [(f.indicator, f.level, f.required, f.is_met) for f in page.focus] == [(indicators[1], None, 3.0, False)]
    assert "Mentor A" in body and "shorter notes" in body and "Acknowledge" in body
    assert page.gate_check_on is None  # cycle 1 has no pass-the-gate check


def test_my_onboarding_shows_the_gate_check_date_in_a_cycle_with_a_check(client, world, enrollment, indicators):
    for _ in range(2):
        meet_gate(enrollment, indicators[1])
        services.move_enrollment(
            actor=world.hr, enrollment_id=enrollment.pk, move="advance", from_state=reload(enrollment).state
        )
        enrollment = reload(enrollment)
    page = login(client, world.trainee.user).get(reverse("training:my-onboarding")).context["page"]
    assert enrollment.state == "cycle_3"
    assert page.gate_check_on == enrollment.due_on
    assert page.progress == 50


def test_my_onboarding_says_so_when_not_in_a_batch(client, world):
    response = login(client, world.mentor.user).get(reverse("training:my-onboarding"))
    assert response.status_code == 200
    assert "You are not in an onboarding batch." in response.content.decode()


def test_my_onboarding_shows_an_extension_clearly(client, world, enrollment):
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.move_enrollment(
        actor=world.hr,
        enrollment_id=enrollment.pk,
        move="extend",
        from_state="cycle_1",
        remediation_plan="Daily notes review",
        due_on=due,
    )
    body = login(client, world.trainee.user).get(reverse("training:my-onboarding")).content.decode()
    assert "Extended" in body and "Daily notes review" in body and due.isoformat() in body


# Marking activities done ---------------------------------------------------------------------


def test_trainee_cannot_mark_another_trainees_activity(client, world, enrollment):
    other = Enrollment.objects.get(trainee=world.other_trainee)
    target = activity(other)
    response = login(client, world.trainee.user).post(reverse("training:activity-done", args=[target.pk]))
    assert response.status_code == 404
    target.refresh_from_db()
    assert not target.is_done


def test_trainee_cannot_mark_the_mentors_activity(client, world, enrollment):
    target = activity(enrollment, owner="mentor")
    response = login(client, world.trainee.user).post(reverse("training:activity-done", args=[target.pk]))
    assert response.status_code == 404
    target.refresh_from_db()
    assert not target.is_done


def test_mentor_marks_the_mentors_activity(client, world, enrollment):
    target = activity(enrollment, owner="mentor")
    response = login(client, world.mentor.user).post(reverse("training:activity-done", args=[target.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("training:enrollment-detail", args=[enrollment.pk])
    target.refresh_from_db()
    assert target.done_by == world.mentor.user


def test_marking_done_is_refused_while_on_hold(client, world, enrollment):
    services.move_enrollment(actor=world.hr, enrollment_id=enrollment.pk, move="hold", from_state="cycle_1")
    target = activity(enrollment)
    response = login(client, world.trainee.user).post(reverse("training:activity-done", args=[target.pk]), follow=True)
    assert "This enrollment is not active." in response.content.decode()
    target.refresh_from_db()
    assert not target.is_done


@pytest.mark.parametrize("name", ["activity-done", "enrollment-move", "coaching-ack", "mentor-assign"], ids=lambda n: n)
def test_post_only_actions_answer_405_to_get(client, world, enrollment, name):
    response = login(client, world.supervisor.user).get(reverse(f"training:{name}", args=[1]))
    assert response.status_code == 405


# Moves ---------------------------------------------------------------------------------------


def test_supervisor_approves_a_gate_that_is_met(client, world, enrollment, indicators):
    meet_gate(enrollment, indicators[1])
    response = move(login(client, world.supervisor.user), enrollment, "advance", "cycle_1")
    assert response.status_code == 302
    enrollment = reload(enrollment)
    assert (enrollment.state, enrollment.cycle) == ("cycle_2", 2)
    assert Activity.objects.filter(enrollment=enrollment, cycle=2).count() == 3
    event = EnrollmentEvent.objects.filter(enrollment=enrollment).first()
    assert (event.move, event.actor) == ("advance", world.supervisor.user)


def test_approving_a_gate_not_met_shows_the_reasons_and_changes_nothing(client, world, enrollment):
    events = EnrollmentEvent.objects.count()
    response = move(login(client, world.supervisor.user), enrollment, "advance", "cycle_1", reason="looks fine")
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 required activities are not done." in body
    assert "has not been assessed." in body
    assert 'value="looks fine"' in body  # the input is kept
    assert reload(enrollment).state == "cycle_1"
    assert not Activity.objects.filter(enrollment=enrollment, cycle=2).exists()
    assert EnrollmentEvent.objects.count() == events


def test_a_double_submitted_approval_changes_nothing(client, world, enrollment, indicators):
    meet_gate(enrollment, indicators[1])
    login(client, world.supervisor.user)
    move(client, enrollment, "advance", "cycle_1")
    meet_gate(reload(enrollment), indicators[1])  # even with cycle 2's gate met, the repeat is ignored
    response = move(client, enrollment, "advance", "cycle_1", follow=True)
    assert reload(enrollment).state == "cycle_2"
    assert EnrollmentEvent.objects.filter(enrollment=enrollment, move="advance").count() == 1
    assert "This was already done; nothing changed." in response.content.decode()


def test_extend_requires_a_plan(client, world, enrollment):
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = move(login(client, world.supervisor.user), enrollment, "extend", "cycle_1", due_on=due)
    assert "Write the remediation plan." in response.content.decode()
    assert reload(enrollment).state == "cycle_1"


def test_extend_requires_a_future_date(client, world, enrollment):
    today = timezone.localdate().isoformat()
    response = move(
        login(client, world.supervisor.user),
        enrollment,
        "extend",
        "cycle_1",
        remediation_plan="Daily review",
        due_on=today,
    )
    body = response.content.decode()
    assert "The new due date must be after today." in body
    assert "Daily review" in body  # the plan typed is kept
    assert reload(enrollment).state == "cycle_1"


def test_supervisor_fails_the_gate_and_extends(client, world, enrollment):
    due = timezone.localdate() + datetime.timedelta(days=7)
    response = move(
        login(client, world.supervisor.user),
        enrollment,
        "extend",
        "cycle_1",
        remediation_plan="Daily review",
        due_on=due.isoformat(),
    )
    assert response.status_code == 302
    enrollment = reload(enrollment)
    assert (enrollment.state, enrollment.due_on, enrollment.is_gate_failed) == ("extended", due, True)
    assert enrollment.remediation_plan == "Daily review"


def test_hold_and_resume(client, world, enrollment):
    login(client, world.supervisor.user)
    move(client, enrollment, "hold", "cycle_1", reason="sick leave")
    assert reload(enrollment).state == "on_hold"
    move(client, enrollment, "resume", "on_hold")
    assert reload(enrollment).state == "cycle_1"


def test_an_illegal_move_shows_why(client, world, enrollment):
    response = move(login(client, world.supervisor.user), enrollment, "resume", "cycle_1")
    assert "Only an enrollment on hold can be resumed." in response.content.decode()
    assert reload(enrollment).state == "cycle_1"


@pytest.mark.parametrize("who", ["mentor", "trainee"])
def test_only_the_supervisor_or_hr_moves_an_enrollment(client, world, enrollment, who):
    response = move(login(client, getattr(world, who).user), enrollment, "withdraw", "cycle_1")
    assert response.status_code == 404
    assert reload(enrollment).state == "cycle_1"


def test_action_forms_are_shown_only_to_those_allowed(client, world, enrollment):
    url = reverse("training:enrollment-detail", args=[enrollment.pk])
    supervisor = login(client, world.supervisor.user).get(url)
    # the gate is not met: approving it is not offered (tests/training/test_gates.py shows why not)
    assert [m for m, _label, _form in supervisor.context["moves"]] == ["extend", "hold", "withdraw"]
    assert "Save mentor" in supervisor.content.decode()
    mentor = login(client, world.mentor.user).get(url)
    assert mentor.context["moves"] == []
    assert "Log coaching" in mentor.content.decode() and "Save mentor" not in mentor.content.decode()
    trainee = login(client, world.trainee.user).get(url)
    assert trainee.context["moves"] == [] and "Log coaching" not in trainee.content.decode()


def test_another_supervisor_gets_404_for_the_detail(client, world, enrollment):
    url = reverse("training:enrollment-detail", args=[enrollment.pk])
    assert login(client, world.other_supervisor.user).get(url).status_code == 404


# Coaching, gate checks, mentors -------------------------------------------------------------


def test_mentor_logs_coaching_and_trainee_acknowledges(client, world, enrollment, indicators):
    login(client, world.mentor.user)
    url = reverse("training:coaching-new", args=[enrollment.pk])
    assert client.get(url).context["form"].initial["focus_indicators"] == [indicators[1].pk]
    response = client.post(
        url,
        {
            "phase": "after",
            "scheduled_at": "2026-11-02T10:00",
            "focus_indicators": [indicators[1].pk],
            "notes": "long after-call notes",
            "agreed_actions": "template for notes",
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get(enrollment=enrollment)
    assert (session.coach, session.phase, list(session.focus_indicators.all())) == (
        world.mentor.user,
        "after",
        [indicators[1]],
    )
    ack = reverse("training:coaching-ack", args=[session.pk])
    assert client.post(ack).status_code == 404  # the mentor cannot acknowledge for her
    assert login(client, world.trainee.user).post(ack).status_code == 302
    session.refresh_from_db()
    assert session.acknowledged_at is not None


def test_coaching_follow_up_before_the_session_is_refused(client, world, enrollment):
    response = login(client, world.mentor.user).post(
        reverse("training:coaching-new", args=[enrollment.pk]),
        {"phase": "during", "scheduled_at": "2026-11-02T10:00", "follow_up_on": "2026-11-01"},
    )
    assert "The follow-up date cannot be before the session." in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_the_coaching_log_is_grouped_by_phase(client, world, enrollment):
    for phase in ("before", "after", "after"):
        CoachingSession.objects.create(
            employee=enrollment.trainee,
            enrollment=enrollment,
            coach=world.mentor.user,
            phase=phase,
            scheduled_at=timezone.now(),
        )
    detail = login(client, world.supervisor.user).get(reverse("training:enrollment-detail", args=[enrollment.pk]))
    coaching = detail.context["detail"].coaching
    assert [(phase, len(sessions)) for phase, _label, sessions in coaching] == [
        ("before", 1),
        ("during", 0),
        ("after", 2),
    ]


def test_other_trainee_cannot_log_coaching(client, world, enrollment):
    response = login(client, world.trainee.user).get(reverse("training:coaching-new", args=[enrollment.pk]))
    assert response.status_code == 404


def test_mentor_records_a_gate_check(client, world, enrollment):
    response = login(client, world.mentor.user).post(
        reverse("training:gate-check-new", args=[enrollment.pk]),
        {"score": 85, "taken_on": timezone.localdate().isoformat(), "notes": "good role-play"},
    )
    assert response.status_code == 302
    check = GateCheck.objects.get(enrollment=enrollment)
    assert (check.cycle, check.attempt, check.score, check.passed) == (1, 1, 85, True)


def test_a_gate_check_score_above_100_is_refused(client, world, enrollment):
    response = login(client, world.mentor.user).post(
        reverse("training:gate-check-new", args=[enrollment.pk]),
        {"score": 101, "taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert not GateCheck.objects.exists()


def test_supervisor_assigns_a_mentor_and_sees_the_mentor_load(client, world, enrollment):
    veteran = EmployeeFactory(name="Veteran", team=world.team, stage=Stage.GROWTH)
    EmployeeFactory(team=world.team, mentor=world.mentor)  # the current mentor has two mentees now
    login(client, world.supervisor.user)
    detail = client.get(reverse("training:enrollment-detail", args=[enrollment.pk]))
    load = {c.name: c.mentee_count for c in detail.context["detail"].mentor_candidates}
    assert load == {"Mentor A": 2, "Veteran": 0}
    assert world.supervisor.name not in load and world.other_trainee.name not in load
    response = client.post(reverse("training:mentor-assign", args=[enrollment.pk]), {"mentor": veteran.pk})
    assert response.status_code == 302
    world.trainee.refresh_from_db()
    assert world.trainee.mentor == veteran


def test_a_mentor_from_another_team_is_refused(client, world, enrollment):
    outsider = EmployeeFactory(team=world.other_team, stage=Stage.GROWTH)
    response = login(client, world.hr).post(
        reverse("training:mentor-assign", args=[enrollment.pk]), {"mentor": outsider.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.trainee.refresh_from_db()
    assert world.trainee.mentor == world.mentor


# Boards --------------------------------------------------------------------------------------


def test_batch_board_flags_overdue_at_risk_and_gate_failed(client, world, program):
    today = timezone.localdate()
    late, risky, failed, fine = (EmployeeFactory(name=n, team=world.team, stage=Stage.PRE_JOB) for n in "LRFZ")
    batch = open_batch(world, program, trainees=[late, risky, failed, fine])
    for trainee in (late, risky, failed, fine):
        start(world, batch, trainee)
    Activity.objects.filter(enrollment__trainee=late, template__order=0).update(
        due_on=today - datetime.timedelta(days=1)
    )
    Enrollment.objects.filter(trainee=risky).update(due_on=today + datetime.timedelta(days=2))
    services.move_enrollment(
        actor=world.hr,
        enrollment_id=Enrollment.objects.get(trainee=failed).pk,
        move="extend",
        from_state="cycle_1",
        remediation_plan="again",
        due_on=today + datetime.timedelta(days=10),
    )
    Activity.objects.filter(enrollment__trainee=fine, template__order=0).update(done_at=timezone.now())
    response = login(client, world.supervisor.user).get(reverse("training:batch-board"))
    cards = {c.enrollment.trainee.name: c for _key, _label, cards in response.context["columns"] for c in cards}
    flags = {name: (c.overdue, c.is_at_risk, c.is_gate_failed) for name, c in cards.items()}
    assert (cards["Z"].progress, cards["L"].progress) == (8, 0)
    assert flags == {"L": (1, False, False), "R": (0, True, False), "F": (0, False, True), "Z": (0, False, False)}
    columns = {key: [c.enrollment.trainee.name for c in cards] for key, _label, cards in response.context["columns"]}
    assert columns["cycle_1"] == ["L", "R", "Z"] and columns["other"] == ["F"]


def test_batch_board_defaults_to_the_supervisors_latest_batch(client, world, program):
    old = open_batch(world, program, "old", start_on=timezone.localdate() - datetime.timedelta(days=60))
    new = open_batch(world, program, "new")
    open_batch(world, program, "theirs", supervisor=world.other_supervisor, start_on=timezone.localdate())
    login(client, world.supervisor.user)
    response = client.get(reverse("training:batch-board"))
    assert response.context["batch"] == new
    assert {b.code for b in response.context["batches"]} == {"old", "new"}
    assert client.get(reverse("training:batch-board"), {"batch": old.pk}).context["batch"] == old


def test_a_supervisor_cannot_pick_another_supervisors_batch(client, world, program):
    theirs = open_batch(world, program, "theirs", supervisor=world.other_supervisor)
    response = login(client, world.supervisor.user).get(reverse("training:batch-board"), {"batch": theirs.pk})
    assert response.status_code == 404


def test_hr_sees_every_batch(client, world, program):
    open_batch(world, program, "a")
    open_batch(world, program, "b", supervisor=world.other_supervisor)
    response = login(client, world.hr).get(reverse("training:batch-board"))
    assert {b.code for b in response.context["batches"]} == {"a", "b"}


@pytest.mark.parametrize("who", ["trainee", "mentor"])
def test_the_batch_board_is_for_supervisors_and_hr(client, world, who):
    assert login(client, getattr(world, who).user).get(reverse("training:batch-board")).status_code == 404


def test_mentee_board_shows_progress_overdue_and_next_coaching(client, world, enrollment):
    soon = timezone.now() + datetime.timedelta(days=2)
    CoachingSession.objects.create(
        employee=enrollment.trainee, enrollment=enrollment, coach=world.mentor.user, phase="before", scheduled_at=soon
    )
    activity(enrollment).delete()
    Activity.objects.filter(enrollment=enrollment).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    response = login(client, world.mentor.user).get(reverse("staff:my-mentees"))
    [(mentee, [(template, panel)])] = response.context["rows"]
    card = panel["card"]
    assert (mentee, card.enrollment.trainee, card.overdue, card.next_coaching_at) == (
        world.trainee,
        world.trainee,
        2,
        soon,
    )
    assert template == "training/onboarding/_mentee_onboarding.html"
    assert [a.pk for a in panel["overdue"]] == list(
        Activity.objects.filter(enrollment=enrollment, done_at__isnull=True)
        .order_by("due_on", "template__order", "pk")
        .values_list("pk", flat=True)
    )
    body = response.content.decode()
    for overdue in panel["overdue"]:
        assert overdue.template.title in body
    assert reverse("training:coaching-new", args=[enrollment.pk]) in body
    assert reverse("training:gate-check-new", args=[enrollment.pk]) in body


def test_the_mentee_board_is_for_mentors(client, world):
    assert login(client, world.supervisor.user).get(reverse("training:mentee-board")).status_code == 404


# Query counts --------------------------------------------------------------------------------


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def coach(world, enrollment):
    session = CoachingSession.objects.create(
        employee=enrollment.trainee,
        enrollment=enrollment,
        coach=world.mentor.user,
        phase="during",
        scheduled_at=timezone.now(),
    )
    session.focus_indicators.set(Indicator.objects.filter(is_active=True))
    GateCheck.objects.create(
        enrollment=enrollment,
        cycle=enrollment.cycle,
        attempt=enrollment.gate_checks.filter(cycle=enrollment.cycle).count() + 1,
        examiner=world.mentor.user,
        taken_on=timezone.localdate(),
        score=50,
        pass_mark=80,
    )


def _batch_of(world, program, code, size):
    trainees = [EmployeeFactory(team=world.team, mentor=world.mentor, stage=Stage.PRE_JOB) for _ in range(size)]
    batch = open_batch(world, program, code, trainees=trainees)
    for trainee in trainees:
        start(world, batch, trainee)
    Activity.objects.filter(enrollment__batch=batch, template__order=0).update(done_at=timezone.now())
    return batch


def test_batch_board_queries_do_not_grow_with_the_batch(client, world, program):
    small, large = _batch_of(world, program, "small", 5), _batch_of(world, program, "large", 40)
    login(client, world.supervisor.user)
    url = reverse("training:batch-board")
    counts = (_queries(client, url, batch=small.pk), _queries(client, url, batch=large.pk))
    # session, user, roles, batches, enrollments with their counts; the gates (training.gates): cycle
    # templates and their focus indicators, required activities, best checks, source weights, KASH facts;
    # the navbar's unread count
    assert counts == (12, 12)


def test_batch_board_queries_do_not_grow_with_history(client, world, program, indicators):
    batch = _batch_of(world, program, "history", 3)
    login(client, world.supervisor.user)
    url = reverse("training:batch-board")
    in_cycle_1 = _queries(client, url, batch=batch.pk)
    for enrollment in Enrollment.objects.filter(batch=batch):
        for _ in range(3):
            enrollment = reload(enrollment)
            coach(world, enrollment)
            meet_gate(enrollment, indicators[1])
            services.move_enrollment(
                actor=world.hr, enrollment_id=enrollment.pk, move="advance", from_state=enrollment.state
            )
    assert set(Enrollment.objects.filter(batch=batch).values_list("state", flat=True)) == {"cycle_4"}
    # + 1 in cycle 4: the weekly mood check-ins of the whole board in one query (issue 15 §9)
    assert (in_cycle_1, _queries(client, url, batch=batch.pk)) == (12, 13)


def test_mentee_board_queries_do_not_grow_with_the_mentees(client, world, program):
    login(client, world.mentor.user)
    url = reverse("staff:my-mentees")
    _batch_of(world, program, "small", 2)
    few = _queries(client, url)
    _batch_of(world, program, "large", 20)
    # session, user, roles, mentees, enrollments, overdue activities, the navbar's unread count
    assert (few, _queries(client, url)) == (7, 7)


def test_my_onboarding_queries_do_not_grow_with_history(client, world, enrollment, indicators):
    login(client, world.trainee.user)
    url = reverse("training:my-onboarding")
    coach(world, enrollment)
    in_cycle_1 = _queries(client, url)
    for _ in range(3):
        enrollment = reload(enrollment)
        coach(world, enrollment)
        meet_gate(enrollment, indicators[1])
        services.move_enrollment(
            actor=world.hr, enrollment_id=enrollment.pk, move="advance", from_state=enrollment.state
        )
    assert reload(enrollment).state == cycles.cycle_state(4)
    assert (in_cycle_1, _queries(client, url)) == (13, 13)  # the next step and the headline cost none


def test_enrollment_detail_queries_do_not_grow_with_history(client, world, enrollment, indicators):
    login(client, world.supervisor.user)
    url = reverse("training:enrollment-detail", args=[enrollment.pk])
    coach(world, enrollment)
    in_cycle_1 = _queries(client, url)
    for _ in range(3):
        enrollment = reload(enrollment)
        coach(world, enrollment)
        meet_gate(enrollment, indicators[1])
        services.move_enrollment(
            actor=world.hr, enrollment_id=enrollment.pk, move="advance", from_state=enrollment.state
        )
    # + 1 once the enrollment reached cycle 4: its weekly mood check-ins (issue 15 §9)
    assert (in_cycle_1, _queries(client, url)) == (18, 19)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("trainee", ["my-onboarding"], ["batch-board", "mentee-board"]),
        ("mentor", ["my-onboarding", "mentee-board"], ["batch-board"]),
        ("supervisor", ["my-onboarding", "batch-board"], ["mentee-board"]),
    ],
)
def test_the_navbar_links_each_role_to_its_onboarding_pages(client, world, who, shown, hidden):
    body = login(client, getattr(world, who).user).get(reverse("staff:my-profile")).content.decode()
    assert all(f'href="{reverse("training:" + name)}"' in body for name in shown)
    assert not any(f'href="{reverse("training:" + name)}"' in body for name in hidden)


@pytest.mark.parametrize(
    ("who", "css_class"),
    [("trainee", "nav-link"), ("mentor", "dropdown-item"), ("supervisor", "dropdown-item")],
)
def test_my_own_pages_sit_in_the_bar_for_trainees_and_in_the_user_menu_for_people_who_lead(
    client, world, who, css_class
):
    body = login(client, getattr(world, who).user).get(reverse("staff:my-profile")).content.decode()
    for name in ("staff:my-profile", "training:my-kash", "training:my-onboarding"):
        assert f'class="{css_class}" href="{reverse(name)}"' in body


# What a new user misread (issue 9 §1): indicator codes in the coaching log, a due date on a withdrawn card,
# an extension that did not say which cycle, a risk legend without risk, a percentage without words, and no
# "what next" on the trainee's page.


def page(client, user, name, *args, language="en", **params):
    response = login(client, user).get(reverse(name, args=args), params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


# Coaching log: indicators by name ------------------------------------------------------------


@pytest.mark.parametrize(("language", "attribute"), [("en", "name_en"), ("zh-hans", "name_zh")])
def test_the_coaching_log_names_its_focus_indicators_in_the_readers_language(
    client, world, enrollment, indicators, language, attribute
):
    session = CoachingSession.objects.create(
        employee=enrollment.trainee,
        enrollment=enrollment,
        coach=world.mentor.user,
        phase="during",
        scheduled_at=timezone.now(),
    )
    session.focus_indicators.set(indicators)
    body = page(
        client, world.supervisor.user, "training:enrollment-detail", enrollment.pk, language=language
    ).content.decode()
    for indicator in indicators:
        assert getattr(indicator, attribute) in body
        assert f"· {indicator.code}" not in body and f", {indicator.code}<" not in body


# Batch board -------------------------------------------------------------------------------


@pytest.fixture
def board_batch(world, program):
    """Four trainees in cycle 1, due in 14 days: nobody at risk."""
    trainees = [EmployeeFactory(name=n, team=world.team, stage=Stage.PRE_JOB) for n in ("Ann", "Bea", "Cai", "Dee")]
    batch = open_batch(world, program, "board", trainees=trainees)
    for trainee in trainees:
        start(world, batch, trainee)
    return batch


def move_by_name(world, name, move, **fields):
    enrollment = Enrollment.objects.get(trainee__name=name)
    services.move_enrollment(
        actor=world.hr, enrollment_id=enrollment.pk, move=move, from_state=enrollment.state, **fields
    )


def card_html(body, name):
    start_at = body.index(f">{name}</a>")
    return body[start_at : body.index("</article>", start_at)]


def test_a_withdrawn_card_shows_no_due_date_and_an_extended_one_says_its_cycle(client, world, board_batch):
    move_by_name(world, "Ann", "withdraw", reason="Left the company")
    due = timezone.localdate() + datetime.timedelta(days=9)
    move_by_name(world, "Bea", "extend", remediation_plan="Shorter notes", due_on=due)
    body = page(client, world.supervisor.user, "training:batch-board", batch=board_batch.pk).content.decode()
    assert "data-due" not in card_html(body, "Ann")
    assert "Extended · cycle 1" in card_html(body, "Bea")
    assert f"due {due:%m-%d}" in card_html(body, "Bea")
    assert "data-due" in card_html(body, "Cai")


def test_the_risk_legend_shows_only_when_someone_is_at_risk(client, world, board_batch):
    body = page(client, world.supervisor.user, "training:batch-board", batch=board_batch.pk).content.decode()
    assert 'id="risk-legend"' not in body
    Enrollment.objects.filter(trainee__name="Dee").update(due_on=timezone.localdate() + datetime.timedelta(days=2))
    response = page(client, world.supervisor.user, "training:batch-board", batch=board_batch.pk)
    assert response.context["any_at_risk"]
    assert 'id="risk-legend"' in response.content.decode()


# Progress in words --------------------------------------------------------------------------


def headline(body):
    start_at = body.index('id="progress-headline"')
    return body[start_at : body.index("</p>", start_at)]


def test_the_progress_headline_says_what_the_percentage_counts(client, world, enrollment):
    Activity.objects.filter(enrollment=enrollment, template__order=0).update(done_at=timezone.now())
    response = page(client, world.trainee.user, "training:my-onboarding")
    assert response.context["page"].progress == 8  # (0 + 1/3) / 4 of the way
    expected = "through the four cycles: cycle 1 of 4, 1 of 3 required activities of this cycle done."
    assert expected in headline(response.content.decode())
    assert ">8%</span>" in headline(response.content.decode())  # the same number as the bar
    detail = page(client, world.supervisor.user, "training:enrollment-detail", enrollment.pk)
    assert expected in headline(detail.content.decode())


def test_the_progress_headline_in_pre_job_training_and_when_completed(client, world, program):
    batch = open_batch(world, program, "pre", trainees=[world.trainee])
    body = page(client, world.trainee.user, "training:my-onboarding").content.decode()
    assert "the four cycles start after pre-job training." in headline(body) and ">0%<" in headline(body)
    enrollment = Enrollment.objects.get(batch=batch)
    Enrollment.objects.filter(pk=enrollment.pk).update(state="completed", cycle=4)
    body = page(client, world.trainee.user, "training:my-onboarding").content.decode()
    assert "all four cycles passed." in headline(body) and ">100%<" in headline(body)


# The trainee's next step --------------------------------------------------------------------


def next_step(body):
    start_at = body.index('id="next-step"')
    return body[start_at : body.index("</p>", start_at)]


def test_the_next_step_names_her_most_urgent_activity_with_its_due_date(client, world, enrollment):
    first = (
        Activity.objects.filter(enrollment=enrollment, template__owner="trainee")
        .select_related("template")
        .order_by("due_on", "template__order")
        .first()
    )
    body = page(client, world.trainee.user, "training:my-onboarding").content.decode()
    text = next_step(body)
    assert first.template.title_en in text and first.due_on.isoformat() in text
    assert f'href="#note-{first.pk}"' in text


def test_the_next_step_puts_overdue_work_first(client, world, enrollment):
    late = Activity.objects.filter(enrollment=enrollment, template__owner="trainee").order_by("-template__order")[0]
    Activity.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    text = next_step(page(client, world.trainee.user, "training:my-onboarding").content.decode())
    assert "Overdue since" in text and late.template.title_en in text


def test_the_next_step_is_at_the_top_in_chinese_too(client, world, enrollment):
    body = page(client, world.trainee.user, "training:my-onboarding", language="zh-hans").content.decode()
    assert body.index('id="next-step"') < body.index("onboarding-timeline")


def test_with_her_own_work_done_the_next_step_says_whom_she_is_waiting_for(client, world, enrollment):
    Activity.objects.filter(enrollment=enrollment, template__owner="trainee").update(done_at=timezone.now())
    theirs = (
        Activity.objects.filter(enrollment=enrollment, cycle=enrollment.cycle, done_at__isnull=True)
        .exclude(template__owner="trainee")
        .select_related("template")
        .order_by("due_on", "template__order")
        .first()
    )
    assert theirs is not None
    text = next_step(page(client, world.trainee.user, "training:my-onboarding").content.decode())
    assert f"waiting for your {theirs.template.get_owner_display().lower()}" in text
    assert theirs.template.title_en in text
