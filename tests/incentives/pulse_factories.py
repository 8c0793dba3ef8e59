"""Helpers of the pulse tests (issue 15 §5, §6): surveys, waves open today, teams of a given size, and answers
given through incentives.services.pulse (so the rows written are the real ones)."""

import datetime

from django.utils import timezone

from incentives.models import Question, Survey, Wave
from incentives.services import pulse as services
from staff.models import Stage
from tests.staff.factories import DepartmentFactory, EmployeeFactory, TeamFactory

QUESTIONS = [
    ("supervision", "My supervisor helps me do my job well."),
    ("pay", "My pay matches what I put in."),
    ("achievement", "This month I achieved something I am proud of."),
]


def make_survey(*, site=None, questions=QUESTIONS, **kwargs):
    kwargs.setdefault("starts_on", timezone.localdate())
    survey = Survey.objects.create(name=kwargs.pop("name", "Monthly pulse"), site=site, **kwargs)
    for order, (factor, text) in enumerate(questions):
        Question.objects.create(survey=survey, text=text, factor=factor, order=order)
    return survey


def open_wave(survey, *, number=1, opens_on=None, days=7):
    opens_on = opens_on or timezone.localdate()
    return Wave.objects.create(
        survey=survey, number=number, opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=days - 1)
    )


def team_of(size, *, department=None, name=None):
    """A team with its supervisor and ``size`` members."""
    team = TeamFactory(department=department or DepartmentFactory(), **({"name": name} if name else {}))
    team.supervisor = EmployeeFactory(team=team, stage=Stage.MANAGEMENT)
    team.save()
    team.members_made = [EmployeeFactory(team=team) for _ in range(size)]
    return team


def answer(employee, wave, by_factor=None, default=4):
    """``employee`` answers every question of ``wave``: ``by_factor`` {factor: score}, else ``default``."""
    by_factor = by_factor or {}
    scores = {q.pk: by_factor.get(q.factor, default) for q in wave.survey.questions.all()}
    return services.answer_wave(user=employee.user, wave_id=wave.pk, scores=scores)


def close(wave, *, days_ago=1):
    """Move ``wave`` into the past (closed ``days_ago`` days ago)."""
    closes_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    length = wave.closes_on - wave.opens_on
    Wave.objects.filter(pk=wave.pk).update(closes_on=closes_on, opens_on=closes_on - length)
    wave.refresh_from_db()
    return wave


def matrix_pulse(world):
    """For tests/test_authorization_matrix.py: a centre-wide survey with a wave open today that nobody answered;
    made once per world."""
    if getattr(world, "pulse_wave", None) is None:
        world.pulse_survey = make_survey()
        world.pulse_wave = open_wave(world.pulse_survey)
        world.no_kwargs = {}
    return world
