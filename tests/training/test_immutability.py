"""A submitted assessment cannot be edited by any path: form, API (see test_kash_api), admin."""

from django.urls import reverse

from tests.training.factories import AssessmentFactory, ScoreFactory


def hr_client(client, world):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_admin_shows_a_submitted_assessment_read_only(client, world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, assessor=world.hr)
    ScoreFactory(assessment=assessment, indicator=indicators[0], level=3)
    response = hr_client(client, world).get(reverse("admin:training_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200
    assert 'name="private_note"' not in response.content.decode()


def test_a_post_to_the_admin_change_page_changes_nothing(client, world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, assessor=world.hr, context="original")
    response = hr_client(client, world).post(
        reverse("admin:training_assessment_change", args=[assessment.pk]), {"context": "tampered"}
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.context == "original"


def test_the_admin_cannot_delete_an_assessment(client, world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, assessor=world.hr)
    response = hr_client(client, world).post(
        reverse("admin:training_assessment_delete", args=[assessment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403


def test_the_edit_page_refuses_a_submitted_assessment_even_to_its_assessor(client, world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, assessor=world.supervisor.user)
    client.force_login(world.supervisor.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("training:assessment-edit", args=[assessment.pk]),
        {"source": "supervisor", "assessed_on": "2026-10-01", f"level_{indicators[0].pk}": "5", "save": "1"},
    )
    assert response.status_code == 404
    assert not assessment.scores.exists()
