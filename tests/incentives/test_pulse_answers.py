"""Answering a pulse wave (issue 15 §5): anonymous by design — no table row links a respondent to an answer —,
once per wave, all or nothing, write-only on the API, on a phone in a few taps."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incentives.models import PulseRespondent, PulseTally
from incentives.services import pulse as services
from staff.models import Stage
from tests.incentives.pulse_factories import answer, make_survey, open_wave, team_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave():
    return open_wave(make_survey())


def _written_tables(queries):
    tables = set()
    for query in queries:
        sql = query["sql"].strip().upper()
        match = re.match(r'(?:INSERT\s+(?:OR\s+IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', sql)
        if match:
            tables.add(match.group(1).lower())
    return tables


def test_the_answer_table_has_no_column_that_could_point_at_a_respondent():
    columns = {field.column: field for field in PulseTally._meta.concrete_fields}
    assert set(columns) == {"id", "wave_id", "question_id", "team_id", "site_id", "score", "count"}
    for field in columns.values():
        assert field.get_internal_type() not in ("DateTimeField", "DateField", "TimeField", "UUIDField")
        if field.is_relation:
            assert field.related_model._meta.label in (
                "incentives.Wave",
                "incentives.Question",
                "staff.Team",
                "staff.Site",
            )


def test_who_answered_holds_no_score_and_no_time():
    columns = {field.column for field in PulseRespondent._meta.concrete_fields}
    assert columns == {"id", "wave_id", "employee_id", "team_id", "site_id"}


def test_the_answer_transaction_writes_only_the_respondent_row_and_counts(wave):
    team = team_of(1)
    person = team.members_made[0]
    with CaptureQueriesContext(connection) as captured:
        answer(person, wave, {"supervision": 2, "pay": 5, "achievement": 4})
    assert _written_tables(captured.captured_queries) == {"incentives_pulserespondent", "incentives_pulsetally"}
    # One respondent row; the counts hold one per chosen score and zeros for the others: no row per answer.
    assert PulseRespondent.objects.filter(wave=wave).count() == 1
    rows = PulseTally.objects.filter(wave=wave)
    assert rows.count() == 3 * 5
    assert sorted(rows.filter(count=1).values_list("question__factor", "score")) == [
        ("achievement", 4),
        ("pay", 5),
        ("supervision", 2),
    ]


def test_no_row_links_a_respondent_to_an_answer(wave):
    """Two people of one team answer differently: the stored rows are the same whichever of them gave which."""
    team = team_of(2)
    first, second = team.members_made
    answer(first, wave, {"supervision": 1})
    answer(second, wave, {"supervision": 5})
    stored = sorted(PulseTally.objects.filter(wave=wave).values_list("question_id", "team_id", "score", "count"))
    PulseTally.objects.filter(wave=wave).delete()
    PulseRespondent.objects.filter(wave=wave).delete()
    answer(second, wave, {"supervision": 1})  # the other way round, in the other order
    answer(first, wave, {"supervision": 5})
    swapped = sorted(PulseTally.objects.filter(wave=wave).values_list("question_id", "team_id", "score", "count"))
    assert stored == swapped
    tally_ids = set(PulseTally.objects.values_list("pk", flat=True))
    respondent_ids = set(PulseRespondent.objects.values_list("employee_id", flat=True))
    assert all(not field.is_relation or field.related_model is not type(first) for field in PulseTally._meta.fields)
    assert tally_ids and respondent_ids


def test_a_second_answer_is_refused_and_changes_nothing(wave):
    person = team_of(1).members_made[0]
    answer(person, wave)
    before = list(PulseTally.objects.order_by("pk").values_list("pk", "count"))
    with pytest.raises(ValidationError):
        answer(person, wave, default=1)
    assert list(PulseTally.objects.order_by("pk").values_list("pk", "count")) == before
    assert PulseRespondent.objects.count() == 1


def test_a_partial_or_out_of_scale_answer_writes_nothing(wave):
    person = team_of(1).members_made[0]
    question = wave.survey.questions.first()
    with pytest.raises(ValidationError):
        services.answer_wave(user=person.user, wave_id=wave.pk, scores={question.pk: 4})
    with pytest.raises(ValidationError):
        answer(person, wave, default=6)
    assert not PulseRespondent.objects.exists() and not PulseTally.objects.exists()


def test_a_supervisor_someone_who_left_and_a_closed_wave_cannot_answer(wave):
    team = team_of(1)
    with pytest.raises(PermissionDenied):
        answer(team.supervisor, wave)
    leaver = team.members_made[0]
    leaver.stage = Stage.LEFT
    leaver.save()
    with pytest.raises(PermissionDenied):
        answer(leaver, wave)


def test_a_site_survey_asks_only_its_site():
    inside, outside = team_of(1), team_of(1)
    wave = open_wave(make_survey(site=inside.department.site))
    answer(inside.members_made[0], wave)
    with pytest.raises(PermissionDenied):
        answer(outside.members_made[0], wave)


def test_the_phone_page_answers_in_a_few_taps_then_shows_nothing_open(client, wave):
    person = team_of(1).members_made[0]
    client.force_login(person.user)
    page = client.get(reverse("incentives:pulse"))
    assert page.status_code == 200
    form = page.context["form"]
    assert len(form.question_fields()) == 3
    data = {"wave": wave.pk, **{f"q{q.pk}": 4 for q in form.questions}}
    response = client.post(reverse("incentives:pulse"), data)
    assert response.status_code == 302
    assert PulseRespondent.objects.filter(employee=person).count() == 1
    assert client.get(reverse("incentives:pulse")).context["wave"] is None


def test_the_page_refuses_a_missing_answer_with_a_clear_error(client, wave):
    person = team_of(1).members_made[0]
    client.force_login(person.user)
    response = client.post(reverse("incentives:pulse"), {"wave": wave.pk})
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert not PulseRespondent.objects.exists()


def test_the_api_accepts_answers_once_and_never_shows_them(client, wave):
    person = team_of(1).members_made[0]
    client.force_login(person.user)
    url = reverse("incentives-pulse-answer-list")
    answers = [{"question": q.pk, "score": 3} for q in wave.survey.questions.all()]
    listed = client.get(reverse("incentives-pulse-wave-list")).json()
    assert [w["id"] for w in listed["results"]] == [wave.pk]
    created = client.post(url, {"wave": wave.pk, "answers": answers}, content_type="application/json")
    assert created.status_code == 201 and set(created.json()) == {"wave", "detail"}
    again = client.post(url, {"wave": wave.pk, "answers": answers}, content_type="application/json")
    assert again.status_code == 400
    assert client.get(url).status_code == 405
    assert client.get(reverse("incentives-pulse-wave-list")).json()["results"] == []


def test_the_api_refuses_a_wave_not_open_for_the_caller(client, wave):
    team = team_of(1)
    client.force_login(team.supervisor.user)
    answers = [{"question": q.pk, "score": 3} for q in wave.survey.questions.all()]
    response = client.post(
        reverse("incentives-pulse-answer-list"), {"wave": wave.pk, "answers": answers}, content_type="application/json"
    )
    assert response.status_code == 400 and "wave" in response.json()
    assert not PulseRespondent.objects.exists()
