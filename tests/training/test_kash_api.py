import datetime

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.training.factories import AssessmentFactory, ScoreFactory
from training.models import Assessment, Score


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def payload(world, indicators, **overrides):
    body = {
        "subject": world.trainee.pk,
        "source": "exam",
        "assessed_on": "2026-11-02",
        "context": "Product exam, November",
        "scores": [{"indicator": indicators[0].code, "level": 4, "evidence": "92/100"}],
    }
    return {**body, **overrides}


def test_hr_posts_an_exam_result(world, indicators):
    response = api(world.hr).post(reverse("kash-assessment-list"), payload(world, indicators), format="json")
    assert response.status_code == 201, response.json()
    assessment = Assessment.objects.get()
    assert (assessment.source, assessment.status, assessment.assessor) == ("exam", "submitted", world.hr)
    assert assessment.scores.get().level == 4


def test_a_level_outside_one_to_five_is_refused_and_nothing_is_written(world, indicators):
    bad = payload(world, indicators, scores=[{"indicator": indicators[0].code, "level": 6}])
    response = api(world.hr).post(reverse("kash-assessment-list"), bad, format="json")
    assert response.status_code == 400
    assert "scores" in response.json()
    assert not Assessment.objects.exists()


def test_an_unknown_indicator_is_refused(world, indicators):
    bad = payload(world, indicators, scores=[{"indicator": "no-such-code", "level": 3}])
    assert api(world.hr).post(reverse("kash-assessment-list"), bad, format="json").status_code == 400
    assert not Score.objects.exists()


def test_a_subject_out_of_scope_looks_like_it_does_not_exist(world, indicators):
    body = payload(world, indicators, subject=world.other_trainee.pk, source="supervisor")
    response = api(world.supervisor.user).post(reverse("kash-assessment-list"), body, format="json")
    assert response.status_code == 400
    assert "subject" in response.json()


def test_a_trainee_cannot_post_an_exam_result_for_herself(world, indicators):
    response = api(world.trainee.user).post(reverse("kash-assessment-list"), payload(world, indicators), format="json")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_submitted_assessments_cannot_be_changed_or_deleted_over_the_api(world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, assessor=world.hr)
    url = reverse("kash-assessment-detail", args=[assessment.pk])
    client = api(world.hr)
    assert client.patch(url, {"context": "changed"}, format="json").status_code == 405
    assert client.put(url, payload(world, indicators), format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assessment.refresh_from_db()
    assert assessment.context == ""


def test_a_trainee_never_receives_private_notes(world, indicators):
    assessment = AssessmentFactory(subject=world.trainee, private_note="watch her breaks")
    ScoreFactory(assessment=assessment, indicator=indicators[0])
    own = api(world.trainee.user).get(reverse("kash-assessment-detail", args=[assessment.pk])).json()
    assert "private_note" not in own
    listing = api(world.trainee.user).get(reverse("kash-assessment-list")).json()
    assert "watch her breaks" not in str(listing)
    supervisor = api(world.supervisor.user).get(reverse("kash-assessment-detail", args=[assessment.pk])).json()
    assert supervisor["private_note"] == "watch her breaks"


def test_drafts_are_visible_to_their_assessor_only(world, indicators):
    draft = AssessmentFactory(subject=world.trainee, assessor=world.supervisor.user, status="draft", submitted_at=None)
    assert api(world.trainee.user).get(reverse("kash-assessment-detail", args=[draft.pk])).status_code == 404
    assert api(world.supervisor.user).get(reverse("kash-assessment-detail", args=[draft.pk])).status_code == 200


def test_profile_reports_levels_targets_and_gaps(world, indicators, targets):
    assessment = AssessmentFactory(subject=world.trainee, assessed_on=datetime.date(2026, 10, 1))
    ScoreFactory(assessment=assessment, indicator=indicators[0], level=2)
    body = api(world.supervisor.user).get(reverse("kash-profile-detail", args=[world.trainee.pk])).json()
    talk = next(row for row in body["indicators"] if row["indicator"] == "talk")
    assert (talk["current"], talk["target"], talk["gap"]) == (2.0, 4, 2.0)
    assert body["dimensions"]["S"] == 2.0


def test_profiles_are_scoped(world, indicators):
    body = api(world.trainee.user).get(reverse("kash-profile-list")).json()
    assert [row["employee"] for row in body["results"]] == [world.trainee.pk]
    assert api(world.trainee.user).get(reverse("kash-profile-detail", args=[world.other_trainee.pk])).status_code == 404


def test_framework_lists_indicators_with_their_rubric(world, indicators):
    body = api(world.trainee.user).get(reverse("kash-indicator-list"), {"dimension": "S"}).json()
    talk = next(row for row in body["results"] if row["code"] == "talk")
    assert [level["level"] for level in talk["levels"]] == [1, 2, 3, 4, 5]


def test_the_schema_documents_the_kash_endpoints(world, client):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    paths = client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    assert {"/api/kash/assessments/", "/api/kash/profiles/{id}/", "/api/kash/indicators/"} <= set(paths)
