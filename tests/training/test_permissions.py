"""training.permissions: each predicate for each role, one behaviour per test.

The world: Team A (supervisor A, mentor A, trainee A), Team B (supervisor B, trainee B), and
Team C, whose supervisor C leads the batch trainee A is enrolled in ("batch supervisor of another
team"). Activities, sessions and assessments are unsaved objects: the predicates only read them.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from staff.models import Stage
from staff.services import ensure_hr_group
from tests.staff.factories import EmployeeFactory, TeamFactory
from training import permissions
from training.models import (
    Activity,
    ActivityOwner,
    ActivityTemplate,
    Assessment,
    AssessmentStatus,
    Batch,
    CoachingSession,
    Enrollment,
    Program,
    Source,
)

START_ON = datetime.date(2026, 11, 2)


def make_batch(code, supervisor):
    program = Program.objects.get(code="default-four-cycles")
    return Batch.objects.create(program=program, code=code, name=code, start_on=START_ON, supervisor=supervisor)


def enroll(batch, trainee, state="cycle_1"):
    return Enrollment.objects.create(
        batch=batch, trainee=trainee, state=state, cycle=1, cycle_started_on=START_ON, due_on=START_ON
    )


@pytest.fixture
def w(world):
    team_c = TeamFactory(name="Team C")
    world.batch_supervisor = EmployeeFactory(
        name="Supervisor C", team=team_c, stage=Stage.MANAGEMENT, user__username="sup_c"
    )
    team_c.supervisor = world.batch_supervisor
    team_c.save()
    world.batch = make_batch("perms", world.batch_supervisor)
    world.enrollment = enroll(world.batch, world.trainee)
    return world


def user(w, role):
    return {
        "anonymous": AnonymousUser(),
        "trainee": w.trainee.user,
        "other_trainee": w.other_trainee.user,
        "mentor": w.mentor.user,
        "supervisor": w.supervisor.user,
        "other_supervisor": w.other_supervisor.user,
        "batch_supervisor": w.batch_supervisor.user,
        "hr": w.hr,
        "inactive": w.inactive.user,
    }[role]


def activity(w, owner):
    return Activity(enrollment=w.enrollment, template=ActivityTemplate(owner=owner), cycle=1, due_on=START_ON)


# can_manage ---------------------------------------------------------------------------------

MANAGES = {"hr", "supervisor", "batch_supervisor"}
ROLES = ["anonymous", "trainee", "other_trainee", "mentor", "supervisor", "other_supervisor", "batch_supervisor", "hr"]


@pytest.mark.parametrize("role", ROLES + ["inactive"])
def test_hr_the_team_supervisor_and_the_batch_supervisor_manage_the_enrollment(w, role):
    assert permissions.can_manage(user(w, role), w.enrollment) is (role in MANAGES)


def test_the_trainee_never_manages_her_own_enrollment_even_in_hr(w):
    w.trainee.user.groups.add(ensure_hr_group())
    assert not permissions.can_manage(w.trainee.user, w.enrollment)


def test_an_inactive_batch_supervisor_manages_nothing(w):
    w.batch_supervisor.user.is_active = False
    w.batch_supervisor.user.save()
    assert not permissions.can_manage(w.batch_supervisor.user, w.enrollment)


# can_coach ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + ["inactive"])
def test_whoever_manages_and_the_mentor_coach_the_enrollment(w, role):
    assert permissions.can_coach(user(w, role), w.enrollment) is (role in MANAGES | {"mentor"})


# can_complete -------------------------------------------------------------------------------


def test_the_trainee_completes_her_own_activity(w):
    assert permissions.can_complete(w.trainee.user, activity(w, ActivityOwner.TRAINEE))


def test_the_trainee_does_not_complete_the_mentors_activity(w):
    assert not permissions.can_complete(w.trainee.user, activity(w, ActivityOwner.MENTOR))


def test_the_mentor_completes_the_mentors_activity(w):
    assert permissions.can_complete(w.mentor.user, activity(w, ActivityOwner.MENTOR))


def test_the_mentor_does_not_complete_the_trainees_activity(w):
    assert not permissions.can_complete(w.mentor.user, activity(w, ActivityOwner.TRAINEE))


def test_the_mentor_does_not_complete_the_supervisors_activity(w):
    assert not permissions.can_complete(w.mentor.user, activity(w, ActivityOwner.SUPERVISOR))


def test_the_batch_supervisor_completes_the_supervisors_activity(w):
    assert permissions.can_complete(w.batch_supervisor.user, activity(w, ActivityOwner.SUPERVISOR))


def test_the_team_supervisor_completes_the_trainees_activity_for_her(w):
    assert permissions.can_complete(w.supervisor.user, activity(w, ActivityOwner.TRAINEE))


def test_another_teams_supervisor_does_not_complete_the_supervisors_activity(w):
    assert not permissions.can_complete(w.other_supervisor.user, activity(w, ActivityOwner.SUPERVISOR))


def test_hr_completes_the_mentors_activity(w):
    assert permissions.can_complete(w.hr, activity(w, ActivityOwner.MENTOR))


# can_acknowledge ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES + ["inactive"])
def test_only_the_trainee_acknowledges_her_coaching(w, role):
    session = CoachingSession(employee=w.enrollment.trainee, enrollment=w.enrollment)
    assert permissions.can_acknowledge(user(w, role), session) is (role == "trainee")


# Scopes -------------------------------------------------------------------------------------

SEES = {"trainee", "mentor", "supervisor", "batch_supervisor", "hr"}


@pytest.mark.parametrize("role", ROLES + ["inactive"])
def test_visible_enrollments_are_the_trainees_people_scope_plus_the_batch_supervisor(w, role):
    assert permissions.visible_enrollments(user(w, role)).filter(pk=w.enrollment.pk).exists() is (role in SEES)


def test_a_batch_supervisor_sees_only_the_batches_she_supervises(w):
    elsewhere = enroll(make_batch("elsewhere", w.other_supervisor), w.other_trainee)
    assert not permissions.visible_enrollments(w.batch_supervisor.user).filter(pk=elsewhere.pk).exists()


def test_the_batch_supervisor_sees_the_activities_of_her_batch(w):
    template = ActivityTemplate.objects.filter(cycle__program=w.batch.program).first()
    done = Activity.objects.create(enrollment=w.enrollment, template=template, cycle=1, due_on=START_ON)
    assert list(permissions.visible_activities(w.batch_supervisor.user)) == [done]


def test_another_teams_supervisor_sees_no_activity_of_the_batch(w):
    template = ActivityTemplate.objects.filter(cycle__program=w.batch.program).first()
    Activity.objects.create(enrollment=w.enrollment, template=template, cycle=1, due_on=START_ON)
    assert not permissions.visible_activities(w.other_supervisor.user).exists()


def test_the_batch_supervisor_sees_the_coaching_sessions_of_her_batch(w):
    session = CoachingSession.objects.create(
        employee=w.enrollment.trainee,
        enrollment=w.enrollment,
        coach=w.mentor.user,
        phase="before",
        scheduled_at=datetime.datetime.now(datetime.UTC),
    )
    assert list(permissions.visible_coaching(w.batch_supervisor.user)) == [session]


def test_the_team_supervisor_sees_the_batch_holding_her_trainee(w):
    assert list(permissions.visible_batches(w.supervisor.user)) == [w.batch]


def test_another_teams_supervisor_does_not_see_the_batch(w):
    assert not permissions.visible_batches(w.other_supervisor.user).exists()


def test_a_batch_supervisor_who_leads_no_team_may_open_the_batch_board(w):
    w.batch.supervisor = w.mentor
    w.batch.save()
    assert permissions.can_view_batch_board(w.mentor.user)


def test_a_mentor_who_supervises_no_batch_may_not_open_the_batch_board(w):
    assert not permissions.can_view_batch_board(w.mentor.user)


# KASH: sources ------------------------------------------------------------------------------


def test_everyone_assesses_themself_only_as_self(w):
    assert permissions.assessable_sources(w.trainee.user, w.trainee) == (Source.SELF,)


def test_hr_records_every_source_but_self(w):
    assert set(permissions.assessable_sources(w.hr, w.trainee)) == set(Source) - {Source.SELF}


def test_the_team_supervisor_records_supervisor_qa_and_exam(w):
    assert permissions.assessable_sources(w.supervisor.user, w.trainee) == (Source.SUPERVISOR, Source.QA, Source.EXAM)


def test_the_mentor_records_mentor_and_exam(w):
    assert permissions.assessable_sources(w.mentor.user, w.trainee) == (Source.MENTOR, Source.EXAM)


def test_the_batch_supervisor_records_exam_only_while_the_enrollment_is_open(w):
    assert permissions.assessable_sources(w.batch_supervisor.user, w.trainee) == (Source.EXAM,)


@pytest.mark.parametrize("state", ["completed", "withdrawn"])
def test_the_batch_supervisor_records_nothing_once_the_enrollment_is_closed(w, state):
    Enrollment.objects.filter(pk=w.enrollment.pk).update(state=state)
    assert permissions.assessable_sources(w.batch_supervisor.user, w.trainee) == ()


def test_the_batch_supervisor_may_not_record_a_supervisor_assessment(w):
    assert not permissions.can_assess(w.batch_supervisor.user, w.trainee, Source.SUPERVISOR)


def test_another_teams_supervisor_records_nothing(w):
    assert permissions.assessable_sources(w.other_supervisor.user, w.trainee) == ()


def test_a_peer_records_nothing(w):
    assert permissions.assessable_sources(w.trainee.user, w.mentor) == ()


def test_an_inactive_user_records_nothing(w):
    assert permissions.assessable_sources(w.inactive.user, w.inactive) == ()


# KASH: private notes, drafts, corrections ---------------------------------------------------

READS_NOTES = {"supervisor", "hr"}


@pytest.mark.parametrize("role", ROLES + ["inactive"])
def test_only_the_team_supervisor_and_hr_read_private_notes(w, role):
    assert permissions.can_view_private_notes(user(w, role), w.trainee) is (role in READS_NOTES)


def test_the_subject_never_reads_her_own_private_notes_even_in_hr(w):
    w.trainee.user.groups.add(ensure_hr_group())
    assert not permissions.can_view_private_notes(w.trainee.user, w.trainee)


def draft_by(u, status=AssessmentStatus.DRAFT):
    return Assessment(assessor=u, status=status)


def test_the_assessor_continues_her_draft(w):
    assert permissions.can_edit_draft(w.supervisor.user, draft_by(w.supervisor.user))


def test_hr_does_not_continue_someone_elses_draft(w):
    assert not permissions.can_edit_draft(w.hr, draft_by(w.supervisor.user))


def test_nobody_edits_a_submitted_assessment_as_a_draft(w):
    assert not permissions.can_edit_draft(w.supervisor.user, draft_by(w.supervisor.user, AssessmentStatus.SUBMITTED))


def test_the_assessor_corrects_her_submitted_assessment(w):
    assert permissions.can_correct(w.supervisor.user, draft_by(w.supervisor.user, AssessmentStatus.SUBMITTED))


def test_hr_corrects_anyones_submitted_assessment(w):
    assert permissions.can_correct(w.hr, draft_by(w.supervisor.user, AssessmentStatus.SUBMITTED))


def test_a_draft_cannot_be_corrected(w):
    assert not permissions.can_correct(w.supervisor.user, draft_by(w.supervisor.user))


def test_the_mentor_does_not_correct_the_supervisors_assessment(w):
    assert not permissions.can_correct(w.mentor.user, draft_by(w.supervisor.user, AssessmentStatus.SUBMITTED))
