"""Drills (issue 12 §6): scheduling checks the version, the cast and the examiner; a scored drill's result creates
exactly the KASH assessments its steps name, once; guidance steps are never scored; practice drills count for
nothing; who drilled with whom is kept."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linkage.models import Drill, DrillMode, DrillStatus, LinkageRole, StepScore
from linkage.selectors.drills import pair_familiarity
from linkage.selectors.levels import levels_for
from linkage.services.drills import cancel_drill, schedule_drill, score_drill
from staff.models import Stage
from tests.linkage.factories import drill_version, step_result
from tests.staff.factories import EmployeeFactory
from training.models import Assessment, AssessmentStatus, Score, Source

TODAY = datetime.date(2026, 11, 20)
AT_TEN = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), tick=False)


def schedule(world, kit, *, actor=None, cast=None, **kwargs):
    return schedule_drill(
        actor=actor or world.supervisor.user,
        version=kwargs.pop("version", kit.version),
        team=kwargs.pop("team", world.team),
        scheduled_for=AT_TEN,
        cast=cast if cast is not None else [(world.trainee, kit.agent), (world.mentor, kit.specialist)],
        **kwargs,
    )


def full_scores(kit, *, explain_signal=True):
    return {kit.spot.pk: step_result(), kit.explain.pk: step_result(signal_ok=explain_signal)}


def assessed(drill):
    """(subject, indicator, level) of every score the drill's assessments hold."""
    return sorted(
        Score.objects.filter(assessment__idempotency_key__startswith=f"linkage-drill:{drill.pk}:").values_list(
            "assessment__subject_id", "indicator_id", "level"
        )
    )


# The result and KASH ------------------------------------------------------------------------------------------


def test_a_scored_drill_creates_exactly_the_assessments_its_steps_name(world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit, explain_signal=False))

    first, second = kit.indicators
    # Spot (trainee): both checks met on both of its indicators → 5. Explain (mentor): 2 of 3 checks → 4.
    assert assessed(drill) == sorted(
        [(world.trainee.pk, first.pk, 5), (world.trainee.pk, second.pk, 5), (world.mentor.pk, second.pk, 4)]
    )
    assessments = Assessment.objects.filter(idempotency_key__startswith=f"linkage-drill:{drill.pk}:")
    assert {(a.source, a.status, a.assessor_id, a.assessed_on) for a in assessments} == {
        (Source.EXAM, AssessmentStatus.SUBMITTED, world.supervisor.user_id, TODAY)
    }
    assert kit.playbook.name in assessments.first().context
    drill.refresh_from_db()
    assert (drill.status, drill.scored_by_id) == (DrillStatus.SCORED, world.supervisor.user_id)
    assert dict(drill.participants.values_list("employee_id", "passed")) == {
        world.trainee.pk: True,
        world.mentor.pk: False,  # the signal was not used
    }


def test_a_resubmitted_result_changes_nothing(world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit))
    before = (Assessment.objects.count(), Score.objects.count(), StepScore.objects.count(), assessed(drill))
    passes = dict(drill.participants.values_list("employee_id", "passed"))

    failing = {kit.spot.pk: step_result(action_ok=False), kit.explain.pk: step_result(signal_ok=False)}
    again = score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=failing)

    assert again.pk == drill.pk
    assert (Assessment.objects.count(), Score.objects.count(), StepScore.objects.count(), assessed(drill)) == before
    assert dict(drill.participants.values_list("employee_id", "passed")) == passes
    assert set(StepScore.objects.filter(drill=drill).values_list("passed", flat=True)) == {True}


def test_a_guidance_step_is_never_scored(world, kit):
    drill = schedule(world, kit)
    scores = {**full_scores(kit), kit.note.pk: step_result()}
    with pytest.raises(ValidationError) as refused:
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=scores)
    assert "Note" in str(refused.value) and "guidance" in str(refused.value)
    drill.refresh_from_db()
    assert drill.status == DrillStatus.SCHEDULED
    assert not StepScore.objects.exists() and not Assessment.objects.exists()


def test_every_cast_step_needs_a_score_and_an_uncast_step_takes_none(world, kit):
    drill = schedule(world, kit, cast=[(world.trainee, kit.agent)])
    with pytest.raises(ValidationError) as uncast:
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit))
    assert "Specialist" in str(uncast.value) and "Explain" in str(uncast.value)
    with pytest.raises(ValidationError) as missing:
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores={})
    assert "Spot" in str(missing.value)

    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores={str(kit.spot.pk): step_result()})
    assert list(StepScore.objects.filter(drill=drill).values_list("step_id", flat=True)) == [kit.spot.pk]
    assert {score.indicator_id for score in Score.objects.all()} == {i.pk for i in kit.indicators}


def test_a_step_with_a_signal_needs_the_signal_marked(world, kit):
    drill = schedule(world, kit)
    with pytest.raises(ValidationError) as refused:
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit, explain_signal=None))
    assert "Explain" in str(refused.value)


def test_only_the_examiner_or_hr_scores(world, kit):
    drill = schedule(world, kit)
    for outsider in (world.other_supervisor.user, world.trainee.user, world.mentor.user):
        with pytest.raises(PermissionDenied):
            score_drill(actor=outsider, drill_id=drill.pk, scores=full_scores(kit))
    score_drill(actor=world.hr, drill_id=drill.pk, scores=full_scores(kit))
    assert Assessment.objects.filter(assessor=world.hr).count() == 2


# Practice drills ----------------------------------------------------------------------------------------------


def test_a_practice_drill_records_scores_but_counts_for_nothing(world, kit):
    drill = schedule(world, kit, actor=world.mentor.user, cast=[(world.trainee, kit.agent)], mode=DrillMode.PRACTICE)
    assert drill.examiner == world.mentor
    score_drill(actor=world.mentor.user, drill_id=drill.pk, scores={kit.spot.pk: step_result()})

    assert StepScore.objects.filter(drill=drill, passed=True).count() == 1
    assert not Assessment.objects.exists()
    assert list(drill.participants.values_list("passed", flat=True)) == [None]
    level = levels_for([world.trainee.pk], [kit.playbook.pk], today=TODAY)[(world.trainee.pk, kit.playbook.pk)]
    assert (level.level, level.drilled_on) == (0, None)


def test_a_mentor_schedules_practice_drills_of_her_mentees_only(world, kit):
    with pytest.raises(ValidationError, match="practice"):
        schedule(world, kit, actor=world.mentor.user, cast=[(world.trainee, kit.agent)])
    stranger = EmployeeFactory(name="Not a mentee", team=world.team)
    with pytest.raises(ValidationError, match="Not a mentee"):
        schedule(world, kit, actor=world.mentor.user, cast=[(stranger, kit.agent)], mode=DrillMode.PRACTICE)
    with pytest.raises(PermissionDenied):  # no mentee of hers in Team B
        schedule(world, kit, actor=world.mentor.user, team=world.other_team, mode=DrillMode.PRACTICE, cast=[])
    assert not Drill.objects.exists()


# Scheduling ---------------------------------------------------------------------------------------------------


def test_a_supervisor_schedules_for_her_own_team_only(world, kit):
    drill = schedule(world, kit)
    assert (drill.examiner, drill.created_by, drill.mode) == (world.supervisor, world.supervisor.user, "scored")
    assert set(drill.participants.values_list("employee_id", "role_id")) == {
        (world.trainee.pk, kit.agent.pk),
        (world.mentor.pk, kit.specialist.pk),
    }
    for outsider in (world.other_supervisor.user, world.trainee.user):
        with pytest.raises(PermissionDenied):
            schedule(world, kit, actor=outsider)
    assert Drill.objects.count() == 1


def _guidance_only_role(kit):
    role = LinkageRole.objects.create(code="drill-lobby", name_en="Lobby staff", name_zh="大堂")
    kit.note.owner = role
    kit.note.save()
    return role


@pytest.mark.parametrize(
    ("case", "named"),
    [
        ("draft", "not published"),
        ("pilot elsewhere", "not by Team A"),
        ("role owns no scored step", "Lobby staff"),
        ("person twice", "Trainee A"),
        ("role twice", "Agent"),
        ("left", "Gone"),
        ("examiner may not assess", "Supervisor B"),
        ("nobody cast", "Cast at least one"),
    ],
)
def test_scheduling_refusals_name_the_problem(world, kit, case, named):
    trainee, mentor = world.trainee, world.mentor
    kwargs = {}
    if case == "draft":
        kwargs["version"] = drill_version(status="draft").version
    elif case == "pilot elsewhere":
        kwargs["version"] = drill_version(status="pilot", pilot_teams=[world.other_team]).version
    elif case == "role owns no scored step":
        kwargs["cast"] = [(trainee, kit.agent), (mentor, _guidance_only_role(kit))]
    elif case == "person twice":
        kwargs["cast"] = [(trainee, kit.agent), (trainee, kit.specialist)]
    elif case == "role twice":
        kwargs["cast"] = [(trainee, kit.agent), (mentor, kit.agent)]
    elif case == "left":
        kwargs["cast"] = [(EmployeeFactory(name="Gone", team=world.team, stage=Stage.LEFT), kit.agent)]
    elif case == "examiner may not assess":
        kwargs["examiner"] = world.other_supervisor
    elif case == "nobody cast":
        kwargs["cast"] = []
    with pytest.raises(ValidationError) as refused:
        schedule(world, kit, **kwargs)
    assert named in str(refused.value)
    assert not Drill.objects.exists()


def test_a_pilot_version_is_drilled_by_its_pilot_team(world, kit):
    pilot = drill_version(status="pilot", pilot_teams=[world.team])
    drill = schedule(world, pilot, cast=[(world.trainee, pilot.agent)], version=pilot.version)
    assert drill.version == pilot.version


# Cancelling ---------------------------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_a_cancelled_drill_is_not_scored(world, kit):
    drill = schedule(world, kit)
    with pytest.raises(ValidationError):
        cancel_drill(actor=world.supervisor.user, drill_id=drill.pk, reason="  ")
    with pytest.raises(PermissionDenied):
        cancel_drill(actor=world.other_supervisor.user, drill_id=drill.pk, reason="Not mine.")
    cancel_drill(actor=world.supervisor.user, drill_id=drill.pk, reason="The floor is too busy.")
    drill.refresh_from_db()
    assert (drill.status, drill.cancel_reason) == (DrillStatus.CANCELLED, "The floor is too busy.")
    with pytest.raises(ValidationError, match="cancelled"):
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit))
    assert not StepScore.objects.exists()


def test_a_scored_drill_is_not_cancelled(world, kit):
    drill = schedule(world, kit)
    score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit))
    with pytest.raises(ValidationError):
        cancel_drill(actor=world.supervisor.user, drill_id=drill.pk, reason="Too late.")
    drill.refresh_from_db()
    assert drill.status == DrillStatus.SCORED


# Pair familiarity ---------------------------------------------------------------------------------------------


def test_pair_familiarity_counts_the_scored_drills_two_people_shared(world, kit):
    third = EmployeeFactory(name="Third", team=world.team)
    pair = [(world.trainee, kit.agent), (world.mentor, kit.specialist)]
    for mode in (DrillMode.SCORED, DrillMode.PRACTICE):
        drill = schedule(world, kit, cast=pair, mode=mode)
        score_drill(actor=world.supervisor.user, drill_id=drill.pk, scores=full_scores(kit))
    with_third = schedule(world, kit, cast=[(third, kit.agent), (world.mentor, kit.specialist)])
    score_drill(actor=world.supervisor.user, drill_id=with_third.pk, scores=full_scores(kit))
    schedule(world, kit, cast=pair)  # not yet held
    cancel_drill(actor=world.supervisor.user, drill_id=schedule(world, kit, cast=pair).pk, reason="Busy.")

    ids = [world.trainee.pk, world.mentor.pk, third.pk]
    trainee_mentor = tuple(sorted([world.trainee.pk, world.mentor.pk]))
    mentor_third = tuple(sorted([world.mentor.pk, third.pk]))
    assert pair_familiarity(ids) == {trainee_mentor: 2, mentor_third: 1}
    assert pair_familiarity([world.trainee.pk, third.pk]) == {}
