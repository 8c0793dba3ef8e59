"""Concurrency on PostgreSQL (issue 15 §5): people of one team answering at the same moment lose no count and
never deadlock (the score rows are locked in question order); one person answering twice at once counts once."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from incentives.models import PulseRespondent, PulseTally
from tests.incentives.pulse_factories import answer, make_survey, open_wave, team_of
from tests.threads import at_once

pytestmark = [
    pytest.mark.postgres(reason="answers at the same moment need real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def test_a_team_answering_at_once_loses_no_count():
    team = team_of(6)
    wave = open_wave(make_survey())
    results = at_once(*[lambda p=p, s=s: answer(p, wave, default=s % 5 + 1) for s, p in enumerate(team.members_made)])
    assert not [r for r in results if isinstance(r, BaseException)]
    assert PulseRespondent.objects.filter(wave=wave).count() == 6
    per_question = PulseTally.objects.filter(wave=wave).values("question").annotate(n=Sum("count"))
    assert {row["n"] for row in per_question} == {6}


def test_one_person_answering_twice_at_once_counts_once():
    person = team_of(1).members_made[0]
    wave = open_wave(make_survey())
    results = at_once(lambda: answer(person, wave), lambda: answer(person, wave))
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert PulseRespondent.objects.count() == 1
    assert PulseTally.objects.aggregate(n=Sum("count"))["n"] == 3  # three questions, once each


def _xmins(wave, team):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM incentives_pulsetally WHERE wave_id = %s AND team_id = %s",
            [wave.pk, team.pk],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_row_versions_do_not_tell_which_scores_the_last_respondent_chose():
    """PostgreSQL stamps each row version with its transaction (xmin), the same as the respondent row's: every row
    of the team is rewritten by each answer, so the stamp marks them all, not the scores chosen."""
    team = team_of(2)
    wave = open_wave(make_survey())
    answer(team.members_made[0], wave, {"supervision": 1})
    answer(team.members_made[1], wave, {"supervision": 5, "pay": 2})
    assert len(_xmins(wave, team)) == 1
