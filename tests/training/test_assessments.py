import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from training import services
from training.models import Assessment, AssessmentStatus


def scores(indicators, level=3):
    return {i.pk: (level, "seen on a call") for i in indicators}


def record(world, indicators, **kwargs):
    defaults = {
        "actor": world.supervisor.user,
        "subject": world.trainee,
        "source": "supervisor",
        "assessed_on": datetime.date(2026, 11, 1),
        "scores": scores(indicators),
    }
    return services.create_assessment(**{**defaults, **kwargs})


def test_supervisor_records_a_draft(world, indicators):
    assessment = record(world, indicators)
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.scores.count() == 2


def test_submit_twice_is_a_noop(world, indicators):
    draft = record(world, indicators)
    first = services.submit_assessment(actor=world.supervisor.user, assessment_id=draft.pk)
    second = services.submit_assessment(actor=world.supervisor.user, assessment_id=draft.pk)
    assert first.submitted_at == second.submitted_at
    assert second.version == first.version


def test_a_submitted_assessment_cannot_be_saved_again(world, indicators):
    assessment = record(world, indicators, submit=True)
    with pytest.raises(ValidationError):
        services.save_draft(
            actor=world.supervisor.user,
            assessment_id=assessment.pk,
            version=assessment.version,
            scores=scores(indicators, 5),
            assessed_on=assessment.assessed_on,
        )
    assert set(assessment.scores.values_list("level", flat=True)) == {3}


def test_the_second_of_two_saves_of_the_same_draft_gets_a_conflict(world, indicators):
    draft = record(world, indicators)
    services.save_draft(
        actor=world.supervisor.user,
        assessment_id=draft.pk,
        version=draft.version,
        scores=scores(indicators, 4),
        assessed_on=draft.assessed_on,
    )
    with pytest.raises(services.AssessmentConflict):
        services.save_draft(
            actor=world.supervisor.user,
            assessment_id=draft.pk,
            version=draft.version,
            scores=scores(indicators, 2),
            assessed_on=draft.assessed_on,
        )
    assert set(Assessment.objects.get(pk=draft.pk).scores.values_list("level", flat=True)) == {4}


def test_a_correction_supersedes_and_both_stay_in_the_trail(world, indicators):
    original = record(world, indicators, submit=True)
    correction = services.correct_assessment(
        actor=world.supervisor.user, assessment_id=original.pk, scores=scores(indicators, 4)
    )
    assert correction.supersedes == original
    assert correction.is_submitted
    assert Assessment.objects.filter(subject=world.trainee).count() == 2
    assert set(original.scores.values_list("level", flat=True)) == {3}


def test_an_assessment_is_corrected_only_once(world, indicators):
    original = record(world, indicators, submit=True)
    services.correct_assessment(actor=world.supervisor.user, assessment_id=original.pk, scores=scores(indicators, 4))
    with pytest.raises(ValidationError):
        services.correct_assessment(
            actor=world.supervisor.user, assessment_id=original.pk, scores=scores(indicators, 2)
        )


@pytest.mark.parametrize("level", [0, 6, "3"])
def test_levels_outside_one_to_five_are_refused(world, indicators, level):
    with pytest.raises(ValidationError):
        record(world, indicators, scores={indicators[0].pk: (level, "")})
    assert not Assessment.objects.exists()


def test_a_future_date_is_refused(world, indicators):
    with pytest.raises(ValidationError):
        record(world, indicators, assessed_on=datetime.date.today() + datetime.timedelta(days=2))


def test_a_trainee_may_only_assess_herself(world, indicators):
    with pytest.raises(PermissionDenied):
        record(world, indicators, actor=world.trainee.user, subject=world.other_trainee, source="peer")
    own = record(world, indicators, actor=world.trainee.user, source="self")
    assert own.source == "self"


def test_a_trainee_cannot_record_a_supervisor_assessment_of_herself(world, indicators):
    with pytest.raises(PermissionDenied):
        record(world, indicators, actor=world.trainee.user, source="supervisor")


def test_a_supervisor_of_another_team_cannot_assess(world, indicators):
    with pytest.raises(PermissionDenied):
        record(world, indicators, actor=world.other_supervisor.user)


def test_a_mentor_cannot_write_a_private_note(world, indicators):
    with pytest.raises(ValidationError):
        record(world, indicators, actor=world.mentor.user, source="mentor", private_note="secret")


def test_only_the_assessor_continues_a_draft(world, indicators):
    draft = record(world, indicators)
    with pytest.raises(PermissionDenied):
        services.save_draft(
            actor=world.hr,
            assessment_id=draft.pk,
            version=draft.version,
            scores=scores(indicators),
            assessed_on=draft.assessed_on,
        )
