"""Retried writes make one row (STYLE §9): a double click posts the same form token twice, a client
retries with the same Idempotency-Key header. Gate checks, coaching sessions and assessments."""

import threading

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.training.onboarding_factories import enrollment_of, make_program, open_batch
from training import cycles, idempotency, services
from training.models import Assessment, CoachingSession, GateCheck


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def tiny(db):
    return make_program()


@pytest.fixture
def enrollment(world, tiny):
    """The trainee in cycle 1 (whose gate has a check), her mentor coaching her."""
    batch = open_batch(
        tiny, hr=world.hr, supervisor=world.supervisor, trainees=[world.trainee], start_on=timezone.localdate()
    )
    enrollment = enrollment_of(batch, world.trainee)
    services.move_enrollment(actor=world.hr, enrollment_id=enrollment.pk, move=cycles.START, from_state=cycles.PRE_JOB)
    return enrollment


def gate_check_body(enrollment):
    return {"enrollment": enrollment.pk, "score": 86}


def coaching_body(enrollment):
    return {"enrollment": enrollment.pk, "phase": "before", "scheduled_at": "2026-11-02T10:00:00+08:00"}


def assessment_body(world, tiny):
    return {
        "subject": world.trainee.pk,
        "source": "exam",
        "assessed_on": timezone.localdate().isoformat(),
        "scores": [{"indicator": tiny.habit.code, "level": 4, "evidence": "92/100"}],
    }


def post_twice(client, url, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return [client.post(url, body, format="json", headers=headers) for _ in range(2)]


# Pages: a hidden token, new each time the form is shown ----------------------------------------


def form_token(client, url):
    return client.get(url).context["form"]["idempotency_key"].value()


@pytest.mark.parametrize(
    "who, page",
    [
        ("mentor", "training:gate-check-new"),
        ("mentor", "training:coaching-new"),
        ("supervisor", "training:assessment-new"),
    ],
)
def test_each_time_a_form_is_shown_it_carries_a_new_token(client, world, enrollment, who, page):
    client.force_login(getattr(world, who).user)
    pk = world.trainee.pk if page == "training:assessment-new" else enrollment.pk
    url = reverse(page, args=[pk])
    first, second = form_token(client, url), form_token(client, url)
    assert first and second and first != second
    response = client.get(url)
    token = response.context["form"]["idempotency_key"].value()
    assert f'<input type="hidden" name="idempotency_key" value="{token}"' in response.content.decode()


def test_a_double_click_on_the_gate_check_form_records_one_check(client, world, enrollment):
    client.force_login(world.mentor.user)
    url = reverse("training:gate-check-new", args=[enrollment.pk])
    body = {"score": 85, "taken_on": timezone.localdate().isoformat(), "idempotency_key": form_token(client, url)}
    assert [client.post(url, body).status_code for _ in range(2)] == [302, 302]
    assert GateCheck.objects.count() == 1
    assert Assessment.objects.filter(source="exam").count() == 1


def test_a_double_click_on_the_coaching_form_logs_one_session(client, world, enrollment):
    client.force_login(world.mentor.user)
    url = reverse("training:coaching-new", args=[enrollment.pk])
    body = {"phase": "after", "scheduled_at": "2026-11-02T10:00", "idempotency_key": form_token(client, url)}
    assert [client.post(url, body).status_code for _ in range(2)] == [302, 302]
    assert CoachingSession.objects.count() == 1


def test_a_double_click_on_the_new_assessment_form_records_one_assessment(client, world, tiny):
    client.force_login(world.supervisor.user)
    url = reverse("training:assessment-new", args=[world.trainee.pk])
    body = {
        "source": "supervisor",
        "assessed_on": timezone.localdate().isoformat(),
        f"level_{tiny.habit.pk}": 3,
        "idempotency_key": form_token(client, url),
    }
    first, second = client.post(url, body), client.post(url, body)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url
    assert Assessment.objects.count() == 1


def test_two_forms_posted_once_each_record_two_checks(client, world, enrollment):
    client.force_login(world.mentor.user)
    url = reverse("training:gate-check-new", args=[enrollment.pk])
    for _ in range(2):
        body = {"score": 70, "taken_on": timezone.localdate().isoformat(), "idempotency_key": form_token(client, url)}
        client.post(url, body)
    assert list(GateCheck.objects.values_list("attempt", flat=True)) == [1, 2]


# API: the Idempotency-Key header ----------------------------------------------------------------


def test_a_retried_gate_check_with_the_same_key_records_one(world, enrollment):
    url = reverse("onboarding-gate-check-list")
    first, second = post_twice(api(world.mentor.user), url, gate_check_body(enrollment), key="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert GateCheck.objects.get().idempotency_key == "k-1"


def test_a_retried_coaching_post_with_the_same_key_logs_one_session(world, enrollment):
    url = reverse("onboarding-coaching-list")
    first, second = post_twice(api(world.mentor.user), url, coaching_body(enrollment), key="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert CoachingSession.objects.count() == 1


def test_a_retried_assessment_post_with_the_same_key_records_one(world, tiny):
    url = reverse("kash-assessment-list")
    first, second = post_twice(api(world.hr), url, assessment_body(world, tiny), key="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert Assessment.objects.count() == 1


def test_a_different_key_creates_a_second_assessment(world, tiny):
    client, url = api(world.hr), reverse("kash-assessment-list")
    client.post(url, assessment_body(world, tiny), format="json", headers={"Idempotency-Key": "k-1"})
    client.post(url, assessment_body(world, tiny), format="json", headers={"Idempotency-Key": "k-2"})
    assert Assessment.objects.count() == 2


def test_a_different_key_records_a_second_gate_check(world, enrollment):
    client, url = api(world.mentor.user), reverse("onboarding-gate-check-list")
    client.post(url, gate_check_body(enrollment), format="json", headers={"Idempotency-Key": "k-1"})
    client.post(url, gate_check_body(enrollment), format="json", headers={"Idempotency-Key": "k-2"})
    assert GateCheck.objects.count() == 2


def test_without_a_key_every_post_logs_a_session(world, enrollment):
    post_twice(api(world.mentor.user), reverse("onboarding-coaching-list"), coaching_body(enrollment))
    assert CoachingSession.objects.count() == 2


def test_the_same_key_used_by_another_user_is_not_shared(world, enrollment):
    url = reverse("onboarding-gate-check-list")
    body, headers = gate_check_body(enrollment), {"Idempotency-Key": "k"}
    mentor = api(world.mentor.user).post(url, body, format="json", headers=headers)
    supervisor = api(world.supervisor.user).post(url, body, format="json", headers=headers)
    assert (mentor.status_code, supervisor.status_code) == (201, 201)
    assert set(GateCheck.objects.values_list("examiner", flat=True)) == {world.mentor.user.pk, world.supervisor.user.pk}


def test_the_same_key_used_by_another_user_logs_another_session(world, enrollment):
    url = reverse("onboarding-coaching-list")
    for user in (world.mentor.user, world.supervisor.user):
        api(user).post(url, coaching_body(enrollment), format="json", headers={"Idempotency-Key": "k"})
    assert CoachingSession.objects.count() == 2


def test_a_key_reused_for_another_person_is_refused(world, tiny):
    client, url = api(world.hr), reverse("kash-assessment-list")
    client.post(url, assessment_body(world, tiny), format="json", headers={"Idempotency-Key": "k"})
    other = {**assessment_body(world, tiny), "subject": world.mentor.pk}
    response = client.post(url, other, format="json", headers={"Idempotency-Key": "k"})
    assert response.status_code == 400
    assert response.json() == ["This idempotency key was already used for another request."]
    assert Assessment.objects.count() == 1


def test_a_key_longer_than_100_characters_is_refused(world, enrollment):
    response = api(world.mentor.user).post(
        reverse("onboarding-coaching-list"),
        coaching_body(enrollment),
        format="json",
        headers={"Idempotency-Key": "k" * 101},
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not CoachingSession.objects.exists()


def test_the_schema_documents_the_idempotency_key_header(world, client):
    client.force_login(world.hr, backend="django.contrib.auth.backends.ModelBackend")
    paths = client.get(reverse("api-schema"), {"format": "json"}).json()["paths"]
    for path in ("/api/kash/assessments/", "/api/onboarding/coaching/", "/api/onboarding/gate-checks/"):
        headers = [p["name"] for p in paths[path]["post"].get("parameters", []) if p["in"] == "header"]
        assert headers == ["Idempotency-Key"], path


# Races ------------------------------------------------------------------------------------------


def test_a_retry_that_loses_the_insert_race_returns_the_winners_session(world, enrollment, monkeypatch):
    """The winner inserted between the loser's look-up and its insert: the constraint refuses the
    loser's row and the loser answers with the winner's."""
    log = {
        "actor": world.mentor.user,
        "enrollment_id": enrollment.pk,
        "phase": "during",
        "scheduled_at": timezone.now(),
    }
    winner = services.log_coaching(**log, idempotency_key="k")
    looked_up = []
    real_replay = idempotency.replay

    def replay_before_the_winner_committed(*args, **kwargs):
        looked_up.append(True)
        return None if len(looked_up) == 1 else real_replay(*args, **kwargs)

    monkeypatch.setattr(idempotency, "replay", replay_before_the_winner_committed)
    assert services.log_coaching(**log, idempotency_key="k") == winner
    assert CoachingSession.objects.count() == 1


def at_once(*calls):
    """Run ``calls`` in threads released together, each on its own database connection."""
    barrier, results, errors = threading.Barrier(len(calls)), [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


@pytest.mark.postgres(reason="two requests inserting at the same moment need real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_of_each_write_make_one_row_each(world, enrollment, tiny):
    mentor, hr = world.mentor.user, world.hr

    def coaching():
        return services.log_coaching(
            actor=mentor, enrollment_id=enrollment.pk, phase="during", scheduled_at=timezone.now(), idempotency_key="c"
        ).pk

    def gate_check():
        return services.record_gate_check(actor=mentor, enrollment_id=enrollment.pk, score=90, idempotency_key="g").pk

    def assessment():
        return services.create_assessment(
            actor=hr,
            subject=world.trainee,
            source="exam",
            assessed_on=timezone.localdate(),
            scores={tiny.skill.pk: (4, "")},
            submit=True,
            idempotency_key="a",
        ).pk

    for write in (coaching, gate_check, assessment):
        first, second = at_once(write, write)
        assert first == second
    assert CoachingSession.objects.count() == 1
    assert GateCheck.objects.count() == 1
    assert Assessment.objects.filter(idempotency_key="a").count() == 1
