"""The KASH demo: seed_demo finds training.demo by discovery and adds targets and a year of assessments."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from notifications.models import Notification
from staff.management.commands.seed_demo import demo_extras
from staff.models import Employee, Stage, Team
from training import cycles
from training.demo import DEMO_TAG, seed_demo_extra
from training.models import (
    Activity,
    ActivityOwner,
    Assessment,
    AssessmentStatus,
    Batch,
    CoachingPhase,
    CoachingSession,
    Enrollment,
    EnrollmentEvent,
    GateCheck,
    Indicator,
    PositionTarget,
    Score,
    Source,
)
from training.selectors.kash import targets_by_employee, team_heatmap

STAFF_DIR = Path(__file__).resolve().parents[2] / "staff"


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def output(demo_world, db):
    """The demo, seeded once for the module (tests/conftest.py); what seed_demo printed."""
    return demo_world


def person(username):
    return Employee.objects.get(user__username=username)


def submitted(employee):
    return employee.assessments.filter(status=AssessmentStatus.SUBMITTED)


def counts():
    return {
        "assessments": Assessment.objects.count(),
        "scores": Score.objects.count(),
        "targets": PositionTarget.objects.count(),
        "target_history": PositionTarget.history.count(),
        "batches": Batch.objects.count(),
        "enrollments": list(Enrollment.objects.order_by("pk").values_list("state", "cycle", "due_on")),
        "events": EnrollmentEvent.objects.count(),
        "activities_done": Activity.objects.filter(done_at__isnull=False).count(),
        "coaching": CoachingSession.objects.count(),
        "gate_checks": GateCheck.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_staff_never_imports_training():
    pattern = re.compile(r"^\s*(from|import)\s+training\b", re.MULTILINE)
    offenders = [str(path) for path in STAFF_DIR.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_seed_demo_discovers_the_training_demo_step():
    modules = [step.__module__ for step in demo_extras()]
    assert "training.demo" in modules
    assert "staff.demo" not in modules


def test_seed_demo_prints_the_kash_summary(output):
    assert "KASH demo:" in output
    assert Assessment.objects.filter(context__contains=DEMO_TAG).exists()


def test_demo_trainee_is_assessed_by_three_sources_since_her_first_week(output):
    trainee = person("trainee")
    sources = set(submitted(trainee).values_list("source", flat=True))
    assert len(sources) >= 3
    assert {Source.MENTOR, Source.SUPERVISOR, Source.SELF} <= sources
    first = min(submitted(trainee).values_list("assessed_on", flat=True))
    assert trainee.hire_date <= first <= trainee.hire_date + datetime.timedelta(days=7)


@pytest.mark.parametrize("username", ["mentor", "supervisor"])
def test_tenured_demo_logins_have_ten_months_of_assessments(output, username):
    dates = list(submitted(person(username)).values_list("assessed_on", flat=True))
    assert (max(dates) - min(dates)).days >= 300
    assert len(set(submitted(person(username)).values_list("source", flat=True))) >= 3


def test_demo_trainee_has_a_corrected_assessment(output):
    trainee = person("trainee")
    correction = Assessment.objects.get(subject=trainee, supersedes__isnull=False)
    original = correction.supersedes
    assert original.subject == trainee
    assert original.is_submitted and correction.is_submitted
    assert (original.source, original.assessor_id) == (correction.source, correction.assessor_id)
    assert original.submitted_at < correction.submitted_at
    levels = dict(original.scores.values_list("indicator_id", "level"))
    assert dict(correction.scores.values_list("indicator_id", "level")) != levels


def test_demo_supervisor_has_a_draft_for_the_trainee(output):
    draft = Assessment.objects.get(subject=person("trainee"), status=AssessmentStatus.DRAFT)
    assert draft.assessor.username == "supervisor"
    assert draft.submitted_at is None
    assert draft.scores.exists()


def test_every_employee_with_a_team_and_position_has_targets(output):
    employees = list(Employee.objects.exclude(team=None).exclude(position=None))
    targets = targets_by_employee(employees)
    assert [e.name for e in employees if not targets[e.pk]] == []


def test_onboarding_agents_are_expected_less_on_skills(output):
    trainee = person("trainee")
    agent = Employee.objects.filter(position=trainee.position, stage=Stage.GROWTH).first()
    targets = targets_by_employee([trainee, agent])
    skill = Indicator.objects.get(code="communication-4c").pk
    habit = Indicator.objects.get(code="after-call-work").pk
    assert targets[trainee.pk][skill] < targets[agent.pk][skill]
    assert targets[trainee.pk][habit] == targets[agent.pk][habit]


def test_no_assessment_is_in_the_future_or_before_the_hire_date(output):
    assert not Assessment.objects.filter(assessed_on__gt=timezone.localdate()).exists()
    assert not Assessment.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert not Assessment.objects.filter(assessed_on__lt=F("subject__hire_date")).exists()


def test_only_active_team_members_are_assessed(output):
    assessed = Employee.objects.filter(assessments__isnull=False).distinct()
    # Floor managers belong to no team: only the drills HR runs with them assess them (issue 12).
    assert not Assessment.objects.filter(subject__team=None).exclude(source=Source.EXAM).exists()
    assert not assessed.filter(team=None).exclude(position__code="CS-MGR").exists()
    assert not assessed.filter(stage=Stage.LEFT).exists()
    assert not Employee.objects.exclude(team=None).exclude(stage=Stage.LEFT).filter(assessments=None).exists()


def test_private_notes_are_written_by_the_persons_supervisor(output):
    notes = list(Assessment.objects.exclude(private_note="").select_related("subject__team__supervisor"))
    assert len(notes) >= 3
    assert all(a.assessor_id == a.subject.team.supervisor.user_id for a in notes)


def test_second_run_changes_nothing(output):
    before = counts()
    second = seed()
    assert counts() == before
    assert "0 assessments" in second


def test_a_run_on_a_later_day_adds_nothing(output):
    before = counts()
    seed_demo_extra(today=timezone.localdate() + datetime.timedelta(days=40))
    assert counts() == before


def test_supervisor_heatmap_shows_gaps_to_work_on(output):
    user = get_user_model().objects.get(username="supervisor")
    team_ids = list(Team.objects.filter(supervisor__user=user).values_list("pk", flat=True))
    _indicators, rows, needs = team_heatmap(user, team_ids=team_ids)
    assert any(row.total_gap > 0 for row in rows)
    assert needs


# Onboarding (DOMAIN §3): the batches replayed to mid-program ---------------------------------------


def enrollment(username):
    return Enrollment.objects.select_related("batch__supervisor").get(trainee__user__username=username)


def test_each_team_of_new_hires_is_a_batch_opened_by_hr_under_its_supervisor(output):
    batches = list(Batch.objects.select_related("team__supervisor"))
    assert len(batches) == Team.objects.filter(members__stage=Stage.ONBOARDING).distinct().count()
    for batch in batches:
        assert batch.supervisor == batch.team.supervisor
        assert set(batch.enrollments.values_list("trainee__team", flat=True)) == {batch.team_id}
    enrolled_by = set(EnrollmentEvent.objects.filter(move="enroll").values_list("actor__username", flat=True))
    assert enrolled_by == {"hr"}


def test_supervisor_login_supervises_the_trainee_logins_batch(output):
    assert enrollment("trainee").batch.supervisor.user.username == "supervisor"


def test_headquarters_trainees_are_in_cycle_3_and_the_branch_ones_in_cycle_1(output):
    states = Enrollment.objects.values_list("trainee__team__department__site__code", "state")
    headquarters = [state for site, state in states if site == "SZ"]
    assert set(states.filter(trainee__team__department__site__code="WX").values_list("state", flat=True)) == {"cycle_1"}
    assert headquarters.count("cycle_3") >= len(headquarters) - 2
    assert sorted(set(headquarters) - {"cycle_3"}) == [cycles.EXTENDED, cycles.WITHDRAWN]


def test_one_trainee_failed_the_gate_and_is_extended_with_a_remediation_plan(output):
    (extended,) = Enrollment.objects.filter(state=cycles.EXTENDED)
    assert extended.is_gate_failed
    assert "补强计划" in extended.remediation_plan
    assert extended.due_on > timezone.localdate()
    moves = list(extended.events.order_by("at", "pk").values_list("move", "actor__username"))
    # The sweep extended it with the gate's reasons, then the supervisor wrote the plan and a new due date.
    assert moves[-2:] == [(cycles.EXTEND, None), (cycles.EXTEND, extended.batch.supervisor.user.username)]
    assert extended.activities.filter(cycle=extended.cycle, done_at__isnull=True, due_on__lt=timezone.localdate())


def test_one_trainee_withdrew_with_a_reason(output):
    (withdrawn,) = Enrollment.objects.filter(state=cycles.WITHDRAWN)
    event = withdrawn.events.get(move=cycles.WITHDRAW)
    assert event.actor == withdrawn.batch.supervisor.user
    assert event.reason


def test_trainee_login_is_in_cycle_3_with_open_activities_due_this_week(output):
    mine = enrollment("trainee")
    today = timezone.localdate()
    assert mine.state == "cycle_3"
    open_now = mine.activities.filter(cycle=3, done_at__isnull=True)
    assert open_now.filter(due_on__lte=today + datetime.timedelta(days=7)).exists()
    assert open_now.filter(template__owner=ActivityOwner.TRAINEE).exists()
    assert mine.activities.filter(cycle__lt=3, done_at__isnull=True).count() == 0


def test_trainee_login_has_a_coaching_session_coming_with_her_mentor(output):
    mine = enrollment("trainee")
    coming = mine.coaching_sessions.filter(scheduled_at__gt=timezone.now())
    assert coming.exists()
    assert {session.coach.username for session in coming} == {"mentor"}


def test_mentor_login_coached_before_during_and_after_with_agreed_actions(output):
    sessions = CoachingSession.objects.filter(coach__username="mentor", scheduled_at__lt=timezone.now())
    assert set(sessions.values_list("phase", flat=True)) == set(CoachingPhase.values)
    assert not sessions.filter(agreed_actions="").exists()


def test_activities_were_done_on_time_with_a_note_and_never_in_the_future(output):
    done = list(Activity.objects.filter(done_at__isnull=False))
    assert len(done) > 150
    assert all(a.note for a in done)
    assert all(a.done_at <= timezone.now() for a in done)
    late = [a for a in done if timezone.localdate(a.done_at) > a.due_on]
    assert len(late) <= 2  # the extended trainee's late reflection


def test_history_is_stamped_on_the_replayed_days(output):
    start = Batch.objects.order_by("start_on").first().start_on
    days = {timezone.localdate(at) for at in EnrollmentEvent.objects.values_list("at", flat=True)}
    assert min(days) == start
    assert len(days) >= 5
    assert not EnrollmentEvent.objects.filter(at__gt=timezone.now()).exists()


def test_some_cycle_3_trainees_took_a_gate_check(output):
    checks = GateCheck.objects.all()
    assert checks.count() >= 1
    assert set(checks.values_list("cycle", flat=True)) == {3}
    assert all(check.assessment is not None for check in checks)


@pytest.mark.parametrize("username", ["trainee", "mentor", "supervisor"])
def test_demo_logins_have_unread_notifications(output, username):
    mine = Notification.objects.filter(recipient__username=username)
    assert mine.filter(read_at__isnull=True).exists()
    assert mine.filter(read_at__isnull=False).exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()  # history is not e-mailed again


def test_second_run_adds_no_onboarding_rows(output):
    second = seed()
    assert "exist already" in second
